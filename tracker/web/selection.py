"""The deals a page lists: the service filters and sorts; this module pages and facets.

``Tracker.contracts`` answers the filter (buyer, seller, system, words, signing year,
state) and the sort. What the service does not take yet is done here, in ``select`` only:
descending order, the page window and the facet counts, all over the service's answer,
which is kept per filter and log head, so the next page of a filter costs little.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tracker.errors import InvalidInputError
from tracker.projections.filters import SORTS, STATES, ContractFilter, signed_window
from tracker.web.cache import Kept, head
from tracker.web.query import MAX_PER_PAGE, BadParameterError, When, choice, whole

if TYPE_CHECKING:
    from tracker.domain.views import ContractStatus
    from tracker.service.app import Tracker

#: The facets the deals page counts, in the order it shows them.
FACETS = ("buyer", "seller", "system", "state", "year")
#: The filter parameters; ``q`` is the search, ``year`` the signing year(s).
FILTERS = ("buyer", "seller", "system", "state", "year", "q")
PARAMS = (*FILTERS, "sort", "desc", "page", "per")
PER_PAGE = 50
FACET_VALUES = 12


@dataclass(frozen=True, slots=True)
class Selection:
    """One page of the deals passing the filter, how many pass, and the facet counts."""

    rows: list[ContractStatus]
    total: int
    page: int
    pages: int
    per: int
    facets: dict[str, list[tuple[str, int]]]
    chosen: dict[str, str]


def contract_filter(params: Mapping[str, str]) -> ContractFilter:
    """The service's filter for the page's parameters; a bad one names itself."""
    given = {k: params[k].strip() for k in FILTERS if params.get(k, "").strip()}
    for party in ("buyer", "seller"):
        if party in given:
            _check_party(party, given[party])
    signed = None
    if "year" in given:
        try:
            signed = signed_window(given["year"])
        except (InvalidInputError, ValueError) as e:
            raise BadParameterError("year", str(e)) from e
    return ContractFilter(
        buyer=given.get("buyer"),
        seller=given.get("seller"),
        system=given.get("system"),
        search=given.get("q"),
        signed=signed,
        state=choice(params, "state", STATES),
        sort=choice(params, "sort", SORTS) or "ref",
    )


def select(tracker: Tracker, params: Mapping[str, str], when: When) -> Selection:
    """The page of deals ``params`` asks for, seen ``when``."""
    flt = contract_filter(params)
    descending = choice(params, "desc", ("0", "1")) == "1"
    per = whole(params, "per", PER_PAGE, 1, MAX_PER_PAGE)
    page = whole(params, "page", 1, 1, 1_000_000)
    found, total, facets = _answer(tracker, flt, when)
    if descending:
        found = found[::-1]
    pages = max(1, -(-total // per))
    if page > pages:
        raise BadParameterError("page", f"there are {pages} pages of {per}")
    chosen = {k: params[k].strip() for k in PARAMS if params.get(k, "").strip()}
    rows = found[(page - 1) * per : page * per]
    return Selection(rows, total, page, pages, per, facets, chosen)


Answer = tuple[list["ContractStatus"], int, dict[str, list[tuple[str, int]]]]
#: Every deal passing a filter, with its facets, kept for the other pages of that filter.
#: Bounded by the deals held in all (a few kB each); larger answers are not kept.
_KEPT: Kept[Answer] = Kept(40_000, lambda a: len(a[0]) + 1, largest=20_000)


def _answer(tracker: Tracker, flt: ContractFilter, when: When) -> Answer:
    """The deals passing ``flt`` seen ``when``, their count and facets; kept per log head
    and day (the states 'late' and 'overdue' follow the day)."""

    def ask() -> Answer:
        found, total = tracker.contracts(flt, as_of=when.as_of, known_at=when.known_at)
        return found, total, facet_counts(found)

    key = (flt, when.as_of, when.known_at, head(tracker), tracker.today())
    return _KEPT.get(key, ask)


def everything(tracker: Tracker, params: Mapping[str, str], when: When) -> list[ContractStatus]:
    """Every deal passing the filter, in the page's order (for the CSV and JSON links)."""
    found, _, _ = _answer(tracker, contract_filter(params), when)
    return found[::-1] if choice(params, "desc", ("0", "1")) == "1" else list(found)


def facet_counts(rows: list[ContractStatus]) -> dict[str, list[tuple[str, int]]]:
    """For each facet, its commonest values among ``rows`` with their counts."""
    values = {
        "buyer": (s.buyer for s in rows),
        "seller": (s.seller for s in rows),
        "system": (s.system for s in rows),
        "state": (s.state for s in rows),
        "year": (str((s.signed.earliest or s.signed.latest).year) for s in rows),
    }
    return {name: Counter(found).most_common(FACET_VALUES) for name, found in values.items()}


def _check_party(name: str, text: str) -> None:
    from tracker.domain.values.parties import canonical_party

    try:
        canonical_party(text)
    except (InvalidInputError, ValueError) as e:
        raise BadParameterError(name, str(e)) from e
