"""`tracker status` on the bare driver (tracker/cli/quick) prints what the full path prints.

Each question is put to both: the quick path's ``run`` and the click command (which never
takes the quick path), on the seeded database and on a small SIPRI register, on SQLite and
PostgreSQL; stdout and the exit code must be identical. When the read models are behind the
log, the quick path must decline, and the full path then answers from the log.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.cli.conftest import TODAY, Cli
from tests.conftest import fresh_pg_schema, need_postgres
from tracker.cli.main import cli
from tracker.cli.quick import dates as quick_dates
from tracker.cli.quick.status import FULL_PATH, run
from tracker.projections.filters import SORTS, STATES
from tracker.service.app import Tracker
from tracker.store.records import NewEvent

SIPRI_SAMPLE = Path(__file__).parents[1] / "importers" / "fixtures" / "register-2025-03-sample.csv"
FORMATS = ("table", "json", "csv", "md")
SEEDED_REFS = ["ak200-india-2021-emergency", "ak203-india-2021", "s400-india-2018"]


@contextmanager
def env(**values: str | None) -> Iterator[None]:
    """os.environ with these values (None: unset) for the block."""
    saved = {k: os.environ.get(k) for k in values}
    try:
        for k, v in values.items():
            os.environ.pop(k, None) if v is None else os.environ.__setitem__(k, v)
        yield
    finally:
        for k, v in saved.items():
            os.environ.pop(k, None) if v is None else os.environ.__setitem__(k, v)


def quick(db: str, *args: str) -> tuple[int | None, str]:
    """The quick path's exit code (None: it declined) and stdout."""
    out = io.StringIO()
    with env(TRACKER_TODAY=TODAY, TRACKER_DATABASE_URL=None, **{FULL_PATH: None}):
        code = run(["--db", db, "status", *args], out)
    return code, out.getvalue()


def full(db: str, *args: str) -> tuple[int, str]:
    """The click command's exit code and stdout."""
    result = CliRunner().invoke(
        cli,
        ["--db", db, "status", *args],
        env={"TRACKER_TODAY": TODAY, "TRACKER_DATABASE_URL": None},
        prog_name="tracker",
    )
    return result.exit_code, result.stdout


def same(db: str, *args: str) -> str:
    """Both paths' stdout, after checking the quick path answered it exactly."""
    code, out = quick(db, *args)
    assert code is not None, f"the quick path declined {args}"
    assert (code, out) == full(db, *args), args
    return out


def _made(db: str, dataset: str) -> str:
    run_cli = Cli(db)
    run_cli.ok("init")
    if dataset == "seeded":
        run_cli.ok("seed")
    else:
        run_cli.ok("import", "sipri", str(SIPRI_SAMPLE))
    return db


@pytest.fixture(
    scope="module",
    params=[
        ("sqlite", "seeded"),
        ("sqlite", "sipri"),
        pytest.param(("postgresql", "seeded"), marks=pytest.mark.postgres),
        pytest.param(("postgresql", "sipri"), marks=pytest.mark.postgres),
    ],
    ids=lambda p: "-".join(p),
)
def db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    engine, dataset = request.param
    if engine == "sqlite":
        yield _made(str(tmp_path_factory.mktemp(dataset) / "tracker.db"), dataset)
        return
    need_postgres()
    with fresh_pg_schema() as url:
        yield _made(url, dataset)


