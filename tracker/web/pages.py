"""The pages: deals (with CSV and JSON of the selection), a deal, its charts, and the log.

Each handler reads the query string, asks the service, and renders; handlers are plain
functions, which Starlette runs in its thread pool, as the service's reads are blocking.
A page's whole answer is kept (``cache.kept``) per URL, log head and day, so the same
question asked again is answered without asking the service again.
"""

from __future__ import annotations

import csv
import io
import json
import time
from collections import deque
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response

from tracker.errors import TrackerError
from tracker.inert import inert, inert_json
from tracker.web import cache, selection
from tracker.web.app import render
from tracker.web.query import AXES, NotFoundError, When, link, only, read_when, whole

if TYPE_CHECKING:
    from tracker.reports.model import TimelineReport
    from tracker.service.app import Tracker
    from tracker.store.verify import VerifyResult

#: The status fields a CSV row carries (the JSON carries every field).
CSV_FIELDS = (
    "ref", "system", "description", "buyer", "seller", "signed", "ordered", "delivered",
    "produced", "remaining", "unit", "percent", "value", "state", "last_delivery",
    "overdue_milestones", "as_of",
)  # fmt: skip
LOG_PAGE = 50
#: verify reads the whole log: its answer is kept per head, and checked again this often.
VERIFY_MAX_AGE_S = 600.0


def tracker_of(request: Request) -> Tracker:
    tracker: Tracker = request.app.state.tracker
    return tracker


def _page(request: Request, allowed: tuple[str, ...]) -> tuple[dict[str, str], When]:
    params = dict(request.query_params)
    only(params, allowed)
    return params, read_when(params)


def common(request: Request, when: When, keep: dict[str, str]) -> dict[str, Any]:
    """What the layout needs: the view sentence, the axes and the parameters to keep."""
    return {
        "when": when,
        "sentence": when.sentence(tracker_of(request).today()),
        "axes": when.raw,
        # The axes' query string, once: a page links dozens of deals with the same one.
        "axes_query": link("", when.raw),
        "path": request.url.path,
        "keep": {k: v for k, v in keep.items() if k not in AXES and k != "page"},
    }


@cache.kept
def deals(request: Request) -> Response:
    params, when = _page(request, selection.PARAMS)
    chosen = selection.select(tracker_of(request), params, when)
    return render(
        "deals.html.j2",
        sel=chosen,
        here={**when.raw, **chosen.chosen},
        facets=selection.FACETS,
        **common(request, when, chosen.chosen),
    )


@cache.kept
def deals_json(request: Request) -> Response:
    params, when = _page(request, selection.PARAMS)
    found = selection.everything(tracker_of(request), params, when)
    text = json.dumps([s.model_dump(mode="json") for s in found], indent=2, ensure_ascii=False)
    return Response(inert_json(text), media_type="application/json")


@cache.kept
def deals_csv(request: Request) -> Response:
    params, when = _page(request, selection.PARAMS)
    found = selection.everything(tracker_of(request), params, when)
    out = io.StringIO()
    writer = csv.DictWriter(out, CSV_FIELDS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for status in found:
        row = status.model_dump(mode="json")
        writer.writerow({k: _cell(row[k]) for k in CSV_FIELDS})
    return Response(
        inert(out.getvalue()),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": 'attachment; filename="deals.csv"'},
    )


def _cell(value: object) -> str:
    return "" if value is None else str(value)


@cache.kept
def deal(request: Request) -> Response:
    _, when = _page(request, ())
    report = _report(request, when)
    section = report.sections[0]
    from tracker.reports.charts import charts_for
    from tracker.reports.facts import header_facts

    return render(
        "deal.html.j2",
        report=report,
        section=section,
        facts=header_facts(section),
        charts=[c.caption for c in charts_for(section)],
        **common(request, when, {}),
    )


@cache.kept
def chart(request: Request) -> Response:
    _, when = _page(request, ())
    section = _report(request, when).sections[0]
    from tracker.reports import charts as drawing

    found = drawing.charts_for(section)
    number = request.path_params["number"]
    if not 1 <= number <= len(found):
        raise NotFoundError(f"{section.ref} has no chart {number}")
    return cache.svg_response(lambda: drawing.svg(found[number - 1]))


def _report(request: Request, when: When) -> TimelineReport:
    """The deal's report, as a timeline report has it; 404 for a ref not known in the view."""
    from tracker.reports.model import timeline_of

    ref = request.path_params["ref"]
    try:
        report = timeline_of(
            tracker_of(request), [ref], as_of=when.as_of, known_at=when.known_at, title=ref
        )
    except TrackerError as e:
        raise NotFoundError(f"No deal '{ref}' in this view ({e})") from e
    if len(report.sections) != 1 or report.sections[0].ref != ref:
        raise NotFoundError(f"No deal '{ref}' in this view")
    return report


def log(request: Request) -> Response:
    params, when = _page(request, ("after", "per"))
    tracker = tracker_of(request)
    per = whole(params, "per", LOG_PAGE, 1, 500)
    head = cache.head(tracker)
    checked = _verified(tracker, head)
    last = _last_position(tracker, when, head) if when.known_at else checked.head_position
    after = whole(params, "after", max(0, last - per), 0, max(last, 0))
    from tracker.service.eventlog import EventFilter

    # The log's reader gathers every correction and unit once: kept per head and view.
    reader = cache.RESULTS.get(
        ("event_log", when.known_at, head), lambda: tracker.event_log(when.known_at)
    )
    entries = reader.entries(EventFilter(after=after, limit=per))
    return render(
        "log.html.j2",
        entries=entries,
        checked=checked,
        after=after,
        per=per,
        last=last,
        deal_of=deal_of,
        sources_of=sources_of,
        **common(request, when, {"per": params.get("per", "")}),
    )


def _verified(tracker: Tracker, head: tuple[int, str]) -> VerifyResult:
    """verify's answer for this head, checked again once it is ``VERIFY_MAX_AGE_S`` old (a
    row changed under an unchanged head is caught then, or at the next event)."""
    epoch = int(time.monotonic() // VERIFY_MAX_AGE_S)
    checked: VerifyResult = cache.RESULTS.get(("verify", head, epoch), lambda: tracker.verify()[0])
    return checked


def _last_position(tracker: Tracker, when: When, head: tuple[int, str]) -> int:
    """The position of the last event the log held at ``when.known_at``."""

    def newest() -> int:
        last = deque(tracker.events(known_at=when.known_at), maxlen=1)
        return last[0].position if last else 0

    found: int = cache.RESULTS.get(("last", when.known_at, head), newest)
    return found


def deal_of(stream_id: str) -> str | None:
    """The deal an event belongs to, when its stream is a contract's."""
    kind, _, ref = stream_id.partition(":")
    return ref if kind == "contract" and ref else None


def sources_of(metadata: dict[str, Any]) -> list[dict[str, Any]]:
    """The sources an event cites, as stored (title, publisher, url may each be absent)."""
    found = metadata.get("sources")
    return [s for s in found if isinstance(s, dict)] if isinstance(found, list) else []
