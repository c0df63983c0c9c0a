"""Every catalogue of vnr's own words (vnr/messages/*.yaml): en.yaml's keys in its order, its placeholders,
a real translation, the right script, plural forms by the language's CLDR rule, and a locale Babel knows."""

from __future__ import annotations

import datetime as dt
import re
import string
import unicodedata
from importlib import resources

import pytest
import yaml
from babel import Locale

from vnr.base.i18n import Messages

MESSAGES = resources.files("vnr").joinpath("messages")
LANGS = sorted(p.name.removesuffix(".yaml") for p in MESSAGES.iterdir() if p.name.endswith(".yaml"))
TRANSLATED = ("fr", "es", "ar", "zh")  # checked value by value against English

# Values that may equal the English one, each for its reason; any other equal value is an untranslated one.
SAME_AS_ENGLISH = {
    # symbols: placeholders and punctuation only, the language's own separators being the English ones
    ("fr", "seminar_label"), ("es", "seminar_label"), ("es", "changes.moved_item"),
    # words spelled in French or Spanish as in English (a different word would be a worse translation)
    ("fr", "page"),                        # Page
    ("fr", "col.date"),                    # Date
    ("fr", "consultations.participants"),  # Participants
    ("fr", "col.participants"),            # Participants
    ("fr", "kind.question"),               # Question
    ("fr", "col.total"), ("fr", "total"),  # Total
    ("es", "col.total"), ("es", "total"), ("es", "indicator.total"),  # Total
    # the year alone under a map
    ("fr", "indicator.map_year"), ("es", "indicator.map_year"), ("ar", "indicator.map_year"),
}
# Keys that carry no words: the CLDR locale, and the collation alphabet (Chinese has none: code point order).
NOT_TEXT = ("locale", "alphabet")

ARABIC_LETTER = re.compile(r"[\u0621-\u064A]")
CJK = re.compile(r"[\u4E00-\u9FFF]")


def catalogue(lang: str) -> dict:
    return yaml.safe_load(MESSAGES.joinpath(f"{lang}.yaml").read_text(encoding="utf-8"))


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def words(text: str) -> str:
    """The text with its placeholders taken out."""
    return re.sub(r"\{[^}]*\}", "", text)


def texts(value) -> list[str]:
    """A message's texts: itself, or a sentence with counts: its frame and every plural form."""
    if isinstance(value, str):
        return [value]
    return [value["text"], *(form for name, forms in value.items() if name != "text" for form in forms.values())]


def placeholders_of(value) -> set[str]:
    """The values a message takes: its text's, and those its plural forms take besides the count `{n}`."""
    return set().union(*map(placeholders, texts(value))) - ({"n"} if isinstance(value, dict) else set())


def categories(lang: str) -> set[str]:
    """The plural categories of the language (CLDR), 'other' included."""
    return {*Locale.parse(catalogue(lang)["locale"]).plural_form.tags, "other"}


def test_the_six_un_languages_and_kazakh_have_a_catalogue():
    assert {"ar", "zh", "en", "fr", "ru", "es", "kk"} <= set(LANGS)


@pytest.mark.parametrize("lang", LANGS)
def test_same_keys_in_the_same_order_and_same_placeholders(lang):
    english, other = catalogue("en"), catalogue(lang)
    assert list(other) == list(english)
    for key, text in english.items():
        translated = other[key]
        if isinstance(text, dict):  # a sentence with counts: the same counts, each with its plural forms
            assert isinstance(translated, dict) and list(translated) == list(text), key
        assert placeholders_of(translated) == placeholders_of(text), key
        for t in texts(translated):
            t.format(**dict.fromkeys(placeholders(t), "x"))  # no stray brace


@pytest.mark.parametrize("lang", LANGS)
def test_plural_forms_follow_the_language_s_cldr_rule(lang):
    """Each count has either one form for every number ('other': the noun does not change, as in
    Chinese or Kazakh, or the sentence says "number of X: N") or exactly the language's categories."""
    for key, value in catalogue(lang).items():
        if not isinstance(value, dict):
            continue
        assert placeholders(value["text"]) >= set(value) - {"text"}, key
        for name, forms in value.items():
            if name == "text":
                continue
            assert set(forms) in ({"other"}, categories(lang)), (key, name, sorted(categories(lang)))
            for form in forms.values():  # the count, and where word order needs it a value that is no count
                assert not placeholders(form) - {"n"} & set(value), (key, name)


