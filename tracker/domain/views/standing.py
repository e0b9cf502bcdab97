"""Where a contract stands on any day: the part of its status that no day changes.

The read models' writer keeps, per contract, what ``contract_status`` gives whatever the
day (ordered, delivered, value, stage, last delivery, next milestone, the reports) and none
of what the day decides (overdue milestones, the judged schedule). It works the running
totals and the milestone matches out once per state for several tables; ``standing``
takes them as they are, and builds no status, schedule or milestone view: the values are
those ``contract_status`` gives (tests/projections/test_standing.py holds them to it).
"""

from __future__ import annotations

from tracker.domain.figures.contracts import MilestoneTrack
from tracker.domain.figures.ledger import Step
from tracker.domain.rules.milestone_match import Fulfilment
from tracker.domain.state.state import ContractState
from tracker.domain.views.status import NextMilestone, Standing, standing_of

__all__ = ["Standing", "standing"]


def standing(
    state: ContractState,
    steps: list[Step],
    tracks: list[MilestoneTrack],
    filled: dict[str, Fulfilment],
) -> Standing:
    """``state``'s standing; ``steps``: its ``deliveries``, ``tracks``: its ``milestones``
    (no production start), ``filled``: ``fulfilment(state, steps)``."""
    # The schedule's first milestone not delivered (contract_status's next milestone).
    due = next((t for t in tracks if filled[t.label].completed is None), None)
    return standing_of(
        state, steps, None if due is None else NextMilestone(label=due.label, due=due.due)
    )
