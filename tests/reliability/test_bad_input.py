"""Bad input: hostile values for every `tracker log` option and hostile files for every import.

Whatever comes in, a command never shows a traceback: it succeeds (exit 0, nothing on
stderr, the log only grows), or it exits 1 with one line `Error: ...` on stderr, or 2 with
click's usage lines then one `Error: ...` line; and when it fails, `tracker export` before
and after is byte-identical. Valid text in any script is stored and read back exactly.
"""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.reliability.conftest import SOAK, Tally, fresh, invoke, ok
from tests.reliability.workload import event_records
from tracker.cli.log_command import log
from tracker.service.app import Tracker
from tracker.store.transfer import export_lines

FIXTURES = Path(__file__).resolve().parents[1] / "importers" / "fixtures"
EXAMPLES = 200 if SOAK else 25
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not SOAK,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
URL = "https://example.org/report"

# --- hostile values ----------------------------------------------------------------------

NASTY = [
    *["2021-13-01", "2021-02-30", "2021-00-10", "2021-Q5", "2021-Q0", "by", "by by 2021"],
    *["0000-01-01", "1899-12-31", "9999-12-31", "99999", "21", "2021-12-06T10:00", "12/06/2021"],
    *["0", "-1", "-0", "1.5", "1e3", "0x10", "NaN", "Infinity", "١٢", "６", "1_000"],
    *[str(10**30), str(-(10**30)), "9" * 400, "6,01,427", "1,2,3"],
    *["USD", "XYZ 5bn", "usd 5bn", "USD -5bn", "USD 0", "EUR 1e400", "5bn", "RUB ∞"],
    *["USD 5 bn bn", "INR 10**30 crore", f"USD {10**30}bn"],
    *["'); DROP TABLE events;--", '"; DELETE FROM events; --', "%s%s%s", "{0}{1}", "$(rm -rf /)"],
    *["", " ", "\t", "\n", "a\nb", "\r\n", "\x00", "caf\x00e", "\x1b[2J", "\u202eevil", "\ufeff"],
    *["caf\udce9", "x" * 10_000, "contract:", "topic:", "jv:NOPE", "no-such-contract"],
    *["S400 India", "UPPER-CASE", "a" * 300, "=", "A=", "=50", "A=101", "A=-1", "A=NaN"],
    *["quantity=", "quantity=10**30", "nope=1", "value=XYZ 1", "{", "[1,", "occurred=2021-13"],
    *["99999999", "00000000-0000-0000-0000-000000000000", "not-a-uuid", "1" * 40],
]
hostile = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=30),
    st.integers(-(10**30), 10**30).map(str),
    st.from_regex(r"\A(by )?-?\d{1,5}(-(Q\d|\d{1,3})(-\d{1,3})?)?\Z"),
)


# --- a valid command of each kind on the seeded log, with the slots to spoil -------------

VALID: dict[str, tuple[str, dict[str, Any]]] = {
    "agreement": (
        "bad-agreement",
        {"--title": "Programme", "--party": "India", "--valid-from": "2021", "--valid-to": "2031"},
    ),
    "extend": ("india-russia-mtc-2021-2031", {"--valid-to": "2035"}),
    "contract": (
        "bad-contract",
        {
            "--system": "Su-30MKI",
            "--buyer": "India",
            "--seller": "Russia",
            "--quantity": "12",
            "--unit": "aircraft",
            "--value": "USD 5bn",
        },
    ),
    "amend": ("s400-india-2018", {"--quantity": "6"}),
    "cancel": ("s400-india-2018", {"--reason": "sanctions"}),
    "figure": ("s400-india-2018", {"--value": "USD 5bn"}),
    "schedule": ("s400-india-2018", {"--milestone": ("squadron 9", "1", "2027")}),
    "revise": ("s400-india-2018", {"--milestone": "squadron 4", "--due": "2027"}),
    "delivery": ("s400-india-2018", {"--quantity": "1"}),
    "jv": ("bad-jv", {"--name": "Rifles Ltd", "--partner": "A=100"}),
    "production": ("irrpl", {"--contract": "ak203-india-2021", "--quantity": "100"}),
    "note": ("topic:bad-input", {"--text": "A note."}),
    "correct": ("5", {"--set": "text=A corrected note.", "--reason": "typo"}),
    "retract": ("5", {"--reason": "denied"}),
}
COMMON = {"--occurred": "2021-12", "--source": URL}


def slots(kind: str) -> list[str]:
    """Every value a person can type for ``kind``: its argument and each option's value."""
    command = log.commands[kind]
    names = [p.opts[0] for p in command.params if isinstance(p, click.Option) and not p.is_flag]
    return ["ARG", *names]


