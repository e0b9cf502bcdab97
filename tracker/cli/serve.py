"""`tracker serve`: the read-only web view."""

from __future__ import annotations

import click


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8321, show_default=True, help="Port."
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Processes answering requests (more helps only with idle cores).",
)
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, workers: int) -> None:
    """Serve a read-only web view of the record.

    Deals with facets, filters and search; each deal with its schedule chart, milestones,
    production, sourced timeline; the log with the chain's check. Every page takes an
    "as of" date and an "as known on" date. Nothing is ever written: SQLite is opened
    read-only, PostgreSQL in read-only transactions. Listens on 127.0.0.1 unless told.

    \b
    Example:
      tracker serve
      tracker --db postgresql://reader@db/tracker serve --port 8000 --workers 2
    """
    from tracker.config import describe, resolve_url
    from tracker.web.readonly import open_read_only
    from tracker.web.server import serve_workers, server

    db = ctx.find_root().obj.get("db")
    tracker = open_read_only(db)  # refuses a missing or unready database before serving
    ctx.call_on_close(tracker.close)
    click.echo(f"Serving {describe(resolve_url(db))} read-only at http://{host}:{port}/")
    click.echo("Press Ctrl-C to stop.")
    if workers == 1:
        server(tracker, host, port).run()
    else:
        tracker.close()
        serve_workers(tracker.url, host, port, workers)
