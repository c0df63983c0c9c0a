"""Every catalogue of vnr's own words (vnr/messages/*.yaml): en.yaml's keys in its order, its placeholders,
a real translation, the right script, and a locale Babel knows."""

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


def test_the_six_un_languages_and_kazakh_have_a_catalogue():
    assert {"ar", "zh", "en", "fr", "ru", "es", "kk"} <= set(LANGS)


@pytest.mark.parametrize("lang", LANGS)
def test_same_keys_in_the_same_order_and_same_placeholders(lang):
    english, other = catalogue("en"), catalogue(lang)
    assert list(other) == list(english)
    for key, text in english.items():
        assert isinstance(other[key], str), key
        assert placeholders(other[key]) == placeholders(text), key
        other[key].format(**dict.fromkeys(placeholders(text), "x"))  # no stray brace


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_value_is_translated(lang):
    english, other = catalogue("en"), catalogue(lang)
    same = {key for key in english if key != "locale" and other[key] == english[key]}
    assert same == {key for l, key in SAME_AS_ENGLISH if l == lang}
    assert all(other[key].strip() for key in english if key != "alphabet" or lang != "zh"), "an empty value"


@pytest.mark.parametrize("lang, script", [("ar", ARABIC_LETTER), ("zh", CJK)])
def test_values_are_written_in_the_language_s_script(lang, script):
    english, other = catalogue("en"), catalogue(lang)
    for key, text in english.items():
        if key in NOT_TEXT or not re.search(r"[A-Za-z]", words(text)):
            continue  # symbols only, as seminar_label's "{city}, {date}, {audience}"
        assert script.search(words(other[key])), key
        # No English word of vnr's own left in (goal and target ids, "2030" and ".." are not words).
        assert not re.search(r"[A-Za-z]{2}", words(other[key])), key


def test_arabic_and_chinese_use_their_own_punctuation():
    ar, zh = catalogue("ar"), catalogue("zh")
    assert ar["seminar_label"] == "{city}، {date}، {audience}"
    assert zh["seminar_label"] == "{city}，{date}，{audience}"
    assert "←" in ar["changes.moved_item"]  # read right to left, the arrow points from before to after


def test_french_puts_a_no_break_space_before_double_punctuation():
    for key, text in catalogue("fr").items():
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
