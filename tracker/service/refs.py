"""Refs as people type them, resolved to the full refs events carry.

A contract answers to its ref, to any unique prefix of it and, for a SIPRI deal, to the old
opaque ref its key spells ('sipri-tr-7c74...', 'sipri-32127'); a joint venture or an
agreement to its ref and any unique prefix. An exact ref always names itself, even when it
begins other refs. The read views resolve what they are asked about (``resolve_ref``); a
`tracker log KIND` command's refs of existing contracts, joint ventures and agreements are
resolved here before its event is built (``resolve_named``), so the event carries the full
ref and the rules only ever see full refs. A ref being created (`tracker log contract NEW`)
is never resolved, nor are the refs of an event file, which are exact records.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from tracker.domain.values.opaque_refs import sipri_key_of
from tracker.domain.values.refs import AGREEMENT, CONTRACT, JOINT_VENTURE, split_stream
from tracker.errors import TrackerError
from tracker.projections.status_table import StatusTable

if TYPE_CHECKING:
    from tracker.projections.reader import StateSource
    from tracker.service.app import Tracker

#: The fields of each `tracker log` kind that name an existing stream, and its kind. The
#: fields naming the stream an event creates (a contract's, a JV's, an agreement's
#: 'reference') are not here; a note's subject is resolved by the kind it names.
_NAMED: dict[str, tuple[tuple[str, str], ...]] = {
    "contract": (("joint_venture", JOINT_VENTURE), ("agreement", AGREEMENT)),
    **{
        kind: (("contract", CONTRACT),)
        for kind in ("amend", "cancel", "figure", "schedule", "revise", "delivery")
    },
    "extend": (("reference", AGREEMENT),),
    "production": (("joint_venture", JOINT_VENTURE), ("contract", CONTRACT)),
    "production-plan": (("joint_venture", JOINT_VENTURE), ("contract", CONTRACT)),
}
_NOUNS = {CONTRACT: "Contract", JOINT_VENTURE: "Joint venture", AGREEMENT: "Agreement"}


def resolve_ref(source: StateSource, text: str) -> str:
    """The contract ref ``text`` names: itself, the one ref it is a prefix of, or for an old
    opaque SIPRI ref ('sipri-tr-7c74...', 'sipri-32127') the contract storing its key."""
    found = contract_refs(source, text)
    if len(found) == 1:
        return found[0]
    if not found:
        raise TrackerError(f"No contract '{text}'")
    raise ambiguous(CONTRACT, text, found)


def contract_refs(source: StateSource, text: str) -> list[str]:
    """The refs of the contracts ``text`` may name (at most 11): itself alone if it is one,
    else those it begins, or for an old opaque SIPRI ref those storing its key."""
    found = source.refs(text)
    if not found and sipri_key_of(text) is not None:
        found = [r for r in _keyed(source, text) if source.refs(r) == [r]]
    return found


def ambiguous(kind: str, text: str, found: list[str]) -> TrackerError:
    """The error for a prefix of several refs of ``kind``, listing (the first 10 of) them."""
    shown = ", ".join(found[:10]) + (", ..." if len(found) > 10 else "")
    return TrackerError(f"{_NOUNS[kind]} '{text}' is ambiguous: {shown}")


def _keyed(source: StateSource, text: str) -> list[str]:
    """The refs of the contracts storing the SIPRI key the opaque ref ``text`` spells, as the
    status table's sipri_id holds it, for a source that reads the tables (one that folds
    the log answers by itself: FoldedStates.refs)."""
    engine = getattr(source, "engine", None)
    return [] if engine is None else StatusTable(engine).refs(text)


def resolve_named(tracker: Tracker, kind: str, fields: Mapping[str, Any]) -> dict[str, Any]:
    """``fields`` of a `tracker log KIND` event with each ref of an existing contract, joint
    venture or agreement made full (a note's subject too). A ref that names nothing is left
    as given, for the rules to refuse as they do ("No contract '...'"); a prefix of several
    is refused here, listing them. Read-only: a ref the log holds as it is is taken at once;
    others are looked up in the read models, or folded from the log when those lag."""
    out = dict(fields)
    resolver = _Resolver(tracker)
    for name, what in _NAMED.get(kind, ()):
        if isinstance(value := out.get(name), str) and value:
            out[name] = resolver.full(what, value)
    subject = out.get("subject")
    if kind == "note" and isinstance(subject, str):
        what, ref = split_stream(subject)
        if what in _NOUNS and ref:
            out["subject"] = f"{what}:{resolver.full(what, ref)}"
    return out


class _Resolver:
    """Resolves the refs of one command, reading the states once, only if a ref needs it."""

    def __init__(self, tracker: Tracker) -> None:
        self.tracker = tracker
        self._source: StateSource | None = None

    def full(self, kind: str, text: str) -> str:
        if self.tracker.store.stream_version(f"{kind}:{text}"):
            return text  # in the log as given: itself, whatever it begins
        found = self._candidates(kind, text)
        if len(found) > 1:
            raise ambiguous(kind, text, found)
        return found[0] if found else text

    def _candidates(self, kind: str, text: str) -> list[str]:
        if self._source is None:
            self._source = self.tracker.source()  # the tables, or the log folded if they lag
        source = self._source
        if kind == CONTRACT:
            return contract_refs(source, text)
        if kind == JOINT_VENTURE:
            refs = [v.venture.reference for v in source.joint_ventures() if not v.withdrawn]
        else:
            refs = [a.agreement.reference for a in source.agreements() if not a.withdrawn]
        return sorted(r for r in refs if r.startswith(text))[:11]
