"""SIPRI exports into the log: every deal as a contract, re-imports idempotent, newer releases
recorded as corrections, bad deals reported with their line and nothing written."""

from __future__ import annotations

import gc
import hashlib
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import SHARED
from tracker.errors import InvalidInputError
from tracker.importers.sipri import SipriDeal, read_release
from tracker.importers.sipri.events import deal_events
from tracker.importers.sipri.planned import NAMESPACE, event_id
from tracker.importers.sipri.refs import contract_ref
from tracker.service.app import Tracker
from tracker.service.sipri import import_sipri
from tracker.store.verify import verify

PREAMBLE = (
    "Transfers of major conventional arms. Deals with deliveries made for the year range "
    "'Not specified' to 'Not specified'\n"
    "Source: SIPRI Arms Transfers Database (c) SIPRI.\n"
    "Data generated: {day}\n"
    "Recipient,Supplier,Year of order, ,Number ordered, ,Weapon designation,Weapon description,"
    "Number delivered, ,Year(s) of delivery,status,Comments,SIPRI TIV per unit,"
    "SIPRI TIV for total order,SIPRI TIV of delivered weapons\n"
)
S400_2024 = (
    "India,Russia,2018,,10,,S-400 Triumf,SAM system,6,?,2021; 2022; 2023,New,"
    "INR390 b ($5.4 b) deal; delivery planned 2021-2024,65,650,390\n"
)
S400_2025 = (
    "India,Russia,2018,,10,,S-400 Triumf,SAM system,8,,2021; 2022; 2023; 2024,New,"
    "INR390 b ($5.4 b) deal; delivery planned 2021-2025/2026,65,650,520\n"
)
UNKNOWN_ORDER = "India,Israel,2023,?,,,Heron,UAV,0,,,New,Lease,5,,0\n"


def register(tmp_path: Path, name: str, day: str, *rows: str) -> Path:
    path = tmp_path / name
    path.write_bytes((PREAMBLE.format(day=day) + "".join(rows)).encode("latin-1"))
    return path


def statuses(tracker: Tracker, **kw) -> dict[str, object]:
    return {s.ref: s for s in tracker.status(**kw)}


def test_a_deal_becomes_a_contract_with_its_deliveries_and_comment(tracker: Tracker, tmp_path):
    path = register(tmp_path, "r.csv", "13 Oct 2024 10:00:00 AM", S400_2024)
    result = import_sipri(tracker, path)
    assert (result.deals, result.appended, result.bad) == (1, 5, [])
    [s400] = tracker.status()
    assert (s400.system, s400.buyer, s400.seller) == ("S-400 Triumf", "India", "Russia")
    assert (s400.ordered, s400.delivered, s400.unit) == (10, 6, "sam system")
    assert (str(s400.signed), str(s400.last_delivery)) == ("2018", "2023")
    events = list(tracker.events())
    kinds = ["ContractSigned", "NoteRecorded", *["DeliveryRecorded"] * 3]
    assert [e.event_type for e in events] == kinds
    # 6 over three years: 2 a year, the split marked as an estimate, the total's '?' kept.
    assert [(e.payload["quantity"], e.payload["split_estimate"]) for e in events[2:]] == [
        (2, True)
    ] * 3
    sipri = events[0].payload["sipri"]
    assert (sipri["ordered_estimate"], sipri["delivered_estimate"]) == (False, True)
    assert (sipri["tiv_unit"], sipri["tiv_order"], sipri["status"]) == ("65", "650", "New")
    assert all(
        e.metadata["sources"][0]["title"]
        == "SIPRI Arms Transfers Database, trade register, 13 Oct 2024"
        for e in events
    )


def test_importing_the_same_file_twice_appends_nothing(tracker: Tracker, tmp_path):
    path = register(tmp_path, "r.csv", "13 Oct 2024 10:00:00 AM", S400_2024, UNKNOWN_ORDER)
    import_sipri(tracker, path)
    head = tracker.store.head_position()
    again = import_sipri(tracker, path)
    assert (again.appended, tracker.store.head_position()) == (0, head)


