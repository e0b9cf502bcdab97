"""Running the site: uvicorn on one host and port, in this process or in worker processes.

One Python process renders one page at a time (the GIL), so on a machine with idle cores
``serve_workers`` starts several processes sharing the listening socket: each opens the
database read-only itself and keeps its own answers (keys hold the log head, so no process
can serve a stale one). On a busy machine one process is faster: each added process costs
its own CPU and its own cache (measured on 2 shared cores: see tests/benchmarks/web_load).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import uvicorn

from tracker.config import hand_to_workers, served_url
from tracker.web.app import create_app

if TYPE_CHECKING:
    from starlette.types import ASGIApp

    from tracker.service.app import Tracker


def server(tracker: Tracker, host: str = "127.0.0.1", port: int = 8321) -> uvicorn.Server:
    """A uvicorn server for the read-only site over ``tracker``; ``run()`` it to serve."""
    app = create_app(tracker)
    config = uvicorn.Config(
        app, host=host, port=port, log_level="warning", access_log=False,
        server_header=False, proxy_headers=False,
    )  # fmt: skip
    return uvicorn.Server(config)


def serve_workers(url: str, host: str, port: int, workers: int) -> None:
    """Serve the site over ``url`` from ``workers`` processes until interrupted."""
    hand_to_workers(url)  # each worker opens it (worker_app)
    uvicorn.run(
        f"{__name__}:worker_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        access_log=False,
        server_header=False,
        proxy_headers=False,
    )


def worker_app() -> ASGIApp:
    """A worker's site: the database ``serve_workers`` named, opened read-only."""
    from tracker.web.readonly import open_read_only

    return create_app(open_read_only(served_url()))
