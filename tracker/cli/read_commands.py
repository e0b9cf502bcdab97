"""The read commands over the views: status, schedule, production, agreements."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

import click

from tracker.cli.context import open_tracker
from tracker.cli.option_bundles import PAGE, filter_options, read_options
from tracker.cli.output import echo_json, echo_json_models, emit, emit_csv_rows, emit_record

if TYPE_CHECKING:
    from datetime import date, datetime

    from pydantic import BaseModel

    from tracker.domain.views import ScheduleView
    from tracker.projections.filters import ContractFilter


@click.command()
@click.argument("refs", nargs=-1, metavar="[REF]...")
@filter_options
@read_options
@click.pass_context
def status(
    ctx: click.Context,
    refs: tuple[str, ...],
    flt: ContractFilter,
    limit: int | None,
    fmt: str,
    as_of: date | None,
    known_at: datetime | None,
) -> None:
    """Where each contract stands.

    Ordered, delivered and remaining, the value (and the range sources reported), the
    state and the next milestone due: for every contract, or only the REFs named (a
    unique beginning of a ref will do). Values that sources report differently are all
    kept: the table shows the contract value and the range reported. The filters compose;
    a table shows 50 contracts unless --limit says otherwise.

    \b
    Example:
      tracker status
      tracker status s400-india-2018 --as-of 2022-01-01
      tracker status --buyer India --system S-400
      tracker status --country Turkey --signed 2015-2020 --format json
    """
    from tracker.cli.cells import STATUS_COLUMNS, status_csv_row, status_row

    page = limit or (None if fmt in ("json", "csv") or refs else PAGE)
    flt, tracker = replace(flt, limit=page), open_tracker(ctx)
    if fmt in ("json", "csv"):
        # Streamed: written as read, so all contracts never sit in memory at once.
        stream = tracker.contract_stream(flt, refs or None, as_of=as_of, known_at=known_at)
        if fmt == "json":
            echo_json_models(stream)
        else:
            cells = (status_csv_row(s, as_of=as_of is not None) for s in stream)
            emit_csv_rows(cells, STATUS_COLUMNS)
        return
    found, total = tracker.contracts(flt, refs or None, as_of=as_of, known_at=known_at)
    title = _title("Contracts", ctx, found[0].as_of if found else None)
    rows = [status_row(s) for s in found]
    emit(rows, STATUS_COLUMNS, fmt, title=title, empty="No contracts.")
    _more(total, len(found), fmt)


@click.command()
@click.argument("ref", required=False)
@click.option("--history", is_flag=True, help="Also show how each due date moved, and why.")
@filter_options
@read_options
@click.pass_context
def schedule(
    ctx: click.Context,
    ref: str | None,
    history: bool,
    flt: ContractFilter,
    limit: int | None,
    fmt: str,
    as_of: date | None,
    known_at: datetime | None,
) -> None:
    """Milestones of a contract: planned vs actual.

    Each milestone of contract REF (a unique beginning of a ref will do) with its current
    and first due date; with filters instead of a REF, the schedule of each contract they
    select (JSON: a list). A milestone is 'on time' or 'late' once delivered, else
    'pending' or 'overdue'; fuzzy dates are judged on their last possible day ('Dec 2021'
    against 'by 2023'). A deal with deliveries but no schedule (SIPRI's) shows each year's
    deliveries as a delivered milestone. JSON and CSV always carry each milestone's history.

    \b
    Example:
      tracker schedule s400-india-2018 --history
      tracker schedule s400-india-2018 --as-of 2024-01-01 --format json
      tracker schedule --buyer India --system AK --format csv
    """
    tracker = open_tracker(ctx)
    if ref is not None and not flt.narrows:
        views, total = [tracker.schedule(ref, as_of=as_of, known_at=known_at)], 1
    else:
        if ref is None and not flt.narrows:
            raise click.UsageError("Give a contract REF or a filter (--buyer, --system, ...)")
        page = limit or (None if fmt in ("json", "csv") else PAGE)
        views, total = tracker.schedules(
            replace(flt, limit=page), [ref] if ref else None, as_of=as_of, known_at=known_at
        )
    single = ref is not None and not flt.narrows
    _schedules(ctx, views, fmt, history=history, single=single)
    _more(total, len(views), fmt)


def _schedules(
    ctx: click.Context, views: list[ScheduleView], fmt: str, *, history: bool, single: bool
) -> None:
    from tracker.cli.cells import SCHEDULE_COLUMNS, history_csv

    if fmt == "json":
        dumped = _dumps(views)
        emit_record(dumped[0], fmt) if single else echo_json(dumped)
        return
    if fmt == "csv":
        rows = [
            {"contract": v.contract, **m.model_dump(mode="json"), "history": history_csv(m)}
            for v in views
            for m in v.milestones
        ]
        emit(rows, SCHEDULE_COLUMNS, fmt)
        return
    if not views:
        click.echo("No contracts.")
    for n, view in enumerate(views):
        if n:
            click.echo()
        _schedule_table(ctx, view, fmt, history)


def _schedule_table(ctx: click.Context, view: ScheduleView, fmt: str, history: bool) -> None:
    from tracker.cli.cells import HISTORY_COLUMNS, SCHEDULE_COLUMNS, history_rows, milestone_row

    title = _title(f"Schedule of {view.contract} ({view.unit})", ctx, view.as_of)
    rows = [milestone_row(m) for m in view.milestones]
    emit(rows, SCHEDULE_COLUMNS, fmt, title=title, empty="No milestones scheduled.")
    if history:
        moved = [r for m in view.milestones if len(m.history) > 1 for r in history_rows(m)]
        click.echo()
        emit(
            moved, HISTORY_COLUMNS, fmt, title="How the due dates moved", empty="No due date moved."
        )


def _more(total: int, shown: int, fmt: str) -> None:
    """Under a table cut at its limit: how many more there are."""
    if fmt in ("table", "md") and total > shown:
        click.echo(f"{total - shown} more: use --limit")


@click.command()
@click.argument("jv", required=False)
@filter_options(paging=False)
@read_options
@click.pass_context
def production(
    ctx: click.Context,
    jv: str | None,
    flt: ContractFilter,
    fmt: str,
    as_of: date | None,
    known_at: datetime | None,
) -> None:
    """Output of joint ventures, per contract.

    Weighed against the plan and the deadline, for each joint venture (or only JV) and
    contract: how many were made and of how many; the last report and how old it is; the
    recent rate (from reports at least six months apart), the planned rate and the rate
    needed to finish by the deadline, each beside the completion it gives; then a verdict.
    Plans (`tracker log production-plan`, or reports logged with --confidence planned)
    never count as made. The contract filters keep only the contracts they select.

    \b
    Example:
      tracker production irrpl
      tracker production --buyer India --format csv
    """
    from tracker.cli.cells import PRODUCTION_COLUMNS, production_row

    views = open_tracker(ctx).production(jv, as_of=as_of, known_at=known_at, flt=flt)
    if fmt == "json":
        emit(_dumps(views), [], fmt)
        return
    if fmt == "csv":
        rows = [
            {"joint_venture": v.joint_venture, "as_of": v.as_of, **c}
            for v in views
            for c in _dumps(v.contracts)
        ]
        emit(rows, PRODUCTION_COLUMNS, fmt)
        return
    rows = [production_row(v.joint_venture, c) for v in views for c in v.contracts]
    title = _title("Production", ctx, views[0].as_of if views else None)
    emit(rows, PRODUCTION_COLUMNS, fmt, title=title, empty="No production reported.")
    verdicts = [f"{c.contract}: {c.verdict}" for v in views for c in v.contracts]
    if verdicts:
        click.echo()
        for line in verdicts:
            click.echo(_verdict_line(line, fmt))


def _verdict_line(line: str, fmt: str) -> str:
    """A verdict as a Markdown list item, or wrapped to 80 columns under the table."""
    if fmt == "md":
        return f"- {line}"
    import textwrap

    return textwrap.fill(line, width=80, subsequent_indent="  ")


@click.command()
@click.option("--country", metavar="PARTY", help="Only agreements it is a party to.")
@read_options
@click.pass_context
def agreements(
    ctx: click.Context, country: str | None, fmt: str, as_of: date | None, known_at: datetime | None
) -> None:
    """Agreements and whether they are in force.

    Each agreement or programme with its parties and its validity after extensions.

    \b
    Example:
      tracker agreements --as-of 2030-01-01
      tracker agreements --country India
    """
    from tracker.cli.cells import AGREEMENT_COLUMNS, agreement_row

    tracker = open_tracker(ctx)
    found = tracker.agreements(as_of=as_of, known_at=known_at, country=country)
    if fmt in ("json", "csv"):
        emit(_dumps(found), AGREEMENT_COLUMNS, fmt)
        return
    title = _title("Agreements", ctx, as_of or tracker.today())
    rows = [agreement_row(a) for a in found]
    emit(rows, AGREEMENT_COLUMNS, fmt, title=title, empty="No agreements.")


def _dumps(models: Any) -> list[dict[str, Any]]:
    items: list[BaseModel] = list(models)
    return [m.model_dump(mode="json") for m in items]


def _title(what: str, ctx: click.Context, as_of: date | None) -> str:
    """'Contracts as of 1 Jan 2022', plus the record time when --known-at is given."""
    title = what if as_of is None else f"{what} as of {as_of.day} {as_of:%b %Y}"
    known_at = ctx.params.get("known_at")
    if known_at is not None:
        title += f", as known on {known_at:%Y-%m-%d %H:%M} UTC"
    return title
