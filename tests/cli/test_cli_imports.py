"""The CLI's modules import one another in one direction: no circle, even through imports
made inside functions (the lazy ones that keep `tracker --help` fast)."""

from __future__ import annotations

import ast
from pathlib import Path

import tracker.cli

CLI = Path(tracker.cli.__file__).parent


def imports_between_cli_modules() -> dict[str, set[str]]:
    """Each module of tracker/cli and the modules of tracker/cli it imports, anywhere in it."""
    names = {f"tracker.cli.{p.stem}": p for p in CLI.glob("*.py") if p.stem != "__init__"}
    graph = {}
    for name, path in names.items():
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                found |= {node.module} | {f"{node.module}.{a.name}" for a in node.names}
            elif isinstance(node, ast.Import):
                found |= {a.name for a in node.names}
        graph[name] = {m for m in found if m in names and m != name}
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every import circle a depth-first walk meets, each as the path that closes it."""
    found, state = [], {}

    def visit(name: str, path: list[str]) -> None:
        state[name] = "open"
        for imported in sorted(graph[name]):
            if state.get(imported) == "open":
                found.append([*path[path.index(imported) :], imported])
            elif imported not in state:
                visit(imported, [*path, imported])
        state[name] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    return found


def test_the_walk_finds_a_circle_when_there_is_one() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert circles(graph) == [["a", "b", "c", "a"]]


def test_no_cli_module_imports_one_that_imports_it_back() -> None:
    graph = imports_between_cli_modules()
    assert (
        "tracker.cli.event_fields" in graph["tracker.cli.input_types"]
    )  # the walk sees lazy imports
    assert circles(graph) == []
