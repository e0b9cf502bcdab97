"""The read models' writer works each contract's figures out once, and gives what the plain
way gives (issue #14, the writer's cost per contract):

* a contract's standing (from running totals and milestone matches worked out once, with
  no view built) holds the values contract_status gives, on any day;
* its typed rows equal those built the plain way (a status row from contract_status, each
  table's rows on their own, as they were written before), key order included: the audit
  names the first column that differs;
* a date's texts, cached per date value, are ``str`` and ``column_precision`` of every form;
* running totals with cached exact figures equal those summed from ``figure_of``.

Contracts: hand-built ones that reach every branch (amendments, cancellation, figures in two
currencies, milestones filled or not, relative due dates, undated, planned, estimated,
cumulative and unknown-size deliveries, a withdrawal), the S-400 story, and the seeded
story with both SIPRI fixtures.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.projections.plain_rows import plain_rows, status_row
from tests.projections.test_fast_writes import contract_states, story
from tests.unit import factories as f
from tests.unit.factories import Log
from tests.unit.s400 import s400_state
from tracker.domain.events.event_base import figure_of
from tracker.domain.figures import contracts
from tracker.domain.figures.ledger import running_totals
from tracker.domain.rules.milestone_match import fulfilment
from tracker.domain.state.state import ContractState
from tracker.domain.values.date_columns import column_precision
from tracker.domain.values.dates import FuzzyDate
from tracker.domain.values.estimates import ZERO
from tracker.domain.values.money import Money
from tracker.domain.views.standing import Standing, standing
from tracker.domain.views.status import contract_status
from tracker.projections import derive
from tracker.service.app import Tracker

DAYS = (date(2000, 1, 1), date(2022, 7, 1), date(2100, 1, 1))


def built() -> list[ContractState]:
    """Contracts that reach every branch of a status, logged without the rules' checks."""
    found = []
    for events in _logs():
        log = Log()
        for event in events:
            log.record(event)
        found.append(log.state())
    return found


def _logs() -> list[list[Any]]:
    lots = (f.milestone("lot 2", 2, "2022-12"), f.milestone("lot 1", 2, "2022-06~"))
    relative = (f.milestone("lot 3", 1, "+18 months after signing"),)
    note = {"subject": f"contract:{f.REF}"}
    return [
        [
            f.contract_signed(quantity=4),
            f.delivery_scheduled(milestones=lots + relative),
            f.delivery_recorded(occurred="2022-05", quantity=3, label=None),
            f.schedule_revised(milestone="lot 2", due="by 2024", quantity=1),
        ],
        [
            f.contract_signed(value=None, quantity=None, occurred="2019~"),
            f.delivery_recorded(occurred="unknown", quantity=None, size_unknown=True, label=None),
            f.delivery_recorded(occurred="2021/2022", quantity=2, label=None),
        ],
        [
            f.contract_signed(),
            f.contract_amended(value=Money.parse("USD 6bn")),
            f.contract_amended(occurred="2019-01", quantity=7),
            f.figure_reported(),
            f.figure_reported(value=Money.parse("EUR 4bn")),
            f.figure_reported(figure="quantity", value=None, quantity=5, sources=(f.source(),)),
            f.figure_reported(figure="quantity", value=None, quantity=6),
            f.delivery_recorded(occurred="2021-12", quantity="~2", label=None),
            f.delivery_recorded(occurred="2022", quantity=None, cumulative_total="over 4"),
            f.delivery_recorded(occurred="2023", quantity=1, confidence="planned", label=None),
        ],
        [
            f.contract_signed(quantity=2),
            f.delivery_scheduled(milestones=lots[:1]),
            f.delivery_recorded(occurred="2022-Q3", quantity=2, label="lot 2"),
            f.contract_cancelled(),
        ],
        [
            f.contract_signed(),
            f.delivery_recorded(label=None),
            f.event_retracted(target_event_id="e1"),
        ],
        [
            f.contract_signed(quantity=3, description=None),
            f.delivery_recorded(quantity=None, cumulative_total=3, label=None),
            f.note_recorded(**note, text="a note", occurred="2022"),
        ],
        [f.contract_signed(), f.note_recorded(**note, text="two\nlines")],
    ]


