"""Export -> import -> export is byte-identical, on each engine and across the two."""

from __future__ import annotations

import io
from pathlib import Path

import orjson
import pytest

from tests.store.helpers import new_event
from tracker.domain.values.dates import FuzzyDate
from tracker.errors import InvalidInputError, StoreError
from tracker.service.app import Tracker
from tracker.store.transfer import import_lines
from tracker.store.verify import verify

DATES = ["2021-12", "by 2027", "2023-Q2", "2018-10-05"]


def fill(tracker: Tracker, n: int = 12) -> None:
    for i in range(n):
        tracker.store.append(
            f"contract:c{i % 3}",
            [
                new_event(
                    occurred=FuzzyDate.parse(
                        ["2021-12", "by 2027", "2023-Q2", "2018-10-05"][i % 4]
                    ),
                    payload={"text": f"Événement {i} — 'quoted' \"x\"", "q": i, "none": None},
                )
            ],
        )


def export_bytes(tracker: Tracker) -> bytes:
    out = io.BytesIO()
    tracker.export(out)
    return out.getvalue()


def load(tracker: Tracker, data: bytes):
    return import_lines(tracker.store, io.BytesIO(data), name="log.jsonl")


@pytest.fixture
def other(tmp_path: Path):
    t = Tracker.open(str(tmp_path / "other.db"), create=True)
    t.init()
    yield t
    t.close()


def test_export_import_export_is_byte_identical(tracker: Tracker, other: Tracker):
    fill(tracker)
    first = export_bytes(tracker)
    result = load(other, first)
    assert (result.read, result.imported, result.skipped) == (12, 12, 0)
    assert export_bytes(other) == first
    assert verify(other.store).ok
    back = Tracker.open(tracker.url)
    assert export_bytes(back) == first  # and the source is untouched


def test_the_round_trip_holds_from_sqlite_into_this_engine(tracker: Tracker, other: Tracker):
    fill(other)
    first = export_bytes(other)
    load(tracker, first)
    assert export_bytes(tracker) == first


def test_importing_again_skips_what_is_present_and_completes_a_prefix(
    tracker: Tracker, other: Tracker
):
    fill(tracker, 10)
    data = export_bytes(tracker)
    lines = data.splitlines(keepends=True)
    assert load(other, b"".join(lines[:4])).imported == 4
    result = load(other, data)
    assert (result.imported, result.skipped) == (6, 4)
    assert load(other, data).imported == 0
    assert export_bytes(other) == data


def test_a_database_that_diverges_from_the_file_is_refused(tracker: Tracker, other: Tracker):
    fill(tracker, 3)
    other.store.append("contract:x", [new_event()])
    with pytest.raises(StoreError, match=r"differs from log\.jsonl at position 1"):
        load(other, export_bytes(tracker))
    assert other.store.head_position() == 1


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda r: r.update(payload={"text": "changed"}), "hash of position 2 does not match"),
        (lambda r: r.update(position=7), "position 7 does not follow position 1"),
        (lambda r: r.pop("hash"), "missing hash"),
        (lambda r: r.update(stream_version="2"), "'stream_version' must be a whole number"),
        (lambda r: r.update(prev_hash="0" * 64), "the hash chain breaks at position 2"),
    ],
)
def test_a_broken_file_is_refused_and_writes_nothing(
    tracker: Tracker, other: Tracker, mutate, message
):
    fill(tracker, 4)
    lines = export_bytes(tracker).splitlines(keepends=True)
    record = orjson.loads(lines[1])
    mutate(record)
    lines[1] = orjson.dumps(record) + b"\n"
    with pytest.raises(InvalidInputError) as err:
        load(other, b"".join(lines))
    assert message in str(err.value) and "log.jsonl line 2" in str(err.value)
    assert other.store.head_position() == 0


def test_a_line_that_is_not_json_is_named(other: Tracker):
    with pytest.raises(InvalidInputError, match=r"log\.jsonl line 1: not valid JSON"):
        load(other, b"{not json\n")
