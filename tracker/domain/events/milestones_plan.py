"""A planned delivery milestone, as a schedule event carries it."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from tracker.domain.events.event_base import Count, Text
from tracker.domain.values.dates import FuzzyDate


class Milestone(BaseModel):
    """'squadron 4': 1 squadron due in 2023."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    label: Text
    quantity: Count
    due: FuzzyDate
