"""Bounds on what a file read from outside may hold, so no input costs unbounded memory.

Shared by the event files of ``tracker log --file`` and the ``tracker import jsonl`` reader:
an event is a flat record with a few small lists and mappings, so these bounds are far
above anything real and far below what would exhaust memory or Python's stack.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO, Any

from tracker.errors import InvalidInputError

#: Deepest nesting of lists and mappings accepted in a record (an event needs about 4).
MAX_DEPTH = 64
#: Largest event file (`log --file`), in bytes.
MAX_FILE_BYTES = 32 * 2**20
#: Largest YAML event file: PyYAML holds about 100 bytes of memory per byte of YAML (2 MiB
#: peaked at 220 MB), where JSON Lines are read a line at a time.
MAX_YAML_BYTES = 2 * 2**20
#: Longest line of a log export (`import jsonl`), in bytes.
MAX_LINE_BYTES = 16 * 2**20
#: How many nodes YAML aliases may add to a file beyond those it spells out.
MAX_ALIAS_NODES = 100_000

_STRINGS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_BRACKETS = re.compile(r"[\[\]{}]")


def too_deep(text: str | bytes, limit: int = MAX_DEPTH) -> bool:
    """Whether the JSON ``text`` nests lists and objects deeper than ``limit``.

    Decided from the brackets outside strings, before any parser recurses into them.
    """
    if isinstance(text, bytes):
        if text.count(b"[") + text.count(b"{") <= limit:
            return False
        text = text.decode("utf-8", "replace")
    elif text.count("[") + text.count("{") <= limit:
        return False
    depth = 0
    for bracket in _BRACKETS.findall(_STRINGS.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        if depth > limit:
            return True
    return False


def depth_error(where: str, limit: int = MAX_DEPTH) -> InvalidInputError:
    return InvalidInputError(f"{where}: nested deeper than {limit} levels (the limit)")


def read_bounded(
    stream: IO[bytes], name: str, limit: int = MAX_FILE_BYTES, hint: str = ""
) -> bytes:
    """All of ``stream``, or an InvalidInputError (ending with ``hint``) once it passes
    ``limit`` bytes."""
    try:
        data = stream.read(limit + 1)
    except OSError as e:
        raise InvalidInputError(f"Cannot read {name}: {e.strerror or e}") from None
    if len(data) > limit:
        raise InvalidInputError(f"{name} is larger than {_size(limit)} (the limit){hint}")
    return data


def bounded_lines(
    stream: IO[bytes], name: str, limit: int = MAX_LINE_BYTES
) -> Iterator[tuple[int, bytes]]:
    """(line number, line) for each line of ``stream``; a line over ``limit`` bytes is an
    InvalidInputError naming it, raised before more than ``limit`` bytes of it are held."""
    number = 0
    while line := _read_line(stream, name, limit + 1):
        number += 1
        if len(line) > limit:
            raise InvalidInputError(
                f"{name} line {number} is longer than {_size(limit)} (the limit)"
            )
        yield number, line


def _read_line(stream: IO[bytes], name: str, limit: int) -> bytes:
    try:
        return stream.readline(limit)
    except OSError as e:
        raise InvalidInputError(f"Cannot read {name}: {e.strerror or e}") from None


def _size(n: int) -> str:
    return f"{n // 2**20} MiB" if n >= 2**20 else f"{n} bytes"


def bounded_yaml_loader(text: str, name: str, loader_class: Any) -> Any:
    """A loader of ``loader_class`` (a yaml.SafeLoader) over ``text`` whose composer refuses,
    naming the line, nesting deeper than MAX_DEPTH (counted through aliases, so a chain of
    anchors cannot hide it), recursive aliases, and aliases that expand to more than
    MAX_ALIAS_NODES nodes beyond those the file spells out (a "billion laughs" file).

    Construction is left to the caller, after composing: it is then bounded too.
    """
    import yaml

    class Bounded(loader_class):
        def __init__(self, stream: str) -> None:
            super().__init__(stream)
            self.expanded: dict[int, tuple[int, int]] = {}  # id(node): (nodes, depth)
            self.spelled = 0
            self.depth = 0

        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                mark = self.peek_event().start_mark
                node = super().compose_node(parent, index)
                if id(node) not in self.expanded:
                    raise InvalidInputError(f"{name} line {mark.line + 1}: a recursive alias")
                return node
            level = 0 if self.check_event(yaml.ScalarEvent) else 1  # as JSON counts depth
            self.depth += level
            if self.depth > MAX_DEPTH:
                raise depth_error(f"{name} line {self.peek_event().start_mark.line + 1}")
            try:
                node = super().compose_node(parent, index)
            finally:
                self.depth -= level
            self.spelled += 1
            self.expanded[id(node)] = self._measured(node)
            return node

        def _measured(self, node: Any) -> tuple[int, int]:
            children = _children(node)
            nodes = 1 + sum(self.expanded[id(c)][0] for c in children)
            if not isinstance(node, yaml.CollectionNode):
                return 1, 0
            depth = 1 + max((self.expanded[id(c)][1] for c in children), default=0)
            where = f"{name} line {node.start_mark.line + 1}"
            if depth > MAX_DEPTH:
                raise depth_error(where)
            if nodes > self.spelled + MAX_ALIAS_NODES:
                raise InvalidInputError(
                    f"{where}: aliases expand to more than {MAX_ALIAS_NODES:,} nodes (the limit)"
                )
            return nodes, depth

    return Bounded(text)


def _children(node: Any) -> list[Any]:
    import yaml

    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []
