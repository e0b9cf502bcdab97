"""Milestones are not guessed: each delivery fills only the milestone it names or was matched
to when it was logged; duplicates and unknown labels are refused with exact messages."""

from __future__ import annotations

from datetime import date

import pytest

from tests.unit import factories as f
from tests.unit.factories import Log
from tracker.domain.events.catalogue import DeliveryRecorded
from tracker.domain.events.codec import decode, encode
from tracker.domain.events.event_base import DomainEvent
from tracker.domain.rules.checks import decide
from tracker.domain.rules.milestone_match import matched_words
from tracker.domain.state.state import ContractState
from tracker.domain.views import schedule
from tracker.errors import DomainError

TODAY = date(2026, 1, 15)
LABELS = "'squadron 1', 'squadron 2', 'squadron 3', 'squadron 4', 'squadron 5'"


def refused(log: Log, event: DomainEvent) -> str:
    with pytest.raises(DomainError) as caught:
        log.append(decide(event, log.lookup))
    return str(caught.value)


def logged(log: Log, event: DomainEvent, event_id: str | None = None) -> DomainEvent:
    """``event`` decided and appended as the write path does; returns it as recorded."""
    return log.append(decide(event, log.lookup), event_id).event


def delivered(log: Log, day: date = TODAY) -> list[tuple[str, str | None]]:
    state = log.state()
    assert isinstance(state, ContractState)
    return [(m.label, m.delivered and str(m.delivered)) for m in schedule(state, day).milestones]


@pytest.fixture
def log() -> Log:
    """The S-400 contract, its five milestones (all 'by 2023'), squadrons 1-3 delivered."""
    log = Log(today=TODAY)
    log.append(f.contract_signed(), "signed")  # position 1
    log.append(f.delivery_scheduled(), "schedule")  # position 2
    logged(log, f.delivery_recorded(occurred="2021-12", label="squadron 1"), "sq1")  # 3
    logged(log, f.delivery_recorded(occurred="2022", label="squadron 2"), "sq2")  # 4
    logged(log, f.delivery_recorded(occurred="2023", label="squadron 3"), "sq3")  # 5
    return log


# --- refused ----------------------------------------------------------------------------


def test_a_second_delivery_for_a_delivered_milestone_is_refused(log: Log) -> None:
    event = f.delivery_recorded(occurred="2022-02", label="squadron 1")
    assert refused(log, event) == (
        "Milestone 'squadron 1' of s400-india-2018 is already delivered in full, by the"
        " delivery at position 3 dated 2021-12; to change that delivery, use"
        " 'tracker log correct 3'"
    )


def test_a_duplicate_dated_before_the_first_delivery_is_refused_all_the_same(log: Log) -> None:
    event = f.delivery_recorded(occurred="2021-06", label="squadron 2")
    assert refused(log, event) == (
        "Milestone 'squadron 2' of s400-india-2018 is already delivered in full, by the"
        " delivery at position 4 dated 2022; to change that delivery, use"
        " 'tracker log correct 4'"
    )


def test_a_label_the_schedule_does_not_have_is_refused_with_the_labels_it_has(log: Log) -> None:
    event = f.delivery_recorded(occurred="2024", label="squadron 9")
    assert refused(log, event) == (
        f"No milestone 'squadron 9' in the schedule of s400-india-2018 (it has {LABELS});"
        " for a delivery outside the schedule, give --unscheduled"
    )


def test_a_labelled_delivery_beyond_its_milestone_is_refused() -> None:
    log = Log(today=TODAY)
    log.append(f.contract_signed())
    log.append(f.delivery_scheduled(milestones=(f.milestone("lot 1", 2), f.milestone("lot 2", 3))))
    logged(log, f.delivery_recorded(occurred="2021", quantity=1, label="lot 1"))
    event = f.delivery_recorded(occurred="2022", quantity=2, label="lot 1")
    assert refused(log, event) == (
        "Delivery to s400-india-2018 would bring milestone 'lot 1' to 3 squadrons,"
        " above the 2 it plans"
    )


def test_a_correction_cannot_relabel_a_delivery_to_a_delivered_milestone(log: Log) -> None:
    event = f.event_corrected(target_event_id="sq3", changes={"label": "squadron 1"})
    assert refused(log, event) == (
        "Correction of event 'sq3' would bring milestone 'squadron 1' of s400-india-2018"
        " to 2, above the 1 it plans"
    )


def test_a_correction_cannot_relabel_a_delivery_to_an_unknown_milestone(log: Log) -> None:
    event = f.event_corrected(target_event_id="sq3", changes={"label": "squadron 9"})
    assert refused(log, event) == (
        f"No milestone 'squadron 9' in the schedule of s400-india-2018 (it has {LABELS});"
        " for a delivery outside the schedule, give --unscheduled"
    )


def test_the_match_itself_cannot_be_corrected(log: Log) -> None:
    logged(log, f.delivery_recorded(occurred="2025", label=None), "d4")
    event = f.event_corrected(target_event_id="d4", changes={"matched": ["squadron 5"]})
    assert refused(log, event) == (
        "Cannot correct 'matched' of event 'd4': the match is decided when a delivery is"
        " logged; correct its label instead"
    )


