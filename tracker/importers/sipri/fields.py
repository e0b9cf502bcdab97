"""Reading one field of a SIPRI row: a value, or RowError with a one-line reason."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from tracker.errors import InvalidInputError
from tracker.importers.sipri.model import Party

FIRST_YEAR = 1900
_TIV = re.compile(r"\d+(?:\.\d+)?")
_UNKNOWN_PARTIES = frozenset({"unknown supplier(s)", "unknown recipient(s)"})


class RowError(Exception):
    """A field cannot be read; `reason` says which, what it holds and what was expected."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def shown(value: str) -> str:
    """A field value quoted for a one-line message, cut when long."""
    return repr(value if len(value) <= 40 else value[:37] + "...")


def whole_number(column: str, value: str) -> int:
    if value.isascii() and value.isdigit():
        return int(value)
    raise RowError(f"'{column}' is {shown(value)}, expected a whole number")


def optional_whole_number(column: str, value: str) -> int | None:
    return whole_number(column, value) if value else None


def year(column: str, value: str, last_year: int) -> int:
    if value.isascii() and value.isdigit() and FIRST_YEAR <= int(value) <= last_year:
        return int(value)
    raise RowError(
        f"'{column}' is {shown(value)}, expected a year from {FIRST_YEAR} to {last_year}"
    )


def year_list(column: str, value: str, last_year: int) -> tuple[int, ...]:
    """Read SIPRI's '2021; 2022; 2023' (empty when nothing is delivered), oldest first."""
    if not value:
        return ()
    try:
        years = [year(column, part.strip(), last_year) for part in value.split(";")]
    except RowError:
        expected = f"expected years from {FIRST_YEAR} to {last_year} like '2021; 2022'"
        raise RowError(f"'{column}' is {shown(value)}, {expected}") from None
    if len(set(years)) != len(years):
        raise RowError(f"'{column}' is {shown(value)}, which lists a year twice")
    return tuple(sorted(years))


def tiv(column: str, value: str) -> Decimal | None:
    """Read a TIV (millions, never negative); None when the field is empty."""
    if not value:
        return None
    if _TIV.fullmatch(value):
        return Decimal(value)
    raise RowError(f"'{column}' is {shown(value)}, expected a number like 0.25")


def question_flag(column: str, value: str) -> bool:
    """Read the unnamed column after `column`: '?' marks the value as SIPRI's estimate."""
    if value == "?":
        return True
    if not value:
        return False
    raise RowError(f"the column after '{column}' is {shown(value)}, expected '?' or nothing")


def yes_no(column: str, value: str) -> bool:
    if value == "Yes":
        return True
    if value == "No":
        return False
    raise RowError(f"'{column}' is {shown(value)}, expected Yes or No")


def text(column: str, value: str) -> str:
    if value:
        return value
    raise RowError(f"'{column}' is empty")


def party(column: str, value: str) -> Party:
    if not value.rstrip("*").strip():
        raise RowError(f"'{column}' is {shown(value)}, expected a country or actor")
    return _party(value)


@lru_cache(maxsize=2048)
def _party(value: str) -> Party:
    # Few hundred names repeat over tens of thousands of rows: build each Party once.
    if value.endswith("**"):
        return Party(value[:-2].rstrip(), "organisation")
    if value.endswith("*"):
        return Party(value[:-1].rstrip(), "non_state")
    if value.casefold() in _UNKNOWN_PARTIES:
        return Party(value, "unknown")
    return Party(value)


def column_indexes(
    header: list[str], names: dict[str, str], flags_after: tuple[str, ...], where: str
) -> dict[str, int]:
    """Map each key of `names` to the index of its column, found by name, not position.

    `flags_after` names columns that must be followed by an unnamed '?' column; its index is
    returned under the key `<key>?`. Raises InvalidInputError naming what is missing.
    """
    index = {name.strip().casefold(): i for i, name in reversed(list(enumerate(header)))}
    found: dict[str, int] = {}
    missing = []
    for key, name in names.items():
        if name.casefold() in index:
            found[key] = index[name.casefold()]
        else:
            missing.append(name)
    if missing:
        listed = ", ".join(f"'{name}'" for name in missing)
        raise InvalidInputError(f"{where} has no column {listed}")
    for key in flags_after:
        flag = found[key] + 1
        if flag >= len(header) or header[flag].strip():
            raise InvalidInputError(f"{where} has no unnamed '?' column after '{names[key]}'")
        found[key + "?"] = flag
    return found
