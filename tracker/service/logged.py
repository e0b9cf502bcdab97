"""What a write appended, as its callers see it; an event as the store appends it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from tracker.domain.events.catalogue import EventCorrected, EventRetracted
from tracker.domain.events.codec import payload_json, sources_json
from tracker.domain.events.event_base import DomainEvent
from tracker.domain.state.envelope import Recorded
from tracker.domain.views.summaries import summary
from tracker.projections.batch import Batch
from tracker.projections.decode import to_domain
from tracker.store.records import NewEvent, RecordedEvent


@dataclass(frozen=True, slots=True)
class Logged:
    """What was appended (or, on a dry run, would have been)."""

    event_id: str
    stream_id: str
    stream_version: int
    position: int
    event: DomainEvent
    existed: bool
    units: Mapping[str, str]

    @property
    def summary(self) -> str:
        """One line, as the timeline shows it (computed on demand: imports never ask)."""
        return summary(self.event, self.units)


def logged(rec: RecordedEvent, pending: Recorded | None, units: Mapping[str, str]) -> Logged:
    domain = pending or to_domain(rec)
    return Logged(
        event_id=rec.event_id,
        stream_id=rec.stream_id,
        stream_version=rec.stream_version,
        position=rec.position,
        event=domain.event,
        existed=pending is None,
        units=units,
    )


def new_event(event: DomainEvent, event_id: str, actor: str, correlation: str) -> NewEvent:
    # encode()'s parts, taken one by one: an import makes one per event.
    metadata: dict[str, object] = {
        "actor": actor,
        "sources": sources_json(event.sources),
        "correlation_id": correlation,
    }
    if isinstance(event, _CAUSED):
        metadata["causation_id"] = event.target_event_id
    return NewEvent(
        event_id, event.type, event.schema_version, event.occurred, payload_json(event), metadata
    )


#: The events that name the event they follow from (a tuple: isinstance is quicker so).
_CAUSED = (EventCorrected, EventRetracted)


def contract_named(event: DomainEvent) -> str | None:
    """The contract an event names, if its type has one (a JV's production names one too)."""
    if "contract" not in type(event).model_fields:
        return None  # a getattr default would raise and catch inside pydantic: slow in bulk
    ref = getattr(event, "contract", None)
    return ref if isinstance(ref, str) else None


def units_of(batch: Batch, refs: set[str]) -> dict[str, str]:
    """The units of these contracts, for summaries read after the batch is gone."""
    units = batch.units()
    return {ref: unit for ref in refs if (unit := units.get(ref)) is not None}