# --- accepted ---------------------------------------------------------------------------


def test_a_labelled_delivery_may_be_moved_to_another_date(log: Log) -> None:
    log.append(f.event_corrected(target_event_id="sq2", changes={"occurred": "2022-03"}))
    assert delivered(log)[1] == ("squadron 2", "2022-03")


def test_an_unscheduled_delivery_may_carry_any_label_and_fills_no_milestone(log: Log) -> None:
    before = delivered(log)
    logged(log, f.delivery_recorded(occurred="2024", label="squadron 9", unscheduled=True))
    assert delivered(log) == before


def test_without_a_schedule_any_label_is_taken_and_nothing_is_matched() -> None:
    log = Log(today=TODAY)
    log.append(f.contract_signed())
    first = logged(log, f.delivery_recorded(occurred="2021", label="SAM system"))
    second = logged(log, f.delivery_recorded(occurred="2022", label=None))
    assert isinstance(first, DeliveryRecorded) and isinstance(second, DeliveryRecorded)
    assert (first.matched, second.matched) == (None, None)


# --- matched when logged ----------------------------------------------------------------


def test_an_unlabelled_delivery_is_matched_to_the_earliest_open_milestone(log: Log) -> None:
    event = logged(log, f.delivery_recorded(occurred="2025-06", label=None))
    assert isinstance(event, DeliveryRecorded)
    assert event.matched == ("squadron 4",)
    assert matched_words(event) == "matched to milestone 'squadron 4' (the earliest open)"
    assert delivered(log)[3:] == [("squadron 4", "2025-06"), ("squadron 5", None)]


def test_an_unlabelled_delivery_of_two_is_matched_to_two_milestones(log: Log) -> None:
    event = logged(log, f.delivery_recorded(occurred="2025-06", quantity=2, label=None))
    assert isinstance(event, DeliveryRecorded)
    assert event.matched == ("squadron 4", "squadron 5")
    assert matched_words(event) == (
        "matched to milestones 'squadron 4', 'squadron 5' (the earliest open)"
    )


def test_a_running_total_is_matched_by_what_it_adds(log: Log) -> None:
    total = f.delivery_recorded(occurred="2025", quantity=None, cumulative_total=4, label=None)
    event = logged(log, total)
    assert isinstance(event, DeliveryRecorded)
    assert event.matched == ("squadron 4",)


def test_a_later_backdated_delivery_does_not_move_an_earlier_match(log: Log) -> None:
    logged(log, f.delivery_recorded(occurred="2025-06", label=None))  # squadron 4
    later = logged(log, f.delivery_recorded(occurred="2024-06", label=None))
    assert isinstance(later, DeliveryRecorded)
    assert later.matched == ("squadron 5",)
    # Guessed in world order, 2024-06 would take squadron 4 and re-date both.
    assert delivered(log)[3:] == [("squadron 4", "2025-06"), ("squadron 5", "2024-06")]


def test_a_retry_keeps_the_match_it_was_stored_with(log: Log) -> None:
    first = logged(log, f.delivery_recorded(occurred="2025-06", label=None), "d4")
    logged(log, f.delivery_recorded(occurred="2025-07", label=None), "d5")  # squadron 5
    retried = decide(f.delivery_recorded(occurred="2025-06", label=None), log.lookup, stored=first)
    assert retried == first


# --- no delivery re-dates another milestone ---------------------------------------------


def test_a_duplicate_in_an_old_log_re_dates_no_other_milestone(log: Log) -> None:
    right = delivered(log, date(2026, 1, 15))
    # The rules refuse it now; a log written before them may hold one.
    log.record(f.delivery_recorded(occurred="2022-02", label="squadron 1"))
    log.record(f.delivery_recorded(occurred="2022-02", label="squadron 9"))
    assert delivered(log, date(2026, 1, 15)) == right
    state = log.state()
    assert [m.state for m in schedule(state, TODAY).milestones[3:]] == ["overdue", "overdue"]


def test_a_delivery_never_matched_fills_only_what_the_others_left_open() -> None:
    log = Log(today=TODAY)
    log.append(f.contract_signed())
    # Logged before the schedule existed: nothing to match it to then.
    log.append(f.delivery_recorded(occurred="2021-12", label=None))
    log.append(f.delivery_scheduled())
    logged(log, f.delivery_recorded(occurred="2022", label="squadron 1"))
    assert delivered(log)[:2] == [("squadron 1", "2022"), ("squadron 2", "2021-12")]


# --- stored form ------------------------------------------------------------------------


def test_a_payload_from_before_matching_decodes_with_the_defaults() -> None:
    old = {"contract": "s400-india-2018", "quantity": 1, "cumulative_total": None}
    old |= {"label": None, "destination": None, "confidence": None}
    event = decode("DeliveryRecorded", 2, "2021-12", old, [{"title": "x"}])
    assert isinstance(event, DeliveryRecorded)
    assert (event.unscheduled, event.matched) == (False, None)


def test_a_matched_delivery_round_trips() -> None:
    event = f.delivery_recorded(label=None, matched=("squadron 4",))
    enc = encode(event)
    again = decode(enc.event_type, enc.schema_version, enc.occurred, enc.payload, enc.sources)
    assert again == event
