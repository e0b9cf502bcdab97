"""The importer's events built without validating again what is already valid.

A deal plans three or four events and a register holds 30,000 deals; pydantic's validation
of each event (a few microseconds, its checks mostly Python callbacks) was a large part of
planning. The values a deal gives are already of their fields' types, so here each event's
fields get, cheaply, every check and normalisation its validation would make (the
canonical party, the singular unit, the as-written spellings a signing keeps), and the event
is then built as it is (trusted.given). A value that fails a check, or that validation
would change (white space to strip), sends the event through the class's own validation,
which raises the error, or makes the event, exactly as before.

tests/importers/test_built.py builds every event of the sample releases both ways and
compares them, and lists the validators each class has: a new one must be mirrored here.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any, get_args

from tracker.domain.events.catalogue import (
    ContractSigned,
    DeliveryRecorded,
    EventCorrected,
    EventRetracted,
    NoteRecorded,
)
from tracker.domain.events.contract_events import SipriRecord
from tracker.domain.events.event_base import Confidence
from tracker.domain.events.trusted import given
from tracker.domain.values.dates import FuzzyDate
from tracker.domain.values.jsonable import jsonable
from tracker.domain.values.parties import as_written, canonical_party
from tracker.domain.values.quantity import normalise_unit
from tracker.domain.values.refs import check_reference, check_subject
from tracker.domain.values.sources import Source

_CONFIDENCE = frozenset(get_args(Confidence))


def delivery(**values: Any) -> DeliveryRecorded:
    """``DeliveryRecorded(**values)``: a yearly delivery, a quantity or of unknown size."""
    ok = (
        _event(values)
        and _passes(check_reference, values["contract"])
        and _count(values["quantity"])
        and type(values["size_unknown"]) is bool
        # check_exactly_one: no cumulative total here, so a quantity or an unknown size.
        and (values["quantity"] is None) is values["size_unknown"]
        and type(values["split_estimate"]) is bool
        and _texts(values["quality"])
    )
    return given(DeliveryRecorded, values) if ok else DeliveryRecorded(**values)


def note(**values: Any) -> NoteRecorded:
    """``NoteRecorded(**values)``: SIPRI's comment on a deal."""
    ok = (
        _event(values)
        and _passes(check_subject, values["subject"])
        and _text(values["text"])
        and _texts(values["tags"])
    )
    return given(NoteRecorded, values) if ok else NoteRecorded(**values)


def record(**values: Any) -> SipriRecord:
    """``SipriRecord(**values)``, every field given."""
    v = values
    ok = (
        len(v) == len(SipriRecord.model_fields)
        and _whole(v["deal_id"])
        and _text(v["supplier"])
        and _text(v["recipient"])
        and type(v["order_year_estimate"]) is bool
        and type(v["ordered_estimate"]) is bool
        and type(v["delivered_estimate"]) is bool
        and _whole(v["delivered"])
        and _maybe_text(v["status"])
        and _tiv(v["tiv_unit"])
        and _tiv(v["tiv_order"])
        and _tiv(v["tiv_delivered"])
        and _tiv(v["tiv_new_unit"])
        and _maybe_text(v["category"])
        and (v["local_production"] is None or type(v["local_production"]) is bool)
        and _texts(v["quality"])
        and _maybe_text(v["key"])
    )
    return given(SipriRecord, values) if ok else SipriRecord(**values)


def signing(**values: Any) -> ContractSigned:
    """``ContractSigned(**values)`` of a deal: parties folded to their canonical names and
    the spellings kept as its validators keep them, the unit made singular."""
    v = values
    ok = (
        _event(v)
        and _passes(check_reference, v["reference"])
        and _text(v["system"])
        and _maybe_text(v["description"])
        and _text(v["buyer"])
        and _text(v["seller"])
        and _count(v["quantity"])
        and _text(v["unit"])
        and (v["sipri"] is None or type(v["sipri"]) is SipriRecord)
    )
    if not ok:
        return ContractSigned(**values)
    buyer, seller = canonical_party(v["buyer"]), canonical_party(v["seller"])
    spelled = {  # ContractSigned._keep_spelling, before the parties are folded
        "buyer_as_written": as_written(v["buyer"], buyer),
        "seller_as_written": as_written(v["seller"], seller),
    }
    if not all(_maybe_text(s) for s in spelled.values()):
        return ContractSigned(**values)
    folded = {"buyer": buyer, "seller": seller, "unit": normalise_unit(v["unit"])}
    return given(ContractSigned, {**values, **folded, **spelled})


def corrected(**values: Any) -> EventCorrected:
    """``EventCorrected(**values)``, its changes made JSON-ready as its validator makes them."""
    changes = values["changes"]
    ok = (
        _event(values)
        and _text(values["target_event_id"])
        and type(changes) is dict
        and bool(changes)
        and all(type(k) is str for k in changes)
        and _text(values["reason"])
    )
    if not ok:
        return EventCorrected(**values)
    ready = {str(k): jsonable(v) for k, v in changes.items()}  # EventCorrected._json_ready
    return given(EventCorrected, {**values, "changes": ready})


def retracted(**values: Any) -> EventRetracted:
    """``EventRetracted(**values)``."""
    ok = _event(values) and _text(values["target_event_id"]) and _text(values["reason"])
    return given(EventRetracted, values) if ok else EventRetracted(**values)


def _event(values: dict[str, Any]) -> bool:
    """What every event checks: a dated FuzzyDate (an undated one is re-dated by its
    sources), at least one source, a known confidence."""
    occurred, sources = values["occurred"], values["sources"]
    return (
        type(occurred) is FuzzyDate
        and not occurred.is_unknown
        and type(sources) is tuple
        and bool(sources)
        and (type(sources[0]) is Source if len(sources) == 1 else _sources(sources))
        and type(values["confidence"]) is str
        and values["confidence"] in _CONFIDENCE
    )


def _sources(sources: tuple[object, ...]) -> bool:
    return all(type(s) is Source for s in sources)


def _text(value: object) -> bool:
    """A str that Text keeps as it is: not empty, nothing to strip at either end (every
    character Rust's trim strips, str.strip strips too), no lone surrogate."""
    return (
        type(value) is str
        and value != ""
        and value.strip() == value
        and (value.isascii() or _encodable(value))
    )


def _encodable(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _maybe_text(value: object) -> bool:
    return value is None or _text(value)


def _texts(value: object) -> bool:
    return type(value) is tuple and (not value or all(_text(v) for v in value))


def _count(value: object) -> bool:
    """A Count or None: a whole number above zero (a bool is no count)."""
    return value is None or (type(value) is int and value > 0)


def _whole(value: object) -> bool:
    return value is None or type(value) is int


def _tiv(value: object) -> bool:
    return value is None or (type(value) is Decimal and value.is_finite())


def _passes(check: Callable[[str], str], value: object) -> bool:
    """Whether a str passes one of the refs checks (which return it unchanged)."""
    if type(value) is not str:
        return False
    try:
        check(value)
    except ValueError:
        return False
    return True
