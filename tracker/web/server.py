"""Running the site: uvicorn on one host and port, in this process."""

from __future__ import annotations

from typing import TYPE_CHECKING

import uvicorn

from tracker.web.app import create_app

if TYPE_CHECKING:
    from tracker.app import Tracker


def server(tracker: Tracker, host: str = "127.0.0.1", port: int = 8321) -> uvicorn.Server:
    """A uvicorn server for the read-only site over ``tracker``; ``run()`` it to serve."""
    config = uvicorn.Config(
        create_app(tracker),
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        server_header=False,
        proxy_headers=False,
    )
    return uvicorn.Server(config)
