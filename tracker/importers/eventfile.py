"""Files of events (JSON Lines or YAML) read into domain events, with line numbers.

One record per event, with the field names of the ``tracker log`` commands:

    {"kind": "delivery", "contract": "s400-india-2018", "quantity": 1, "label": "squadron 1",
     "occurred": "2021-12", "sources": [{"url": "https://...", "title": "..."}]}

``kind`` is a ``tracker log`` subcommand name, an event class's ``kind`` (or ``type``, the
stored event type name).
``id`` names a record within its file so that a correction (``target: <id>``) can point at
it; ``event_id`` gives the stored id outright. Without either, the id is derived from the
record's content, so loading the same file twice appends nothing the second time.
Numbers with a decimal point are read exactly (Decimal), never as floats.
"""

from __future__ import annotations

import json
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from tracker.domain.events.catalogue import EVENT_KINDS, EVENT_TYPES, build_event
from tracker.domain.events.event_base import DomainEvent
from tracker.domain.values.money import Money
from tracker.errors import InvalidInputError
from tracker.limits import (
    MAX_YAML_BYTES,
    bounded_yaml_loader,
    depth_error,
    read_bounded,
    too_deep,
)

#: Namespace of ids derived from content or from (file, id) pairs.
ID_NAMESPACE = uuid.UUID("6f1c3a52-4f7e-4d5e-9b1a-2c8e1d7f0a11")
_DATE_FIELDS = {"occurred", "due", "valid_from", "valid_to", "published", "rate_from"}


@dataclass(frozen=True, slots=True)
class FileEvent:
    """An event read from a file, with where it was and the id it will be stored under."""

    line: int
    event: DomainEvent
    event_id: str


def read_event_file(path: Path, *, namespace: str | None = None) -> list[FileEvent]:
    """Read and validate every record of ``path``; the first bad one raises, naming its line.

    ``namespace`` (a seed's name) makes ``id`` keys into stable event ids.
    """
    return to_events(read_records(path), path.name, namespace or path.name)


def read_records(path: Path) -> Iterator[tuple[int, Any]]:
    """(line number, record) for each record of a .jsonl or .yaml file, in file order; JSON
    Lines are parsed as they are read, so the first bad line is the one reported."""
    name = path.name
    suffix = path.suffix.lower()
    if suffix not in (".yaml", ".yml", ".jsonl", ".json", ".ndjson"):
        raise InvalidInputError(
            f"Cannot tell the format of {name}: name it .jsonl (JSON Lines) or .yaml"
        )
    yaml = suffix in (".yaml", ".yml")
    text = _read_text(path, yaml)
    if yaml:
        return iter(list(_yaml_records(text, name)))
    return _json_records(text, name)


def to_events(records: Iterable[tuple[int, Any]], name: str, namespace: str) -> list[FileEvent]:
    ids: dict[str, str] = {}
    seen: Counter[str] = Counter()
    out = []
    for line, record in records:
        where = f"{name} line {line}"
        if not isinstance(record, dict):
            raise InvalidInputError(f"{where}: expected a mapping of field names to values")
        fields = {k: _plain(k, v) for k, v in record.items()}
        event_type = _event_type(fields, where)
        key = fields.pop("id", None)
        given = fields.pop("event_id", None)
        if "target" in fields:
            target = str(fields.pop("target"))
            if target not in ids:
                raise InvalidInputError(f"{where}: target '{target}' is not an earlier id")
            fields["target_event_id"] = ids[target]
        fields["sources"] = [_source(s, where) for s in _as_list(fields.get("sources"))]
        try:
            event = build_event(event_type, fields)
        except InvalidInputError as e:
            raise InvalidInputError(f"{where}: {e}") from None
        event_id = str(given) if given else _derived_id(namespace, key, fields, seen)
        if key is not None:
            ids[str(key)] = event_id
        out.append(FileEvent(line, event, event_id))
    return out


def _event_type(fields: dict[str, Any], where: str) -> str:
    kind = fields.pop("kind", None)
    type_name = fields.pop("type", None)
    if kind is not None:
        if not isinstance(kind, str) or kind not in EVENT_KINDS:  # a list or a mapping: no kind
            raise InvalidInputError(f"{where}: unknown kind '{kind}' ({', '.join(EVENT_KINDS)})")
        return EVENT_KINDS[kind].type
    if isinstance(type_name, str) and type_name in EVENT_TYPES:
        return str(type_name)
    if type_name is not None:
        raise InvalidInputError(f"{where}: unknown type '{type_name}'")
    raise InvalidInputError(f"{where}: needs a 'kind' ({', '.join(EVENT_KINDS)})")


