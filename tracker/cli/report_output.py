"""Where `tracker report` writes: stdout, or a file with its charts beside it.

Control and escape sequences in the text are made inert (escaped within JSON strings) on
the way out. A file is written whole or not at all, with its charts: all of them or none.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from tracker.reports.model import Rendered
    from tracker.reports.stream import Streamed


def write(rendered: Rendered | str, output: Path | None, *, json: bool = False) -> None:
    """A report made whole in memory."""
    from tracker.cli.files import write_all
    from tracker.inert import inert, inert_json

    text = rendered if isinstance(rendered, str) else rendered.text
    text = inert_json(text) if json else inert(text)
    files = {} if isinstance(rendered, str) else rendered.files
    if output is None:
        click.echo(text, nl=False)
        return
    charts = {output.parent / name: data for name, data in files.items()}
    write_all({output: text.encode("utf-8"), **charts})
    _wrote(output, files)


def write_streamed(
    streamed: Streamed[Any],
    output: Path | None,
    *,
    json: bool = False,
    files: Mapping[str, bytes] | None = None,
) -> None:
    """A report written a part at a time, with the chart ``files`` its format drew."""
    from tracker.cli.files import replacing, write_all
    from tracker.inert import inert, inert_json

    clean = inert_json if json else inert
    files = files or {}
    try:
        if output is None:
            for part in streamed.parts():
                click.echo(clean(part), nl=False)
            return
        with replacing(output) as out:
            for part in streamed.parts():
                out.write(clean(part).encode("utf-8"))
            if files:  # before the report takes its name: none of them if one fails
                write_all({output.parent / name: data for name, data in files.items()})
    finally:
        streamed.close()
    _wrote(output, files)


def _wrote(output: Path, files: Mapping[str, bytes]) -> None:
    count = f" and {len(files)} chart{'s' if len(files) != 1 else ''}" if files else ""
    click.echo(f"Wrote {output}{count}.")
