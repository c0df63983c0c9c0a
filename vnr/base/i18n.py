"""One lookup for every word the tool writes itself, and locale-aware numbers and dates."""

from __future__ import annotations

import datetime as dt
import functools
import re
from decimal import Decimal
from importlib import resources

import yaml
from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent


class Messages:
    def __init__(self, lang: str):
        self.lang = lang
        self.catalogue = _catalogue(lang)
        self.locale = self.catalogue["locale"]

    def __call__(self, key: str, **values) -> str:
        return self.catalogue[key].format(**values) if values else self.catalogue[key]

    def number(self, value: int | float) -> str:
        return format_decimal(value, locale=self.locale)

    def figure(self, value: Decimal, places: int | None = None) -> str:
        """A statistic in the locale's form with the data's own decimals (12.50 stays 12,50 in ru)."""
        places = max(0, -int(value.as_tuple().exponent)) if places is None else places
        return format_decimal(value, "#,##0" + ("." + "0" * places if places else ""), locale=self.locale,
                              decimal_quantization=True)

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
def _catalogue(lang: str) -> dict[str, str]:
    path = resources.files("vnr").joinpath("messages", f"{lang}.yaml")
    return yaml.safe_load(path.read_text(encoding="utf-8"))