def _derived_id(namespace: str, key: Any, fields: dict[str, Any], seen: Counter[str]) -> str:
    if key is not None:
        return str(uuid.uuid5(ID_NAMESPACE, f"{namespace}/{key}"))
    content = json.dumps(fields, sort_keys=True, ensure_ascii=False, default=str)
    seen[content] += 1  # identical records in one file are distinct events
    return str(uuid.uuid5(ID_NAMESPACE, f"{content}#{seen[content]}"))


def _source(value: Any, where: str) -> dict[str, Any]:
    if isinstance(value, str):
        return {"url": value}
    if isinstance(value, dict):
        return value
    raise InvalidInputError(f"{where}: a source is a URL or a mapping (url, title, publisher...)")


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _plain(key: str, value: Any) -> Any:
    """YAML turns 2021-12-06 into a date and 2021 into an int: dates are text here.

    Money may be written as people write it: ``value: INR 5,100 crore``.
    """
    if key == "value" and isinstance(value, str):
        return Money.parse(value).model_dump(mode="json")
    if isinstance(value, date):
        return value.isoformat()
    if key in _DATE_FIELDS and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, dict):
        return {k: _plain(k, v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(key, v) for v in value]
    return value


def _read_text(path: Path, yaml: bool) -> str:
    """The file's text, refused past its size limit before more than that is read."""
    try:
        with path.open("rb") as f:
            if yaml:
                hint = " for YAML: write larger files as JSON Lines"
                data = read_bounded(f, path.name, MAX_YAML_BYTES, hint)
            else:
                data = read_bounded(f, path.name)
        return data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise InvalidInputError(f"Cannot read {path}: {e}") from None


def _json_records(text: str, name: str) -> Iterator[tuple[int, Any]]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        where = f"{name} line {number}"
        if too_deep(line):  # before json.loads, which would recurse into every level
            raise depth_error(where)
        try:
            yield number, json.loads(line, parse_float=Decimal)
        except json.JSONDecodeError as e:
            raise InvalidInputError(
                f"{where}: not JSON: {e.msg} at column {e.colno}"
                " (a .jsonl file holds one JSON object per line)"
            ) from None
        except ValueError as e:  # a number past Python's 4,300 digits
            raise InvalidInputError(f"{where}: {_first_clause(e)}") from None


def _yaml_records(text: str, name: str) -> Iterator[tuple[int, Any]]:
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    def exact(loader: yaml.SafeLoader, node: yaml.Node) -> Decimal:
        return Decimal(str(loader.construct_scalar(node)).replace("_", ""))  # type: ignore[arg-type]

    Loader.add_constructor("tag:yaml.org,2002:float", exact)
    try:
        loader = bounded_yaml_loader(text, name, Loader)  # refuses characters YAML does not allow
    except yaml.YAMLError as e:
        raise InvalidInputError(f"{name}: not YAML: {str(e).splitlines()[0]}") from None
    try:
        root = loader.get_single_node()  # bounded: depth and alias expansion checked
        if root is None:
            return
        if not isinstance(root, yaml.SequenceNode):
            line = root.start_mark.line + 1
            raise InvalidInputError(f"{name} line {line}: expected a list of events")
        for node in root.value:
            yield node.start_mark.line + 1, _construct(loader, node, name)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        where = f" line {mark.line + 1}" if mark else ""
        raise InvalidInputError(f"{name}{where}: not YAML: {e.problem or e}") from None
    finally:
        loader.dispose()


def _construct(loader: Any, node: Any, name: str) -> Any:
    try:
        return loader.construct_object(node, deep=True)
    except (ValueError, ArithmeticError) as e:  # 2021-13-01 as a date, a 5,000-digit number
        raise InvalidInputError(
            f"{name} line {node.start_mark.line + 1}: {_first_clause(e)}"
        ) from None


def _first_clause(e: Exception) -> str:
    return str(e).split(";")[0] or type(e).__name__
