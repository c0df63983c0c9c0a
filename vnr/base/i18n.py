"""One lookup for every word the tool writes itself, and locale-aware numbers and dates."""

from __future__ import annotations

import datetime as dt
import functools
import re
from decimal import Decimal
from importlib import resources

import yaml
from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent


class Messages:
    """vnr's own words in `lang`. A language without a catalogue (one only data/sdg-i18n holds) gets
    the English words in its own locale's numbers and dates, and `borrowed` lists the words used."""

    def __init__(self, lang: str):
        self.lang = lang
        own = _catalogue(lang)
        self.catalogue = own or _catalogue("en")
        self.locale = self.catalogue["locale"] if own else _locale(lang)
        self.borrowed: set[str] | None = None if own else set()

    def pieces(self, *texts: str) -> str:
        """Texts joined by " · ", each isolated in a right-to-left language (U+2068..U+2069), so that a
        Latin city, a date or a key keeps its place in an Arabic line and does not pull its
        neighbours' words or digits across the separator."""
        shown = [t for t in texts if t]
        if direction(self.lang) == "rtl":
            shown = [f"\u2068{t}\u2069" for t in shown]
        return " · ".join(shown)

    def __call__(self, key: str, **values) -> str:
        if self.borrowed is not None:
            self.borrowed.add(key)
        text = self.catalogue[key]
        if isinstance(text, dict):  # a sentence with counts: {text: ..., count: {one: ..., other: ...}}
            plain = {name: v for name, v in values.items() if name not in text}
            values = {**plain, **{name: self._plural(text[name], v, plain) for name, v in values.items()
                                  if name in text}}
            text = text["text"]
        return text.format(**values) if values else text

    def source(self, key: str) -> str:
        """The message as the catalogue writes it (a sentence with counts: its frame)."""
        text = self.catalogue[key]
        return text["text"] if isinstance(text, dict) else text

    def _plural(self, forms: dict[str, str], count: int, plain: dict) -> str:
        """The count in the form CLDR's plural rule of the catalogue's language picks (1 séminaire, 2 séminaires;
        Arabic's six forms; Chinese's one); `{n}` is the count in the locale's digits, and a form may hold the
        sentence's other values where its word order needs them ("213 (78.0%) have")."""
        category = Locale.parse(self.catalogue["locale"]).plural_form(count)
        return forms.get(category, forms["other"]).format(n=self.number(count), **plain)

    def __getstate__(self) -> dict:
        # what was borrowed so far is no part of the words: pickled parts compare equal (html.Kept)
        return {**self.__dict__, "borrowed": None}

    def number(self, value: int | float) -> str:
        return _decimal(value, None, self.locale)

    def figure(self, value: Decimal, places: int | None = None) -> str:
        """A statistic in the locale's form with the data's own decimals (12.50 stays 12,50 in ru)."""
        places = max(0, -int(value.as_tuple().exponent)) if places is None else places
        return _decimal(value, "#,##0" + ("." + "0" * places if places else ""), self.locale)

    def percent(self, share: float) -> str:
        # The locale's own pattern (65.4% in en, 65,4 % in ru and kk) with one decimal.
        pattern = re.sub(r"0(\s?%)", r"0.0\1", Locale.parse(self.locale).percent_formats[None].pattern)
        return format_percent(share, pattern, locale=self.locale)

    def collate(self, text: str) -> tuple[int, ...]:
        """A sort key in the language's alphabetical order (Kazakh: а ә б ... қ л ...)."""
        alphabet = self.catalogue.get("alphabet", "")
        return tuple(alphabet.index(c) if c in alphabet else len(alphabet) + ord(c) for c in text.casefold())

    def date(self, day: dt.date) -> str:
        return format_date(day, "long", locale=self.locale)


@functools.cache
def _catalogue(lang: str) -> dict[str, str] | None:
    path = resources.files("vnr").joinpath("messages", f"{lang}.yaml")
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else None


@functools.cache
def direction(lang: str) -> str:
    """'rtl' or 'ltr': the direction the language is written in (CLDR's character order), which
    every writer lays its pages, paragraphs and tables out by."""
    try:
        return "rtl" if Locale.parse(lang, sep="-").character_order == "right-to-left" else "ltr"
    except (ValueError, LookupError, UnknownLocaleError):
        return "ltr"


def _locale(lang: str) -> str:
    """The CLDR locale of a language, where Babel knows it (numbers and dates), else English's."""
    try:
        return str(Locale.parse(lang))
    except (ValueError, LookupError, UnknownLocaleError):  # 'xx' in a broken vnr.yaml (the preview's page)
        return "en_GB"


@functools.lru_cache(maxsize=65536, typed=True)
def _decimal(value, pattern: str | None, locale: str) -> str:
    """Babel's format_decimal, remembered: a rebuild formats the same few thousand figures again
    (0.1 s of the preview's 0.6 s of HTML on the sample). Kept by type too: 1, 1.0 and Decimal("1.0")
    are one key to Python's hash, not to Babel."""
    if pattern is None:
        return format_decimal(value, locale=locale)
    return format_decimal(value, pattern, locale=locale, decimal_quantization=True)
