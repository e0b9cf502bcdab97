"""`tracker [--db X] status ...` read from argv without click, for the forms click reads
the same way. Anything else (help, --as-of, --known-at, --debug, an unknown or malformed
option, a value click would refuse) gives None: click then parses it, errors and all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from tracker.cli.quick.errors import Unhandled
from tracker.projections.filters import SORTS, STATES

FORMATS = ("table", "json", "csv", "md")  # tracker.cli.output.FORMATS (a test checks)
_VALUED = ("buyer", "seller", "country", "system", "search", "signed", "state", "sort", "limit")


@dataclass(frozen=True, slots=True)
class StatusArgs:
    """What `tracker status` was asked, as the click command would receive it."""

    db: str | None
    refs: tuple[str, ...]
    buyer: str | None = None
    seller: str | None = None
    country: str | None = None
    system: str | None = None
    search: str | None = None
    signed: tuple[date, date] | None = None
    state: str | None = None
    overdue: bool = False
    sort: str = "ref"
    limit: int | None = None
    fmt: str = "table"


def parse(argv: Sequence[str]) -> StatusArgs | None:
    """The status command ``argv`` (without the program name) asks for, or None."""
    db, rest = _group(list(argv))
    if rest is None or not rest or rest[0] != "status":
        return None
    values: dict[str, str] = {}
    refs: list[str] = []
    overdue = False
    tokens = iter(rest[1:])
    for token in tokens:
        if not token.startswith("-"):
            refs.append(token)
            continue
        if token == "--overdue":
            overdue = True
            continue
        name, eq, value = token.partition("=")
        key = "fmt" if name == "--format" else name[2:]
        if not name.startswith("--") or (key not in _VALUED and key != "fmt"):
            return None
        if not eq:
            taken = next(tokens, None)
            if taken is None or taken.startswith("-"):
                return None  # click's own message, or a value that looks like an option
            value = taken
        values[key] = value  # click keeps the last of a repeated option
    try:
        return _checked(db, tuple(refs), values, overdue)
    except Unhandled:
        return None


def _group(argv: list[str]) -> tuple[str | None, list[str] | None]:
    """--db before the command (the group's only option a quick path takes)."""
    db = None
    while argv and argv[0].startswith("-"):
        name, eq, value = argv[0].partition("=")
        if name != "--db":
            return None, None
        if not eq:
            if len(argv) < 2:
                return None, None
            value, argv = argv[1], argv[1:]
        db, argv = value, argv[1:]
    return db, argv


def _checked(
    db: str | None, refs: tuple[str, ...], values: dict[str, str], overdue: bool
) -> StatusArgs:
    for party in ("buyer", "seller", "country"):
        if party in values and not values[party].strip():
            raise Unhandled("a blank party")
    _choice(values, "fmt", FORMATS)
    _choice(values, "state", STATES)
    _choice(values, "sort", SORTS)
    limit = values.get("limit")
    if limit is not None and not (limit.isascii() and limit.isdigit() and int(limit) >= 1):
        raise Unhandled("--limit")
    return StatusArgs(
        db=db,
        refs=refs,
        **{k: values.get(k) for k in ("buyer", "seller", "country", "system", "search", "state")},
        signed=_signed(values.get("signed")),
        overdue=overdue,
        sort=values.get("sort", "ref"),
        limit=None if limit is None else int(limit),
        fmt=values.get("fmt", "table"),
    )


def _choice(values: dict[str, str], key: str, choices: tuple[str, ...]) -> None:
    if key in values and values[key] not in choices:
        raise Unhandled(f"--{key}")


def _signed(text: str | None) -> tuple[date, date] | None:
    if text is None:
        return None
    from tracker.errors import InvalidInputError
    from tracker.projections.filters import signed_window

    try:
        return signed_window(text)
    except InvalidInputError as e:
        raise Unhandled("--signed") from e
