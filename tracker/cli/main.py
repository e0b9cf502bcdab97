"""The `tracker` command: parses, calls the service, formats. Nothing else lives here."""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from tracker import __version__
from tracker.errors import TrackerError

# name -> "module:attribute"; modules are imported only when their command runs or is listed,
# and none of them imports SQLAlchemy, Alembic or matplotlib at import time.
COMMANDS = {
    "init": "tracker.cli.schema_commands:init",
    "db": "tracker.cli.schema_commands:db",
    "verify": "tracker.cli.schema_commands:verify",
    "events": "tracker.cli.log_listing:events",
    "show": "tracker.cli.log_listing:show",
    "log": "tracker.cli.log_command:log",
    "status": "tracker.cli.read_commands:status",
    "schedule": "tracker.cli.read_commands:schedule",
    "production": "tracker.cli.read_commands:production",
    "agreements": "tracker.cli.read_commands:agreements",
    "projections": "tracker.cli.projection_commands:projections",
    "completion": "tracker.cli.completion:completion",
    "report": "tracker.cli.reports:report",
    "seed": "tracker.cli.data:seed",
    "serve": "tracker.cli.serve:serve",
    "export": "tracker.cli.data:export",
    "import": "tracker.cli.data:import_",
    "backup": "tracker.cli.data:backup",
    "trends": "tracker.cli.trends:trends",
}


#: Each command's first help line, so `tracker --help` lists them without importing every
#: command module (tests/cli/test_help.py checks these match the commands' own help).
SUMMARIES = {
    "agreements": "Agreements and whether they are in force.",
    "backup": "Copy a live SQLite database safely, then verify the copy.",
    "completion": "Print the shell completion script.",
    "db": "Schema migrations: upgrade, downgrade, current.",
    "events": "List events in log order.",
    "export": "Write the whole log as JSON Lines, hashes included.",
    "import": "Load a log export (jsonl) or a SIPRI export (sipri).",
    "init": "Create the database and migrate it to the latest schema.",
    "log": "Record events: one by one, or from a file.",
    "production": "Output of joint ventures, per contract.",
    "projections": "Read models built from the log: status, catch-up, rebuild.",
    "report": "Write reports: sourced timelines and status briefs.",
    "schedule": "Milestones of a contract: planned vs actual.",
    "seed": "Load the public record shipped in seeds/.",
    "serve": "Serve a read-only web view of the record.",
    "show": "Show one event whole, by id or position.",
    "status": "Where each contract stands.",
    "trends": "Who arms whom: partners' shares of SIPRI TIV, by period.",
    "verify": "Check the hash chain and the read models; name the first fault.",
}


class TrackerGroup(click.Group):
    """Loads subcommands lazily and turns every TrackerError into one line on stderr."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, SUMMARIES[name]) for name in self.list_commands(ctx)])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module, attr = target.split(":")
        command: click.Command = getattr(importlib.import_module(module), attr)
        return command

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.ClickException as e:
            message = e.format_message()
            if one_line(message) == message:
                raise
            if isinstance(e, click.UsageError):
                raise click.UsageError(one_line(message), e.ctx) from e
            raise click.ClickException(one_line(message)) from e
        except TrackerError as e:
            if ctx.params.get("debug"):
                raise
            click.echo(f"Error: {one_line(str(e))}", err=True)
            ctx.exit(1)


def one_line(message: str) -> str:
    """The message with control characters escaped: a value typed with a newline or a
    terminal escape in it must not break the one-line error or drive the terminal."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in message)


@click.group(cls=TrackerGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    metavar="PATH_OR_URL",
    envvar="TRACKER_DATABASE_URL",
    help="SQLite file or database URL (default: ./tracker.db; env TRACKER_DATABASE_URL).",
)
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
@click.version_option(__version__, prog_name="tracker")
@click.pass_context
def cli(ctx: click.Context, db: str | None, debug: bool) -> None:
    """Track arms deals from an append-only, hash-chained event log.

    \b
    Example:
      tracker init
      tracker seed
      tracker status
    """
    ctx.ensure_object(dict)
    ctx.obj["db"] = db
    ctx.obj["debug"] = debug


def main() -> None:
    if "status" in sys.argv[1:4]:
        # The current read models on the bare driver, before click builds a command or the
        # service is imported; it declines (printing nothing) whatever it cannot answer.
        from tracker.cli.quick.status import run

        code = run(sys.argv[1:])
        if code is not None:
            sys.exit(code)
    cli.main(prog_name="tracker", standalone_mode=True)


if __name__ == "__main__":
    main()
