"""Several writer processes on overlapping streams while a follower tails the log.

Every append that succeeded must be in the log exactly once; every append refused with
ConcurrencyError must be absent; the follower, reading ``position > last_seen``, must see
every event exactly once and in position order.
"""

from __future__ import annotations

import multiprocessing
import random
import threading
import time
from collections import Counter

import pytest

from tests.store.helpers import new_event
from tracker.errors import ConcurrencyError
from tracker.service.app import Tracker
from tracker.store.engine import connect
from tracker.store.eventstore import EventStore
from tracker.store.verify import verify

WRITERS = 4
APPENDS = 500
STREAMS = [f"contract:c{i}" for i in range(6)]


def write(url: str, writer: int, appends: int) -> tuple[list[str], list[str]]:
    """Append ``appends`` events, each at the version just read; retry on conflict."""
    engine = connect(url)
    store = EventStore(engine)
    rng = random.Random(writer)
    stored: list[str] = []
    refused: list[str] = []
    for i in range(appends):
        stream = rng.choice(STREAMS)
        while True:
            version = store.stream_version(stream)
            event = new_event(payload={"writer": writer, "i": i})
            try:
                store.append(stream, [event], version)
            except ConcurrencyError:
                refused.append(event.event_id)
                continue
            stored.append(event.event_id)
            break
    engine.dispose()
    return stored, refused


def follow(store: EventStore, seen: list[tuple[int, str]], stop: threading.Event) -> None:
    last = 0
    while True:
        done = stop.is_set()
        for e in store.read_all(after_position=last):
            seen.append((e.position, e.event_id))
            last = e.position
        if done:
            return
        time.sleep(0.005)


@pytest.mark.xdist_group("concurrency")
def test_concurrent_writers_lose_duplicate_and_reorder_nothing(tracker: Tracker):
    seen: list[tuple[int, str]] = []
    stop = threading.Event()
    follower = threading.Thread(target=follow, args=(tracker.store, seen, stop))
    follower.start()
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(WRITERS) as pool:
        results = pool.starmap(write, [(tracker.url, w, APPENDS) for w in range(WRITERS)])
    stop.set()
    follower.join()

    stored = [eid for ok, _ in results for eid in ok]
    refused = [eid for _, no in results for eid in no]
    log = list(tracker.store.read_all())
    log_ids = [e.event_id for e in log]

    assert len(stored) == WRITERS * APPENDS
    assert Counter(log_ids) == Counter(stored)  # nothing lost, nothing duplicated
    assert not set(refused) & set(log_ids)  # a refused append left no trace
    assert refused, "overlapping writers should have produced conflicts"
    assert [p for p, _ in seen] == list(range(1, len(log) + 1))  # in order, none missed
    assert [eid for _, eid in seen] == log_ids
    for stream in STREAMS:
        versions = [e.stream_version for e in log if e.stream_id == stream]
        assert versions == list(range(1, len(versions) + 1))
    assert verify(tracker.store).ok
