"""The trends page: partners' shares of SIPRI's TIV by period, as ``tracker trends`` has them.

The question comes from the query string, as the command's options (recipient, supplier,
periods, yearly, top, system, category); the table, notes and charts are the trends
report's. Trends count whole delivery years, so the page keeps ``as_of`` in its links but
its figures follow ``known_at`` only, and the page says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response

from tracker.errors import DomainError
from tracker.web import cache
from tracker.web.app import render
from tracker.web.pages import common, tracker_of
from tracker.web.query import BadParameterError, NotFoundError, choice, only, read_when, whole

if TYPE_CHECKING:
    from tracker.domain.views.trends import Question
    from tracker.domain.views.trends_models import Trends
    from tracker.service.app import Tracker
    from tracker.web.query import When

#: The page's parameters: ``tracker trends``' options, by the same names.
PARAMS = ("recipient", "supplier", "periods", "yearly", "top", "system", "category")
MAX_TOP = 50


def question(params: Mapping[str, str]) -> Question:
    """The trends question the parameters ask; a bad one names itself."""
    from tracker.domain.views.periods import parse_periods
    from tracker.domain.views.trends import Question

    given = {k: params[k].strip() for k in PARAMS if params.get(k, "").strip()}
    if "recipient" in given and "supplier" in given:
        raise BadParameterError("supplier", "give a recipient or a supplier, not both")
    periods = None
    if "periods" in given:
        try:
            periods = parse_periods(given["periods"])
        except DomainError as e:
            raise BadParameterError("periods", str(e)) from e
    return Question(
        recipient=given.get("recipient"),
        supplier=given.get("supplier"),
        periods=periods,
        yearly=choice(params, "yearly", ("0", "1")) == "1",
        top=whole(params, "top", 5, 1, MAX_TOP),
        system=given.get("system"),
        category=given.get("category"),
    )


def answer(tracker: Tracker, q: Question, when: When) -> Trends:
    """The trends for ``q`` as the log held them ``when.known_at`` (kept per log head)."""
    key = ("trends", q, when.known_at, cache.head(tracker))
    return cache.RESULTS.get(key, lambda: tracker.trends(q, known_at=when.known_at))


def _read(request: Request) -> tuple[dict[str, str], When, Question]:
    params = dict(request.query_params)
    only(params, PARAMS)
    return params, read_when(params), question(params)


@cache.kept
def page(request: Request) -> Response:
    from tracker.reports import trends as r

    params, when, q = _read(request)
    chosen = {k: params[k].strip() for k in PARAMS if params.get(k, "").strip()}
    context: dict[str, Any] = {
        "chosen": chosen,
        "here": {**when.raw, **chosen},
        "problem": None,
        "title": "Trends",
    }
    try:
        found = answer(tracker_of(request), q, when)
    except DomainError as e:  # no SIPRI release imported yet: a page that says so
        context["problem"] = str(e)
    else:
        context |= {
            "title": r.title(found),
            "labels": r.labels(found),
            "rows": r.table_rows(found),
            "notes": r.notes(found),
            "charts": _captions(found),
        }
    return render("trends.html.j2", **context, **common(request, when, chosen))


@cache.kept
def chart(request: Request) -> Response:
    from tracker.reports import chart_trends

    _, when, q = _read(request)
    try:
        found = answer(tracker_of(request), q, when)
    except DomainError as e:
        raise NotFoundError(str(e)) from e
    drawn = chart_trends.charts_for(found) if _drawable(found) else []
    number = request.path_params["number"]
    if not 1 <= number <= len(drawn):
        raise NotFoundError(f"The trends have no chart {number}")
    return cache.svg_response(lambda: chart_trends.svg(drawn[number - 1]))


def _drawable(found: Trends) -> bool:
    return bool(found.periods) and any(p.tiv for p in found.periods)


def _captions(found: Trends) -> list[str]:
    from tracker.reports import chart_trends

    return [c.caption for c in chart_trends.charts_for(found)] if _drawable(found) else []
