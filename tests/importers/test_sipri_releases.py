"""One deal across SIPRI releases: matched, corrected, retracted within scope, listed when
ambiguous; a release goes in whole or not at all. Small typed files, both engines."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from tracker.errors import InvalidInputError
from tracker.importers.sipri import parse_scope
from tracker.service.app import Tracker
from tracker.service.sipri import SipriImport, import_sipri

HEADER = (
    "Recipient,Supplier,Year of order, ,Number ordered, ,Weapon designation,Weapon description,"
    "Number delivered, ,Year(s) of delivery,status,Comments,SIPRI TIV per unit,"
    "SIPRI TIV for total order,SIPRI TIV of delivered weapons"
)
ALL = (
    "Transfers of major conventional arms from All countries  to All countries . Deals with"
    " deliveries made for the year range 'Not specified' to 'Not specified' "
)
S400 = "India,Russia,2018,,10,,S-400 Triumf,SAM system,6,,2021; 2022; 2023,New,deal,65,650,390"
IGLA = "Turkiye,Russia,2020,,20,,Igla-S,portable SAM,20,,2021,New,,0.1,2,2"
HERON = "India,Israel,2009,?,16,?,Heron,UAV,16,,2012; 2013,New,,3,48,48"
TWIN_A = "Jordan,France,2010,,2,,AS-350,helicopter,2,,2012,New,,1,2,2"
TWIN_B = "Jordan,France,2012,,3,,AS-350,helicopter,3,,2013,New,,1,3,3"


def release(tmp_path: Path, name: str, day: str, *rows: str, title: str | None = ALL) -> Path:
    lines = ([title] if title else []) + [f"Data generated: {day} 10:00:00 AM", HEADER, *rows]
    path = tmp_path / name
    path.write_bytes(("\n".join(lines) + "\n").encode("latin-1"))
    return path


def counts(result: SipriImport) -> tuple[int, int, int, int]:
    return result.new, result.corrected, result.retracted, result.unchanged


def contracts(tracker: Tracker) -> dict[str, tuple[str, str, int | None]]:
    return {s.ref: (s.system, str(s.signed), s.ordered) for s in tracker.status()}


def test_a_renamed_party_is_the_same_deal(tracker: Tracker, tmp_path: Path) -> None:
    import_sipri(
        tracker, release(tmp_path, "a.csv", "13 Mar 2024", IGLA.replace("Turkiye", "Turkey"))
    )
    result = import_sipri(tracker, release(tmp_path, "b.csv", "13 Mar 2025", IGLA))
    assert counts(result) == (0, 1, 0, 0)
    [signed] = [e for e in tracker.events(event_type="EventCorrected")]
    assert signed.payload["changes"]["sipri"]["recipient"] == "Turkiye"
    assert len(contracts(tracker)) == 1


def test_a_revised_order_year_is_a_correction_of_the_same_contract(
    tracker: Tracker, tmp_path: Path
) -> None:
    import_sipri(tracker, release(tmp_path, "a.csv", "13 Mar 2024", S400))
    revised = S400.replace(",2018,", ",2019,")
    result = import_sipri(tracker, release(tmp_path, "b.csv", "13 Mar 2025", revised))
    assert counts(result) == (0, 1, 0, 0)
    [(_, (system, signed, ordered))] = contracts(tracker).items()
    assert (system, signed, ordered) == ("S-400 Triumf", "2019", 10)
    [fix] = tracker.events(event_type="EventCorrected")
    assert "occurred: 2018 -> 2019" in fix.payload["reason"]
    assert "13 Mar 2025" in fix.metadata["sources"][0]["title"]


def test_a_dropped_deal_is_retracted_citing_the_release(tracker: Tracker, tmp_path: Path) -> None:
    import_sipri(tracker, release(tmp_path, "a.csv", "13 Mar 2024", S400, HERON))
    dropped = release(tmp_path, "b.csv", "13 Mar 2025", S400)
    # Half the deals gone: refused as a cut file unless the user says so.
    result = import_sipri(tracker, dropped, allow_shrink=True)
    assert counts(result) == (0, 0, 1, 1)
    [gone] = tracker.events(event_type="EventRetracted")
    assert gone.payload["reason"].endswith("13 Mar 2025 no longer lists this deal")
    heron = next(
        e for e in tracker.events(event_type="ContractSigned") if "Heron" in str(e.payload)
    )
    assert gone.payload["target_event_id"] == heron.event_id


def test_a_file_without_a_scope_retracts_nothing_unless_told(
    tracker: Tracker, tmp_path: Path
) -> None:
    import_sipri(tracker, release(tmp_path, "a.csv", "13 Mar 2024", S400, HERON))
    extract = release(tmp_path, "india.csv", "13 Mar 2025", S400, title=None)
    result = import_sipri(tracker, extract)
    assert (counts(result), result.scope) == ((0, 0, 0, 1), None)
    told = import_sipri(tracker, extract, scope=parse_scope("recipients=India"), allow_shrink=True)
    assert counts(told) == (0, 0, 1, 1)


def test_a_changed_question_mark_alone_is_a_correction(tracker: Tracker, tmp_path: Path) -> None:
    import_sipri(tracker, release(tmp_path, "a.csv", "13 Mar 2024", HERON))
    unmarked = HERON.replace(",16,?,", ",16,,")  # the number ordered is no longer uncertain
    result = import_sipri(tracker, release(tmp_path, "b.csv", "13 Mar 2025", unmarked))
    assert counts(result) == (0, 1, 0, 0)
    [fix] = tracker.events(event_type="EventCorrected")
    assert fix.payload["changes"]["sipri"]["ordered_estimate"] is False
    assert "sipri ordered_estimate: True -> False" in fix.payload["reason"]


def test_an_ambiguous_pair_is_listed_and_not_guessed(tracker: Tracker, tmp_path: Path) -> None:
    import_sipri(tracker, release(tmp_path, "a.csv", "13 Mar 2024", TWIN_A, TWIN_B))
    # One deal now, ordered 2011: one year from each of the two earlier ones.
    middle = "Jordan,France,2011,,4,,AS-350,helicopter,4,,2013,New,,1,4,4"
    review = tmp_path / "review.txt"
    later = release(tmp_path, "b.csv", "13 Mar 2025", middle)
    result = import_sipri(tracker, later, review=review, allow_shrink=True)
    assert len(result.ambiguous) == 1
    assert review.read_text().startswith("France -> Jordan, AS-350 (2011) (line 4) could be")
    assert result.retracted == 0  # its candidates are left as they are


def test_a_cut_release_is_refused_unless_allowed(tracker: Tracker, tmp_path: Path) -> None:
    import_sipri(tracker, release(tmp_path, "a.csv", "13 Mar 2024", S400, HERON, IGLA))
    cut = release(tmp_path, "b.csv", "13 Mar 2025", S400)
    with pytest.raises(InvalidInputError, match=r"b.csv: 1 deals where the log holds 3"):
        import_sipri(tracker, cut)
    assert counts(import_sipri(tracker, cut, allow_shrink=True)) == (0, 0, 2, 1)


def test_a_header_only_file_is_refused(tracker: Tracker, tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match=r"holds no deal rows.*nothing was written"):
        import_sipri(tracker, release(tmp_path, "empty.csv", "13 Mar 2025"))
    assert tracker.store.head_position() == 0


def test_a_release_failing_a_rule_half_way_writes_nothing_and_names_it(
    tracker: Tracker, tmp_path: Path
) -> None:
    # Delivered above ordered: a rule, unlike a delivery before the order, not published data.
    over = "India,Russia,2020,,2,,Igla-S,portable SAM,5,,2021,New,,0.1,0.2,0.5"
    rows = [HERON, S400, over, TWIN_A]
    with pytest.raises(InvalidInputError) as err:
        import_sipri(tracker, release(tmp_path, "r.csv", "13 Mar 2025", *rows))
    message = str(err.value)
    assert message.startswith("r.csv: line 6, deal Russia -> India, Igla-S (2020): ")
    assert message.endswith("; nothing was written")
    assert tracker.store.head_position() == 0


def test_a_release_is_compared_with_the_log_not_with_a_read_model_changed_by_hand(
    tracker: Tracker, tmp_path: Path
) -> None:
    import_sipri(tracker, release(tmp_path, "a.csv", "13 Mar 2024", S400))
    # Someone edits the stored state of the contract: SIPRI's unit TIV 65 becomes 99.
    with tracker.engine.begin() as conn:
        changed = conn.execute(
            text("UPDATE proj_contracts SET state = replace(state, :was, :now)"),
            {"was": '"tiv_unit":"65"', "now": '"tiv_unit":"99"'},
        ).rowcount
    assert changed == 1
    result = import_sipri(tracker, release(tmp_path, "b.csv", "13 Mar 2025", S400))
    # The log holds 65, as the new release does: nothing to correct.
    assert counts(result) == (0, 0, 0, 1)
    assert list(tracker.events(event_type="EventCorrected")) == []
