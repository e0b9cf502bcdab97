"""Walk the hash chain and say where, if anywhere, it breaks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson

from tracker.errors import InvalidInputError
from tracker.store.eventstore import EventStore
from tracker.store.hashing import GENESIS_HASH
from tracker.store.rows import row_hash


@dataclass(frozen=True, slots=True)
class VerifyResult:
    """The outcome of a walk: how far it got and the first broken position, if any."""

    count: int
    head_position: int
    head_hash: str
    broken_at: int | None = None
    reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.broken_at is None

    @property
    def digest(self) -> str:
        return f"{self.head_position}:{self.head_hash}"


def verify(store: EventStore, progress: Callable[[int], None] | None = None) -> VerifyResult:
    """Recompute every hash from the stored columns, check each link to its predecessor and
    that positions run 1, 2, 3... without a gap, and check what the hash cannot see: an
    ``occurred_start`` of '' (hashed as NULL is) and a payload or metadata that is not a
    JSON object (a row every reader would fail on)."""
    prev, count, position = GENESIS_HASH, 0, 0
    for row in store.read_raw():
        count += 1
        reason = _problem(row, position, prev)
        if reason is not None:
            return VerifyResult(count, position, prev, row.position, reason)
        prev, position = row.hash, row.position
        if progress is not None and count % 10_000 == 0:
            progress(count)
    return VerifyResult(count, position, prev)


def _problem(row: Any, position: int, prev: str) -> str | None:
    """Why ``row`` does not follow the event at ``position`` with hash ``prev``, if it does not."""
    if row.position != position + 1:
        return f"positions jump from {position} to {row.position} (a gap in the log)"
    if row.prev_hash != prev:
        return (
            f"its prev_hash does not match the hash of the event before it (position {position})"
            if position
            else "its prev_hash is not the genesis hash"
        )
    try:
        computed = row_hash(row)
    except (TypeError, ValueError, AttributeError) as e:
        return f"unreadable row: {e}"
    if computed != row.hash:
        return "its stored hash does not match its content (the event was altered)"
    if row.occurred_start == "":
        return (
            "its occurred_start is '' where the log stores NULL (the hash cannot tell them apart)"
        )
    for column in ("payload", "metadata"):
        if not _json_object(getattr(row, column)):
            return f"its {column} is not a JSON object"
    return None


def _json_object(text: str) -> bool:
    try:
        return isinstance(orjson.loads(text), dict)
    except orjson.JSONDecodeError:
        return False


def parse_digest(text: str) -> tuple[int, str]:
    """A digest is 'POSITION:HASH', as printed by ``tracker verify --digest``."""
    pos, sep, digest = text.strip().partition(":")
    if not sep or not pos.isdigit() or len(digest) != 64:
        raise InvalidInputError(
            f"Invalid digest '{text}': expected POSITION:SHA256 (64 hex digits)"
        )
    return int(pos), digest.lower()


def extends(store: EventStore, digest: str, result: VerifyResult | None = None) -> str | None:
    """None when the current log holds the digest's event at its position; else why not."""
    position, expected = parse_digest(digest)
    result = result or verify(store)
    if not result.ok:
        return f"the chain is broken at position {result.broken_at}"
    if position == 0:
        return None
    for row in store.read_raw(after_position=position - 1):
        if row.position != position:
            break
        if row.hash != expected:
            return f"position {position} now has hash {row.hash}, the digest says {expected}"
        return None
    return f"the log no longer holds position {position}"
