"""Refs people can type: a SIPRI deal is 'supplier-recipient-designation-orderyear', made
unique in file order, kept across releases; the opaque ref it once took still names it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.importers.sipri_support import FIXTURES
from tracker.domain.events.catalogue import ContractSigned
from tracker.domain.values.opaque_refs import opaque_sipri_id, sipri_key_of
from tracker.domain.values.refs import check_reference
from tracker.errors import TrackerError
from tracker.importers.sipri import SipriDeal, read_release
from tracker.importers.sipri.events import deal_events
from tracker.importers.sipri.refs import contract_ref, opaque_ref
from tracker.projections.read_tables import STATUS
from tracker.service.app import Tracker
from tracker.service.sipri import import_sipri

SAMPLE = FIXTURES / "register-2025-03-sample.csv"
# The sample's deals in file order, typed by hand from its rows.
SAMPLE_REFS = [
    "russia-india-s400-triumf-2018",
    "russia-india-su30mk-2024",
    "russia-india-pj10-brahmos-1998",
    "france-cote-d-ivoire-bu181-2022",  # 'Bü-181 Bestmann', accents dropped, cut to 34
    "israel-united-hermes900-2015",  # 'United Nations': its first word, to fit 34
    "unknown-contras-sa7-grail-1985",  # 'unknown supplier(s)'; the list's short name
    "ukraine-thailand-btr3-2008",
    "canada-mexico-aircraft-engine-2014",
    "canada-mexico-aircraft-engine-2014-2",  # the same row again: a suffix, in file order
]
PREAMBLE = (
    "Data generated: {day}\n"
    "Recipient,Supplier,Year of order, ,Number ordered, ,Weapon designation,Weapon description,"
    "Number delivered, ,Year(s) of delivery,status,Comments,SIPRI TIV per unit,"
    "SIPRI TIV for total order,SIPRI TIV of delivered weapons\n"
)


def register(tmp_path: Path, name: str, day: str, *rows: str) -> Path:
    path = tmp_path / name
    path.write_bytes((PREAMBLE.format(day=day) + "".join(rows)).encode("latin-1"))
    return path


def refs(tracker: Tracker) -> list[str]:
    return [s.ref for s in tracker.status()]


def sample_deals() -> list[SipriDeal]:
    _, rows = read_release(SAMPLE)
    return [d for d in rows if isinstance(d, SipriDeal)]


def test_each_deal_of_the_sample_gets_its_typed_ref(tracker: Tracker) -> None:
    result = import_sipri(tracker, SAMPLE)
    assert result.new == len(SAMPLE_REFS)
    assert refs(tracker) == sorted(SAMPLE_REFS)
    for ref in SAMPLE_REFS:
        assert check_reference(ref) == ref
    # Each contract stores the key of the deal it came from, in file order.
    by_ref = {s.ref: s.sipri.key for s in tracker.status() if s.sipri}
    assert [by_ref[r] for r in SAMPLE_REFS] == [d.deal_key for d in sample_deals()]


def test_parties_and_designations_read_as_people_write_them(tmp_path: Path) -> None:
    path = register(
        tmp_path,
        "r.csv",
        "13 Mar 2025 10:00:00 AM",
        "India,Russia,2000,,140,,Su-30MKI,FGA aircraft,140,,2002; 2003,New,,40,5600,5600\n",
        "Turkey,United States,1984,,160,,F-16C,FGA aircraft,160,,1987,New,,20,3200,3200\n",
        "India,Soviet Union,1965,?,14,?,MiG-21F-13,fighter aircraft,14,,1965,New,,9,126,126\n",
        "Pakistan,China,2015,,8,,Type-039B,submarine,0,,,New,,300,2400,\n",
        "Hezbollah (Lebanon)*,Iran,2004,?,8,?,Ababil-2,UAV,8,?,2005,New,,0.2,1.6,1.6\n",
        "Jordan,United Kingdom,2019,,2,,AW-159 Wildcat,helicopter,2,,2021,New,,10,20,20\n",
    )
    refs = [contract_ref(d) for d in read_release(path)[1] if isinstance(d, SipriDeal)]
    assert refs == [
        "russia-india-su30mki-2000",  # hyphens inside a designation dropped
        "us-turkey-f16c-1984",  # a long state name: its shortest name in the party list
        "ussr-india-mig21f13-1965",
        "china-pakistan-type039b-2015",  # a short one as SIPRI writes it, not 'prc'
        "iran-hezbollah-ababil2-2004",  # a non-state actor: its short name
        "uk-jordan-aw159-wildcat-2019",  # words of a designation kept
    ]


def test_refs_are_the_same_in_a_fresh_log_and_importing_again_adds_nothing(
    sqlite_tracker: Tracker, tmp_path: Path
) -> None:
    import_sipri(sqlite_tracker, SAMPLE)
    again = import_sipri(sqlite_tracker, SAMPLE)
    assert (again.appended, again.unchanged) == (0, len(SAMPLE_REFS))
    other = Tracker.open(str(tmp_path / "other.db"), create=True)
    try:
        other.init()
        import_sipri(other, SAMPLE)
        assert refs(other) == refs(sqlite_tracker)
    finally:
        other.close()


S400 = "India,Russia,2018,,10,,S-400 Triumf,SAM system,6,,2021; 2022; 2023,New,,65,650,390\n"
# SIPRI revises the order year and spells the supplier otherwise a year later.
S400_REVISED = (
    "India,Russian Federation,2019,,10,,S-400 Triumf,SAM system,8,,2021; 2022; 2023; 2024,"
    "New,,65,650,520\n"
)


def test_a_revised_deal_keeps_its_ref_and_the_key_it_came_with(
    tracker: Tracker, tmp_path: Path
) -> None:
    first = register(tmp_path, "a.csv", "13 Mar 2024 10:00:00 AM", S400)
    second = register(tmp_path, "b.csv", "13 Mar 2025 10:00:00 AM", S400_REVISED)
    import_sipri(tracker, first)
    result = import_sipri(tracker, second)
    assert (result.new, result.corrected) == (0, 1)
    [s400] = tracker.status()
    assert (s400.ref, s400.delivered, s400.signed.latest.year) == (
        "russia-india-s400-triumf-2018",
        8,
        2019,
    )
    [deal] = [d for d in read_release(first)[1] if isinstance(d, SipriDeal)]
    assert s400.sipri is not None and s400.sipri.key == deal.deal_key
    # The ref the first release's key spells (the contract's ref before readable refs).
    [named] = tracker.status([opaque_ref(deal)])
    assert named.ref == s400.ref


@pytest.fixture
def sample(tracker: Tracker) -> Tracker:
    import_sipri(tracker, SAMPLE)
    return tracker


def test_the_old_opaque_ref_names_the_contract_on_every_read(sample: Tracker) -> None:
    deals = sample_deals()
    s400, brahmos = opaque_ref(deals[0]), opaque_ref(deals[2])
    assert s400.startswith("sipri-tr-") and sipri_key_of(s400) == deals[0].deal_key
    assert [s.ref for s in sample.status([s400, brahmos])] == [SAMPLE_REFS[0], SAMPLE_REFS[2]]
    assert sample.schedule(s400).contract == SAMPLE_REFS[0]
    # As of a past day, folded from the log (the contracts chosen by the key too).
    [then] = sample.status([s400], as_of=date(2022, 12, 31))
    assert (then.ref, then.delivered) == (SAMPLE_REFS[0], 4)
    assert sample.schedule(s400, as_of=date(2022, 12, 31)).contract == SAMPLE_REFS[0]
    # The repeated row's key ends in '-2', and so does its old ref.
    assert sample.status([opaque_ref(deals[8])])[0].ref == SAMPLE_REFS[8]


def test_the_status_tables_sipri_id_is_the_stored_key(sample: Tracker) -> None:
    with sample.engine.connect() as conn:
        rows: dict[str, str | None] = {
            ref: key for ref, key in conn.execute(select(STATUS.c.ref, STATUS.c.sipri_id))
        }
    assert [rows[r] for r in SAMPLE_REFS] == [d.deal_key for d in sample_deals()]
    # The status read from the table and folded from the log carry the same key.
    table = {s.ref: s.sipri for s in sample.status()}
    folded = {s.ref: s.sipri for s in sample.status(as_of=date(2026, 1, 1))}
    assert table == folded


def test_a_unique_beginning_names_a_contract_and_a_shared_one_lists_them(
    sample: Tracker,
) -> None:
    assert sample.schedule("russia-india-s4").contract == "russia-india-s400-triumf-2018"
    with pytest.raises(TrackerError) as e:
        sample.status(["canada-mexico"])
    assert str(e.value) == (
        "Contract 'canada-mexico' is ambiguous: canada-mexico-aircraft-engine-2014,"
        " canada-mexico-aircraft-engine-2014-2"
    )
    with pytest.raises(TrackerError, match="No contract 'sipri-tr-0000000000000000'"):
        sample.status(["sipri-tr-0000000000000000"])


def test_contracts_imported_with_opaque_refs_keep_them_and_still_work(
    tracker: Tracker, tmp_path: Path
) -> None:
    """A log written before refs were readable: the opaque ref, no key stored."""
    path = register(tmp_path, "a.csv", "13 Mar 2024 10:00:00 AM", S400)
    release, rows = read_release(path)
    [deal] = [d for d in rows if isinstance(d, SipriDeal)]
    old = opaque_ref(deal)
    planned = deal_events(deal, release, None, date(2024, 3, 13), old)
    signed = planned[0][1]
    assert isinstance(signed, ContractSigned) and signed.sipri is not None
    unkeyed = signed.model_copy(update={"sipri": signed.sipri.model_copy(update={"key": None})})
    events = [unkeyed, *(e for _, e in planned[1:])]
    tracker.log(events, event_ids=[i for i, _ in planned], actor="sipri-import")
    again = import_sipri(tracker, path)
    assert (again.appended, again.unchanged) == (0, 1)
    [s400] = tracker.status()
    assert (s400.ref, s400.delivered) == (old, 6)
    assert s400.sipri is not None and s400.sipri.key is None
    [folded] = tracker.status(as_of=date(2026, 1, 1))
    assert folded.sipri == s400.sipri
    assert tracker.schedule(old[:12]).contract == old
    with tracker.engine.connect() as conn:
        sipri_id = conn.execute(select(STATUS.c.sipri_id)).scalar_one()
    assert sipri_id == opaque_sipri_id(old) == "sipri:tr-" + deal.deal_key.split(":")[1]


@pytest.mark.parametrize(
    ("parties", "designation", "year", "ref"),
    [
        (("russia", "india"), "s400-triumf", "2018", "russia-india-s400-triumf-2018"),
        # The designation's last words go first...
        (("france", "central-african-republic"), "as350-as550-fennec", "1984",
         "france-central-as350-as550-1984"),
        # ...then each party keeps its first word.
        (("dominican-republic", "antigua-and-barbuda"), "bn2-islander", "2021",
         "dominican-antigua-bn2-2021"),
        (("unknown", "lebanon-palestinian-rebels"), "bm21-grad-122mm", "1981",
         "unknown-lebanon-bm21-grad-1981"),
        # A designation of one long word is cut short.
        (("netherlands", "trinidad-and-tobago"), "stanpatrol5009abcdefghij", "2015",
         "netherlands-trinidad-stanpatr-2015"),
    ],
)  # fmt: skip
def test_a_long_ref_is_cut_to_34_characters_word_by_word(
    parties: tuple[str, str], designation: str, year: str, ref: str
) -> None:
    from tracker.importers.sipri.refs import fitted

    assert fitted(parties, designation, year) == ref
    assert len(ref) <= 34
