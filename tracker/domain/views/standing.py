"""Where a contract stands on any day: the part of its status that no day changes.

The read models' writer keeps, per contract, what ``contract_status`` gives whatever the
day (ordered, delivered, value, stage, last delivery, next milestone, the reports) and none
of what the day decides (overdue milestones, the judged schedule). It works the running
totals and the milestone matches out once per state for several tables; ``standing``
takes them as they are, and builds no status, schedule or milestone view: the values are
those ``contract_status`` gives (tests/projections/test_standing.py holds them to it).
"""

from __future__ import annotations

from typing import NamedTuple

from tracker.domain.events.contract_events import SipriRecord
from tracker.domain.figures import contracts
from tracker.domain.figures.contracts import MilestoneTrack
from tracker.domain.figures.ledger import Step
from tracker.domain.rules.milestone_match import Fulfilment
from tracker.domain.state.state import ContractState
from tracker.domain.values.dates import FuzzyDate
from tracker.domain.values.estimates import Estimate
from tracker.domain.values.money import Money
from tracker.domain.views.status import (
    ContractStage,
    NextMilestone,
    QuantityReport,
    ValueReport,
    _last_delivery,
    _quantity_reports,
    _release,
    _stage,
    _value_reports,
)


class Standing(NamedTuple):
    """The fields of a ContractStatus that hold on every day, by the same names (a plain
    tuple: one is made per contract written)."""

    ordered: int | None
    delivered: int
    delivered_estimate: Estimate | None
    remaining: int | None
    value: Money | None
    value_reports: tuple[ValueReport, ...]
    quantity_reports: tuple[QuantityReport, ...]
    state: ContractStage
    last_delivery: FuzzyDate | None
    next_milestone: NextMilestone | None
    sipri: SipriRecord | None
    sipri_release: str | None


def standing(
    state: ContractState,
    steps: list[Step],
    tracks: list[MilestoneTrack],
    filled: dict[str, Fulfilment],
) -> Standing:
    """``state``'s standing; ``steps``: its ``deliveries``, ``tracks``: its ``milestones``
    (no production start), ``filled``: ``fulfilment(state, steps)``."""
    signing = state.contract
    ordered = contracts.ordered(state)
    delivered = steps[-1].total if steps else 0
    # The schedule's first milestone not delivered (contract_status's next milestone).
    due = next((t for t in tracks if filled[t.label].completed is None), None)
    return Standing(
        ordered=ordered,
        delivered=delivered,
        delivered_estimate=steps[-1].tally.estimate() if steps else None,
        remaining=None if ordered is None else max(ordered - delivered, 0),
        value=contracts.value(state),
        value_reports=_value_reports(state),
        quantity_reports=_quantity_reports(state),
        state=_stage(state, ordered, delivered),
        last_delivery=_last_delivery(state, steps),
        next_milestone=None if due is None else NextMilestone(label=due.label, due=due.due),
        sipri=signing.sipri,
        sipri_release=_release(signing),
    )
