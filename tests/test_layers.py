"""The house's layers hold: read from the source with `ast`, no tracker code is run.

Which imports count:

- The direction rules (the CLI never imports the store, the domain imports only what it
  may, nothing imports the CLI) count every import a module names: at module level, inside
  a function (imported when called) and under ``if TYPE_CHECKING:`` (a type is still a
  dependency on the module that defines it).
- The circle rule counts only imports run when the module loads: module level, including
  ``try``/``if`` blocks, but neither ``if TYPE_CHECKING:`` blocks (never run: they are how
  a family module names the ``Tracker`` that imports it) nor function bodies.

Each rule lists every offender in its failure message. ``python -m tests.test_layers``
prints the graph's numbers (modules, packages, longest chain, circles, long modules).
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "tracker"
MAX_LINES = 300
#: What tracker/domain may import besides the standard library and itself.
DOMAIN_MAY_IMPORT = (
    "pydantic",
    "pydantic_core",
    "pendulum",
    "pycountry",
    "tracker.domain",
    "tracker.errors",
)
#: The one module that reads the environment.
ENVIRONMENT_READERS = ("tracker.config",)


@dataclass(frozen=True, slots=True)
class Import:
    """One imported name: the module it loads, where it sits, and when it runs."""

    importer: str
    target: str  # the module itself (a tracker submodule named by `from pkg import sub`)
    line: int
    when: str  # "load" (module level), "call" (inside a function), "typing" (TYPE_CHECKING)

    def __str__(self) -> str:
        return f"{self.importer}:{self.line} imports {self.target} ({self.when})"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


@cache
def tree(name: str) -> ast.Module:
    return ast.parse(modules()[name].read_text(encoding="utf-8"), filename=str(modules()[name]))


def _type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _walk(node: ast.AST, when: str) -> Iterator[tuple[ast.Import | ast.ImportFrom, str]]:
    """Every import statement under ``node``, with when it runs."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.Import | ast.ImportFrom):
            yield child, when
        elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            yield from _walk(child, "call" if when == "load" else when)
        elif isinstance(child, ast.If) and _type_checking(child.test):
            for stmt in child.body:
                yield from _walk(ast.Module(body=[stmt], type_ignores=[]), "typing")
            for stmt in child.orelse:
                yield from _walk(ast.Module(body=[stmt], type_ignores=[]), when)
        else:
            yield from _walk(child, when)


def _package_of(name: str) -> str:
    return name if modules()[name].name == "__init__.py" else name.rpartition(".")[0]


@cache
def imports(name: str) -> tuple[Import, ...]:
    """What module ``name`` imports, one entry per module loaded."""
    found = []
    for node, when in _walk(tree(name), "load"):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            base = node.module or ""
            if node.level:  # relative: from the importer's package upwards
                package = _package_of(name).split(".")
                base = ".".join([*package[: len(package) - node.level + 1], base]).strip(".")
            subs = [f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in modules()]
            targets = subs if len(subs) == len(node.names) else [base, *subs]
        found += [Import(name, t, node.lineno, when) for t in targets]
    return tuple(found)


def every_import() -> list[Import]:
    return [i for name in modules() for i in imports(name)]


def within(target: str, *prefixes: str) -> bool:
    return any(target == p or target.startswith(p + ".") for p in prefixes)


def tracker_target(target: str) -> str | None:
    """The tracker module ``target`` names (a name inside a module counts as the module)."""
    while target and target not in modules():
        target = target.rpartition(".")[0]
    return target or None


def load_graph() -> dict[str, set[str]]:
    """Module -> the tracker modules it imports while it loads."""
    graph: dict[str, set[str]] = {name: set() for name in modules()}
    for i in every_import():
        target = tracker_target(i.target) if within(i.target, "tracker") else None
        if i.when == "load" and target is not None and target != i.importer:
            graph[i.importer].add(target)
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10 * len(graph)))
    try:
        for v in sorted(graph):
            if v not in index:
                visit(v)
    finally:
        sys.setrecursionlimit(limit)
    return sorted(groups)


def longest_chain(graph: dict[str, set[str]]) -> list[str]:
    """The longest path of load-time imports (each circle counted as one step)."""
    grouped = {m: min(g) for g in circles(graph) for m in g}
    dag: dict[str, set[str]] = {}
    for v, targets in graph.items():
        dag.setdefault(grouped.get(v, v), set()).update(
            grouped.get(w, w) for w in targets if grouped.get(w, w) != grouped.get(v, v)
        )

    @cache
    def chain(v: str) -> tuple[str, ...]:
        below = [chain(w) for w in sorted(dag.get(v, ()))]
        return (v, *(max(below, key=len) if below else ()))

    chains = sorted((chain(v) for v in dag), key=lambda c: (-len(c), c))
    return list(chains[0])


def long_modules() -> dict[str, int]:
    """Modules over MAX_LINES lines, with their length."""
    lengths = {n: len(p.read_text(encoding="utf-8").splitlines()) for n, p in modules().items()}
    return {n: count for n, count in sorted(lengths.items()) if count > MAX_LINES}


