"""Which contracts a read asks for: one filter, answered in SQL on the typed tables and in
Python on folded states, with the same meaning (tests compare the two).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from tracker.errors import InvalidInputError

if TYPE_CHECKING:
    from tracker.domain.views import ContractStatus

#: What --sort takes; every sort ends with the ref, so equal keys keep one order.
SORTS = ("ref", "signed", "buyer", "seller", "system", "delivered", "remaining", "state")
STATES = ("signed", "delivering", "completed", "cancelled", "withdrawn")
_YEARS = re.compile(r"^\s*(\d{4})\s*(?:(?:-|–|\.\.)\s*(\d{4}))?\s*$")
# A word is a run of letters and digits: what SQLite FTS5 (unicode61) and PostgreSQL (on the
# text with everything else blanked, see status_table) both index as one token.
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True, slots=True)
class ContractFilter:
    """Contracts whose buyer, seller, either party, system (a part of its name), words
    (each of them the beginning of a word of the system, description or notes: full-text
    search, so 'def' finds 'defence' and 'air defence' needs both words),
    signing (within the window), state and overdue milestones match; None matches
    anything. ``sort`` is one of SORTS; ``limit`` caps how many are returned.

    Parties are canonical names (``canonical_party``), compared by ``party_id``;
    ``signed`` is a closed window of days: a signing matches when its earliest day (its
    last, for a 'by' date) and its last day lie inside.
    """

    buyer: str | None = None
    seller: str | None = None
    country: str | None = None
    system: str | None = None
    search: str | None = None
    signed: tuple[date, date] | None = None
    state: str | None = None
    overdue: bool = False
    sort: str = "ref"
    limit: int | None = None

    @property
    def words(self) -> list[str]:
        """The words --search looks for, in lower case."""
        return words_of(self.search or "")

    @property
    def narrows(self) -> bool:
        """Whether any filter is set (sort and limit aside)."""
        return any(
            (self.buyer, self.seller, self.country, self.system, self.words, self.signed)
        ) or bool(self.state or self.overdue)

    @property
    def record_axis(self) -> ContractFilter:
        """The part of the filter every world date answers as today does: parties, system,
        words and signing (corrections are judgements about the record, and amendments
        change only quantity and value). A contract passing the whole filter as of any day
        passes this one now (notes only add words as days go by)."""
        return ContractFilter(
            buyer=self.buyer,
            seller=self.seller,
            country=self.country,
            system=self.system,
            search=self.search,
            signed=self.signed,
        )

    def matches(self, status: ContractStatus, text: str) -> bool:
        """Whether ``status`` (with ``text``, its search text) passes the filter."""
        from tracker.domain.values.parties import party_id

        buyer, seller = party_id(status.buyer), party_id(status.seller)
        checks = (
            self.buyer is None or buyer == party_id(self.buyer),
            self.seller is None or seller == party_id(self.seller),
            self.country is None or party_id(self.country) in (buyer, seller),
            self.system is None or self.system.casefold() in status.system.casefold(),
            self.state is None or status.state == self.state,
            not self.overdue or status.overdue_milestones > 0,
            self.signed is None or _within(status, self.signed),
            _found(self.words, words_of(text)),
        )
        return all(checks)


def words_of(text: str) -> list[str]:
    """The words of ``text`` as full-text search indexes them: letters and digits, lowered."""
    return _WORD.findall(text.lower())


def _found(wanted: list[str], words: list[str]) -> bool:
    return all(any(w.startswith(part) for w in words) for part in wanted)


def describe(flt: ContractFilter) -> list[str]:
    """The filter in words, for a report's subtitle ('contracts of India', ...)."""
    said = [
        f"contracts bought by {flt.buyer}" if flt.buyer else "",
        f"contracts sold by {flt.seller}" if flt.seller else "",
        f"contracts of {flt.country}" if flt.country else "",
        f"systems matching '{flt.system}'" if flt.system else "",
        f"contracts mentioning '{flt.search}'" if flt.words else "",
        _signed_words(flt.signed),
        f"contracts {flt.state}" if flt.state else "",
        "contracts with an overdue milestone" if flt.overdue else "",
    ]
    return [s for s in said if s]


def _signed_words(window: tuple[date, date] | None) -> str:
    if window is None:
        return ""
    first, last = window
    if (first.month, first.day, last.month, last.day) == (1, 1, 12, 31):
        years = str(first.year) if first.year == last.year else f"{first.year}-{last.year}"
        return f"contracts signed in {years}"
    return f"contracts signed {first.isoformat()} to {last.isoformat()}"


def sort_key(field: str, status: ContractStatus) -> tuple[object, ...]:
    """The Python twin of the SQL order: nulls last, text by code point, then the ref."""
    if field == "signed":
        return (status.signed.sort_key, status.ref)
    value = getattr(status, field)
    return (value is None, value if value is not None else 0, status.ref)


def signed_window(text: str) -> tuple[date, date]:
    """'2018' -> the year 2018; '2015-2020' -> 2015 to 2020; else any date people write."""
    found = _YEARS.match(text)
    if found:
        first, last = int(found[1]), int(found[2] or found[1])
        if last < first:
            raise InvalidInputError(f"Invalid --signed '{text}': {last} is before {first}")
        return date(first, 1, 1), date(last, 12, 31)
    from tracker.domain.values.dates import FuzzyDate

    when = FuzzyDate.parse(text)
    return (when.earliest or when.latest), when.latest


def _within(status: ContractStatus, window: tuple[date, date]) -> bool:
    signed = status.signed
    return (signed.earliest or signed.latest) >= window[0] and signed.latest <= window[1]
