"""What matching (sipri.matching) reads of a deal, and the pairs it makes of them.

A `Deal` is an earlier deal (a contract already imported, `ident` its ref) or a deal of
the newer release (`ident` its position); both sides compare party names folded by
`party` and designations by `text`. A `Matching` holds the pairs and what could pair two
ways.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from functools import cache, lru_cache

from tracker.domain.values.parties import canonical_party

# SIPRI renames the domain's closed list does not alias (checked on the 2024/2025 releases).
_RENAMED = {"swaziland": "Eswatini", "macedonia": "North Macedonia"}


@dataclass(frozen=True, slots=True)
class Deal:
    """What matching reads of a deal, old or new: `ident` is a ref or a position."""

    ident: str
    deal_id: int | None
    supplier: str
    recipient: str
    designation: str
    order_year: int
    figures: tuple[int | None, tuple[int, ...]]
    # Everything else the release gives, to pair exact repeats of a key by content first.
    content: Hashable = None

    @property
    def key(self) -> tuple[str, str, str, int]:
        return (*self.loose_key, self.order_year)

    @property
    def loose_key(self) -> tuple[str, str, str]:
        return (party(self.supplier), party(self.recipient), text(self.designation))


@dataclass
class Matching:
    """Pairs (old ident, new ident), and what stayed unpaired or could pair two ways."""

    pairs: dict[str, str] = field(default_factory=dict)  # new -> old
    # (the earlier deals, the newer deals, why they cannot be told apart)
    ambiguous: list[tuple[list[Deal], list[Deal], str]] = field(default_factory=list)

    def unmatched_old(self, old: list[Deal]) -> list[Deal]:
        paired = set(self.pairs.values()) | {d.ident for olds, _, _ in self.ambiguous for d in olds}
        return [d for d in old if d.ident not in paired]


@cache
def party(name: str) -> str:
    """A party's name for matching: SIPRI's marker dropped, aliases and renames folded."""
    bare = name.rstrip("*").strip()
    return _RENAMED.get(bare.casefold()) or canonical_party(bare)


@lru_cache(maxsize=65536)
def text(value: str) -> str:
    """A designation for comparing: case folded, runs of white space as one space."""
    return " ".join(value.casefold().split())
