"""Charts show every promised date and the deliveries, and render to the same bytes each time."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import textwrap

from matplotlib.figure import Figure
from matplotlib.text import Annotation

from tracker.reports import charts
from tracker.reports.model import timeline_of
from tracker.service.app import Tracker


def drawn(tracker: Tracker, ref: str, kind: str) -> Figure:
    section = timeline_of(tracker, [ref]).sections[0]
    chart = next(c for c in charts.charts_for(section) if c.kind == kind)
    fig = Figure()
    chart.draw(fig)
    return fig


def markers(fig: Figure, shape: str) -> int:
    return sum(1 for line in fig.axes[0].lines if line.get_marker() == shape)


def test_the_schedule_chart_shows_every_due_date_each_milestone_had(shared: Tracker):
    fig = drawn(shared, "s400-india-2018", "schedule")
    # Every squadron was first due by 2020 (the 2018 plan); squadrons 1-3 then had one date
    # more (the 2021 schedule), the 4th six more and the 5th five.
    assert markers(fig, "D") == 2 + 2 + 2 + 7 + 6
    arrows = [a for a in fig.axes[0].texts if isinstance(a, Annotation) and a.arrow_patch]
    assert len(arrows) == 1 + 1 + 1 + 6 + 5  # each revision joined to the one before
    assert markers(fig, "o") == 3  # three deliveries
    labels = [t.get_text() for t in fig.axes[0].texts if t.get_text()]
    assert "due by end May 2026, 5 months overdue" in labels
    assert "delivered Dec 2021" in labels and "due 2027" in labels


def test_the_joint_venture_chart_projects_output_to_the_ordered_quantity(shared: Tracker):
    fig = drawn(shared, "ak203-india-2021", "production")
    ax = fig.axes[0]
    reported = next(line for line in ax.lines if line.get_label() == "reported")
    assert list(reported.get_ydata()) == [35000, 47516]
    # Aaj Tak's "about 48,000" is an estimate: a hollow dot, never drawn as exact.
    estimate = next(line for line in ax.lines if line.get_label() == "estimate")
    assert list(estimate.get_ydata()) == [48000]
    texts = [t.get_text() for t in ax.texts]
    assert "about 48,000 made by 15 Aug 2025" in texts
    assert "ordered: 601,427 rifles" in texts
    assert "at the recent rate: complete 29 Oct 2072 →" in texts  # beyond the axis: said in words
    assert "70,000 due by end 2025" in texts


def test_a_contract_without_milestones_or_joint_venture_has_no_chart(shared: Tracker):
    section = timeline_of(shared, ["ak200-india-2021-emergency"]).sections[0]
    assert charts.charts_for(section) == []


def test_a_chart_renders_to_the_same_svg_and_png_bytes_twice(shared: Tracker):
    section = timeline_of(shared, ["s400-india-2018"]).sections[0]
    chart = charts.charts_for(section)[0]
    assert charts.svg(chart) == charts.svg(chart)
    assert charts.png(chart) == charts.png(chart)
    svg = charts.svg(chart)
    assert svg.startswith("<svg") and "<dc:date>" not in svg
    assert 'id="s400-india-2018-schedule-' in svg and 'id="figure_1"' not in svg


RENDER = textwrap.dedent(
    """
    import hashlib, sys
    from datetime import date
    from tracker.service.app import Tracker
    from tracker.reports.html import render_timeline_html
    from tracker.reports.model import timeline_of
    t = Tracker.open(sys.argv[1])
    t.today = lambda: date(2026, 11, 24)
    print(hashlib.sha256(render_timeline_html(timeline_of(t)).encode()).hexdigest())
    """
)


def test_the_html_report_is_identical_across_processes(seeded_db: str):
    digests = [
        subprocess.run(
            [sys.executable, "-c", RENDER, seeded_db],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    ]
    assert digests[0] == digests[1] and len(digests[0].strip()) == len(hashlib.sha256().hexdigest())


LAZY = textwrap.dedent(
    """
    import sys
    from click.testing import CliRunner
    from tracker.cli.main import COMMANDS, cli
    COMMANDS.setdefault("report", "tracker.cli.reports:report")
    runner = CliRunner()
    db = sys.argv[1]
    for args in (["--help"], ["report", "--help"], ["report", "timeline", "--help"],
                 ["log", "--help"], ["--db", db, "status"],
                 ["--db", db, "report", "timeline", "--format", "csv"],
                 ["--db", db, "report", "timeline"]):
        result = runner.invoke(cli, args, catch_exceptions=False)
        assert result.exit_code == 0, (args, result.output)
    print(" ".join(m for m in ("matplotlib", "jinja2") if m in sys.modules) or "neither")
    """
)


def test_help_status_and_text_reports_never_import_matplotlib_or_jinja2(seeded_db: str):
    result = subprocess.run(
        [sys.executable, "-c", LAZY, seeded_db], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "neither"
