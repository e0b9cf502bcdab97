"""The events every system under test stores: the same streams and payload bytes (event ids
are made as the application makes them: tracker_side.new_event)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

EVENT_TYPE = "DeliveryRecorded"
SCHEMA_VERSION = 2
#: The peer names an event by its class topic; the same event under the peer's convention.
PEER_TOPIC = "procurement.domain:Contract.DeliveryRecorded"
_NAMESPACE = uuid.UUID("6f1c2a52-8d43-4a8e-9a3b-5b2f0c1d7e90")
_SYSTEMS = ("S-400 Triumf", "Rafale F3R", "K9 Thunder", "CAESAR 155mm", "Bayraktar TB2")
_PUBLISHERS = ("Defense News", "Janes", "The Hindu", "Reuters", "SIPRI")


@dataclass(frozen=True, slots=True)
class Plan:
    """``streams`` streams of ``per_stream`` events, appended ``batch`` at a time.

    With ``interleave`` the batches go round the streams (stream 0, 1, 2, ..., 0, 1, ...),
    as commands on many contracts would; otherwise each stream is written out in turn.
    """

    streams: int
    per_stream: int
    batch: int
    interleave: bool = False

    @property
    def events(self) -> int:
        return self.streams * self.per_stream

    def batches(self) -> Iterator[tuple[int, int, int]]:
        """(stream, first version, count) for each append, in order."""
        firsts = range(1, self.per_stream + 1, self.batch)
        if self.interleave:
            for first in firsts:
                for stream in range(self.streams):
                    yield stream, first, min(self.batch, self.per_stream - first + 1)
        else:
            for stream in range(self.streams):
                for first in firsts:
                    yield stream, first, min(self.batch, self.per_stream - first + 1)


def stream_name(stream: int) -> str:
    return f"contract:bench-{stream:06d}"


def stream_uuid(stream: int) -> uuid.UUID:
    """The peer's originator id for a stream (its default id type is a UUID)."""
    return uuid.uuid5(_NAMESPACE, stream_name(stream))


def delivery_payload(stream: int, version: int) -> dict[str, Any]:
    """A DeliveryRecorded as an importer would write it: about 300 bytes of JSON."""
    year = 2015 + version % 10
    return {
        "contract": f"bench-{stream:06d}-{year}",
        "quantity": 1 + version % 12,
        "label": f"Batch {version} of {_SYSTEMS[stream % len(_SYSTEMS)]}",
        "destination": "Western Air Command",
        "sources": [
            {
                "url": f"https://www.example.org/news/{year}/deliveries/{stream}-{version}",
                "title": f"Batch {version} handed over ahead of schedule",
                "publisher": _PUBLISHERS[version % len(_PUBLISHERS)],
                "published": f"{year}-{1 + version % 12:02d}-{1 + version % 28:02d}",
            }
        ],
    }
