"""Workload 8: writer processes appending one event per transaction, and a follower.

Each writer owns its streams (no version conflicts: this measures the write lock, not
retries). The writers start together at a barrier; throughput is every event written over
the time from the first writer's start to the last writer's end. Meanwhile a follower in
this process tails the log by position and must end up with every written event exactly
once, in increasing position order.
"""

from __future__ import annotations

import itertools
import multiprocessing
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.benchmarks.databases import Db
from tests.benchmarks.harness import Sample
from tests.benchmarks.payloads import PEER_TOPIC, delivery_payload, stream_name, stream_uuid

STREAMS_PER_WRITER = 10
_FOLLOWER_GRACE_S = 30.0
#: How long writer processes may take to start, and to finish after their budget.
_STARTUP_S = 60.0


@dataclass(frozen=True, slots=True)
class Writers:
    """``writers`` processes of ``appends`` single-event appends each."""

    writers: int
    appends: int

    @property
    def events(self) -> int:
        return self.writers * self.appends


@dataclass
class Followed:
    """What the follower saw: (position, event key) in the order it read them."""

    seen: list[tuple[int, str]] = field(default_factory=list)

    def problems(self, written: set[str], gapless: bool) -> list[str]:
        keys = [k for _, k in self.seen]
        positions = [p for p, _ in self.seen]
        found = []
        if len(keys) != len(set(keys)):
            found.append(f"{len(keys) - len(set(keys))} events seen twice")
        if missed := written - set(keys):
            found.append(f"{len(missed)} written events never seen")
        if any(b <= a for a, b in itertools.pairwise(positions)):
            found.append("positions went backwards")
        if gapless and positions != list(range(1, len(positions) + 1)):
            found.append("positions are not 1..N without gaps")
        return found


def _stream(writer: int, i: int) -> int:
    return writer * STREAMS_PER_WRITER + i % STREAMS_PER_WRITER


def tracker_writer(
    db: Db, writer: int, appends: int, budget_s: float, barrier: Any, out: Any
) -> None:
    from tests.benchmarks.tracker_side import new_event
    from tracker.store.engine import connect
    from tracker.store.eventstore import EventStore

    engine = connect(db.url)
    store = EventStore(engine)
    store.head_position()  # the pool's connection is open before the clock starts
    keys, versions = [], [0] * STREAMS_PER_WRITER
    barrier.wait()
    start = time.monotonic()
    for i in range(appends):
        if time.monotonic() - start > budget_s:
            break
        v = versions[i % STREAMS_PER_WRITER] = versions[i % STREAMS_PER_WRITER] + 1
        event = new_event(_stream(writer, i), v)
        store.append(stream_name(_stream(writer, i)), [event], v - 1)
        keys.append(event.event_id)
    out.put((start, time.monotonic(), keys))
    engine.dispose()


def tracker_follow(db: Db, followed: Followed, done: Callable[[], bool]) -> None:
    from tracker.store.engine import connect
    from tracker.store.eventstore import EventStore

    engine = connect(db.url)
    store = EventStore(engine)
    last = 0
    while not done():
        new = False
        for e in store.read_all(after_position=last):
            followed.seen.append((e.position, e.event_id))
            last, new = e.position, True
        if not new:
            time.sleep(0.002)
    engine.dispose()


def peer_writer(db: Db, writer: int, appends: int, budget_s: float, barrier: Any, out: Any) -> None:
    import orjson
    from eventsourcing.persistence import StoredEvent

    from tests.benchmarks import peer_side

    rec = peer_side.recorder(db)
    rec.max_notification_id()
    keys, versions = [], [0] * STREAMS_PER_WRITER
    barrier.wait()
    start = time.monotonic()
    for i in range(appends):
        if time.monotonic() - start > budget_s:
            break
        v = versions[i % STREAMS_PER_WRITER] = versions[i % STREAMS_PER_WRITER] + 1
        oid = stream_uuid(_stream(writer, i))
        state = orjson.dumps(delivery_payload(_stream(writer, i), v))
        rec.insert_events([StoredEvent(oid, v, PEER_TOPIC, state)])
        keys.append(f"{oid}:{v}")
    out.put((start, time.monotonic(), keys))
    peer_side.close(rec)


def peer_follow(db: Db, followed: Followed, done: Callable[[], bool]) -> None:
    from tests.benchmarks import peer_side

    rec = peer_side.recorder(db)
    last = 0
    while not done():
        page = rec.select_notifications(last, 1000, inclusive_of_start=False)
        for n in page:
            followed.seen.append((n.id, f"{n.originator_id}:{n.originator_version}"))
            last = n.id
        if not page:
            time.sleep(0.002)
    peer_side.close(rec)


SIDES: dict[str, tuple[Callable[..., None], Callable[..., None], bool]] = {
    # system: (writer, follower, positions are gapless)
    "tracker": (tracker_writer, tracker_follow, True),
    "peer": (peer_writer, peer_follow, False),
}


def run(system: str, db: Db, spec: Writers, budget_s: float) -> Sample:
    """Start the writers together, follow the log, and check what the follower saw."""
    writer, follow, gapless = SIDES[system]
    ctx = multiprocessing.get_context("spawn")
    barrier, out = ctx.Barrier(spec.writers + 1), ctx.Queue()
    procs = [
        ctx.Process(target=writer, args=(db, w, spec.appends, budget_s, barrier, out))
        for w in range(spec.writers)
    ]
    for p in procs:
        p.start()
    followed, written = Followed(), set[str]()
    stop_at: list[float] = []

    def done() -> bool:
        caught_up = stop_at and len(followed.seen) >= len(written)
        return bool(caught_up or (stop_at and time.monotonic() > stop_at[0]))

    follower = threading.Thread(target=follow, args=(db, followed, done), daemon=True)
    follower.start()
    try:
        barrier.wait(timeout=_STARTUP_S)
        # Read the results before joining: a writer cannot exit with its result unread.
        results = [out.get(timeout=budget_s + _STARTUP_S) for _ in procs]
        written.update(k for _, _, keys in results for k in keys)
    finally:
        stop_at.append(time.monotonic() + _FOLLOWER_GRACE_S)
        follower.join()
        for p in procs:
            p.join(timeout=_STARTUP_S)
            if p.is_alive():
                p.kill()
    start, end = min(r[0] for r in results), max(r[1] for r in results)
    problems = followed.problems(written, gapless)
    extra = {"writers": spec.writers, "follower_seen": len(followed.seen), "problems": problems}
    if any(len(keys) < spec.appends for _, _, keys in results):
        extra["stopped_at_budget_s"] = budget_s
    return Sample(len(written), end - start, extra={**extra, "stored": len(written)})
