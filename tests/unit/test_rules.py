"""Every rule, with the exact message the user sees; nothing here touches a database."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.unit import factories as f
from tests.unit.factories import Log
from tracker.domain.events.catalogue import DeliveryRecorded, JointVentureEstablished, build_event
from tracker.domain.events.event_base import DomainEvent
from tracker.domain.values.money import Money
from tracker.errors import DomainError, InvalidInputError


def refused(log: Log, event: DomainEvent) -> str:
    with pytest.raises(DomainError) as caught:
        log.append(event)
    return str(caught.value)


@pytest.fixture
def log() -> Log:
    """The S-400 contract (5 squadrons) with its five-milestone schedule."""
    log = Log(today=date(2026, 1, 15))
    log.append(f.contract_signed(), "signed")
    log.append(f.delivery_scheduled(), "schedule")
    return log


@pytest.fixture
def delivered3(log: Log) -> Log:
    log.append(f.delivery_recorded(occurred="2021-12", label="squadron 1"), "sq1")
    log.append(f.delivery_recorded(occurred="2022", label="squadron 2"), "sq2")
    log.append(f.delivery_recorded(occurred="2023", label="squadron 3"), "sq3")
    return log


# --- the contract must exist ------------------------------------------------------------


@pytest.mark.parametrize(
    "event",
    [
        f.delivery_recorded(contract="s400-india-2019"),
        f.contract_amended(contract="s400-india-2019"),
        f.contract_cancelled(contract="s400-india-2019"),
        f.figure_reported(contract="s400-india-2019"),
        f.delivery_scheduled(contract="s400-india-2019"),
        f.schedule_revised(contract="s400-india-2019"),
        f.note_recorded(subject="contract:s400-india-2019"),
    ],
    ids=lambda e: e.type,
)
def test_events_about_an_unknown_contract_are_rejected(log: Log, event: DomainEvent) -> None:
    assert refused(log, event) == "No contract 's400-india-2019'"


def test_production_for_an_unknown_contract_is_rejected(log: Log) -> None:
    log.append(f.jv_established())
    event = f.production_recorded(contract="s400-india-2019")
    assert refused(log, event) == "No contract 's400-india-2019'"


def test_a_contract_cannot_be_signed_twice(log: Log) -> None:
    assert refused(log, f.contract_signed()) == "Contract 's400-india-2018' already exists"


def test_a_contract_signed_after_notes_about_it_is_accepted() -> None:
    log = Log()
    log.record(f.note_recorded(subject="contract:s400-india-2018", occurred="2018-10-03"))
    log.append(f.contract_signed())
    assert log.state().notes[0].event.text == "CAATSA enacted"


def test_a_retracted_signing_leaves_no_contract(log: Log) -> None:
    log.append(f.event_retracted(target_event_id="signed"))
    assert refused(log, f.delivery_recorded()) == "No contract 's400-india-2018'"


# --- deliveries -------------------------------------------------------------------------


def test_delivery_beyond_ordered_quantity_is_rejected(delivered3: Log) -> None:
    event = f.delivery_recorded(occurred="2025-06", quantity=3, label=None)
    assert refused(delivered3, event) == (
        "Delivery of 3 squadrons to s400-india-2018 would bring delivered to 6, above the 5 ordered"
    )


def test_a_cumulative_total_beyond_ordered_is_rejected(delivered3: Log) -> None:
    event = f.delivery_recorded(occurred="2025-06", quantity=None, cumulative_total=7, label=None)
    assert refused(delivered3, event) == (
        "Delivery of 4 squadrons to s400-india-2018 would bring delivered to 7, above the 5 ordered"
    )


def test_delivery_up_to_the_amended_quantity_is_accepted(delivered3: Log) -> None:
    delivered3.append(f.contract_amended(occurred="2024-01", quantity=6))
    delivered3.append(f.delivery_recorded(occurred="2025-06", quantity=3, label=None))
    event = f.delivery_recorded(occurred="2025-07", quantity=1, label=None)
    assert refused(delivered3, event) == (
        "Delivery of 1 squadron to s400-india-2018 would bring delivered to 7, above the 6 ordered"
    )


def test_a_cumulative_total_never_goes_down(delivered3: Log) -> None:
    event = f.delivery_recorded(occurred="2024", quantity=None, cumulative_total=2, label=None)
    assert refused(delivered3, event) == (
        "Cumulative delivered for s400-india-2018 cannot go down: 2 reported for 2024 after 3"
    )


def test_a_backdated_increment_under_a_later_cumulative_total_is_accepted(log: Log) -> None:
    log.append(
        f.delivery_recorded(occurred="2022-06", quantity=None, cumulative_total=2, label=None)
    )
    # part of the 2 by 2022-06
    log.append(f.delivery_recorded(occurred="2021-12", quantity=1, label=None))


def test_a_backdated_total_above_a_later_total_is_rejected(log: Log) -> None:
    log.append(
        f.delivery_recorded(occurred="2022-06", quantity=None, cumulative_total=2, label=None)
    )
    event = f.delivery_recorded(occurred="2022-03", quantity=None, cumulative_total=3, label=None)
    assert refused(log, event) == (
        "Cumulative delivered for s400-india-2018 cannot go down: 2 reported for 2022-06 after 3"
    )


def test_nothing_is_delivered_before_the_contract_was_signed(log: Log) -> None:
    event = f.delivery_recorded(occurred="2018-09")
    assert refused(log, event) == (
        "Delivery to s400-india-2018 dated 2018-09 is before the contract was signed on 2018-10-05"
    )


def test_a_delivery_in_the_month_of_signing_is_accepted(log: Log) -> None:
    log.append(f.delivery_recorded(occurred="2018-10"))


def test_a_delivery_that_has_not_happened_yet_is_rejected(log: Log) -> None:
    event = f.delivery_recorded(occurred="2027")
    assert refused(log, event) == (
        "Delivery to s400-india-2018 dated 2027 has not happened yet (today is 2026-01-15)"
    )


def test_a_delivered_quantity_must_be_positive(log: Log) -> None:
    # model_construct skips pydantic, as a fast path might: the rule still holds.
    event = DeliveryRecorded.model_construct(**{**dict(f.delivery_recorded()), "quantity": -3})
    assert refused(log, event) == (
        "Delivered quantity for s400-india-2018 must be a positive whole number, not -3"
    )


# --- amendments, cancellations, schedules -----------------------------------------------


def test_an_amendment_below_what_was_delivered_is_rejected(delivered3: Log) -> None:
    event = f.contract_amended(occurred="2024-01", quantity=2)
    assert refused(delivered3, event) == (
        "Amendment of s400-india-2018 to 2 squadrons is below the 3 already delivered"
    )


def test_a_contract_cannot_be_cancelled_twice(log: Log) -> None:
    log.append(f.contract_cancelled())
    assert refused(log, f.contract_cancelled()) == "Contract 's400-india-2018' is already cancelled"


def test_a_cancelled_contract_cannot_be_amended(log: Log) -> None:
    log.append(f.contract_cancelled())
    assert refused(log, f.contract_amended()) == "Contract 's400-india-2018' is cancelled"


def test_nothing_is_delivered_after_a_cancellation(log: Log) -> None:
    log.append(f.contract_cancelled(occurred="2024-01"))
    log.append(f.delivery_recorded(occurred="2023-06"))  # before the cancellation: fine
    assert refused(log, f.delivery_recorded(occurred="2024-03")) == (
        "Contract 's400-india-2018' was cancelled in 2024-01;"
        " no delivery can be recorded after that"
    )


def test_a_milestone_cannot_be_scheduled_twice(log: Log) -> None:
    event = f.delivery_scheduled(milestones=(f.milestone("squadron 1"),))
    assert refused(log, event) == (
        "Milestone 'squadron 1' is already scheduled for s400-india-2018 (first planned"
        f" {f.delivery_scheduled().occurred.human()}); record a revision instead, or date this"
        " schedule before that first plan"
    )


def test_a_revision_must_name_an_existing_milestone(log: Log) -> None:
    event = f.schedule_revised(milestone="squadron 9")
    assert refused(log, event) == "No milestone 'squadron 9' in the schedule of s400-india-2018"


def test_a_contract_value_needs_a_real_currency() -> None:
    data = {
        **f.contract_signed().model_dump(mode="json"),
        "value": {"amount": "5", "currency": "XYZ"},
    }
    with pytest.raises(InvalidInputError) as caught:
        build_event("ContractSigned", data)
    assert str(caught.value) == (
        "Invalid ContractSigned: value.currency: Unknown currency 'XYZ': not an ISO 4217 code"
    )


def test_a_contract_value_must_be_positive() -> None:
    event = f.contract_signed(value=Money.parse("USD 0"))
    assert refused(Log(), event) == "Value of s400-india-2018 must be positive, not USD 0"


# --- joint ventures and agreements ------------------------------------------------------


def test_joint_venture_shares_must_sum_to_100() -> None:
    good = f.jv_established()
    event = JointVentureEstablished.model_construct(
        **{**dict(good), "partners": {"AWEIL and MIL": 50, "Kalashnikov Concern": Decimal("49.5")}}
    )
    assert refused(Log(), event) == "Shares of joint venture 'irrpl' sum to 99.5, not 100"


def test_production_needs_an_existing_joint_venture(log: Log) -> None:
    assert refused(log, f.production_recorded()) == "No joint venture 'irrpl'"


def test_a_contract_naming_a_joint_venture_needs_it_to_exist() -> None:
    assert refused(Log(), f.ak203_signed()) == "No joint venture 'irrpl'"


def test_cumulative_production_never_goes_down() -> None:
    log = Log()
    log.append(f.jv_established())
    log.append(f.ak203_signed())
    log.append(f.production_recorded(occurred="2024-07-06", cumulative_total=35000))
    event = f.production_recorded(occurred="2024-08", cumulative_total=30000)
    assert refused(log, event) == (
        "Cumulative production of ak203-india-2021 by irrpl cannot go down:"
        " 30,000 reported for 2024-08 after 35,000"
    )


def test_an_extension_needs_an_existing_agreement() -> None:
    assert refused(Log(), f.agreement_extended()) == "No agreement 'india-russia-mtc-2021'"


def test_a_contract_under_an_unknown_agreement_is_rejected() -> None:
    event = f.contract_signed(agreement="india-russia-mtc-2021")
    assert refused(Log(), event) == "No agreement 'india-russia-mtc-2021'"


def test_notes_on_free_topics_need_nothing_to_exist() -> None:
    Log().append(f.note_recorded(subject="topic:caatsa"))


# --- corrections and retractions --------------------------------------------------------


def test_a_correction_must_target_an_existing_event(log: Log) -> None:
    assert refused(log, f.event_corrected(target_event_id="e99")) == "No event 'e99'"


def test_a_retraction_must_target_an_existing_event(log: Log) -> None:
    assert refused(log, f.event_retracted(target_event_id="e99")) == "No event 'e99'"


def test_an_event_is_retracted_at_most_once(delivered3: Log) -> None:
    delivered3.append(f.event_retracted(target_event_id="sq1"))
    event = f.event_retracted(target_event_id="sq1")
    assert refused(delivered3, event) == "Event 'sq1' is already retracted"


def test_a_retracted_event_cannot_be_corrected(delivered3: Log) -> None:
    delivered3.append(f.event_retracted(target_event_id="sq1"))
    event = f.event_corrected(target_event_id="sq1")
    assert refused(delivered3, event) == "Event 'sq1' is retracted and cannot be corrected"


def test_a_correction_must_name_real_fields_of_its_target(delivered3: Log) -> None:
    event = f.event_corrected(target_event_id="sq1", changes={"qty": 2})
    assert refused(delivered3, event) == "Event 'sq1' (DeliveryRecorded) has no field 'qty'"


def test_a_correction_cannot_move_an_event_to_another_stream(delivered3: Log) -> None:
    event = f.event_corrected(target_event_id="sq1", changes={"contract": "s400-india-2019"})
    assert refused(delivered3, event) == (
        "Cannot correct 'contract' of event 'sq1': it decides the stream;"
        " retract the event and record it again"
    )


def test_corrected_fields_must_validate(delivered3: Log) -> None:
    event = f.event_corrected(target_event_id="sq1", changes={"quantity": 0})
    assert refused(delivered3, event) == (
        "Correction of event 'sq1' (DeliveryRecorded) does not validate:"
        " quantity: Invalid quantity '0': must be a positive whole number"
    )


def test_a_correction_that_would_exceed_the_ordered_quantity_is_rejected(delivered3: Log) -> None:
    event = f.event_corrected(target_event_id="sq3", changes={"quantity": 5})
    assert refused(delivered3, event) == (
        "Correction of event 'sq3' would leave s400-india-2018 with 7 delivered,"
        " above the 5 ordered"
    )


def test_a_correction_lowering_the_signed_quantity_below_deliveries_is_rejected(
    delivered3: Log,
) -> None:
    event = f.event_corrected(target_event_id="signed", changes={"quantity": 2})
    assert refused(delivered3, event) == (
        "Correction of event 'signed' would leave s400-india-2018 with 3 delivered,"
        " above the 2 ordered"
    )


def test_a_correction_dating_a_delivery_before_signing_is_rejected(delivered3: Log) -> None:
    event = f.event_corrected(target_event_id="sq1", changes={"occurred": "2017"})
    assert refused(delivered3, event) == (
        "Delivery to s400-india-2018 dated 2017 is before the contract was signed on 2018-10-05"
    )


def test_a_correction_must_keep_a_revision_on_an_existing_milestone(log: Log) -> None:
    log.append(f.schedule_revised(), "rev")
    event = f.event_corrected(target_event_id="rev", changes={"milestone": "squadron 9"})
    assert refused(log, event) == "No milestone 'squadron 9' in the schedule of s400-india-2018"


def test_a_retraction_that_would_exceed_the_ordered_quantity_is_rejected(delivered3: Log) -> None:
    delivered3.append(f.contract_amended(occurred="2024-01", quantity=7), "amend")
    delivered3.append(f.delivery_recorded(occurred="2025", quantity=3, label=None))
    event = f.event_retracted(target_event_id="amend")
    assert refused(delivered3, event) == (
        "Retraction of event 'amend' would leave s400-india-2018 with 6 delivered,"
        " above the 5 ordered"
    )


def test_corrections_and_retractions_themselves_cannot_be_fixed(delivered3: Log) -> None:
    delivered3.append(
        f.event_corrected(target_event_id="sq1", changes={"destination": "Punjab"}), "fix"
    )
    delivered3.append(f.event_retracted(target_event_id="sq2"), "gone")
    assert refused(delivered3, f.event_corrected(target_event_id="fix")) == (
        "Event 'fix' is a correction; it cannot be corrected"
    )
    assert refused(delivered3, f.event_retracted(target_event_id="gone")) == (
        "Event 'gone' is a retraction; it cannot be retracted"
    )


def test_a_delivery_by_a_future_date_may_already_have_happened(log: Log) -> None:
    log.append(f.delivery_recorded(occurred="by 2027"))
