"""The status read from the typed tables equals the status folded from the log, for any
filter: the SQL and the Python meaning of every filter are the same."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tests.projections.test_laws import stories
from tracker.errors import DomainError
from tracker.projections.filters import SORTS, STATES, ContractFilter
from tracker.projections.reader import FoldedStates, TableStates
from tracker.service import views as reads
from tracker.service.app import Tracker

DAY = date(2026, 11, 24)

filters = st.builds(
    ContractFilter,
    buyer=st.sampled_from([None, "India", "Russia", "Nowhere"]),
    seller=st.sampled_from([None, "Russia", "Indo-Russia Rifles Pvt Ltd"]),
    country=st.sampled_from([None, "India", "Russia", "Turkey"]),
    system=st.sampled_from([None, "s", "AK-203", "s-400", "zz"]),
    search=st.sampled_from(
        [None, "note", "another", "S-400 system", "rifle", "xyz", "air def", "riumf", "Ot"]
    ),
    signed=st.sampled_from(
        [None, (date(2018, 1, 1), date(2018, 12, 31)), (date(2015, 1, 1), date(2021, 12, 31))]
    ),
    state=st.sampled_from([None, *STATES]),
    overdue=st.booleans(),
    sort=st.sampled_from(SORTS),
    limit=st.sampled_from([None, 1, 2]),
)


def both(tracker: Tracker, flt: ContractFilter, day: date) -> tuple[object, object]:
    tracker.level_projections()
    tables = reads.status_page(TableStates(tracker.engine), flt, None, day)
    folded = reads.status_page(FoldedStates(tracker.store), flt, None, day)
    return tables, folded


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(flt=filters, day=st.sampled_from([DAY, date(2019, 6, 1), date(2040, 1, 1)]))
def test_seeded_statuses_from_the_tables_equal_the_fold_for_any_filter(
    seeded: Tracker, flt: ContractFilter, day: date
) -> None:
    tables, folded = both(seeded, flt, day)
    assert tables == folded


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(story=stories(), flts=st.lists(filters, min_size=1, max_size=4))
def test_generated_statuses_from_the_tables_equal_the_fold_for_any_filter(
    tracker: Tracker, story, flts: list[ContractFilter]
) -> None:
    try:
        tracker.log([e for _, e in story], event_ids=[i for i, _ in story], actor="law")
    except DomainError:
        assume(False)
    for flt in flts:
        tables, folded = both(tracker, flt, date(2029, 1, 1))
        assert tables == folded


def test_the_filters_find_what_a_person_would_expect_in_the_seeds(seeded: Tracker) -> None:
    def refs(**kw: object) -> list[str]:
        found, _ = reads.status_page(TableStates(seeded.engine), ContractFilter(**kw), None, DAY)  # type: ignore[arg-type]
        return [s.ref for s in found]

    assert refs(system="s-400") == ["s400-india-2018"]
    assert refs(seller="Russian Federation") == ["ak200-india-2021-emergency", "s400-india-2018"]
    assert refs(country="Indo-Russia Rifles Pvt Ltd") == ["ak203-india-2021"]
    assert refs(state="completed") == ["ak200-india-2021-emergency"]


@pytest.fixture
def seeded(tracker: Tracker) -> Tracker:
    if tracker.store.head_position() == 0:
        tracker.seed()
    return tracker
