"""The range every date and time a client sends must fall in, and the characters no text may hold.

Python's dates run from year 1 to 9999, but turning 0001-01-01T00:00+14:00 into UTC, or adding a
day to 9999-12-31, overflows: such inputs used to answer 500. No administrative procedure,
complaint or report concerns a day outside ``MIN_DATE`` .. ``MAX_DATE``, so every date and
date-time input (API query and body, Open311, pages) outside it is refused with 422 and a
sentence naming the field. Unpaired UTF-16 surrogates (U+D800–U+DFFF, "\\ud800" in JSON) cannot
be stored by any database encoding and are refused like NUL. Pure: no Django models.
"""

from __future__ import annotations

import re
from datetime import date, datetime

MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2199, 12, 31)

_SURROGATE = re.compile("[\ud800-\udfff]")

#: A value that is, as a whole, an ISO 8601 date or date-time (what the API's schemas parse).
ISO_DATE = re.compile(
    r"^\s*(?P<year>[+-]?\d{4,6})-\d{1,2}-\d{1,2}"
    r"(?:[T ]\d{1,2}(?::\d{1,2}(?::\d{1,2}(?:[.,]\d+)?)?)?\s*(?:Z|z|[+-]\d{1,2}(?::?\d{2})?)?)?\s*$"
)


def has_surrogate(text: str) -> bool:
    return _SURROGATE.search(text) is not None


def in_range(value: date | datetime) -> bool:
    day = value.date() if isinstance(value, datetime) else value
    return MIN_DATE <= day <= MAX_DATE


def iso_year_out_of_range(text: str) -> bool:
    """Whether ``text`` is an ISO date or date-time whose year is outside the range (the day
    itself is checked by the schema that parses it)."""
    match = ISO_DATE.match(text)
    if match is None:
        return False
    year = int(match.group("year"))
    return not MIN_DATE.year <= year <= MAX_DATE.year


def range_text() -> str:
    return f"{MIN_DATE:%d/%m/%Y} – {MAX_DATE:%d/%m/%Y}"
