"""Events to stored parts and back, upcasting payloads written by older schema versions.

A stored row keeps ``occurred`` and ``sources`` in their own columns, so the payload holds
only the event's own fields. Old payloads are never rewritten: an upcaster per
(type, from_version) lifts them one version at a time when they are read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from tracker.domain.events.catalogue import event_class
from tracker.domain.events.event_base import DomainEvent, validation_message
from tracker.domain.events.trusted import build
from tracker.domain.values.dates import FuzzyDate
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
        payload=event.model_dump(mode="json", exclude=_OWN_COLUMNS),
        sources=[s.model_dump(mode="json") for s in event.sources],
    )


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
) -> DomainEvent:
    """``decode`` for parts read back from the log, which were validated on the way in.

    The upcasters still run; the upcast payload is then converted field by field rather
    than validated again (see trusted.py), which is what makes a replay fast. A payload
    not of its class's shape is validated as ``decode`` would.
    """
    cls = event_class(event_type)
    payload = upcast(event_type, schema_version, cls.schema_version, payload)
    data = {**payload, "occurred": occurred, "sources": sources}
    event = build(cls, data)
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