@pytest.fixture(
    params=[pytest.param("sqlite"), pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def sipri_db(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The SIPRI sample alone, on each engine."""
    if request.param == "sqlite":
        yield _made(str(tmp_path_factory.mktemp("sipri") / "tracker.db"), "sipri")
        return
    need_postgres()
    with fresh_pg_schema() as url:
        yield _made(url, "sipri")


QUESTIONS = [
    (),
    ("--buyer", "India"),
    ("--buyer", "Republic of India", "--sort", "signed"),
    ("--seller", "Russian Federation", "--sort", "delivered"),
    ("--country", "usa", "--sort", "remaining"),
    ("--system", "s-4"),
    ("--search", "air defence"),
    ("--signed", "2015-2020", "--sort", "buyer"),
    ("--state", "delivering", "--overdue"),
    ("--overdue", "--sort", "state"),
    ("--limit", "1"),
    ("--sort", "system", "--limit", "2"),
    ("--buyer", "Nowhereland"),
]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("question", QUESTIONS, ids=" ".join)
def test_each_format_and_filter_prints_what_the_full_path_prints(
    db: str, fmt: str, question: tuple[str, ...]
) -> None:
    same(db, *question, "--format", fmt)


@pytest.mark.parametrize("fmt", FORMATS)
def test_named_refs_keep_the_order_named(db: str, fmt: str) -> None:
    listed = [s["ref"] for s in json.loads(same(db, "--format", "json"))]
    # The first ref one character shorter names it alone (not 'canada-mexico-...-201',
    # which begins '...-2014' and '...-2014-2' alike).
    first = next(r for r in listed if sum(o.startswith(r[:-1]) for o in listed) == 1)
    chosen = [listed[-1], first[:-1], listed[-1]]  # the last, a prefix of the first, again
    out = same(db, *chosen, "--format", fmt)
    if fmt == "json":
        assert [s["ref"] for s in json.loads(out)] == [listed[-1], first]


def test_sipri_deals_answer_to_typed_refs_their_prefixes_and_their_old_opaque_refs(
    sipri_db: str,
) -> None:
    """The sample's S-400 row is 'russia-india-s400-triumf-2018'; the ref it took before refs
    were readable, 'sipri-tr-' and the hash of its fields (register.py), still names it."""
    s400, db = "russia-india-s400-triumf-2018", sipri_db
    assert s400 in [s["ref"] for s in json.loads(same(db, "--format", "json"))]
    fields = "\0".join(("India", "Russia", "2018", "S-400 Triumf", "SAM system")).casefold()
    old = "sipri-tr-" + hashlib.sha256(fields.encode()).hexdigest()[:16]
    for fmt in FORMATS:
        for named in (s400, "russia-india-s4", old):
            out = same(db, named, "--format", fmt)
            assert s400 in out and old not in out, (named, fmt)
    [answer] = json.loads(same(db, old, "--format", "json"))
    assert answer["sipri"]["key"] == old.replace("sipri-tr-", "sipri-tr:")
    # A beginning two deals share is the full path's to refuse, listing both.
    assert quick(db, "canada-mexico") == (None, "")


def test_the_seeded_answer_lists_the_seeded_contracts(tmp_path: Path) -> None:
    db = _made(str(tmp_path / "tracker.db"), "seeded")
    assert [s["ref"] for s in json.loads(same(db, "--format", "json"))] == SEEDED_REFS


_PARTIES = st.sampled_from(["India", "Russia", "United States", "Turkey", "Pakistan", "UK"])
_OPTIONS = st.fixed_dictionaries(
    {},
    optional={
        "--buyer": _PARTIES,
        "--seller": _PARTIES,
        "--country": _PARTIES,
        "--system": st.sampled_from(["S-400", "ak", "f-16", "%", "_", "Su"]),
        "--search": st.sampled_from(["air", "air defence", "sam", "rifle", "aircraft", "t"]),
        "--signed": st.sampled_from(["2018", "2015-2020", "2021-12", "1990-2030"]),
        "--state": st.sampled_from(STATES),
        "--sort": st.sampled_from(SORTS),
        "--limit": st.integers(1, 5).map(str),
        "--format": st.sampled_from(FORMATS),
    },
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(options=_OPTIONS, overdue=st.booleans())
def test_random_questions_get_the_full_paths_answer(
    db: str, options: dict[str, str], overdue: bool
) -> None:
    args = [part for pair in options.items() for part in pair]
    same(db, *args, *(["--overdue"] if overdue else []))


def test_what_it_cannot_answer_exactly_it_leaves_to_the_full_path(db: str) -> None:
    declined = [
        ("--as-of", "2022-12-31"),
        ("--known-at", "2024-04-30"),
        ("--help",),
        ("--limit", "0"),
        ("--format", "html"),
        ("--buyer",),
        ("no-such-contract",),
        ("--sort", "price"),
    ]
    for args in declined:
        assert quick(db, *args) == (None, ""), args


def _append_unprojected(db: str) -> str:
    """A new contract appended through the store alone: the read models do not know it."""
    tracker = Tracker.open(db)
    try:
        signed = next(e for e in tracker.events() if e.event_type == "ContractSigned")
        ref = "unprojected-2026"
        event = NewEvent(
            event_id="00000000-0000-4000-8000-000000000026",
            event_type=signed.event_type,
            schema_version=signed.schema_version,
            occurred=signed.occurred,
            payload={**signed.payload, "reference": ref},
            metadata=signed.metadata,
        )
        tracker.store.append(f"contract:{ref}", [event])
    finally:
        tracker.close()
    return ref


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def seeded(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield _made(str(tmp_path / "tracker.db"), "seeded")
        return
    need_postgres()
    with fresh_pg_schema() as url:
        yield _made(url, "seeded")


def test_an_event_the_projections_lack_sends_status_the_full_way(seeded: str) -> None:
    ref = _append_unprojected(seeded)
    assert quick(seeded, "--format", "json") == (None, "")
    code, out = full(seeded, "--format", "json")
    assert code == 0
    assert [s["ref"] for s in json.loads(out)] == sorted([*SEEDED_REFS, ref])
    # The full path folded the log: a read leaves the read models behind, as they were.
    assert quick(seeded, "--format", "json") == (None, "")
    caught_up = Cli(seeded).ok("projections", "catch-up")
    assert caught_up == "Read models level with the log (1 event applied).\n"
    same(seeded, "--format", "json")  # level again: quick again


@pytest.mark.parametrize(
    "change",
    [
        "UPDATE projection_checkpoints SET position = position - 1 WHERE name = 'contracts'",
        "UPDATE projection_checkpoints SET version = 99 WHERE name = 'joint_ventures'",
        "DELETE FROM projection_checkpoints WHERE name = 'topics'",
    ],
)
def test_checkpoints_behind_or_of_another_version_send_status_the_full_way(
    seeded: str, change: str
) -> None:
    before = same(seeded)
    tracker = Tracker.open(seeded)
    try:
        with tracker.engine.begin() as conn:
            conn.exec_driver_sql(change)
    finally:
        tracker.close()
    assert quick(seeded) == (None, "")
    assert full(seeded) == (0, before)


def test_the_database_is_found_as_the_full_path_finds_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = _made(str(tmp_path / "tracker.db"), "seeded")
    monkeypatch.chdir(tmp_path)
    answers = []
    for variables in ({"TRACKER_DATABASE_URL": None}, {"TRACKER_DATABASE_URL": db}):
        out = io.StringIO()
        with env(TRACKER_TODAY=TODAY, **variables, **{FULL_PATH: None}):
            assert run(["status", "--format", "csv"], out) == 0
        answers.append(out.getvalue())
    assert answers == [full(db, "--format", "csv")[1]] * 2


def test_the_tracker_command_takes_the_quick_path_unless_told_not_to(tmp_path: Path) -> None:
    db = _made(str(tmp_path / "tracker.db"), "seeded")
    code = (
        "import sys\n"
        "from tracker.cli.main import main\n"
        "try:\n"
        "    main()\n"
        "finally:\n"
        "    print('sqlalchemy' in sys.modules)\n"
    )
    answers = []
    for forced in ({}, {FULL_PATH: "1"}):
        variables = {k: v for k, v in os.environ.items() if k != "TRACKER_DATABASE_URL"}
        variables = {k: v for k, v in variables.items() if k != FULL_PATH}
        variables |= {"TRACKER_TODAY": TODAY, **forced}
        argv = [sys.executable, "-c", code, "--db", db, "status", "--buyer", "India"]
        done = subprocess.run(argv, capture_output=True, text=True, env=variables, check=True)
        answers.append(done.stdout.rsplit("\n", 2))
    (quick_out, quick_sqlalchemy, _), (full_out, full_sqlalchemy, _) = answers
    assert (quick_sqlalchemy, full_sqlalchemy) == ("False", "True")
    assert quick_out == full_out
    assert all(ref in quick_out for ref in SEEDED_REFS)


@pytest.mark.parametrize(
    ("text", "human"),
    [
        ("2021-12-06", "6 Dec 2021"),
        ("2021-12", "Dec 2021"),
        ("2021-Q4", "Q4 2021"),
        ("2026-H1", "H1 2026"),
        ("mid 2022", "mid-2022"),
        ("early 2022~", "~early 2022"),
        ("2021?", "2021?"),
        ("2021%", "~2021?"),
        ("by 2023", "by end 2023"),
        ("by 2025-12-31", "by end 2025"),
        ("by 2026-05", "by end May 2026"),
        ("by late 2026", "by late 2026"),
        ("by 2026-Q2~", "~by end Q2 2026"),
        ("2026/2027", "2026-27"),
        ("1999/2001", "1999-2001"),
        ("2025-07/2025-08", "Jul-Aug 2025"),
        ("2025-11/2026-02", "Nov 2025-Feb 2026"),
        ("2021-12-06/2021-12-20", "6-20 Dec 2021"),
        ("2021-11-06~/2021-12-20~", "~6 Nov-20 Dec 2021"),
        ("2024-Q1/2024-Q3", "Q1-Q3 2024"),
        ("unknown", "undated; no dated source"),
        ("+32 months after production start", "32 months after production start"),
        ("+1 month after signing", "1 month after signing"),
    ],
)
def test_stored_dates_read_as_the_domain_reads_them(text: str, human: str) -> None:
    from tracker.domain.values.dates import FuzzyDate

    parsed = FuzzyDate.parse(text)
    assert str(parsed) == text  # a canonical form, as the tables store them
    assert quick_dates.spoken(text) == parsed.human() == human


@pytest.mark.parametrize(
    "text", ["6 Dec 2021", "2021-11-06/2021-12-20~", "2026-27", "2021-q4", "by end 2023", "~2021"]
)
def test_a_date_text_that_is_not_canonical_is_left_to_the_full_path(text: str) -> None:
    from tracker.cli.quick.errors import Unhandled

    with pytest.raises(Unhandled):
        quick_dates.spoken(text)


def test_the_quick_paths_copies_of_the_codes_constants_match_it() -> None:
    from tracker.cli.output import FORMATS as CLI_FORMATS
    from tracker.cli.quick import argv, cells, db
    from tracker.domain.values import quantity
    from tracker.projections.registry import VERSIONS
    from tracker.store.schema import SCHEMA_REVISION

    assert (db.SCHEMA_REVISION, db.VERSIONS) == (SCHEMA_REVISION, VERSIONS)
    assert argv.FORMATS == CLI_FORMATS == FORMATS
    # Units are the domain's own words (tracker.domain.values.units), not a copy.
    assert cells.plural is quantity.plural


ODD_VALUES = [
    {"text": 'tab\there\nline\r\x00\x1f\x7f\x85\u2028\u2029\u202e"q"\\/é←😀', "n": -(2**63)},
    {"empty": {}, "none": [], "nested": [{"a": None, "b": True, "c": False, "d": 2**64 - 1}]},
    {"past 64 bits": 2**64, "lone surrogate": "\ud800"},  # orjson refuses: json answers
]


def test_orjson_writes_the_bytes_json_writes_for_every_status(db: str) -> None:
    from tracker.cli.quick.status import encoded

    code, out = full(db, "--format", "json")
    assert code == 0
    statuses = json.loads(out)
    assert statuses  # every contract of the seeded or SIPRI data, as the full path gives them
    for value in [statuses, *statuses, *ODD_VALUES, ODD_VALUES]:
        assert encoded(value) == json.dumps(value, indent=2, ensure_ascii=False)


@settings(max_examples=400, deadline=None)
@given(
    text=st.text(alphabet=st.sampled_from(" ab-\t\n\u00a0\u3000x←é\x0b\r"), max_size=30),
    width=st.integers(min_value=1, max_value=12),
)
def test_cells_wrap_as_the_cli_wraps_them(text: str, width: int) -> None:
    from tracker.cli.output import _wrapped
    from tracker.cli.quick.cells import _wrapped as quick_wrapped

    assert quick_wrapped(text, width) == _wrapped(text, width)