def test_counts_take_their_plural_form():
    fr, ar, ru, en = Messages("fr"), Messages("ar"), Messages("ru"), Messages("en")
    counts = dict(start="a", end="b", seminars=1, covered=1, existing=1, participants=1, comments=0)
    one = fr("consultations.intro", **counts)
    assert "1 séminaire s’est tenu dans 1 région sur 1 qui existait alors" in one and "0 commentaire." in one
    two = fr("consultations.intro", **{**counts, **dict.fromkeys(("seminars", "covered", "existing",
                                                                   "participants", "comments"), 2)})
    assert "2 séminaires se sont tenus dans 2 régions sur les 2 qui existaient alors" in two
    assert "2 participants y ont formulé 2 commentaires" in two
    million = fr("consultations.intro", **{**counts, "seminars": 10**6})
    assert re.search(r"1\s000\s000 de séminaires", million)
    assert [ar("preview.errors", errors=n).split(": ")[1] for n in (0, 1, 2, 3, 11, 100)] == [
        "لا أخطاء", "خطأ واحد", "خطآن", "3 أخطاء", "11 خطأً", "100 خطأ"]
    assert "из 21 региона" in ru("consultations.intro", **{**counts, "existing": 21})
    assert "из 14 регионов" in ru("consultations.intro", **{**counts, "existing": 14})
    assert "All 1,999 comments" in en("annex.intro", comments=1999) and "The 1 comment" in en("annex.intro", comments=1)
    assert en.source("annex.intro").startswith("{comments}, grouped")


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_value_is_translated(lang):
    english, other = catalogue("en"), catalogue(lang)
    same = {key for key in english if key != "locale" and other[key] == english[key]}
    assert same == {key for l, key in SAME_AS_ENGLISH if l == lang}
    assert all(t.strip() for key in english if key != "alphabet" or lang != "zh" for t in texts(other[key])), \
        "an empty value"


@pytest.mark.parametrize("lang, script", [("ar", ARABIC_LETTER), ("zh", CJK)])
def test_values_are_written_in_the_language_s_script(lang, script):
    english, other = catalogue("en"), catalogue(lang)
    for key, value in english.items():
        if key in NOT_TEXT or not re.search(r"[A-Za-z]", words(texts(value)[0])):
            continue  # symbols only, as seminar_label's "{city}, {date}, {audience}"
        for translated in texts(other[key]):
            if words(translated).strip():  # a count's form may be the number alone ("{n}")
                assert script.search(words(translated)), key
            # No English word of vnr's own left in (goal and target ids, "2030" and ".." are not words).
            assert not re.search(r"[A-Za-z]{2}", words(translated)), key


def test_arabic_and_chinese_use_their_own_punctuation():
    ar, zh = catalogue("ar"), catalogue("zh")
    assert ar["seminar_label"] == "{city}، {date}، {audience}"
    assert zh["seminar_label"] == "{city}，{date}，{audience}"
    assert "←" in ar["changes.moved_item"]  # read right to left, the arrow points from before to after


def test_french_puts_a_no_break_space_before_double_punctuation():
    for key, value in catalogue("fr").items():
        for text in texts(value):
            assert not re.search(r" [:;?!»]|« ", text), key


def test_un_terminology():
    assert catalogue("fr")["goal_short"].format(number=6) == "ODD 6"
    assert catalogue("es")["goal_short"].format(number=6) == "ODS 6"
    assert catalogue("ar")["goal_short"].format(number=6) == "الهدف 6"
    assert catalogue("zh")["goal_short"].format(number=6) == "目标6"
    assert "أهداف التنمية المستدامة" in catalogue("ar")["statistics.title"]
    assert "可持续发展目标" in catalogue("zh")["statistics.title"]


@pytest.mark.parametrize("lang", LANGS)
def test_locale_parses_with_babel_and_formats(lang):
    locale = catalogue(lang)["locale"]
    parsed = Locale.parse(locale)
    assert parsed.language == lang
    m = Messages(lang)
    assert m.number(1234.5) and m.percent(0.654) and m.date(dt.date(2025, 7, 14))


def test_arabic_prints_western_digits():
    # "ar" rather than ar_EG or ar_SA: the digits a ministry in Jordan or the Gulf would print.
    m = Messages("ar")
    assert m.number(1234.5) == "1,234.5"
    assert re.fullmatch(r"65\.4\W*%\W*", m.percent(0.654))
    assert "2025" in m.date(dt.date(2025, 7, 14))


@pytest.mark.parametrize("lang", LANGS)
def test_alphabet_is_lowercase_letters_each_once(lang):
    alphabet = catalogue(lang)["alphabet"]
    assert len(set(alphabet)) == len(alphabet)
    assert alphabet == alphabet.casefold()  # collate() looks up casefolded characters
    assert all(unicodedata.category(c).startswith("L") for c in alphabet)
