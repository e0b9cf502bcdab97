"""Views as pure functions of state and today: schedule, status, production, agreements."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from tests.unit import factories as f
from tests.unit.factories import Log
from tracker.domain.state.state import AgreementState, ContractState, JointVentureState
from tracker.domain.values.estimates import Tally
from tracker.domain.views import (
    agreement_view,
    contract_status,
    contract_status_with,
    produced_for,
    production,
    schedule,
    timeline_entries,
)


def _contract(log: Log) -> ContractState:
    state = log.state()
    assert isinstance(state, ContractState)
    return state


def _two_milestones(log: Log) -> None:
    log.append(f.contract_signed(quantity=4))
    log.append(
        f.delivery_scheduled(
            milestones=(f.milestone("lot 2", 2, "2022-12"), f.milestone("lot 1", 2, "2022-06"))
        )
    )


def test_a_milestone_delivered_after_its_due_date_is_late_by_months() -> None:
    log = Log()
    _two_milestones(log)
    log.append(f.delivery_recorded(occurred="2023-01", quantity=2, label="lot 1"))
    lot1 = schedule(_contract(log), date(2023, 2, 1)).milestones[0]
    assert (lot1.label, lot1.state, lot1.slip_days, lot1.slip_words) == (
        "lot 1",
        "late",
        215,
        "7 months late",
    )
    assert str(lot1.delivered) == "2023-01"


def test_unlabelled_deliveries_fill_milestones_in_due_date_order() -> None:
    log = Log()
    _two_milestones(log)
    log.append(f.delivery_recorded(occurred="2022-05", quantity=3, label=None))
    view = schedule(_contract(log), date(2022, 7, 1))
    assert [(m.label, m.delivered_quantity, m.state) for m in view.milestones] == [
        ("lot 1", 2, "on time"),
        ("lot 2", 1, "pending"),
    ]


def test_a_labelled_delivery_fills_only_its_own_milestone() -> None:
    log = Log()
    _two_milestones(log)
    # The rules now refuse a labelled delivery beyond its milestone; an older log may hold one.
    log.record(f.delivery_recorded(occurred="2022-05", quantity=3, label="lot 2"))
    view = schedule(_contract(log), date(2022, 7, 1))
    assert [(m.label, m.delivered_quantity) for m in view.milestones] == [
        ("lot 1", 0),
        ("lot 2", 2),
    ]


def test_an_undelivered_milestone_past_its_due_date_is_overdue_by_days_then_months() -> None:
    log = Log()
    _two_milestones(log)
    soon = schedule(_contract(log), date(2022, 7, 12)).milestones[0]
    later = schedule(_contract(log), date(2023, 8, 15)).milestones[0]
    assert (soon.state, soon.slip_days, soon.slip_words) == ("overdue", 12, "12 days overdue")
    assert later.slip_words == "1 year 1 month overdue"


def test_a_cancelled_contract_shows_cancelled_everywhere() -> None:
    log = Log()
    _two_milestones(log)
    log.append(f.contract_cancelled(occurred="2022-03"))
    state = _contract(log)
    assert contract_status(state, None, date(2024, 1, 1)).state == "cancelled"
    assert {m.state for m in schedule(state, date(2024, 1, 1)).milestones} == {"cancelled"}


def test_a_completed_contract_has_nothing_remaining() -> None:
    log = Log()
    _two_milestones(log)
    log.append(
        f.delivery_recorded(occurred="2022-06", quantity=None, cumulative_total=4, label=None)
    )
    status = contract_status(_contract(log), None, date(2023, 1, 1))
    assert (status.state, status.remaining, status.percent, status.next_milestone) == (
        "completed",
        0,
        Decimal("100.0"),
        None,
    )


def test_contract_status_dumps_to_json_with_stable_keys() -> None:
    log = Log()
    log.append(f.contract_signed())
    dumped = contract_status(_contract(log), None, date(2019, 1, 1)).model_dump(mode="json")
    assert list(dumped) == [
        "ref", "system", "description", "buyer", "seller", "signed", "ordered", "delivered",
        "produced", "remaining", "unit", "percent", "value", "value_reports", "value_range",
        "quantity_reports", "state", "last_delivery", "next_milestone", "overdue_milestones",
        "as_of", "delivered_estimate", "produced_estimate", "sipri", "sipri_release",
    ]  # fmt: skip
    assert (dumped["percent"], dumped["signed"], dumped["state"]) == ("0.0", "2018-10-05", "signed")


# --- AK-203 production ------------------------------------------------------------------


def _ak203() -> Log:
    log = Log(today=date(2025, 8, 1))
    log.append(f.jv_established())
    log.append(f.ak203_signed())
    log.append(f.production_recorded(occurred="2024-05-20", cumulative_total=27000))
    log.append(f.production_recorded(occurred="2024-07-06", cumulative_total=35000))
    log.append(
        f.production_recorded(
            occurred="2025-07-17", cumulative_total=47516, indigenisation_percent=Decimal(50)
        )
    )
    return log


def test_production_gives_running_totals_rate_and_projection() -> None:
    log = _ak203()
    jv = log.state("jv:irrpl")
    assert isinstance(jv, JointVentureState)
    view = production(jv, {"ak203-india-2021": 601427}, date(2025, 8, 1))
    rifles = view.contracts[0]
    assert [(str(p.date), p.output, p.cumulative) for p in rifles.points] == [
        ("2024-05-20", 27000, 27000),
        ("2024-07-06", 8000, 35000),
        ("2025-07-17", 12516, 47516),
    ]
    # No start of production is known: the first report stays in its year. 12,516 over
    # 376 days: 178 in 2024 (5,925.4), 198 in 2025 (6,590.6 -> 6,591).
    assert rifles.by_year == {2024: 35000 + 5925, 2025: 6591}
    assert rifles.indigenisation_percent == Decimal(50)
    # 12,516 rifles in 376 days: 1,013.2 a month, shown whole; 553,911 to go takes 16,641
    # more days.
    assert rifles.rate_per_month == 1013
    assert rifles.projected_completion == date(2071, 2, 7)
    assert (rifles.complete, rifles.days_since_last_report) == (False, 15)


def test_contract_status_counts_what_the_joint_venture_produced() -> None:
    log = _ak203()
    contract = log.state("contract:ak203-india-2021")
    jv = log.state("jv:irrpl")
    assert produced_for([jv], "ak203-india-2021") == Tally(47516, 47516, 47516)
    assert produced_for([jv], "s400-india-2018") is None
    status = contract_status_with(contract, [jv], date(2025, 8, 1))
    assert (status.produced, status.delivered, status.ordered) == (47516, 0, 601427)


# --- agreements and timeline ------------------------------------------------------------


def test_an_agreement_is_in_force_within_its_window_and_extensions_move_it() -> None:
    log = Log(today=date(2030, 12, 1))
    log.append(f.agreement_signed())
    state = log.state("agreement:india-russia-mtc-2021")
    assert isinstance(state, AgreementState)
    assert agreement_view(state, date(2020, 6, 1)).state == "not yet in force"
    assert agreement_view(state, date(2025, 6, 1)).state == "in force"
    assert agreement_view(state, date(2032, 1, 1)).state == "expired"
    log.append(f.agreement_extended(valid_to="2041"))
    extended = agreement_view(log.state("agreement:india-russia-mtc-2021"), date(2032, 1, 1))
    assert (extended.state, str(extended.valid_to)) == ("in force", "2041")
    assert [str(e.valid_to) for e in extended.extensions] == ["2041"]


def test_the_timeline_keeps_fixed_events_and_flags_them() -> None:
    log = Log()
    log.append(f.contract_signed())
    log.append(f.delivery_recorded(quantity=1), "d1")
    log.append(f.delivery_recorded(occurred="2022", quantity=1, label="squadron 2"), "d2")
    log.append(f.event_corrected(occurred="2022-02", target_event_id="d1", changes={"quantity": 2}))
    log.append(f.event_retracted(occurred="2023", target_event_id="d2"))
    entries = {e.event_id: e for e in timeline_entries(log.records)}
    first = entries["d1"]
    assert (first.corrected, first.retracted) == (True, False)
    # The entry says what the record says now; what it said first travels with it.
    assert first.summary == "Delivered 2 squadrons (squadron 1) under s400-india-2018"
    assert first.original_summary == "Delivered 1 squadron (squadron 1) under s400-india-2018"
    [fix] = first.fixes
    assert (fix.kind, str(fix.date), [(c.field, c.old, c.new) for c in fix.changes]) == (
        "corrected",
        "2022-02",
        [("quantity", "1", "2")],
    )
    second = entries["d2"]
    assert (second.retracted, second.original_summary) == (True, None)
    assert [(f.kind, str(f.date)) for f in second.fixes] == [("retracted", "2023")]
    # The fixes are shown on their targets, not as entries of their own.
    assert [e.type for e in timeline_entries(log.records)] == [
        "ContractSigned",  # 2018-10-05
        "DeliveryRecorded",  # 2021-12
        "DeliveryRecorded",  # 2022
    ]


def test_a_corrected_date_moves_the_entry_and_the_as_of_cut_uses_it() -> None:
    log = Log()
    log.append(f.contract_signed())
    log.append(f.delivery_recorded(occurred="2021", quantity=1), "d1")
    log.append(f.delivery_recorded(occurred="2023", quantity=1, label="squadron 2"), "d2")
    log.append(
        f.event_corrected(occurred="2024", target_event_id="d1", changes={"occurred": "2023-06"})
    )
    log.append(
        f.event_corrected(occurred="2024", target_event_id="d2", changes={"occurred": "2021"})
    )
    entries = timeline_entries(log.records)
    assert [(e.event_id, str(e.date), str(e.original_date)) for e in entries[1:]] == [
        ("d2", "2021", "2023"),
        ("d1", "2023-06", "2021"),
    ]
    as_of_2021 = timeline_entries(log.records, date(2021, 12, 31))
    assert [e.event_id for e in as_of_2021[1:]] == ["d2"]
