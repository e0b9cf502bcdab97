"""Summaries of the samples: the printed table and the JSON figures."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Any

from tests.benchmarks.harness import Sample, Spread
from tests.benchmarks.workloads import Goal, Workload

#: VmHWM is in KiB; the goals are stated in MB.
_MB_PER_MIB = 1.048576


@dataclass
class Result:
    """Every sample of one workload on one engine, by system, in round order."""

    workload: Workload
    engine: str
    size: int
    samples: dict[str, list[Sample]] = field(default_factory=dict)
    budget_s: float | None = None
    #: Wall time of all its rounds, preparing databases included.
    wall_s: float = 0.0

    def rates(self, system: str) -> Spread | None:
        got = self.samples.get(system)
        return Spread.of([s.rate for s in got]) if got else None

    def ratio(self, other: str) -> Spread | None:
        """Tracker throughput over ``other``'s: ratio of medians, range of round pairs."""
        mine, theirs = self.rates("tracker"), self.rates(other)
        if not mine or not theirs or not theirs.median:
            return None
        pairs = [
            a.rate / b.rate
            for a, b in zip(self.samples["tracker"], self.samples[other], strict=False)
            if b.rate
        ]
        return Spread(mine.median / theirs.median, min(pairs), max(pairs))

    def verdicts(self) -> list[tuple[str, float, Spread | None, bool]]:
        out = []
        for other, target in self.workload.targets.items():
            ratio = self.ratio(other)
            out.append((other, target, ratio, bool(ratio and ratio.median >= target)))
        return out

    def goals(self) -> list[tuple[Goal, str, float | None]]:
        """Each goal for this engine with the tracker's figure (per view, where several)."""
        out = []
        for goal in self.workload.goals:
            if goal.engine in (None, self.engine):
                out += [
                    (goal, view, value)
                    for view, value in self.figure(goal.figure)
                    if goal.view in (None, view)
                ]
        return out

    def figure(self, name: str) -> list[tuple[str, float | None]]:
        """The tracker's figure ``name`` (see workloads.Goal), as (view, value) pairs."""
        got = self.samples.get("tracker", [])
        if not got:
            return [("", None)]
        if name == "events/s":
            rates = self.rates("tracker")
            return [("", rates.median if rates else None)]
        if name == "peak RSS MB":
            peaks = [s.rss_mib for s in got if s.rss_mib is not None]
            return [("", max(peaks) * _MB_PER_MIB if peaks else None)]
        if name == "process peak MB":
            peaks = [s.extra["process_peak_mib"] for s in got]
            return [("", max(peaks) * _MB_PER_MIB)]
        if name == "seconds":
            return [("", statistics.median(s.seconds for s in got))]
        if name == "p95 ms":  # workload 10: each page and mode of the last round
            return [(f"{w['page']} {w['mode']}", w["p95_ms"]) for w in got[-1].extra["web"]]
        if name == "time/floor":
            return [
                (command, mine.median / floor.median)
                for command, (mine, floor) in self.floored().items()
            ]
        if name == "time/smallest log":
            out: list[tuple[str, float | None]] = []
            for view, by_size in self.timings().items():
                sizes = sorted(by_size, key=int)
                small, large = by_size[sizes[0]], by_size[sizes[-1]]
                ratio = large.median / small.median if small.median else None
                out.append((f"{view} ({_size(int(sizes[-1]))} vs {_size(int(sizes[0]))})", ratio))
            return out
        raise ValueError(f"no figure {name!r}")

    def floored(self) -> dict[str, tuple[Spread, Spread]]:
        """Milliseconds of whole processes by command, and of the command's floor (6)."""
        got = self.samples.get("tracker", [])
        return {
            command: (
                Spread.of([t for s in got for t in s.extra["runs_ms"][command]]),
                Spread.of([t for s in got for t in s.extra["floor_runs_ms"][command]]),
            )
            for command in (got[0].extra["runs_ms"] if got else {})
        }

    def timings(self) -> dict[str, dict[str, Spread]]:
        """Milliseconds of single calls by view and log size (workload 7's samples)."""
        views: dict[str, dict[str, list[float]]] = {}
        for sample in self.samples.get("tracker", []):
            for view, by_size in sample.extra["runs_ms"].items():
                for size, runs in by_size.items():
                    views.setdefault(view, {}).setdefault(size, []).extend(runs)
        return {v: {n: Spread.of(r) for n, r in by.items()} for v, by in views.items()}

    def partial(self) -> list[str]:
        """Systems that ran out of time in some round."""
        stopped = "stopped_at_budget_s"
        return [s for s, got in self.samples.items() if any(stopped in x.extra for x in got)]

    def as_json(self) -> dict[str, Any]:
        return {
            "workload": self.workload.key,
            "title": self.workload.title,
            "notes": self.workload.notes,
            "engine": self.engine,
            "events": self.size,
            "budget_s": self.budget_s,
            "wall_s": round(self.wall_s, 1),
            "systems": {
                name: {
                    "events_per_s": r.as_json() if (r := self.rates(name)) else None,
                    "samples": [s.as_json() for s in got],
                }
                for name, got in self.samples.items()
            },
            "ratios": {
                f"tracker/{o}": r.as_json() if (r := self.ratio(o)) else None
                for o in self.samples
                if o != "tracker"
            },
            "targets": [
                {"versus": o, "at_least": t, "median": r.median if r else None, "met": ok}
                for o, t, r, ok in self.verdicts()
            ]
            + [
                {
                    "figure": g.figure,
                    "view": view or None,
                    "target": g.describe(),
                    "value": value,
                    "met": value is not None and g.met_by(value),
                }
                for g, view, value in self.goals()
            ],
            "unit": self.workload.unit,
        }