def test_a_newer_release_is_recorded_as_changes_not_overwrites(tracker: Tracker, tmp_path):
    import_sipri(tracker, register(tmp_path, "a.csv", "13 Oct 2024 10:00:00 AM", S400_2024))
    between = datetime.now(UTC)
    result = import_sipri(
        tracker, register(tmp_path, "b.csv", "13 Mar 2025 10:00:00 AM", S400_2025)
    )
    # The signing's SIPRI fields (delivered, its '?', TIV), the comment, three years now
    # without the '?', and 2024 new.
    assert (result.corrected, result.new, result.appended) == (1, 0, 6)
    [now] = tracker.status()
    assert (now.delivered, str(now.last_delivery)) == (8, "2024")
    [then] = tracker.status(known_at=between)
    assert then.delivered == 6
    notes = [e.payload["text"] for e in tracker.events(event_type="NoteRecorded")]
    assert notes == [
        "INR390 b ($5.4 b) deal; delivery planned 2021-2024",
        "INR390 b ($5.4 b) deal; delivery planned 2021-2025/2026",
    ]
    assert verify(tracker.store).ok


def test_an_order_of_unknown_size_keeps_ordered_and_remaining_unknown(tracker: Tracker, tmp_path):
    import_sipri(tracker, register(tmp_path, "r.csv", "13 Mar 2025 10:00:00 AM", UNKNOWN_ORDER))
    [heron] = tracker.status()
    assert (heron.ordered, heron.delivered, heron.remaining, heron.percent) == (None, 0, None, None)
    signed = next(tracker.events(event_type="ContractSigned"))
    assert signed.payload["quantity"] is None and signed.payload["confidence"] == "unconfirmed"


def test_a_delivery_before_the_order_is_imported_with_a_flag_and_listed(tracker: Tracker, tmp_path):
    early = "India,Russia,2020,,2,,Igla-S,portable SAM,2,,2019,New,,0.1,0.2,0.2\n"
    path = register(tmp_path, "r.csv", "13 Mar 2025 10:00:00 AM", S400_2025, early)
    result = import_sipri(tracker, path)
    assert result.flagged == ["line 6: Russia -> India, Igla-S (2020): delivery before order year"]
    assert sorted(s.system for s in tracker.status()) == ["Igla-S", "S-400 Triumf"]
    flagged = [e for e in tracker.events(event_type="DeliveryRecorded") if e.payload["quality"]]
    assert [(str(e.occurred), e.payload["quantity"]) for e in flagged] == [("2019", 2)]
    delivery = flagged[0]
    assert delivery.payload["quality"] == ["delivery year before order year, as SIPRI publishes it"]


def test_an_unreadable_row_names_file_and_line_and_nothing_is_written(tracker: Tracker, tmp_path):
    letters = "India,Russia,2020,,two,,Igla-S,portable SAM,2,,2021,New,,0.1,0.2,0.2\n"
    path = register(tmp_path, "r.csv", "13 Mar 2025 10:00:00 AM", S400_2025, letters)
    with pytest.raises(InvalidInputError) as err:
        import_sipri(tracker, path)
    assert str(err.value).startswith("r.csv: 1 rows cannot be read (line 6: 'Number ordered'")
    assert "nothing was written" in str(err.value)
    assert tracker.store.head_position() == 0


def real(name: str) -> Path:
    path = SHARED / "sipri" / name
    if not path.exists():
        pytest.skip(f"{path} not found: real SIPRI exports are not available")
    return path


def test_the_india_rows_of_2025_give_each_deals_ordered_and_delivered(sqlite_tracker: Tracker):
    path = real("india-rows-2025-03.csv")
    result = import_sipri(sqlite_tracker, path)
    assert (result.deals, result.bad) == (764, [])
    # Each contract stores the key of the deal it came from (refs of repeated deals differ
    # by a suffix only).
    status = {s.sipri.key: s for s in sqlite_tracker.status() if s.sipri}
    _, deals = read_release(path)
    for deal in deals:
        assert isinstance(deal, SipriDeal)
        s = status[deal.deal_key]
        assert s.ordered == (deal.ordered or None), deal.line
        assert s.delivered == (deal.delivered_total or 0), deal.line


@pytest.mark.xdist_group("register")
def test_the_whole_2025_register_imports_without_an_error(sqlite_tracker: Tracker):
    result = import_sipri(sqlite_tracker, real("trade-register-2025-03.csv"))
    assert (result.deals, result.bad, result.new) == (29515, [], 29515)
    assert sqlite_tracker.store.head_position() == result.appended
    again = import_sipri(sqlite_tracker, real("trade-register-2025-03.csv"))
    assert (again.appended, again.unchanged) == (0, 29515)


