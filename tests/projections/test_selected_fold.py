"""A fold of only the streams a filter can select answers as the fold of the whole log:
for any filter, named refs (prefixes too), world day and record time, on both engines."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tests.projections.test_laws import stories
from tests.projections.test_status_table import filters
from tracker.errors import DomainError, TrackerError
from tracker.projections.filters import ContractFilter
from tracker.projections.reader import FoldedStates, StateSource
from tracker.service import schedules
from tracker.service import views as reads
from tracker.service.app import Tracker

DAYS = st.sampled_from([date(2016, 6, 30), date(2019, 6, 1), date(2022, 12, 31), date(2040, 1, 1)])
REFS = st.sampled_from([None, ["s400"], ["ak2"], ["s400-india-2018", "ak203-india-2021"], ["zz"]])


def answers(source: StateSource, flt: ContractFilter, refs: list[str] | None, day: date):
    """The statuses and schedules of the contracts, or the error a person would see."""
    try:
        statuses = reads.status_page(source, flt, refs, day)
        plans = schedules.schedules_of(source, flt, refs, day)
    except TrackerError as e:
        return str(e)
    return statuses, plans


def restricted(tracker: Tracker, flt: ContractFilter, refs, day, known_at=None) -> FoldedStates:
    tracker.level_projections()
    axis = flt.record_axis if known_at is None else ContractFilter()
    return FoldedStates.selected(
        tracker.store,
        tracker.engine,
        reads.with_parties(axis),
        refs,
        as_of=day,
        known_at=known_at,
    )


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(flt=filters, refs=REFS, day=DAYS)
def test_seeded_answers_from_the_selected_streams_equal_the_whole_fold(
    seeded: Tracker, flt: ContractFilter, refs: list[str] | None, day: date
) -> None:
    whole = FoldedStates(seeded.store, as_of=day)
    assert answers(restricted(seeded, flt, refs, day), flt, refs, day) == answers(
        whole, flt, refs, day
    )


@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
@given(refs=REFS, day=DAYS, flt=filters)
def test_as_known_at_a_moment_the_selected_streams_equal_the_whole_fold(
    seeded: Tracker, refs: list[str] | None, day: date, flt: ContractFilter
) -> None:
    moment = datetime.now(UTC)  # everything the seeds logged
    whole = FoldedStates(seeded.store, as_of=day, known_at=moment)
    mine = restricted(seeded, flt, refs, day, known_at=moment)
    assert answers(mine, flt, refs, day) == answers(whole, flt, refs, day)


@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
@given(story=stories(), flts=st.lists(filters, min_size=1, max_size=3), day=DAYS)
def test_generated_answers_from_the_selected_streams_equal_the_whole_fold(
    tracker: Tracker, story, flts: list[ContractFilter], day: date
) -> None:
    try:
        tracker.log([e for _, e in story], event_ids=[i for i, _ in story], actor="law")
    except DomainError:
        assume(False)
    whole = FoldedStates(tracker.store, as_of=day)
    for flt in flts:
        assert answers(restricted(tracker, flt, None, day), flt, None, day) == answers(
            whole, flt, None, day
        )


def test_a_filter_folds_only_the_streams_it_can_select(seeded: Tracker) -> None:
    flt = ContractFilter(system="s-400")
    states = restricted(seeded, flt, None, date(2040, 1, 1)).states
    assert sorted(k for k in states if k.startswith("contract:")) == ["contract:s400-india-2018"]


@pytest.fixture
def seeded(tracker: Tracker) -> Tracker:
    if tracker.store.head_position() == 0:
        tracker.seed()
    return tracker