def _rate(value: float) -> str:
    if value >= 10_000:
        return f"{value / 1000:.0f}k"
    if value >= 1_000:
        return f"{value / 1000:.1f}k"
    return f"{value:.0f}"


def _spread(s: Spread | None, fmt: Any = _rate, suffix: str = "") -> str:
    if s is None:
        return "-"
    return f"{fmt(s.median)}{suffix} ({fmt(s.low)}-{fmt(s.high)})"


def _size(n: int) -> str:
    if n >= 1_000_000 and n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    return f"{n / 1000:g}k" if n % 1000 == 0 else f"{n:,}"


def _rss(result: Result) -> str:
    peaks = []
    for system in ("tracker", "peer", "raw"):
        got = [s.rss_mib for s in result.samples.get(system, []) if s.rss_mib is not None]
        peaks.append(f"{max(got):.0f}" if got and result.workload.measure_rss else "-")
    return "/".join(peaks)


def _ms(value: float) -> str:
    if value >= 100:
        return f"{value:.0f}ms"
    return f"{value:.1f}ms" if value >= 10 else f"{value:.2f}ms"


def _timed_rows(r: Result) -> list[tuple[str, ...]]:
    """Rows of a workload timing single processes or calls: median (min-max) in ms; the
    floor (if any) in the raw column, and the tracker's time over the floor's."""
    key, got = r.workload.key, r.samples.get("tracker", [])
    if got and "floor_of" in got[0].extra:
        runs = sum(s.events for s in got) // max(1, len(got[0].extra["runs_ms"]))
        return [
            (
                f"{key} tracker {command} ({runs} runs)",
                r.engine,
                _spread(mine, _ms),
                "-",
                _spread(floor, _ms),
                "-",
                f"{mine.median / floor.median:.2f}x time",
                _rss(r),
            )
            for command, (mine, floor) in r.floored().items()
        ]
    if got and "web" in got[-1].extra:  # workload 10: latency under load, per page and mode
        return [
            (
                f"{key} {w['page']} {w['mode']} ({w['requests']} requests, {w['errors']} errors)",
                r.engine,
                f"p50 {_ms(w['p50_ms'])} p95 {_ms(w['p95_ms'])}",
                *("-",) * 5,
            )
            for w in got[-1].extra["web"]
        ]
    if got and "runs_s" in got[0].extra:  # workloads 9: whole processes, their own peak
        times = Spread.of([t * 1000 for s in got for t in s.extra["runs_s"]])
        peak = max(s.extra["process_peak_mib"] for s in got)
        name = f"{key} {got[0].extra['command']} ({len(got[0].extra['runs_s'])} runs)"
        return [(name, r.engine, _spread(times, _ms), *("-",) * 4, f"{peak:.0f}")]
    return [
        (f"{key} {view} REF ({_size(int(size))})", r.engine, _spread(s, _ms))
        + ("-",) * 4
        + (_rss(r),)
        for view, by_size in r.timings().items()
        for size, s in sorted(by_size.items(), key=lambda kv: int(kv[0]))
    ]