def command_line(kind: str, spoiled: dict[str, str], part: int) -> list[str]:
    """`log KIND ...` with the valid values, some of them replaced by ``spoiled`` ones."""
    argument, options = VALID[kind]
    values: dict[str, Any] = {**COMMON, **options}
    args = ["log", kind, spoiled.get("ARG", argument)]
    for name in dict.fromkeys([*values, *spoiled]):
        if name == "ARG":
            continue
        value = values.get(name)
        if name in spoiled:
            if isinstance(value, tuple):  # a LABEL QUANTITY DUE triple: spoil one part
                value = tuple(spoiled[name] if i == part % 3 else v for i, v in enumerate(value))
            else:
                value = spoiled[name]
        args += [name, *value] if isinstance(value, tuple) else [name, value]
    return args


# --- checking an outcome -----------------------------------------------------------------


def exported(tracker: Tracker) -> bytes:
    return b"".join(export_lines(tracker.store))


def check_outcome(
    url: str, tracker: Tracker, args: list[str], tally: Tally, *, notes: str = "\0"
) -> None:
    """Run the command; it succeeds and only appends, or fails cleanly and changes nothing.

    A success prints nothing on stderr but lines starting with ``notes`` (rows skipped).
    """
    before = exported(tracker)
    tally.trials += 1
    try:
        result = invoke(url, *args, tally=tally)
    except AssertionError:
        tally.failures += 1
        raise
    after = exported(tracker)
    lines = result.stderr.splitlines()
    if result.exit_code == 0:
        assert all(line.startswith(notes) for line in lines), result.stderr
        assert after.startswith(before)
        return
    if after != before:
        tally.failures += 1
    assert after == before, "a failed command changed the log"
    assert result.exit_code in (1, 2), result.output
    errors = [line for line in lines if line.startswith("Error:")]
    if result.exit_code == 2 and lines and lines[0].startswith("Usage: "):
        assert lines[1].startswith("Try '") and lines[2] == "", result.stderr
        lines = lines[3:]
    if not (len(lines) == 1 and len(errors) == 1 and lines[0].startswith("Error: ")):
        tally.failures += 1
        raise AssertionError(f"not one 'Error:' line: {result.stderr!r} for {args!r}")


@pytest.fixture(scope="module")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bad-input") / "seeded.db"
    ok(str(path), "init")
    ok(str(path), "seed")
    return path


@dataclass
class Seeded:
    """A seeded log on one engine, and a tracker reading it."""

    engine: str
    url: str
    tracker: Tracker


# PostgreSQL in soak runs only: it doubles the time and the values reach it the same way.
ENGINES = ["sqlite", *([pytest.param("postgresql", marks=pytest.mark.postgres)] if SOAK else [])]


@pytest.fixture(params=ENGINES)
def seeded(
    request: pytest.FixtureRequest, seeded_template: Path, tmp_path: Path
) -> Iterator[Seeded]:
    """A copy of the seeded SQLite log, or a seeded PostgreSQL schema."""
    if request.param == "sqlite":
        path = tmp_path / "seeded.db"
        shutil.copy(seeded_template, path)
        url = f"sqlite:///{path}"
        tracker = Tracker.open(url)
    else:
        url = request.getfixturevalue("pg_schema_url")
        tracker = fresh(url)
        tracker.seed()
    yield Seeded(request.param, url, tracker)
    tracker.close()


@pytest.mark.parametrize("kind", list(VALID))
def test_hostile_values_for_any_log_option_fail_cleanly_and_write_nothing(
    kind: str, seeded: Seeded, tally: Tally
) -> None:
    tally.campaign, tally.engine, tally.trials = "bad input: log options", seeded.engine, 0
    url, tracker = seeded.url, seeded.tracker
    spoilable = slots(kind)

    @SETTINGS
    @given(
        spoiled=st.dictionaries(st.sampled_from(spoilable), hostile, min_size=1, max_size=3),
        part=st.integers(0, 2),
    )
    def hostile_command(spoiled: dict[str, str], part: int) -> None:
        check_outcome(url, tracker, command_line(kind, spoiled, part), tally)

    hostile_command()


# --- hostile files -----------------------------------------------------------------------