def environment_reads() -> list[str]:
    """Where a module outside ENVIRONMENT_READERS touches os.environ or calls getenv."""
    found = []
    for name in modules():
        if within(name, *ENVIRONMENT_READERS):
            continue
        for node in ast.walk(tree(name)):
            if (isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv")) or (
                isinstance(node, ast.Name) and node.id in ("environ", "getenv")
            ):
                found.append(f"{name}:{node.lineno} reads the environment")
    return found


def cli_importing_the_store() -> list[Import]:
    return [
        i
        for i in every_import()
        if within(i.importer, "tracker.cli") and within(i.target, "tracker.store")
    ]


def domain_importing_others() -> list[Import]:
    return [
        i
        for i in every_import()
        if within(i.importer, "tracker.domain")
        and i.target.split(".")[0] not in sys.stdlib_module_names
        and not within(i.target, *DOMAIN_MAY_IMPORT)
    ]


def importing_the_cli() -> list[Import]:
    return [
        i
        for i in every_import()
        if within(i.target, "tracker.cli")
        and not within(i.importer, "tracker.cli", "tracker.__main__")
    ]


def _listed(offenders: list[Import] | list[str]) -> str:
    return "\n".join(str(o) for o in offenders)


# --- the rules ------------------------------------------------------------------------


def test_the_cli_never_imports_the_store() -> None:
    assert not cli_importing_the_store(), _listed(cli_importing_the_store())


def test_the_domain_imports_only_the_standard_library_pydantic_pendulum_and_pycountry() -> None:
    assert not domain_importing_others(), _listed(domain_importing_others())


def test_nothing_outside_the_cli_imports_the_cli() -> None:
    assert not importing_the_cli(), _listed(importing_the_cli())


def test_no_two_modules_import_each_other_while_loading() -> None:
    found = circles(load_graph())
    assert not found, "\n".join(" <-> ".join(group) for group in found)


def test_no_module_is_over_300_lines() -> None:
    found = long_modules()
    assert not found, "\n".join(f"{n}: {count} lines" for n, count in found.items())


def test_only_the_config_module_reads_the_environment() -> None:
    assert not environment_reads(), _listed(environment_reads())


# --- the checker checks what it claims (oracles written by hand) ----------------------


def test_the_circle_finder_finds_a_circle_and_nothing_in_a_chain() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert circles(graph) == [["a", "b", "c"]]
    assert circles({"a": {"b"}, "b": {"c"}, "c": set()}) == []
    assert longest_chain({"a": {"b"}, "b": {"c"}, "c": set(), "d": {"c"}}) == ["a", "b", "c"]


def test_imports_are_read_with_when_they_run() -> None:
    # The facade imports the store's engine as it loads, the schema family's `Tracker`
    # only for type checking, and the write path only when `log` is called.
    app = {(i.target, i.when) for i in imports("tracker.service.app")}
    assert ("tracker.store.engine", "load") in app
    assert ("tracker.service.writes", "call") in app
    assert ("tracker.service.schema", "load") in app  # `from tracker.service import schema`
    schema = {(i.target, i.when) for i in imports("tracker.service.schema")}
    assert ("tracker.service.app", "typing") in schema
    assert ("tracker.store.migrate", "call") in schema  # `from tracker.store import migrate`


def main() -> None:
    """Print the graph's numbers and each rule's offenders."""
    graph = load_graph()
    chain = longest_chain(graph)
    top = sorted({n.split(".")[1] for n in modules() if n.count(".") >= 1})
    packages = [
        t
        for t in top
        if f"tracker.{t}" in modules() and _package_of(f"tracker.{t}") == f"tracker.{t}"
    ]
    print(f"modules: {len(modules())}")
    print(f"top-level packages: {len(packages)} ({', '.join(packages)})")
    loose = sorted(set(top) - set(packages))
    print(f"top-level modules: {len(loose)} ({', '.join(loose)})")
    print(f"load-time import edges: {sum(len(t) for t in graph.values())}")
    print(f"longest load-time chain: {len(chain)} modules: {' -> '.join(chain)}")
    found = circles(graph)
    print(f"circles: {len(found)}")
    for group in found:
        print("  " + " <-> ".join(group))
    print(f"modules over {MAX_LINES} lines: {len(long_modules())}")
    for name, count in long_modules().items():
        print(f"  {name}: {count}")
    rules: dict[str, list[str]] = {
        "the CLI imports the store": [str(i) for i in cli_importing_the_store()],
        "the domain imports other packages": [str(i) for i in domain_importing_others()],
        "outside the CLI, imports of the CLI": [str(i) for i in importing_the_cli()],
        "reads of the environment outside config": environment_reads(),
    }
    for rule, offenders in rules.items():
        print(f"{rule}: {len(offenders)}")
        for offender in offenders:
            print(f"  {offender}")


if __name__ == "__main__":
    main()
