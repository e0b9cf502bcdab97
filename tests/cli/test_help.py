"""Every command explains itself with an example, and `tracker --help` stays cheap."""

from __future__ import annotations

import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from tracker.cli.main import COMMANDS, cli


def _all_commands() -> list[tuple[str, ...]]:
    """Every command path, groups and leaves: ('log',), ('log', 'delivery'), ..."""
    found: list[tuple[str, ...]] = []

    def walk(group: click.Group, path: tuple[str, ...]) -> None:
        ctx = click.Context(group)
        for name in group.list_commands(ctx):
            command = group.get_command(ctx, name)
            assert command is not None, name
            found.append((*path, name))
            if isinstance(command, click.Group):
                walk(command, (*path, name))

    walk(cli, ())
    return found


COMMAND_PATHS = _all_commands()


def test_the_walk_finds_every_log_kind_and_maintenance_command() -> None:
    assert ("log", "delivery") in COMMAND_PATHS
    assert ("projections", "rebuild") in COMMAND_PATHS
    assert len([p for p in COMMAND_PATHS if p[0] == "log"]) == 17


@pytest.mark.parametrize("path", COMMAND_PATHS, ids=" ".join)
def test_every_command_has_help_with_an_example(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(cli, [*path, "--help"], prog_name="tracker", terminal_width=80)
    assert result.exit_code == 0, result.output
    assert f"Usage: tracker {' '.join(path)}" in result.stdout
    assert "Example" in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= 80


def test_the_top_level_help_lists_every_command() -> None:
    result = CliRunner().invoke(cli, ["--help"], prog_name="tracker")
    listed = result.stdout.split("Commands:\n", 1)[1]
    assert [line.split()[0] for line in listed.splitlines()] == sorted(COMMANDS)


def test_short_help_lines_are_never_cut_off() -> None:
    for args in ([], ["log"], ["projections"], ["db"]):
        result = CliRunner().invoke(cli, [*args, "--help"], prog_name="tracker")
        assert "..." not in result.stdout.split("Commands:\n", 1)[1]


HEAVY = ("sqlalchemy", "alembic", "matplotlib", "jinja2", "pydantic", "pendulum", "rich")


def test_loading_every_cli_module_imports_nothing_heavy() -> None:
    """`tracker --help` loads every command module to list them: they must stay light."""
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from tracker.cli.main import cli\n"
        "CliRunner().invoke(cli, ['--help'])\n"
        "CliRunner().invoke(cli, ['log', '--help'])\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout == "[]\n"


def test_the_command_list_summaries_match_each_commands_own_help() -> None:
    from tracker.cli.main import COMMANDS, SUMMARIES

    ctx = click.Context(cli)
    assert set(SUMMARIES) == set(COMMANDS)
    for name in COMMANDS:
        command = cli.get_command(ctx, name)
        assert command is not None
        assert SUMMARIES[name] == command.get_short_help_str(limit=80), name
