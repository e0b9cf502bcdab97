"""Events to stored parts and back, upcasting payloads written by older schema versions.

A stored row keeps ``occurred`` and ``sources`` in their own columns, so the payload holds
only the event's own fields. Old payloads are never rewritten: an upcaster per
(type, from_version) lifts them one version at a time when they are read.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from tracker.domain.events.catalogue import event_class
from tracker.domain.events.event_base import DomainEvent, validation_message
from tracker.domain.events.trusted import build
from tracker.domain.values.dates import FuzzyDate
from tracker.domain.values.sources import Source
from tracker.errors import TrackerError

Payload = dict[str, Any]
Upcaster = Callable[[Payload], Payload]

_OWN_COLUMNS = {"occurred", "sources"}


class UnknownSchemaVersionError(TrackerError):
    """A stored event is of a schema version this code cannot read."""


class UndecodableEventError(TrackerError):
    """A stored payload does not validate as its event type."""


@dataclass(frozen=True, slots=True)
class Encoded:
    """An event split into the parts the store keeps; payload and sources are JSON-ready."""

    event_type: str
    schema_version: int
    occurred: FuzzyDate
    payload: Payload
    sources: list[dict[str, Any]]


def upcast_delivery_recorded_v1_v2(payload: Payload) -> Payload:
    """v1 stored the increment as 'number' and had no cumulative totals."""
    upcast = {k: v for k, v in payload.items() if k != "number"}
    upcast["quantity"] = payload.get("number")
    upcast.setdefault("cumulative_total", None)
    return upcast


UPCASTERS: dict[tuple[str, int], Upcaster] = {
    ("DeliveryRecorded", 1): upcast_delivery_recorded_v1_v2,
}


def encode(event: DomainEvent) -> Encoded:
    """Split an event into stored parts; ``decode`` of them gives the same event back."""
    return Encoded(
        event_type=event.type,
        schema_version=event.schema_version,
        occurred=event.occurred,
        payload=payload_json(event),
        sources=sources_json(event.sources),
    )


def payload_json(event: DomainEvent) -> Payload:
    """What the payload column stores of an event: its own fields, JSON-ready."""
    # model_dump(mode="json", exclude=_OWN_COLUMNS) without its Python wrapper.
    return event.__pydantic_serializer__.to_python(event, mode="json", exclude=_OWN_COLUMNS)


def sources_json(sources: tuple[Source, ...]) -> list[dict[str, Any]]:
    """The sources JSON-ready, each a fresh dict (a caller may keep or change it)."""
    global _last_dumped
    last = _last_dumped
    if last[0] is not sources:  # an import's events share one tuple: no hashing then
        try:
            last = _last_dumped = (sources, _dumped(sources))
        except TypeError:  # unhashable: not the tuple of frozen sources validation makes
            return [s.model_dump(mode="json") for s in sources]
    return [dict(d) for d in last[1]]


#: The sources last dumped, and their dump (held, so the identity test cannot be fooled).
_last_dumped: tuple[tuple[Source, ...], tuple[dict[str, Any], ...]] = ((), ())


@functools.lru_cache(maxsize=256)
def _dumped(sources: tuple[Source, ...]) -> tuple[dict[str, Any], ...]:
    # Keyed on the value (Source is frozen: equal sources dump equal), so a SIPRI import,
    # which cites its release in every event, dumps it once.
    return tuple(s.model_dump(mode="json") for s in sources)


def decode(
    event_type: str,
    schema_version: int,
    occurred: FuzzyDate | str,
    payload: Payload,
    sources: list[dict[str, Any]],
) -> DomainEvent:
    """Rebuild an event from stored parts, upcasting an older payload first."""
    cls = event_class(event_type)
    payload = upcast(event_type, schema_version, cls.schema_version, payload)
    return _validated(cls, schema_version, {**payload, "occurred": occurred, "sources": sources})


def decode_stored(
    event_type: str,
    schema_version: int,
    occurred: FuzzyDate | str,
    payload: Payload,
    sources: list[dict[str, Any]],
    cited: dict[Any, tuple[Source, ...]] | None = None,
    key: Any = None,
) -> DomainEvent:
    """``decode`` for parts read back from the log, which were validated on the way in.

    The upcasters still run; the upcast payload is then converted field by field rather
    than validated again (see trusted.py), which is what makes a replay fast. A payload
    not of its class's shape is validated as ``decode`` would.

    ``cited`` is the caller's memo of converted sources by ``key``, a text of ``sources``
    (many events cite the same): each is converted once (every event type declares
    ``sources`` alike), never for a payload that gets validated.
    """
    cls = event_class(event_type)
    payload = upcast(event_type, schema_version, cls.schema_version, payload)
    data = {**payload, "occurred": occurred, "sources": sources}
    if cited is None:
        event = build(cls, data)
    elif (known := cited.get(key)) is not None:
        event = build(cls, data, {"sources": known})
    elif (event := build(cls, data)) is not None:
        cited[key] = event.sources
    return event if event is not None else _validated(cls, schema_version, data)


def _validated(cls: type[DomainEvent], schema_version: int, data: Payload) -> DomainEvent:
    try:
        return cls.model_validate(data)
    except ValidationError as e:
        raise UndecodableEventError(
            f"Stored {cls.type} v{schema_version} does not validate: {validation_message(e)}"
        ) from None


def upcast(event_type: str, version: int, current: int, payload: Payload) -> Payload:
    """Lift ``payload`` from ``version`` to ``current`` through the registered upcasters."""
    if version > current:
        raise UnknownSchemaVersionError(
            f"Stored {event_type} is schema version {version};"
            f" this tracker reads up to version {current}"
        )
    while version < current:
        step = UPCASTERS.get((event_type, version))
        if step is None:
            raise UnknownSchemaVersionError(
                f"No upcaster for {event_type} from schema version {version}"
            )
        payload = step(payload)
        version += 1
    return payload
