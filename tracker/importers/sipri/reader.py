"""Reading a SIPRI export file: which release it is, then its deals one at a time."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from tracker.importers.sipri import by_year, register, source
from tracker.importers.sipri.model import BadRow, SipriDeal, SipriRelease

# Without a generation date, a year is only refused when it is plainly not a year of SIPRI data.
_LAST_YEAR_UNDATED = 2100


def read_release(
    path: str | os.PathLike[str],
) -> tuple[SipriRelease, Iterator[SipriDeal | BadRow]]:
    """Read a SIPRI Arms Transfers Database export (trade register or per delivery year).

    Returns the release at once and an iterator of its deals, in file order, with a BadRow
    for each row that cannot be read. The iterator opens the file when first advanced and
    holds one deal at a time. Raises InvalidInputError, naming the file, when the file
    cannot be read or is not a SIPRI export; a missing column is found before any row.

        release, rows = read_release("trade-register.csv")
        for row in rows:
            ...
    """
    file = Path(path)
    release, header = source.scan(file)
    where = f"'{file}': the header on line {release.header_line}"
    last_year = release.generated.year if release.generated else _LAST_YEAR_UNDATED
    # Generators: nothing below opens the file before the caller asks for the first row.
    lines = source.lines_after(file, release.header_line)
    if release.format == "register":
        columns = register.Columns.from_header(header, where)
        return release, register.deals(lines, columns, last_year)
    by_year_columns = by_year.Columns.from_header(header, where)
    return release, by_year.deals(lines, by_year_columns, last_year)