def every_state(tracker: Tracker) -> list[ContractState]:
    states = [*built(), *contract_states(story(tracker))]
    s400 = s400_state()
    return [*states, s400] if isinstance(s400, ContractState) else states


@pytest.fixture
def states(sqlite_tracker: Tracker) -> list[ContractState]:
    return every_state(sqlite_tracker)


def test_the_built_contracts_reach_every_branch() -> None:
    states = built()
    statuses = [contract_status(s, None, DAYS[0]) for s in states]
    stages = {"signed", "delivering", "completed", "cancelled", "withdrawn"}
    assert {s.state for s in statuses} == stages
    assert any(s.next_milestone for s in statuses) and any(s.delivered_estimate for s in statuses)
    assert any(len(s.value_range) > 1 for s in statuses) and any(s.amendments for s in states)
    assert any(len(s.quantity_reports) > 1 for s in statuses)
    assert any(contracts.unknown_size(s) for s in states)


def test_a_standing_holds_what_contract_status_gives_on_any_day(
    states: list[ContractState],
) -> None:
    for state in states:
        steps = contracts.deliveries(state)
        tracks = contracts.milestones(state)
        got = standing(state, steps, tracks, fulfilment(state, steps) if tracks else {})
        for day in DAYS:
            status = contract_status(state, None, day)
            assert got == Standing(*(getattr(status, name) for name in Standing._fields))


def test_the_typed_rows_equal_the_rows_built_the_plain_way(states: list[ContractState]) -> None:
    for state in states:
        rows = derive.contract_rows(state)
        plain = plain_rows(state)
        assert {name: _items(r) for name, r in rows.items()} == {
            name: _items(r) for name, r in plain.items()
        }
        status = contract_status(state, None, DAYS[1])
        assert _items([derive.status_row(state, status)]) == _items([status_row(state, status)])


def test_a_dates_cached_texts_are_its_own(states: list[ContractState]) -> None:
    forms = ["2021-12-06", "2021-12", "2021-Q4", "2021-H2", "late 2021", "2021", "2021~"]
    forms += ["2021?", "2021%", "by 2023", "by 2023-06~", "2026/2027", "2026-01~/2026-03~"]
    forms += ["unknown", "+32 months after production start", "+1 month after signing"]
    dates = [FuzzyDate.parse(text) for text in forms]
    dates += [FuzzyDate.unknown(date(2023, 2, 14)), FuzzyDate.year(2021).noted("; a note")]
    for state in states:
        dates += [fact.event.occurred for fact in state.deliveries]
    for _ in range(2):  # cached the second time
        for d in dates:
            assert derive._texts(d) == (str(d), column_precision(d))


def test_running_totals_with_cached_figures_equal_those_summed_from_figure_of(
    states: list[ContractState],
) -> None:
    for state in states:
        facts = [x for x in state.deliveries if running_totals([x])]  # counted ones
        facts.sort(key=lambda x: x.world_order)
        total, plain = ZERO, []
        for fact in facts:
            cumulative = fact.event.cumulative_total is not None
            figure = figure_of(fact.event, "cumulative_total" if cumulative else "quantity")
            assert figure is not None
            after = total.then(figure, cumulative=cumulative)
            plain.append((fact.event_id, after.best - total.best, after, figure.exact))
            total = after
        got = running_totals(list(state.deliveries))
        assert [(s.event_id, s.increment, s.tally, s.as_written is None) for s in got] == plain


def _items(rows: list[dict[str, Any]]) -> list[list[tuple[str, Any]]]:
    return [list(row.items()) for row in rows]
