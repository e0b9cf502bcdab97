"""A view as of a day read from the typed tables (AsOfStates: the contracts nothing after
the day touches from the tables, the others folded) answers as the fold of the whole log
trimmed to that day: for any filter, named refs, day and sort, on both engines."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tests.projections.test_laws import SOURCE, stories
from tests.projections.test_selected_fold import REFS, answers
from tests.projections.test_status_table import filters
from tracker.domain.events.catalogue import (
    ContractSigned,
    JointVentureEstablished,
    ProductionRecorded,
)
from tracker.errors import DomainError
from tracker.projections.as_of import AsOfStates
from tracker.projections.filters import ContractFilter
from tracker.projections.reader import FoldedStates
from tracker.service import views as reads
from tracker.service.app import Tracker
from tracker.store.records import RecordedEvent

# Any day, most of them inside a year that generated (year-dated) facts straddle.
DAYS = st.one_of(
    st.dates(date(2014, 1, 1), date(2032, 12, 31)),
    st.sampled_from([date(2016, 6, 30), date(2022, 12, 31), date(2040, 1, 1)]),
)


def tables(tracker: Tracker, day: date) -> AsOfStates:
    assert tracker.tables_current()
    return AsOfStates(tracker.store, tracker.engine, day)


def streamed(source: AsOfStates | FoldedStates, flt: ContractFilter, day: date) -> list:
    return list(reads.status_stream(source, flt, None, day))


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(flt=filters, refs=REFS, day=DAYS)
def test_seeded_views_as_of_a_day_from_the_tables_equal_the_whole_fold(
    seeded: Tracker, flt: ContractFilter, refs: list[str] | None, day: date
) -> None:
    whole = FoldedStates(seeded.store, as_of=day)
    mine = tables(seeded, day)
    assert answers(mine, flt, refs, day) == answers(whole, flt, refs, day)
    assert streamed(mine, flt, day) == streamed(whole, flt, day)


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    story=stories(),
    flts=st.lists(filters, min_size=1, max_size=3),
    days=st.lists(DAYS, min_size=1, max_size=3),
)
def test_generated_views_as_of_a_day_from_the_tables_equal_the_whole_fold(
    tracker: Tracker, story, flts: list[ContractFilter], days: list[date]
) -> None:
    try:
        tracker.log([e for _, e in story], event_ids=[i for i, _ in story], actor="law")
    except DomainError:
        assume(False)
    for day in days:
        whole = FoldedStates(tracker.store, as_of=day)
        mine = tables(tracker, day)
        for flt in flts:
            assert answers(mine, flt, None, day) == answers(whole, flt, None, day)
            assert streamed(mine, flt, day) == streamed(whole, flt, day)
        assert mine.refs("c") == whole.refs("c")
        assert mine.joint_ventures() == whole.joint_ventures()
        assert mine.agreements() == whole.agreements()


def test_only_the_contracts_something_after_the_day_touches_are_folded(seeded: Tracker) -> None:
    log = list(seeded.store.read_all())

    def moves(r: RecordedEvent) -> bool:
        """A correction that sets a date (or a joint venture): its stream is folded."""
        changed = r.payload["changes"] if r.event_type == "EventCorrected" else {}
        return bool({"occurred", "joint_venture"} & set(changed))

    def touched(day: date) -> set[str]:
        facts = [r for r in log if r.event_type not in ("EventCorrected", "EventRetracted")]
        found = {r.stream_id for r in facts if r.occurred.latest > day}
        found |= {r.stream_id for r in log if moves(r)}
        return {s for s in found if s.startswith("contract:")}

    assert "contract:s400-india-2018" in touched(date(2022, 12, 31))
    # By 2040 only undated facts (no source dates them) and rewritten streams are left.
    for day in (date(2022, 12, 31), date(2040, 1, 1)):
        assert tables(seeded, day).later == touched(day)


def test_a_contract_whose_joint_venture_reports_after_the_day_is_folded(tracker: Tracker) -> None:
    made, bought = "ak-jv", "plain"
    tracker.log(
        [
            JointVentureEstablished(
                reference="jv-x",
                name="X",
                partners={"A": 50, "B": 50},
                occurred="2019",
                sources=SOURCE,
            ),
            signed(made, joint_venture="jv-x"),
            signed(bought),
            ProductionRecorded(
                joint_venture="jv-x", contract=made, quantity=3, occurred="2023-05", sources=SOURCE
            ),
        ],
        actor="test",
    )
    day = date(2022, 6, 1)
    assert tables(tracker, day).later == {f"contract:{made}"}
    whole = FoldedStates(tracker.store, as_of=day)
    flt = ContractFilter()
    assert answers(tables(tracker, day), flt, None, day) == answers(whole, flt, None, day)


def signed(ref: str, joint_venture: str | None = None) -> ContractSigned:
    return ContractSigned(
        reference=ref,
        system="S",
        buyer="India",
        seller="Russia",
        quantity=5,
        unit="system",
        occurred="2020",
        sources=SOURCE,
        joint_venture=joint_venture,
    )


@pytest.fixture
def seeded(tracker: Tracker) -> Tracker:
    if tracker.store.head_position() == 0:
        tracker.seed()
        tracker.level_projections()
    return tracker
