"""The web application: routes, templates, security headers and error pages.

Every page is rendered by Jinja2 with autoescape on; the reports' macros and stylesheet are
shared, so a page words a timeline, a citation and a link exactly as a report does. A
Content-Security-Policy lets a page load only from this server: no script at all, styles
and images from 'self' only.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING, Any

import anyio.to_thread
from jinja2 import ChoiceLoader, Environment, PackageLoader
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from tracker.errors import InvalidInputError, StoreError, TrackerError
from tracker.web.query import NotFoundError, link

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

    from tracker.service.app import Tracker

CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
#: Pages rendered at once in one process (the others wait for a thread).
PAGE_THREADS = 4
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
]


@cache
def environment() -> Environment:
    """The reports' environment (filters, autoescape) with the web's templates first."""
    from tracker.reports.html import environment as report_environment

    env = report_environment().overlay(
        loader=ChoiceLoader(
            [
                PackageLoader("tracker.web", "templates"),
                PackageLoader("tracker.reports", "templates"),
            ]
        )
    )
    env.globals["link"] = link
    env.filters["combine"] = lambda base, more: {**base, **more}
    return env


def render(template: str, status: int = 200, **context: Any) -> HTMLResponse:
    html = environment().get_template(template).render(**context)
    return HTMLResponse(html, status_code=status)


def create_app(tracker: Tracker) -> Starlette:
    """The read-only site over ``tracker`` (opened with ``readonly.open_read_only``)."""
    from tracker.web import pages, trends

    routes = [
        Route("/", pages.deals),
        Route("/deals.csv", pages.deals_csv),
        Route("/deals.json", pages.deals_json),
        Route("/deals/{ref}", pages.deal),
        Route("/deals/{ref}/chart-{number:int}.svg", pages.chart),
        Route("/log", pages.log),
        Route("/trends", trends.page),
        Route("/trends/chart-{number:int}.svg", trends.chart),
        Route("/style.css", stylesheet),
    ]
    app = Starlette(
        routes=routes,
        lifespan=_lifespan,
        exception_handlers={
            InvalidInputError: _bad_parameter,
            NotFoundError: _not_found,
            StoreError: _unavailable,
            TrackerError: _failed,
            HTTPException: _http_error,
        },
    )
    app.state.tracker = tracker
    _warm()
    return SecurityHeaders(app)  # type: ignore[return-value]


@asynccontextmanager
async def _lifespan(_app: Starlette) -> AsyncIterator[None]:
    # Pages are CPU-bound under one GIL: more threads at once only share it worse, and
    # every answer is late. Requests beyond these wait in line, cheaply.
    anyio.to_thread.current_default_thread_limiter().total_tokens = PAGE_THREADS
    yield


def _warm() -> None:
    """Import what the pages use and compile their templates now, not in a first request:
    the charts' module alone (matplotlib) takes a second, during which a worker answers
    nobody."""
    import tracker.reports.charts
    import tracker.reports.facts
    import tracker.reports.model  # noqa: F401

    for name in ("deals.html.j2", "deal.html.j2", "log.html.j2", "error.html.j2"):
        environment().get_template(name)
    _css()


def stylesheet(_request: Request) -> Response:
    return Response(_css(), media_type="text/css")


@cache
def _css() -> str:
    report = files("tracker.reports").joinpath("templates/style.css").read_text("utf-8")
    web = files("tracker.web").joinpath("templates/web.css").read_text("utf-8")
    return f"{report}\n{web}"


def _error(request: Request, status: int, title: str, message: str) -> HTMLResponse:
    return render("error.html.j2", status, title=title, message=message, path=request.url.path)


def _bad_parameter(request: Request, exc: Exception) -> Response:
    return _error(request, 400, "Bad request", str(exc))


def _not_found(request: Request, exc: Exception) -> Response:
    return _error(request, 404, "Not found", str(exc))


def _unavailable(request: Request, exc: Exception) -> Response:
    return _error(request, 503, "Cannot read the record", str(exc).splitlines()[0])


def _failed(request: Request, exc: Exception) -> Response:
    return _error(request, 500, "Cannot show this page", str(exc).splitlines()[0])


def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    title = "Not found" if exc.status_code == 404 else "Request refused"
    return _error(request, exc.status_code, title, str(exc.detail))


class SecurityHeaders:
    """Adds the CSP and its companions to every response (pages, CSV, charts, errors)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *HEADERS]
            await send(message)

        await self.app(scope, receive, with_headers)
