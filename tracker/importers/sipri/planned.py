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

from tracker.domain.events.event_base import Confidence, DomainEvent
from tracker.domain.values.dates import FuzzyDate
from tracker.domain.values.sources import Source
from tracker.importers.sipri import built
from tracker.importers.sipri.model import SipriDeal, SipriRelease

NAMESPACE = uuid.UUID("0b7f5a9e-2d1c-4c3e-8f6a-5e9d4b2a7c10")
_NAMESPACE_SHA1 = hashlib.sha1(NAMESPACE.bytes)  # copied, then fed each id's name
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
    year = deal.order_year
    return any(d.year < year for d in deal.deliveries)


def correction(
    ref: str, target: str, changes: dict[str, Any], cite: tuple[Source, ...], what: str
) -> Planned:
    """Correct the event ``target`` of contract ``ref``; ``what`` says what the release gives."""
    event = built.corrected(
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
    sha = _NAMESPACE_SHA1.copy()
    sha.update("/".join((ref, *parts)).encode())
    h = sha.hexdigest()
    # Version 5 in the high nibble of byte 6; the RFC 4122 variant in the top bits of byte 8.
    return f"{h[:8]}-{h[8:12]}-5{h[13:16]}-{_VARIANT[h[16]]}{h[17:20]}-{h[20:32]}"


# The hex digit of byte 8's high nibble with its top two bits made 10: 8, 9, a or b.
_VARIANT = {c: "89ab"[int(c, 16) & 3] for c in "0123456789abcdef"}


def digest(value: object) -> str:
    """A short digest of ``value`` (a dict by its sorted items) for an event id."""
    if type(value) is str:  # not a subclass: its repr differs, an equal str's would be cached
        return _text_digest(value)
    text = repr(sorted(value.items())) if isinstance(value, dict) else repr(value)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@functools.lru_cache(maxsize=1024)
def _text_digest(value: str) -> str:
    """Every delivery's id digests the release's title: once an import."""
    return hashlib.sha256(repr(value).encode()).hexdigest()[:16]
