"""What the site keeps between requests: answers and drawn charts, keyed by the log's head.

Every key holds everything its answer depends on (the ref or question, ``as_of``,
``known_at``) and the log's head (position and hash), so a new event, or a log replaced
under the site, makes every earlier entry unreachable: a cached answer is never stale.
Entries are few and small; the least recently used go first.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from starlette.requests import Request
from starlette.responses import Response

if TYPE_CHECKING:
    from tracker.service.app import Tracker

T = TypeVar("T")
# matplotlib's rc settings are process-wide: one chart is drawn at a time.
DRAWING = threading.Lock()


class Kept(Generic[T]):
    """A bounded, thread-safe map from key to answer; ``get`` computes what it lacks.

    The bound is on the entries' total weight (``weigh``; 1 each by default); an answer
    heavier than ``largest`` is handed out but not kept.
    """

    def __init__(
        self, size: int, weigh: Callable[[T], int] = lambda _: 1, largest: int | None = None
    ) -> None:
        self.size, self.weigh, self.largest = size, weigh, size if largest is None else largest
        self._items: OrderedDict[Hashable, tuple[T, int]] = OrderedDict()
        self._weight = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The answer for ``key``; computed outside the lock (two threads may both compute
        a missing answer once; both get equal answers)."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key][0]
        value = compute()
        weight = self.weigh(value)
        if weight > self.largest:
            return value
        with self._lock:
            if key not in self._items:
                self._items[key] = (value, weight)
                self._weight += weight
            while self._weight > self.size:
                _, (_, dropped) = self._items.popitem(last=False)
                self._weight -= dropped
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._weight = 0


@dataclass(frozen=True, slots=True)
class Answer:
    """A response as sent: status, headers and body."""

    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes

    def response(self) -> Response:
        sent = Response(self.body, status_code=self.status)
        sent.raw_headers = list(self.headers)
        return sent


#: Results between requests (a trends answer, verify's, the log's reader).
RESULTS: Kept[Any] = Kept(64)
#: Whole answers by URL: 64 MB in all, none over 8 MB (a whole register's JSON is not kept).
PAGES: Kept[Answer] = Kept(64 << 20, lambda a: len(a.body), largest=8 << 20)


def head(tracker: Tracker) -> tuple[int, str]:
    """The log's head (position, hash): part of every key, so a new event invalidates."""
    found = tracker.store.head()
    return found.position, found.hash


def kept(handler: Callable[[Request], Response]) -> Callable[[Request], Response]:
    """``handler``, its answers kept by URL (path and query), log head and day (a page's
    words 'today', 'late' and 'overdue' follow the day). Errors are raised, not kept."""

    @functools.wraps(handler)
    def answer(request: Request) -> Response:
        tracker: Tracker = request.app.state.tracker
        query = tuple(sorted(request.query_params.multi_items()))
        key = (request.url.path, query, head(tracker), tracker.today())
        return PAGES.get(key, lambda: _answer(handler(request))).response()

    return answer


def _answer(response: Response) -> Answer:
    return Answer(response.status_code, list(response.raw_headers), bytes(response.body))


def svg_response(draw: Callable[[], str]) -> Response:
    """The chart ``draw`` makes (one drawing at a time), as an SVG document."""
    with DRAWING:
        svg = draw()
    text = '<?xml version="1.0" encoding="utf-8"?>\n' + svg
    return Response(text, media_type="image/svg+xml")