def test_the_per_year_india_rows_import_with_their_early_delivery_flagged(
    sqlite_tracker: Tracker,
):
    result = import_sipri(sqlite_tracker, real("india-rows-by-delivery-year-2024-04.csv"))
    assert (result.deals, result.bad, len(result.flagged)) == (431, [], 1)
    [s400] = sqlite_tracker.status(["russia-india-s400-triumf-2018"])
    assert (s400.ordered, s400.delivered) == (None, 6)
    assert s400.sipri is not None and s400.sipri.key == "sipri:32127"
    # SIPRI's deal id, as the ref the deal took before refs were readable, still names it.
    [as_2022] = sqlite_tracker.status(["sipri-32127"], as_of=date(2022, 12, 31))
    assert (as_2022.ref, as_2022.delivered) == ("russia-india-s400-triumf-2018", 4)


def test_an_import_leaves_the_collector_running_and_nothing_frozen(tracker: Tracker, tmp_path):
    good = register(tmp_path, "r.csv", "13 Oct 2024 10:00:00 AM", S400_2024)
    import_sipri(tracker, good)
    assert (gc.isenabled(), gc.get_freeze_count()) == (True, 0)
    letters = "India,Russia,2020,,two,,Igla-S,portable SAM,2,,2021,New,,0.1,0.2,0.2\n"
    bad = register(tmp_path, "bad.csv", "13 Mar 2025 10:00:00 AM", letters)
    with pytest.raises(InvalidInputError):
        import_sipri(tracker, bad)
    assert (gc.isenabled(), gc.get_freeze_count()) == (True, 0)


def test_an_import_leaves_objects_frozen_by_others_frozen(tracker: Tracker, tmp_path):
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        import_sipri(tracker, register(tmp_path, "r.csv", "13 Oct 2024 10:00:00 AM", S400_2024))
        # Not thawed, and nothing more frozen (a frozen object that dies leaves the count).
        assert 0 < gc.get_freeze_count() <= frozen
    finally:
        gc.unfreeze()


def test_event_ids_are_uuid5_of_the_contract_and_the_fact(tmp_path):
    path = register(tmp_path, "r.csv", "13 Oct 2024 10:00:00 AM", S400_2024)
    release, [deal] = read_release(path)
    assert isinstance(deal, SipriDeal)
    ids = [id_ for id_, _ in deal_events(deal, release, None, date(2025, 1, 1))]
    ref = contract_ref(deal)
    assert ids[0] == str(uuid.uuid5(NAMESPACE, f"{ref}/signed"))
    title = hashlib.sha256(repr(release.label).encode()).hexdigest()[:16]
    assert ids[2] == str(uuid.uuid5(NAMESPACE, f"{ref}/delivered/2021/{title}"))


@given(st.text(), st.lists(st.text(), max_size=3))
def test_event_ids_match_uuid5_for_any_text(key: str, parts: list[str]) -> None:
    expected = str(uuid.uuid5(NAMESPACE, "/".join((key, *parts))))
    assert event_id(key, *parts) == expected


def test_a_deals_status_carries_sipris_fields_and_cites_its_release(tracker: Tracker, tmp_path):
    path = register(tmp_path, "r.csv", "13 Oct 2024 10:00:00 AM", S400_2024)
    import_sipri(tracker, path)
    # The folded path (any --as-of); the row typed by hand in S400_2024 is the oracle.
    [s400] = tracker.status(as_of=date(2025, 1, 1))
    assert s400.sipri is not None
    assert (s400.sipri.supplier, s400.sipri.recipient, s400.sipri.status) == (
        "Russia",
        "India",
        "New",
    )
    assert (s400.sipri.tiv_unit, s400.sipri.tiv_order, s400.sipri.tiv_delivered) == (65, 650, 390)
    assert (s400.sipri.order_year_estimate, s400.sipri.ordered_estimate) == (False, False)
    assert s400.sipri.delivered_estimate is True
    assert s400.sipri_release == "SIPRI Arms Transfers Database, trade register, 13 Oct 2024"
    json = s400.model_dump(mode="json")
    assert (json["sipri"]["tiv_order"], json["sipri_release"]) == ("650", s400.sipri_release)
