"""Kill -9 a tracker command at a random moment of its run, chosen phase by phase.

A command that writes commits one or more times (an import once per batch, `log --file`
once). A calibration run to the end, watched from outside, gives when each commit became
visible and when the command ended. A trial then picks one phase of that run at random
(before the first commit, between two commits, or after the last one, while the command
catches the read models up and exits) and a random moment inside it, and sends SIGKILL to
the command's whole process group then. Picking the phase first makes the short gaps
between commits as likely a target as the long start-up.
"""

from __future__ import annotations

import json
import os
import random
import signal
import time
from dataclasses import dataclass

from tests.reliability.conftest import start
from tracker.store.engine import connect
from tracker.store.eventstore import EventStore

POLL_S = 0.005


@dataclass(frozen=True)
class Timing:
    """When each commit of a full run was first seen (seconds from start), and the end."""

    marks: tuple[int, ...]
    seen: tuple[float, ...]
    ended: float

    def dumps(self) -> str:
        return json.dumps([self.marks, self.seen, self.ended])

    @classmethod
    def loads(cls, text: str) -> Timing:
        marks, seen, ended = json.loads(text)
        return cls(tuple(marks), tuple(seen), ended)


@dataclass(frozen=True)
class Kill:
    """How a trial ended: whether the kill came before the command did, and its output."""

    phase: int
    killed: bool
    out: str
    err: str


class Watcher:
    """Reads the head of the log at ``url`` while another process writes to it."""

    def __init__(self, url: str) -> None:
        self.engine = connect(url)
        self.store = EventStore(self.engine)

    def head(self) -> int:
        return self.store.head_position()

    def close(self) -> None:
        self.engine.dispose()


def calibrate(url: str, args: tuple[str, ...], marks: tuple[int, ...]) -> Timing:
    """Run the command to the end, noting when the log reached each of ``marks``."""
    watcher = Watcher(url)
    began = time.perf_counter()
    proc = start(url, *args)
    seen: list[float] = []
    while proc.poll() is None:
        head = watcher.head()
        while len(seen) < len(marks) and head >= marks[len(seen)]:
            seen.append(time.perf_counter() - began)
        time.sleep(POLL_S)
    ended = time.perf_counter() - began
    out, err = proc.communicate()
    watcher.close()
    assert (proc.returncode, err) == (0, ""), out + err
    seen += [ended] * (len(marks) - len(seen))
    return Timing(marks, tuple(seen), ended)


def kill_at_random(url: str, args: tuple[str, ...], timing: Timing, rng: random.Random) -> Kill:
    """Start the command and SIGKILL its process group in a random phase of its run."""
    phase = rng.randrange(len(timing.marks) + 1)
    if phase == 0:
        after, lasting = 0, timing.seen[0]
    else:
        after = timing.marks[phase - 1]
        ends = timing.seen[phase] if phase < len(timing.marks) else timing.ended
        lasting = max(ends - timing.seen[phase - 1], POLL_S)
    delay = rng.uniform(0, lasting)
    watcher = Watcher(url)
    proc = start(url, *args)
    try:
        while proc.poll() is None and after and watcher.head() < after:
            time.sleep(POLL_S)
        since = time.perf_counter()
        while proc.poll() is None and time.perf_counter() - since < delay:
            time.sleep(POLL_S)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        watcher.close()
    return Kill(phase, proc.returncode == -signal.SIGKILL, out, err)
