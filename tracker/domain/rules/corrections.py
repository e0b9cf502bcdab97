"""Applying a correction's changes to an event: named fields replaced, then re-validated."""

from __future__ import annotations

import functools
from typing import Any

from pydantic import ValidationError

from tracker.domain.events.event_base import DomainEvent, validation_message
from tracker.errors import DomainError


def check_changes(event: DomainEvent, changes: dict[str, Any], event_id: str) -> None:
    """Refuse changes that name no field of ``event`` or a field that decides its stream."""
    cls = type(event)
    for name in changes:
        if name not in _fields(cls):
            raise DomainError(f"Event '{event_id}' ({cls.type}) has no field '{name}'")
        if name in cls.stream_fields:
            raise DomainError(
                f"Cannot correct '{name}' of event '{event_id}': it decides the stream;"
                " retract the event and record it again"
            )


def apply_changes(event: DomainEvent, changes: dict[str, Any], event_id: str) -> DomainEvent:
    """``event`` with ``changes`` applied, validated as a new event of the same type."""
    check_changes(event, changes, event_id)
    cls = type(event)
    # Shallow: unchanged fields keep their already-valid objects.
    data = {name: getattr(event, name) for name in _fields(cls)}
    data.update(changes)
    try:
        return cls.model_validate(data)
    except ValidationError as e:
        raise DomainError(
            f"Correction of event '{event_id}' ({cls.type}) does not validate:"
            f" {validation_message(e)}"
        ) from None


@functools.cache
def _fields(cls: type[DomainEvent]) -> dict[str, None]:
    """The names of ``cls``'s fields, in declaration order: ``model_fields`` is a property
    behind pydantic's deprecation wrapper, slower to read than a dict."""
    return dict.fromkeys(cls.model_fields)
