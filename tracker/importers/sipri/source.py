"""Finding the header of a SIPRI export and reading its lines, whatever the preamble holds.

SIPRI writes ISO-8859-1. A line is decoded as UTF-8 when it is valid UTF-8 and as Latin-1
otherwise, so a copy re-saved as UTF-8 reads the same: Latin-1 text with accents is in
practice never valid UTF-8, and ASCII lines read the same either way.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from tracker.errors import InvalidInputError
from tracker.importers.sipri.model import Format, Scope, SipriRelease

SCAN_LINES = 100
_LONGEST_PREAMBLE_LINE = 1 << 16
_HEADERS: dict[str, Format] = {
    "recipient,supplier,": "register",
    "sipri at database id,": "by-delivery-year",
}
_GENERATED = re.compile(r"Data generated:\s*(\d{1,2})\s+([A-Za-z]{3})[a-z]*\.?\s+(\d{4})")
_YEAR_RANGE = re.compile(r"year range '?(\d{4})'?\s*(?:to|-)\s*'?(\d{4})")
_PARTIES = re.compile(r"arms from (.+?)\s+to (.+?)\s*\.\s+Deals", re.IGNORECASE)
_ALL = "all countries"
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
NOT_SIPRI = "is not a SIPRI Arms Transfers Database export"


def decode(raw: bytes) -> str:
    """One physical line as text, without its line end (LF or CRLF)."""
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError:
        line = raw.decode("latin-1")
    return line.rstrip("\r\n")


def scan(path: Path) -> tuple[SipriRelease, list[str]]:
    """Find the header row by its content; read the release from the lines before it.

    Raises InvalidInputError, naming the file, when it is not a SIPRI export.
    """
    try:
        with path.open("rb") as file:
            head = file.read(8192)
            if not head.strip():
                raise InvalidInputError(f"'{path}' is empty, not a SIPRI export")
            if b"\0" in head:
                raise InvalidInputError(
                    f"'{path}' {NOT_SIPRI}: it holds NUL bytes (binary or UTF-16),"
                    " not SIPRI's ISO-8859-1 text"
                )
            file.seek(0)
            preamble: list[str] = []
            for number in range(1, SCAN_LINES + 1):
                raw = file.readline(_LONGEST_PREAMBLE_LINE)
                if len(raw) == _LONGEST_PREAMBLE_LINE and not raw.endswith(b"\n"):
                    raise InvalidInputError(f"'{path}' {NOT_SIPRI}: line {number} is too long")
                line = decode(raw).lstrip("\ufeff")
                header = line.split(",")
                fmt = _format_of(line)
                if fmt is not None:
                    return _release(path, fmt, preamble, number), header
                preamble.append(line)
    except OSError as e:
        raise InvalidInputError(f"Cannot read '{path}': {e.strerror or e}") from e
    starts = " or ".join(f"'{start}'" for start in ("Recipient,Supplier,", "SIPRI AT Database ID,"))
    raise InvalidInputError(
        f"'{path}' {NOT_SIPRI}: no header row starting {starts} in its first {SCAN_LINES} lines"
    )


def lines_after(path: Path, header_line: int) -> Iterator[tuple[int, str]]:
    """Yield (1-based physical line number, text) for every line after the header."""
    try:
        with path.open("rb") as file:
            for number, raw in enumerate(file, start=1):
                if number > header_line:
                    yield number, decode(raw)
    except OSError as e:
        raise InvalidInputError(f"Cannot read '{path}': {e.strerror or e}") from e


def _format_of(line: str) -> Format | None:
    start = line.casefold()
    for prefix, fmt in _HEADERS.items():
        if start.startswith(prefix):
            return fmt
    return None


def _release(path: Path, fmt: Format, preamble: list[str], header_line: int) -> SipriRelease:
    text = "\n".join(preamble)
    years = _YEAR_RANGE.search(text)
    return SipriRelease(
        path=path,
        format=fmt,
        generated=_generated(text),
        year_range=(int(years[1]), int(years[2])) if years else None,
        header_line=header_line,
        scope=_scope(text, (int(years[1]), int(years[2])) if years else None),
    )


def _scope(text: str, years: tuple[int, int] | None) -> Scope | None:
    """The suppliers and recipients SIPRI's title line names ('from All countries to India')."""
    found = _PARTIES.search(text)
    if found is None:
        return None
    return Scope(_named(found[1]), _named(found[2]), years)


def _named(text: str) -> frozenset[str] | None:
    names = [name.strip() for name in text.replace(" and ", ";").split(";") if name.strip()]
    if not names or any(name.casefold() == _ALL for name in names):
        return None
    return frozenset(names)


def _generated(text: str) -> date | None:
    """The date in 'Data generated: 13 Mar 2025 10:02:49 AM' (English month names)."""
    found = _GENERATED.search(text)
    if found is None or found[2].casefold() not in _MONTHS:
        return None
    try:
        return date(int(found[3]), _MONTHS.index(found[2].casefold()) + 1, int(found[1]))
    except ValueError:
        return None


def parse_scope(text: str) -> Scope:
    """Read `--scope`: 'recipients=India', 'suppliers=Russia;France', 'years=1990-2023',
    joined by ','. Raises InvalidInputError saying what is expected."""
    values: dict[str, str] = {}
    for part in text.split(","):
        name, sep, value = part.partition("=")
        name = name.strip().casefold().rstrip("s")
        if not sep or name not in ("supplier", "recipient", "year") or not value.strip():
            raise InvalidInputError(
                f"--scope {text!r}: expected 'suppliers=NAME;NAME', 'recipients=NAME' or"
                " 'years=1990-2023', joined by ','"
            )
        values[name] = value.strip()
    years = None
    if "year" in values:
        found = re.fullmatch(r"(\d{4})\s*-\s*(\d{4})", values["year"])
        if found is None:
            raise InvalidInputError(f"--scope years {values['year']!r}: expected like 1990-2023")
        years = (int(found[1]), int(found[2]))
    return Scope(_listed(values.get("supplier")), _listed(values.get("recipient")), years)


def _listed(text: str | None) -> frozenset[str] | None:
    return frozenset(n.strip() for n in text.split(";") if n.strip()) if text else None
