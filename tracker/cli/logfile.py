"""Reading `tracker log --file`: JSON Lines or YAML records, each with its line number.

The format, the record ids ('id', 'target', 'event_id' or ids derived from the content) and
the building of events are tracker.importers.eventfile's, shared with the seeds; this module only
reads the records and checks their values first, so that a bad one is named the way the
`tracker log KIND` options name it ("'three' is not a positive whole number").
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from tracker.errors import InvalidInputError

if TYPE_CHECKING:
    from tracker.importers.eventfile import FileEvent


def load_events(path: Path) -> list[FileEvent]:
    """Every record of ``path`` as an event with its id and line; the first bad record is an
    InvalidInputError 'FILE line N: ...'."""
    from tracker.cli.eventdata import tidy
    from tracker.importers.eventfile import read_records, to_events

    records = []
    for line, record in read_records(path):
        if not isinstance(record, Mapping):
            raise InvalidInputError(
                f"{path.name} line {line}: expected an object with a 'kind', got {record!r}"
            )
        try:
            records.append((line, tidy(record)))
        except InvalidInputError as e:
            raise InvalidInputError(f"{path.name} line {line}: {e}") from None
    return to_events(records, path.name, path.name)
