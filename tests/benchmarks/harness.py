"""Shared machinery: a measurement in its own process, rounds, medians and ranges."""

from __future__ import annotations

import multiprocessing
import resource
import statistics
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import Any

#: One append: (stream, first version, number of events).
Batch = tuple[int, int, int]


@dataclass
class Sample:
    """One measurement: ``events`` written in ``seconds`` of timed work."""

    events: int
    seconds: float
    rss_mib: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        """Events per second."""
        return self.events / self.seconds if self.seconds else 0.0

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "events_per_s": round(self.rate, 1)}


class Stopwatch:
    """Adds up only the timed parts of a loop, so preparing inputs costs nothing.

    ``until_spent`` stops handing out work once ``budget_s`` of wall time has gone, so a
    system that turns out very slow still lets the run finish; its sample says so.
    """

    def __init__(self, budget_s: float = float("inf")) -> None:
        self.seconds = 0.0
        self.events = 0
        self.budget_s = budget_s
        self.stopped_early = False

    @contextmanager
    def timed(self) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds += time.perf_counter() - start

    def until_spent(self, batches: Iterable[Batch]) -> Iterator[Batch]:
        """The (stream, first version, count) batches, while the budget lasts."""
        deadline = time.perf_counter() + self.budget_s
        for batch in batches:
            if time.perf_counter() > deadline:
                self.stopped_early = True
                return
            yield batch
            self.events += batch[2]

    def sample(self, extra: dict[str, Any] | None = None) -> Sample:
        extra = dict(extra or {})
        if self.stopped_early:
            extra["stopped_at_budget_s"] = self.budget_s
        return Sample(self.events, self.seconds, extra=extra)


def peak_rss_mib() -> float:
    """Peak resident set size of this process so far, in MiB.

    Linux's ``VmHWM`` first: ``getrusage``'s ru_maxrss survives ``exec``, so in a spawned
    process it would report the parent's size at fork time if that was larger.
    """
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child(conn: Any, fn: Callable[..., Sample], args: tuple[Any, ...]) -> None:
    try:
        sample = fn(*args)
        sample.rss_mib = round(peak_rss_mib(), 1)
        conn.send(("ok", sample))
    except BaseException:
        conn.send(("error", traceback.format_exc()))
    finally:
        conn.close()


def in_child(fn: Callable[..., Sample], *args: Any, timeout_s: float | None = None) -> Sample:
    """Run ``fn(*args)`` in a fresh interpreter: no state shared between measurements,
    and its peak RSS is the measurement's own (interpreter and imports included).
    A measurement still running after ``timeout_s`` is killed and raises."""
    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, fn, args))
    proc.start()
    child.close()
    try:
        if not parent.poll(timeout_s):
            raise TimeoutError(f"no result after {timeout_s:.0f} s")
        status, value = parent.recv()
    except EOFError:
        status, value = "error", f"measurement process died (exit code {proc.exitcode})"
    except TimeoutError as e:
        status, value = "error", str(e)
    finally:
        proc.join(timeout=60)
        if proc.is_alive():
            proc.kill()
            proc.join()
    if status != "ok":
        raise RuntimeError(f"{getattr(fn, '__qualname__', fn)} failed:\n{value}")
    assert isinstance(value, Sample)
    return value


@dataclass(frozen=True, slots=True)
class Spread:
    """Median and range of a series of figures."""

    median: float
    low: float
    high: float

    @classmethod
    def of(cls, values: list[float]) -> Spread:
        return cls(statistics.median(values), min(values), max(values))

    def as_json(self) -> dict[str, float]:
        return {"median": self.median, "min": self.low, "max": self.high}


def rotated(items: list[str], by: int) -> list[str]:
    """The running order for one round: each system goes first in turn."""
    k = by % len(items) if items else 0
    return items[k:] + items[:k]
