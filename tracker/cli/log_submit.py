"""Submitting what a `tracker log KIND` command was given: the --source options paired into
citations, the event(s) of KIND built and logged at once, one line reported per event.

The options themselves are option_bundles.event_options; KIND is the command's name.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

import click

from tracker.inert import inert, inert_json

if TYPE_CHECKING:
    from tracker.domain.events.event_base import DomainEvent
    from tracker.service.writes import Logged


def citations(
    urls: Sequence[str],
    titles: Sequence[str],
    publishers: Sequence[str],
    published: Sequence[date | None],
) -> list[dict[str, Any]]:
    """Pair the Nth of each --source option into one citation; refuse ambiguous counts."""
    n = max(len(urls), len(titles))
    if n == 0:
        raise click.UsageError("Give at least one --source URL (or --source-title).")
    given = {
        "--source": urls,
        "--source-title": titles,
        "--publisher": publishers,
        "--published": published,
    }
    for name, values in given.items():
        if values and len(values) != n:
            raise click.UsageError(
                f"{len(values)} {name} for {n} sources: give {name} once per source"
                " (use '' where unknown) or not at all."
            )
    _links(urls)
    out = []
    for i in range(n):
        fields = {
            "url": urls[i] if urls else None,
            "title": titles[i] if titles else None,
            "publisher": publishers[i] if publishers else None,
            "published": published[i] if published else None,
        }
        out.append({k: v for k, v in fields.items() if v not in (None, "")})
    return out


def _links(urls: Sequence[str]) -> None:
    """Refuse a --source that is not a link ('NDTV report', 'www.ndtv.com/x'): one line."""
    from tracker.domain.values.sources import link_problem
    from tracker.errors import InvalidInputError

    for url in urls:
        if url and (problem := link_problem(url)):
            raise InvalidInputError(problem)


def exactly_one(**options: Any) -> None:
    """Refuse unless exactly one of the named options was given."""
    given = [k for k, v in options.items() if v is not None]
    if len(given) != 1:
        names = " or ".join("--" + k.replace("_", "-") for k in options)
        raise click.UsageError(f"Give exactly one of {names}.")


def submit(
    ctx: click.Context,
    fields: Mapping[str, Any],
    common: Mapping[str, Any],
    *,
    each: Sequence[Mapping[str, Any]] = ({},),
    explicit: Mapping[str, Any] | None = None,
) -> None:
    """Build the event(s) of the command's kind from fields and the shared options (see
    option_bundles.event_options), log them, report.

    Fields left empty are dropped, except those in ``explicit`` (a quantity stated as
    unknown); ``each`` gives one set of extra fields per event (one per milestone, say).
    """
    from tracker.cli.context import open_tracker
    from tracker.cli.event_fields import build
    from tracker.service.refs import resolve_named

    kind = str(ctx.command.name)  # each `tracker log` subcommand is named by its event's kind

    sources = citations(
        common["sources"], common["source_titles"], common["publishers"], common["published"]
    )
    if common["event_id"] and len(each) > 1:
        raise click.UsageError("--event-id names one event; this logs several.")
    tracker = open_tracker(ctx)
    occurred = common["occurred"] or tracker.today().isoformat()
    shared = {"occurred": occurred, "sources": sources, "confidence": common["confidence"]}
    data = {k: v for k, v in {**fields, **shared}.items() if v not in (None, ())}
    data.update(explicit or {})
    # A prefix or an old SIPRI ref of an existing contract, JV or agreement: its full ref.
    data = resolve_named(tracker, kind, data)
    events = [build(kind, {**data, **extra}) for extra in each]
    logged = tracker.log(
        events,
        actor=common["actor"],
        event_ids=[common["event_id"]] * len(events),
        dry_run=common["dry_run"],
    )
    report(logged, dry_run=common["dry_run"])
    if common["dry_run"]:
        click.echo("Dry run: nothing written.")


def report(logged: Sequence[Logged], *, dry_run: bool, details: bool = True) -> None:
    """One line per event: stream, version, position and summary; then its id or, on a dry
    run, the event itself (unless ``details`` is off)."""
    for item in logged:
        verb = "Would log" if dry_run else "Already logged" if item.existed else "Logged"
        click.echo(
            f"{verb} {item.stream_id} v{item.stream_version} at position {item.position}:"
            f" {inert(item.summary)}"
        )
        if (matched := _matched(item.event)) is not None:
            click.echo(f"  {matched}")
        if details:
            shown = (
                inert_json(event_json(item.event)) if dry_run else f"  event id: {item.event_id}"
            )
            click.echo(shown)


def _matched(event: DomainEvent) -> str | None:
    """Which milestones an unlabelled delivery was matched to, in words (else None)."""
    from tracker.domain.events.catalogue import DeliveryRecorded
    from tracker.domain.rules.milestone_match import matched_words

    return matched_words(event) if isinstance(event, DeliveryRecorded) else None


def event_json(event: DomainEvent) -> str:
    """The event as it would be stored: its type and its fields, without empty ones."""
    body = {"type": event.type, **event.model_dump(mode="json", exclude_none=True)}
    return json.dumps(body, indent=2, ensure_ascii=False)
