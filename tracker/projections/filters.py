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
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class ContractFilter:
    """Contracts whose buyer, seller, either party, system (a part of its name), words
    (each of them, as a part of a word or more, in system, description or notes),
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
        """The words --search looks for, folded to lower case."""
        return [w.casefold() for w in _WORD.findall(self.search or "")]

    def matches(self, status: ContractStatus, text: str) -> bool:
        """Whether ``status`` (with ``text``, its search text) passes the filter."""
        from tracker.domain.parties import party_id

        buyer, seller = party_id(status.buyer), party_id(status.seller)
        checks = (
            self.buyer is None or buyer == party_id(self.buyer),
            self.seller is None or seller == party_id(self.seller),
            self.country is None or party_id(self.country) in (buyer, seller),
            self.system is None or self.system.casefold() in status.system.casefold(),
            self.state is None or status.state == self.state,
            not self.overdue or status.overdue_milestones > 0,
            self.signed is None or _within(status, self.signed),
            all(w in text.casefold() for w in self.words),
        )
        return all(checks)


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
    from tracker.domain.dates import FuzzyDate

    when = FuzzyDate.parse(text)
    return (when.earliest or when.latest), when.latest


def _within(status: ContractStatus, window: tuple[date, date]) -> bool:
    signed = status.signed
    return (signed.earliest or signed.latest) >= window[0] and signed.latest <= window[1]
