"""What every event planned from a SIPRI release shares: its id, its source, its dates.

An event's id derives from the deal's ref and the fact it records (`event_id`), so
importing the same file again plans the same ids and appends nothing. Every event cites
the release (`citation`); corrections and retractions of a later release are dated by it.
"""

from __future__ import annotations

import functools
import hashlib
import uuid
from datetime import date
from typing import Any

from tracker.domain.events.catalogue import EventCorrected
from tracker.domain.events.event_base import Confidence, DomainEvent
from tracker.domain.values.dates import FuzzyDate
from tracker.domain.values.sources import Source
from tracker.importers.sipri.model import SipriDeal, SipriRelease

NAMESPACE = uuid.UUID("0b7f5a9e-2d1c-4c3e-8f6a-5e9d4b2a7c10")
_NAMESPACE_BYTES = NAMESPACE.bytes
SIPRI_URL = "https://www.sipri.org/databases/armstransfers"
#: An event and the id it is appended under.
Planned = tuple[str, DomainEvent]
BEFORE_ORDER = "delivery year before order year, as SIPRI publishes it"


def release_source(release: SipriRelease, today: date) -> Source:
    """The release as a source; an undated file is cited with the day it was imported."""
    return Source(
        publisher="SIPRI", title=release.label, url=SIPRI_URL, published=release.generated or today
    )


@functools.lru_cache(maxsize=4)
def citation(release: SipriRelease, today: date) -> tuple[Source, ...]:
    """The release as every event's sources: one instance for all the deals of an import."""
    return (release_source(release, today),)


def before_order(deal: SipriDeal) -> bool:
    """SIPRI lists a delivery in a year before the order year (a tracker rule broken)."""
    return any(year < deal.order_year for year in deal.delivery_years)


def correction(
    ref: str, target: str, changes: dict[str, Any], cite: tuple[Source, ...], what: str
) -> Planned:
    """Correct the event ``target`` of contract ``ref``; ``what`` says what the release gives."""
    event = EventCorrected(
        target_event_id=target,
        changes=changes,
        reason=f"{cite[0].title} gives {what}"[:2000],
        occurred=release_day(cite[0]),
        sources=cite,
        confidence="reported",
    )
    return event_id(ref, "corrected", target, digest(what)), event


def shown(value: object) -> str:
    """A value as a correction's reason reads it."""
    return "none" if value is None else str(value)


def confidence_of(estimate: bool) -> Confidence:
    """SIPRI's `?` (an estimate) is 'unconfirmed'."""
    return "unconfirmed" if estimate else "reported"


def release_day(source: Source) -> FuzzyDate:
    """The day the release cited by ``source`` came out."""
    assert source.published is not None  # release_source always dates it
    return FuzzyDate.day(source.published)


@functools.lru_cache(maxsize=256)
def year_date(value: int) -> FuzzyDate:
    """Years repeat across deals: one (immutable) FuzzyDate each."""
    return FuzzyDate.year(value)


def event_id(ref: str, *parts: str) -> str:
    """``str(uuid.uuid5(NAMESPACE, 'key/part/...'))``, without the UUID object in between,
    which cost a fifth of the time planning a whole register took."""
    name = "/".join((ref, *parts)).encode()
    raw = bytearray(hashlib.sha1(_NAMESPACE_BYTES + name).digest()[:16])
    raw[6] = (raw[6] & 0x0F) | 0x50  # version 5
    raw[8] = (raw[8] & 0x3F) | 0x80  # the RFC 4122 variant
    h = raw.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def digest(value: object) -> str:
    """A short digest of ``value`` (a dict by its sorted items) for an event id."""
    text = repr(sorted(value.items())) if isinstance(value, dict) else repr(value)
    return hashlib.sha256(text.encode()).hexdigest()[:16]