def table(results: list[Result]) -> str:
    """The results as an aligned text table (events per second: median (min-max))."""
    ratio = _spread_ratio
    head: tuple[str, ...] = ("workload", "engine", "tracker ev/s", "peer ev/s", "raw ev/s")
    head += ("tracker/peer", "tracker/raw", "peak RSS MiB t/p/r")
    rows: list[tuple[str, ...]] = [head]
    for r in results:
        if r.workload.unit == "ms":
            rows += _timed_rows(r)
            continue
        name = f"{r.workload.key} {r.workload.title} ({_size(r.size)})"
        peer = _spread(r.rates("peer")) if "peer" in r.samples else r.workload.peer_figure
        rows.append(
            (
                name,
                r.engine,
                _spread(r.rates("tracker")) + ("*" if "tracker" in r.partial() else ""),
                peer + ("*" if "peer" in r.partial() else ""),
                _spread(r.rates("raw")) + ("*" if "raw" in r.partial() else ""),
                ratio(r.ratio("peer")),
                ratio(r.ratio("raw")),
                _rss(r),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(line.rstrip() for line in lines)


def _spread_ratio(s: Spread | None) -> str:
    return _spread(s, lambda v: f"{v:.2f}", "x")


def _figure(name: str, value: float | None) -> str:
    if value is None:
        return "n/a"
    if name == "events/s":
        return _rate(value)
    if name.startswith("time/"):
        return f"{value:.2f}x"
    return f"{value:.1f}" if name == "seconds" else f"{value:.0f}"


def verdict_lines(results: list[Result]) -> list[str]:
    lines = []
    for r in results:
        for goal, view, value in r.goals():
            mark = "met" if value is not None and goal.met_by(value) else "NOT met"
            what = f"{view} {goal.figure}" if view else goal.figure
            lines.append(
                f"{r.workload.key:<12} {r.engine:<10} tracker {what} {_figure(goal.figure, value)}"
                f" (target {goal.describe()}): {mark}"
            )
        for other, target, ratio, ok in r.verdicts():
            got = f"{ratio.median:.2f}x" if ratio else "n/a"
            mark = "met" if ok else "NOT met"
            lines.append(
                f"{r.workload.key:<12} {r.engine:<10} tracker/{other} {got} "
                f"(target >= {target}x): {mark}"
            )
        for system in r.partial():
            lines.append(
                f"{r.workload.key:<12} {r.engine:<10} * {system} hit the time budget: its rate "
                "covers only the events written before it"
            )
        for system, samples in r.samples.items():
            checked = [s.extra["problems"] for s in samples if "problems" in s.extra]
            if checked and not any(checked):
                lines.append(
                    f"{r.workload.key:<12} {r.engine:<10} {system} follower: every event seen "
                    f"once, in position order ({len(checked)}/{len(checked)} rounds)"
                )
            for problems in checked:
                for problem in problems:
                    lines.append(f"{r.workload.key:<12} {r.engine:<10} {system}: {problem}")
    return lines
