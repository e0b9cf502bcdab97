"""Keyword-override factories for domain events, and a small in-memory log.

Each factory builds a valid event with plausible defaults (the S-400 contract); any field can
be overridden by keyword. ``Log.append`` goes through the real write path of the domain:
``rules.check`` first, then the event is recorded and folded.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from tracker.domain.events.catalogue import (
    AgreementExtended,
    AgreementSigned,
    ContractAmended,
    ContractCancelled,
    ContractSigned,
    DeliveryRecorded,
    DeliveryScheduled,
    EventCorrected,
    EventRetracted,
    FigureReported,
    JointVentureEstablished,
    Milestone,
    NoteRecorded,
    ProductionRecorded,
    ScheduleRevised,
    stream_of,
)
from tracker.domain.events.event_base import DomainEvent
from tracker.domain.rules.checks import check
from tracker.domain.rules.lookup import MemoryLookup
from tracker.domain.state.envelope import Recorded
from tracker.domain.values.money import Money
from tracker.domain.values.sources import Source

REF = "s400-india-2018"
TODAY = date(2026, 1, 15)


def source(**overrides: Any) -> Source:
    fields: dict[str, Any] = {
        "publisher": "NDTV",
        "title": "India, Russia sign S-400 missile deal",
        "url": "https://www.ndtv.com/india-news/india-russia-sign-s-400-missile-deal-1927382",
        "published": date(2018, 10, 5),
    }
    return Source(**(fields | overrides))


def _sources(overrides: dict[str, Any]) -> dict[str, Any]:
    return {"sources": (source(),)} | overrides


def contract_signed(**overrides: Any) -> ContractSigned:
    return ContractSigned(
        **_sources(
            {
                "occurred": "2018-10-05",
                "reference": REF,
                "system": "S-400 Triumf",
                "description": "SAM system",
                "buyer": "India",
                "seller": "Russia",
                "quantity": 5,
                "unit": "squadron",
                "value": Money.parse("USD 5.43bn"),
                "confidence": "confirmed",
            }
            | overrides
        )
    )


def contract_amended(**overrides: Any) -> ContractAmended:
    fields = {"occurred": "2020-01", "contract": REF, "quantity": 6, "reason": "option taken"}
    return ContractAmended(**_sources(fields | overrides))


def contract_cancelled(**overrides: Any) -> ContractCancelled:
    fields = {"occurred": "2024-01", "contract": REF, "reason": "sanctions"}
    return ContractCancelled(**_sources(fields | overrides))


def figure_reported(**overrides: Any) -> FigureReported:
    fields = {
        "occurred": "2018-10-05",
        "contract": REF,
        "figure": "value",
        "value": Money.parse("USD 5bn"),
    }
    return FigureReported(**_sources(fields | overrides))


def milestone(label: str, quantity: int = 1, due: str = "by 2023") -> Milestone:
    return Milestone(label=label, quantity=quantity, due=due)  # type: ignore[arg-type]


def delivery_scheduled(**overrides: Any) -> DeliveryScheduled:
    fields = {
        "occurred": "2021-10-05",
        "contract": REF,
        "milestones": tuple(milestone(f"squadron {n}") for n in range(1, 6)),
    }
    return DeliveryScheduled(**_sources(fields | overrides))


def schedule_revised(**overrides: Any) -> ScheduleRevised:
    fields = {
        "occurred": "2023-03-23",
        "contract": REF,
        "milestone": "squadron 4",
        "due": "by 2024",
        "reason": "Ukraine war",
    }
    return ScheduleRevised(**_sources(fields | overrides))


def delivery_recorded(**overrides: Any) -> DeliveryRecorded:
    fields = {"occurred": "2021-12", "contract": REF, "quantity": 1, "label": "squadron 1"}
    return DeliveryRecorded(**_sources(fields | overrides))


def jv_established(**overrides: Any) -> JointVentureEstablished:
    fields = {
        "occurred": "2019-03-03",
        "reference": "irrpl",
        "name": "Indo-Russian Rifles Pvt Ltd",
        "partners": {
            "AWEIL and MIL": "50.5",
            "Kalashnikov Concern": "42",
            "Rosoboronexport": "7.5",
        },
        "location": "Korwa, Amethi, Uttar Pradesh",
        "products": ("AK-203",),
    }
    return JointVentureEstablished(**_sources(fields | overrides))


def ak203_signed(**overrides: Any) -> ContractSigned:
    fields = {
        "occurred": "2021-12-06",
        "reference": "ak203-india-2021",
        "system": "AK-203",
        "description": "assault rifle",
        "buyer": "India",
        "seller": "Indo-Russian Rifles Pvt Ltd",
        "quantity": 601427,
        "unit": "rifle",
        "value": Money.parse("INR 5,100 crore"),
        "joint_venture": "irrpl",
    }
    return contract_signed(**(fields | overrides))


def production_recorded(**overrides: Any) -> ProductionRecorded:
    fields = {
        "occurred": "2024-07-06",
        "joint_venture": "irrpl",
        "contract": "ak203-india-2021",
        "cumulative_total": 35000,
    }
    return ProductionRecorded(**_sources(fields | overrides))


def agreement_signed(**overrides: Any) -> AgreementSigned:
    fields = {
        "occurred": "2021-12-06",
        "reference": "india-russia-mtc-2021",
        "title": "Programme for military-technical cooperation 2021-2031",
        "parties": ("India", "Russia"),
        "valid_from": "2021",
        "valid_to": "2031",
    }
    return AgreementSigned(**_sources(fields | overrides))


def agreement_extended(**overrides: Any) -> AgreementExtended:
    fields = {"occurred": "2030-06", "reference": "india-russia-mtc-2021", "valid_to": "2041"}
    return AgreementExtended(**_sources(fields | overrides))


def note_recorded(**overrides: Any) -> NoteRecorded:
    fields = {
        "occurred": "2017-08",
        "subject": "topic:caatsa",
        "text": "CAATSA enacted",
        "tags": ("sanctions",),
    }
    return NoteRecorded(**_sources(fields | overrides))


def event_corrected(**overrides: Any) -> EventCorrected:
    fields = {
        "occurred": "2022-02",
        "target_event_id": "e2",
        "changes": {"quantity": 2},
        "reason": "misread",
    }
    return EventCorrected(**_sources(fields | overrides))


def event_retracted(**overrides: Any) -> EventRetracted:
    fields = {"occurred": "2022-02", "target_event_id": "e2", "reason": "did not happen"}
    return EventRetracted(**_sources(fields | overrides))


class Log:
    """An in-memory log: events are checked by the rules, recorded, and folded."""

    def __init__(self, today: date = TODAY) -> None:
        self.today = today
        self.records: list[Recorded] = []
        self.lookup = MemoryLookup()

    def append(self, event: DomainEvent, event_id: str | None = None) -> Recorded:
        """Check ``event`` against the rules, then record it (the domain's write path)."""
        check(event, self.lookup, self.today)
        return self.record(event, event_id)

    def record(self, event: DomainEvent, event_id: str | None = None) -> Recorded:
        """Record without checking (to build logs the rules would refuse)."""
        stream = stream_of(event) or self._target_stream(event)
        version = sum(1 for r in self.records if r.stream_id == stream) + 1
        position = len(self.records) + 1
        recorded = Recorded(
            event_id=event_id or f"e{position}",
            position=position,
            stream_id=stream,
            stream_version=version,
            recorded_at=datetime(2026, 1, 1, 12, position % 60, tzinfo=UTC),
            event=event,
        )
        self.records.append(recorded)
        self.lookup.add(recorded)
        return recorded

    def _target_stream(self, event: DomainEvent) -> str:
        target = getattr(event, "target_event_id", None)
        found = self.lookup.target(target) if target else None
        assert found is not None, f"no target for {event!r}"
        return found.stream_id

    def state(self, stream_id: str = f"contract:{REF}") -> Any:
        return self.lookup.state(stream_id)