hostile_json = st.one_of(
    hostile,
    st.integers(-(10**30), 10**30),
    st.sampled_from([10**30, -(10**30), 0, -1, 2**63, 2**64 + 1]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.none(),
    st.booleans(),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)
ENCODINGS = ["utf-16", "utf-32", "utf-8-sig", "latin-1", "cp1252", "utf-16-be"]
damage = st.one_of(
    st.tuples(st.just("truncate"), st.floats(0, 1)),
    st.tuples(st.just("junk"), st.floats(0, 1), st.binary(min_size=1, max_size=64)),
    st.tuples(st.just("encode"), st.sampled_from(ENCODINGS)),
    st.tuples(st.just("flip"), st.floats(0, 1), st.integers(0, 255)),
    st.tuples(st.just("binary"), st.binary(min_size=1, max_size=512)),
)


def damaged(data: bytes, how: tuple[Any, ...]) -> bytes:
    """``data`` truncated, with junk inserted, re-encoded, with a byte changed, or replaced."""
    kind = how[0]
    at = int(how[1] * len(data)) if kind in ("truncate", "junk", "flip") else 0
    if kind == "truncate":
        return data[:at]
    if kind == "junk":
        return data[:at] + how[2] + data[at:]
    if kind == "encode":
        return data.decode("utf-8", "replace").encode(how[1], "replace")
    if kind == "flip":
        return data[:at] + bytes([how[2]]) + data[at + 1 :]
    return bytes(how[1])


def spoiled_records(records: list[dict[str, Any]], spoil: tuple[int, str, Any]) -> list[Any]:
    """The records with one field of one of them set to a hostile value."""
    index, field, value = spoil
    out = json.loads(json.dumps(records))
    record = out[index % len(out)]
    record[field] = value
    return out


FIELDS = ["kind", "occurred", "quantity", "value", "contract", "reference", "milestones"]
FIELDS += ["sources", "id", "target", "event_id", "text", "subject", "label", "unit", "due"]


def event_file(records: list[Any], suffix: str) -> bytes:
    if suffix == ".yaml":
        return yaml.safe_dump(records, allow_unicode=True, sort_keys=False).encode()
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    return text.encode("utf-8", "surrogatepass")  # a lone surrogate makes invalid UTF-8


def test_a_hostile_event_file_fails_cleanly_and_logs_nothing(
    seeded: Seeded, tally: Tally, tmp_path: Path
) -> None:
    tally.campaign, tally.engine, tally.trials = "bad input: log --file", seeded.engine, 0
    url, tracker = seeded.url, seeded.tracker
    valid: list[Any] = event_records(12, seed=3)

    @SETTINGS
    @given(
        suffix=st.sampled_from([".jsonl", ".yaml", ".json", ".txt"]),
        spoil=st.none() | st.tuples(st.integers(0, 100), st.sampled_from(FIELDS), hostile_json),
        how=st.none() | damage,
    )
    def hostile_file(suffix: str, spoil: Any, how: Any) -> None:
        records = valid if spoil is None else spoiled_records(valid, spoil)
        data = event_file(records, ".yaml" if suffix == ".yaml" else ".jsonl")
        path = tmp_path / f"events{suffix}"
        path.write_bytes(damaged(data, how) if how is not None else data)
        check_outcome(url, tracker, ["log", "--file", str(path)], tally)

    hostile_file()


EXPORT_FIELDS = ["position", "event_id", "stream_id", "stream_version", "event_type"]
EXPORT_FIELDS += ["schema_version", "occurred_precision", "occurred_start", "occurred_end"]
EXPORT_FIELDS += ["recorded_at", "payload", "metadata", "prev_hash", "hash", "extra"]


def test_a_hostile_log_export_fails_cleanly_and_imports_nothing(
    seeded_template: Path, tally: Tally, tmp_path: Path
) -> None:
    tally.campaign, tally.engine, tally.trials = "bad input: import jsonl", "sqlite", 0
    source = Tracker.open(str(seeded_template))
    valid = [json.loads(line) for line in export_lines(source.store)]
    source.close()
    url = f"sqlite:///{tmp_path / 'target.db'}"
    tracker = fresh(url)

    @SETTINGS
    @given(
        spoil=st.none()
        | st.tuples(st.integers(0, 10**6), st.sampled_from(EXPORT_FIELDS), hostile_json),
        how=st.none() | damage,
    )
    def hostile_export(spoil: Any, how: Any) -> None:
        records = valid if spoil is None else spoiled_records(valid, spoil)
        data = b"".join(
            json.dumps(r, ensure_ascii=False).encode("utf-8", "surrogatepass") + b"\n"
            for r in records
        )
        path = tmp_path / "log.jsonl"
        path.write_bytes(damaged(data, how) if how is not None else data)
        check_outcome(url, tracker, ["import", "jsonl", str(path)], tally)

    try:
        hostile_export()
    finally:
        tracker.close()


def csv_spoiled(data: bytes, spoil: tuple[int, int, str]) -> bytes:
    """One field of one line of a SIPRI export (read as Latin-1) set to a hostile value."""
    line_no, field_no, value = spoil
    lines = data.decode("latin-1").split("\n")
    i = line_no % len(lines)
    fields = lines[i].split(",")
    fields[field_no % len(fields)] = value
    lines[i] = ",".join(fields)
    return "\n".join(lines).encode("latin-1", "replace")


@pytest.mark.parametrize("skip_bad_rows", [False, True], ids=["strict", "skip-bad-rows"])
def test_a_hostile_sipri_export_fails_cleanly_and_imports_nothing(
    seeded: Seeded, tally: Tally, tmp_path: Path, skip_bad_rows: bool
) -> None:
    tally.campaign, tally.engine, tally.trials = "bad input: import sipri", seeded.engine, 0
    url, tracker = seeded.url, seeded.tracker
    flag = ["--skip-bad-rows"] if skip_bad_rows else []

    @SETTINGS
    @given(
        fixture=st.sampled_from(sorted(FIXTURES.glob("*.csv"))),
        spoil=st.none() | st.tuples(st.integers(0, 100), st.integers(0, 30), hostile),
        how=st.none() | damage,
    )
    def hostile_sipri(fixture: Path, spoil: Any, how: Any) -> None:
        data = fixture.read_bytes()
        if spoil is not None:
            data = csv_spoiled(data, spoil)
        path = tmp_path / fixture.name
        path.write_bytes(damaged(data, how) if how is not None else data)
        command = ["import", "sipri", *flag, str(path)]
        check_outcome(url, tracker, command, tally, notes=f"Skipped {path.name} line ")

    hostile_sipri()


# --- valid text in any script is kept exactly ----------------------------------------------

SCRIPTS = st.one_of(
    st.characters(min_codepoint=0x0900, max_codepoint=0x097F),  # Devanagari (Hindi)
    st.characters(min_codepoint=0x0400, max_codepoint=0x04FF),  # Cyrillic (Russian)
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),  # CJK (Chinese)
    st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF),  # emoji
    st.sampled_from(list("'\"`\\ -,.;:()[]{}%$€₹₽¥/&<>#")),
    st.characters(codec="ascii", categories=["L", "N"]),
)
SAMPLES = [
    "भारत-रूस एस-400 सौदा",
    "С-400 «Триумф»",
    "S-400 凯旋 防空导弹系统",
    "🚀 delivered ✅ 🇮🇳🇷🇺",
    "O'Brien said \"it's done\"; `tick` \\ back",
    "'); DROP TABLE events;--",
]
texts = st.one_of(st.sampled_from(SAMPLES), st.text(SCRIPTS, min_size=1, max_size=60)).filter(
    lambda s: s == s.strip() and s != ""
)


