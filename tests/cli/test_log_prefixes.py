"""`tracker log KIND` names an existing contract, joint venture or agreement by a unique prefix
of its ref (or a SIPRI deal by its old opaque ref), as the read commands do; the event logged
carries the full ref. A prefix of several is refused listing them; a ref being created is
never completed; an event file's refs are exact."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from tests.cli.conftest import Cli, text
from tests.cli.story import CONTRACT, REF, SCHEDULE
from tests.importers.sipri_support import FIXTURES
from tracker.projections.read_tables import STATUS
from tracker.service.app import Tracker

SRC = ("--source", "https://example.org/report")
ID = "00000000-0000-4000-8000-00000000000"  # + a digit: fixed ids make the output exact
AK200, AK203 = "ak200-india-2021", "ak203-india-2021"
MTC = "mtc-india-russia"


def _contract(ref: str, *more: str) -> list[str]:
    return [
        "log", "contract", ref, "--system", "AK-203", "--buyer", "India", "--seller", "Russia",
        "--quantity", "100", "--unit", "rifles", "--occurred", "2021-12-06", *more, *SRC,
    ]  # fmt: skip


@pytest.fixture
def world(run_on_each_engine: Cli) -> Cli:
    """The S-400 contract and its schedule (positions 1-2), two AK contracts (3-4), the JV
    irrpl (5) and the agreement mtc-india-russia (6)."""
    run = run_on_each_engine
    for args in (
        CONTRACT,
        SCHEDULE,
        _contract(AK200),
        _contract(AK203),
        ["log", "jv", "irrpl", "--name", "Indo-Russian Rifles", "--partner", "A=50",
         "--partner", "B=50", "--occurred", "2019-03-03", *SRC],
        ["log", "agreement", MTC, "--title", "Military-technical cooperation",
         "--party", "India", "--party", "Russia", "--occurred", "2011", *SRC],
    ):  # fmt: skip
        run.ok(*args)
    return run


def _payloads(run: Cli, event_type: str) -> list[dict[str, object]]:
    rows = json.loads(run.ok("events", "--type", event_type, "--format", "json"))
    return [r["payload"] for r in rows]


# Each contract kind, named by the prefix 's400', and what it logs (position 7).
CONTRACT_KINDS = [
    (
        ["log", "delivery", "s400", "--quantity", "1", "--label", "squadron 1",
         "--occurred", "2021-12"],
        "DeliveryRecorded",
        "Delivered 1 squadron (squadron 1) under s400-india-2018",
    ),
    (
        ["log", "amend", "s400", "--quantity", "6", "--reason", "option taken",
         "--occurred", "2020-01"],
        "ContractAmended",
        "Contract s400-india-2018 amended: quantity 6 squadrons (option taken)",
    ),
    (
        ["log", "figure", "s400-i", "--value", "USD 5.43bn", "--occurred", "2018-10-05"],
        "FigureReported",
        "Reported value of s400-india-2018: USD 5.43 bn",
    ),
    (
        ["log", "cancel", "s4", "--reason", "sanctions", "--occurred", "2024-01"],
        "ContractCancelled",
        "Contract s400-india-2018 cancelled: sanctions",
    ),
    (
        ["log", "schedule", "s400", "--milestone", "squadron 6", "1", "2027",
         "--occurred", "2025"],
        "DeliveryScheduled",
        "Schedule for s400-india-2018: squadron 6: 1 due 2027",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("args", "event_type", "summary"), CONTRACT_KINDS)
def test_each_contract_kind_takes_a_unique_prefix_and_logs_the_full_ref(
    world: Cli, args: list[str], event_type: str, summary: str
) -> None:
    # The dry run of the prefix is that of the full ref, event shown included.
    full = [REF if a == args[2] else a for a in args]
    assert world.ok(*args, *SRC, "--dry-run") == world.ok(*full, *SRC, "--dry-run")
    assert world.ok(*args, *SRC, "--event-id", ID + "1") == text(
        f"Logged contract:{REF} v3 at position 7: {summary}", f"  event id: {ID}1"
    )
    *_, payload = _payloads(world, event_type)  # the one logged last
    assert payload["contract"] == REF


def test_a_revision_of_several_milestones_carries_the_full_ref_in_each(world: Cli) -> None:
    out = world.ok(
        "log", "revise", "s400", "--milestone", "squadron 4", "--milestone", "squadron 5",
        "--due", "by 2024", "--reason", "Ukraine war", "--occurred", "2023-03-23", *SRC,
    )  # fmt: skip
    assert [line for line in out.splitlines() if line.startswith("Logged")] == [
        "Logged contract:s400-india-2018 v3 at position 7:"
        " squadron 4 of s400-india-2018 now due by end 2024: Ukraine war",
        "Logged contract:s400-india-2018 v4 at position 8:"
        " squadron 5 of s400-india-2018 now due by end 2024: Ukraine war",
    ]
    assert [p["contract"] for p in _payloads(world, "ScheduleRevised")] == [REF, REF]


def test_an_ambiguous_prefix_is_refused_as_the_read_commands_refuse_it(world: Cli) -> None:
    before = world.log_json()
    message = text(f"Error: Contract 'ak' is ambiguous: {AK200}, {AK203}")
    assert world.fails("schedule", "ak") == message
    for args in (
        ["log", "delivery", "ak", "--quantity", "1", "--occurred", "2022"],
        ["log", "figure", "ak", "--quantity", "5", "--occurred", "2022"],
        ["log", "note", "contract:ak", "--text", "which?", "--occurred", "2022"],
        ["log", "production", "irrpl", "--contract", "ak", "--quantity", "5",
         "--occurred", "2022"],
    ):  # fmt: skip
        assert world.fails(*args, *SRC) == message
    assert world.log_json() == before


def test_a_ref_that_names_nothing_keeps_the_rules_message(world: Cli) -> None:
    before = world.log_json()
    args = ("--quantity", "1", "--occurred", "2022", *SRC)
    assert world.fails("log", "delivery", "zz", *args) == text("Error: No contract 'zz'")
    assert world.fails("log", "production", "zz", "--contract", AK203, *args) == text(
        "Error: No joint venture 'zz'"
    )
    assert world.fails("log", "extend", "zz", "--valid-to", "2031", "--occurred", "2021", *SRC) == (
        text("Error: No agreement 'zz'")
    )
    assert world.log_json() == before


def test_a_new_contract_keeps_its_ref_and_an_exact_ref_names_itself(world: Cli) -> None:
    # 'ak20' begins both AK refs: as a new contract's ref it is itself.
    assert world.ok(*_contract("ak20"), "--event-id", ID + "1") == text(
        "Logged contract:ak20 v1 at position 7: Contract ak20 signed:"
        " India buys 100 rifles of AK-203 from Russia",
        f"  event id: {ID}1",
    )
    # ... and from then on it names that contract only, not the two it begins.
    out = world.ok("log", "figure", "ak20", "--quantity", "90", "--occurred", "2022", *SRC)
    assert out.splitlines()[0] == (
        "Logged contract:ak20 v2 at position 8: Reported quantity of ak20: 90 rifles"
    )
    # A new contract whose ref begins an existing one ('s400' of s400-india-2018) as well.
    assert world.ok(*_contract("s400")).splitlines()[0].startswith("Logged contract:s400 v1 ")


def test_joint_ventures_agreements_and_notes_take_prefixes_too(world: Cli) -> None:
    made = world.ok(
        "log", "production", "irr", "--contract", "ak203", "--quantity", "5",
        "--occurred", "2022", *SRC,
    )  # fmt: skip
    assert made.splitlines()[0] == (
        "Logged jv:irrpl v2 at position 7: irrpl produced 5 rifles for ak203-india-2021"
    )
    extended = world.ok("log", "extend", "mtc", "--valid-to", "2031", "--occurred", "2021", *SRC)
    assert extended.splitlines()[0] == (
        "Logged agreement:mtc-india-russia v2 at position 8:"
        " Agreement mtc-india-russia extended to 2031"
    )
    world.ok(*_contract("ak-new", "--joint-venture", "ir", "--agreement", "mtc-i"))
    [*_, signed] = _payloads(world, "ContractSigned")
    assert (signed["reference"], signed["joint_venture"], signed["agreement"]) == (
        "ak-new",
        "irrpl",
        MTC,
    )
    firsts = [
        world.ok("log", "note", subject, "--text", "x", "--occurred", "2022", *SRC).splitlines()[0]
        for subject in ("contract:s4", "jv:i", "agreement:m", "topic:s4")
    ]
    assert firsts == [
        "Logged contract:s400-india-2018 v3 at position 10: Note on contract:s400-india-2018: x",
        "Logged jv:irrpl v3 at position 11: Note on jv:irrpl: x",
        "Logged agreement:mtc-india-russia v3 at position 12:"
        " Note on agreement:mtc-india-russia: x",
        "Logged topic:s4 v1 at position 13: Note on topic:s4: x",  # a topic is any slug
    ]


def test_prefixes_resolve_from_the_log_while_the_read_models_lag(world: Cli) -> None:
    """With the status table emptied and every checkpoint set back, the tables know no
    contract: the prefix is resolved from the log (folded), and nothing but the event is
    written."""
    tracker = Tracker.open(world.db)
    try:
        with tracker.engine.begin() as conn:
            conn.execute(STATUS.delete())
            conn.exec_driver_sql("UPDATE projection_checkpoints SET position = 0")
        assert not tracker.tables_current()
    finally:
        tracker.close()
    out = world.ok("log", "figure", "ak203", "--quantity", "5", "--occurred", "2022", *SRC)
    assert out.splitlines()[0] == (
        "Logged contract:ak203-india-2021 v2 at position 7:"
        " Reported quantity of ak203-india-2021: 5 rifles"
    )
    assert world.fails("log", "figure", "ak", "--quantity", "5", "--occurred", "2022", *SRC) == (
        text(f"Error: Contract 'ak' is ambiguous: {AK200}, {AK203}")
    )


def test_an_event_files_refs_are_exact(world: Cli, tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    record = {"kind": "figure", "contract": "s400", "quantity": 5, "occurred": "2022",
              "sources": ["https://example.org/report"]}  # fmt: skip
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    before = world.log_json()
    assert world.fails("log", "--file", str(path)) == text(
        "Error: events.jsonl line 1: No contract 's400'"
    )
    assert world.log_json() == before


def test_sipri_deals_take_prefixes_and_their_old_opaque_refs(run_on_each_engine: Cli) -> None:
    run = run_on_each_engine
    run.ok("import", "sipri", str(FIXTURES / "register-2025-03-sample.csv"))
    s400 = "russia-india-s400-triumf-2018"
    # The ref the deal took before refs were readable: 'sipri-tr-' and the hash of its fields.
    fields = "\0".join(("India", "Russia", "2018", "S-400 Triumf", "SAM system")).casefold()
    old = "sipri-tr-" + hashlib.sha256(fields.encode()).hexdigest()[:16]
    firsts = [
        run.ok("log", "figure", named, "--quantity", "10", "--occurred", "2025", *SRC)
        .splitlines()[0]
        .split(": ", 1)[1]
        for named in (old, "russia-india-s4")
    ]
    assert firsts == [f"Reported quantity of {s400}: 10 sam systems"] * 2
    assert [p["contract"] for p in _payloads(run, "FigureReported")] == [s400, s400]
    ambiguous = text(
        "Error: Contract 'russia-india-s' is ambiguous:"
        " russia-india-s400-triumf-2018, russia-india-su30mk-2024"
    )
    assert run.fails("schedule", "russia-india-s") == ambiguous
    named = ("log", "figure", "russia-india-s", "--quantity", "1", "--occurred", "2025", *SRC)
    assert run.fails(*named) == ambiguous
    # An opaque ref no deal stores is no contract.
    unknown = "sipri-tr-0000000000000000"
    assert run.fails("log", "figure", unknown, "--quantity", "1", "--occurred", "2025", *SRC) == (
        text(f"Error: No contract '{unknown}'")
    )
