"""An event becomes the same stored row however cheaply it is built.

The seeded log (and two SIPRI samples) was written by the code under test, so the oracles
here are independent of it: the chain hash as first written (one joined message) and each
event's parts dumped by pydantic afresh. Re-encoding every stored event must give back its
row, byte for byte.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from tracker.domain.events.codec import encode, sources_json
from tracker.domain.values.sources import Source
from tracker.projections.decode import to_domain
from tracker.service.app import Tracker
from tracker.service.logged import new_event
from tracker.service.sipri import import_sipri
from tracker.store.hashing import chain_hash, hashed_fields
from tracker.store.rows import StoredRow, decode, new_row, row_hash

TODAY = date(2026, 11, 24)
SAMPLES = Path(__file__).resolve().parents[1] / "importers" / "fixtures"


def joined_chain_hash(prev_hash: str, fields: tuple[str, ...]) -> str:
    """The chain hash as first written: one message of length-prefixed parts."""
    parts = []
    for part in (prev_hash, *fields):
        data = part.encode()
        parts.append(len(data).to_bytes(8, "big"))
        parts.append(data)
    return hashlib.sha256(b"".join(parts)).hexdigest()


def spelled_row_hash(row: StoredRow) -> str:
    """A row's hash through hashed_fields, the documented order."""
    fields = hashed_fields(
        row.event_id,
        row.stream_id,
        row.stream_version,
        row.event_type,
        row.schema_version,
        row.occurred_precision,
        row.occurred_start or "",
        row.occurred_end,
        row.recorded_at,
        row.payload,
        row.metadata,
    )
    return joined_chain_hash(row.prev_hash, (str(row.position), *fields))


@pytest.fixture(scope="module")
def seeded_rows(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[StoredRow]]:
    t = Tracker.open(str(tmp_path_factory.mktemp("rows") / "t.db"), create=True)
    t.init()
    t.today = lambda: TODAY
    t.seed()
    for sample in ("by-delivery-year-2024-04-sample.csv", "register-2025-03-sample.csv"):
        import_sipri(t, SAMPLES / sample)
    yield list(t.store.read_raw())
    t.close()


def test_every_seeded_event_encodes_again_to_its_stored_row(seeded_rows: list[StoredRow]):
    assert len(seeded_rows) > 80
    assert len({r.event_type for r in seeded_rows}) > 10
    for row in seeded_rows:
        rec = decode(row)
        event = to_domain(rec).event
        actor, correlation = rec.metadata["actor"], rec.metadata["correlation_id"]
        e = new_event(event, row.event_id, actor, correlation)
        assert e.payload == rec.payload
        assert e.metadata == rec.metadata
        assert list(e.metadata) == ["actor", "sources", "correlation_id"] + (
            ["causation_id"] if "causation_id" in rec.metadata else []
        )
        built = new_row(
            row.position,
            row.stream_id,
            row.stream_version,
            e,
            row.recorded_at,
            row.prev_hash,
        )
        assert built == row


def test_the_hash_of_a_row_is_the_hash_first_written(seeded_rows: list[StoredRow]):
    for row in seeded_rows:
        assert row_hash(row) == spelled_row_hash(row) == row.hash


@pytest.mark.parametrize(
    "fields",
    [
        (),
        ("", "a", "ab"),
        ("Ελλάδα", "Türkiye", "日本", "x" * 4095, "y" * 4096, "z" * 70000),
        ("é" * 2048, "\u20ac" * 1366),  # around the table of prefixes, in bytes not chars
    ],
)
def test_the_chain_hash_is_the_joined_message_hash(fields: tuple[str, ...]):
    assert chain_hash("0" * 64, fields) == joined_chain_hash("0" * 64, fields)


def test_an_event_encodes_as_pydantic_dumps_it(seeded_rows: list[StoredRow]):
    for row in seeded_rows[:300]:
        event = to_domain(decode(row)).event
        enc = encode(event)
        assert enc.payload == event.model_dump(mode="json", exclude={"occurred", "sources"})
        assert enc.sources == [s.model_dump(mode="json") for s in event.sources]


def test_dumped_sources_are_fresh_dicts_each_time():
    source = Source(publisher="SIPRI", title="Register", published=date(2025, 3, 13))
    first = sources_json((source,))
    first[0]["title"] = "changed"
    again = sources_json((source,))
    same = sources_json((Source(publisher="SIPRI", title="Register", published="2025-03-13"),))
    assert again == same == [source.model_dump(mode="json")]
    assert again[0] is not same[0]


def test_sources_not_in_a_tuple_are_dumped_all_the_same():
    source = Source(url="https://www.example.org/story")
    assert sources_json([source]) == [source.model_dump(mode="json")]  # type: ignore[arg-type]