def shown(url: str, logged: str) -> dict[str, Any]:
    """The event a `log` command reported, as `tracker show ID --format json` gives it."""
    event_id = logged.split("event id: ")[1].split()[0]
    record: dict[str, Any] = json.loads(ok(url, "show", event_id, "--format", "json"))
    return record


def test_text_in_any_script_is_stored_and_read_back_exactly(
    seeded: Seeded, tally: Tally, tmp_path: Path
) -> None:
    tally.campaign, tally.engine, tally.trials = "valid text round trip", seeded.engine, 0
    url = seeded.url

    @SETTINGS
    @given(text=texts, title=texts, suffix=st.sampled_from([".jsonl", ".yaml"]))
    def round_trip(text: str, title: str, suffix: str) -> None:
        tally.trials += 1
        source = ["--source", URL, "--source-title", title, "--publisher", title]
        note = ok(
            url, "log", "note", "topic:scripts", "--text", text, "--occurred", "2021", *source
        )
        record = shown(url, note)
        assert record["payload"]["text"] == text
        assert record["metadata"]["sources"][0]["title"] == title
        assert record["metadata"]["sources"][0]["publisher"] == title
        signed = ok(
            url, "log", "contract", f"script-{tally.trials}", "--system", text,
            "--description", title, "--buyer", "India", "--seller", "Russia", "--quantity", "1",
            "--unit", "unit", "--occurred", "2021", *source,
        )  # fmt: skip
        assert shown(url, signed)["payload"]["description"] == title
        event_id = str(uuid.uuid4())
        record_in = {"kind": "note", "subject": "topic:files", "text": text, "event_id": event_id}
        record_in |= {"occurred": "2022", "sources": [{"url": URL, "title": title}]}
        path = tmp_path / f"note{suffix}"
        path.write_bytes(event_file([record_in], suffix))
        ok(url, "log", "--file", str(path))
        record = shown(url, f"event id: {event_id}")
        assert (record["payload"]["text"], record["metadata"]["sources"][0]["title"]) == (
            text,
            title,
        )

    round_trip()
