"""The database itself: init, db upgrade|downgrade|current|grant, verify."""

from __future__ import annotations

import click

from tracker.cli.context import open_tracker


@click.command()
@click.option(
    "--force",
    is_flag=True,
    help="Add the tracker's tables to a database that holds another application's tables.",
)
@click.pass_context
def init(ctx: click.Context, force: bool) -> None:
    """Create the database and migrate it to the latest schema. Running it twice is harmless.

    A database that already holds tables of another application is refused, unchanged,
    unless --force is given.

    \b
    Example:
      tracker --db deals.db init
    """
    from tracker.config import describe

    tracker = open_tracker(ctx, create=True)
    revision = tracker.init(force=force)
    click.echo(f"Tracker database ready at {describe(tracker.url)} (schema {revision}).")


@click.group()
def db() -> None:
    """Schema migrations: upgrade, downgrade, current.

    \b
    Example:
      tracker db current
    """


@db.command()
@click.argument("revision", default="head")
@click.pass_context
def upgrade(ctx: click.Context, revision: str) -> None:
    """Migrate the schema up to REVISION (default: the latest).

    \b
    Example:
      tracker db upgrade
    """
    reached = open_tracker(ctx, create=True).upgrade(revision)
    click.echo(f"Schema at {reached}.")


@db.command()
@click.argument("revision")
@click.option("--drop-events", is_flag=True, help="Allow dropping a non-empty event log.")
@click.pass_context
def downgrade(ctx: click.Context, revision: str, drop_events: bool) -> None:
    """Migrate the schema down to REVISION.

    REVISION is a revision id, -1 or base. Refuses to drop a log that holds events unless
    --drop-events is given.

    \b
    Example:
      tracker db downgrade -1
    """
    reached = open_tracker(ctx, create=True).downgrade(revision, drop_events=drop_events)
    click.echo(f"Schema at {reached}.")


@db.command()
@click.pass_context
def current(ctx: click.Context) -> None:
    """Print the schema revision of the database.

    Also says whether it is the latest revision this tracker knows.

    \b
    Example:
      tracker db current
    """
    now, head = open_tracker(ctx, create=True).revisions()
    note = "up to date" if now == head else f"latest is {head}: run 'tracker db upgrade'"
    click.echo(f"{now} ({note})")


@db.command()
@click.option("--writer", default="tracker_writer", show_default=True, help="Writer role name.")
@click.option("--reader", default="tracker_reader", show_default=True, help="Reader role name.")
@click.option("--login", is_flag=True, help="Let the roles log in (else grant them to users).")
@click.pass_context
def grant(ctx: click.Context, writer: str, reader: str, login: bool) -> None:
    """Create PostgreSQL writer and reader roles.

    A writer can only append and a reader can only read. The writer may insert events
    (never update, delete or truncate them) and keep the read models; the reader may only
    select. Grant them to people with GRANT role TO user.

    \b
    Example:
      tracker db grant --writer analysts --reader journalists
    """
    open_tracker(ctx).grant_roles(writer, reader, login=login)
    click.echo(f"Roles ready: {writer} (append and read), {reader} (read only).")


@click.command()
@click.option("--digest", is_flag=True, help="Also print the head digest (POSITION:HASH).")
@click.option("--against", metavar="DIGEST", help="Check the log still extends a saved digest.")
@click.pass_context
def verify(ctx: click.Context, digest: bool, against: str | None) -> None:
    """Check the hash chain and the read models; name the first fault.

    The read models (what status, schedule and the reports read) are compared row by row
    with a fresh fold of the log; 'tracker projections rebuild' repairs a difference.

    Save the output of --digest somewhere safe; --against proves later that the log still
    contains that exact history, even if someone rewrote the whole chain since.

    \b
    Example:
      tracker verify --digest
      tracker verify --against 42:3f0c...e9
    """
    tracker = open_tracker(ctx)
    result, problem = tracker.verify(against)  # a malformed digest fails before the walk
    if not result.ok:
        click.echo(
            f"Error: chain broken at position {result.broken_at}: {result.reason} "
            f"({result.count - 1} events verified before it)",
            err=True,
        )
        ctx.exit(1)
    if problem:
        click.echo(f"Error: the log does not extend digest {against}: {problem}", err=True)
        ctx.exit(1)
    models = tracker.verify_read_models()
    if models.mismatch is not None:
        click.echo(f"Error: {models.mismatch} (run 'tracker projections rebuild')", err=True)
        ctx.exit(1)
    click.echo(
        f"OK: {result.count} events, hash chain intact up to position {result.head_position}."
    )
    if against:
        click.echo(f"The log extends digest {against}.")
    if digest:
        click.echo(result.digest)
