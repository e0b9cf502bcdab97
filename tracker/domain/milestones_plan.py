"""A planned delivery milestone, as a schedule event carries it."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from tracker.domain.dates import FuzzyDate
from tracker.domain.event_base import Count, Text


class Milestone(BaseModel):
    """'squadron 4': 1 squadron due in 2023."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    label: Text
    quantity: Count
    due: FuzzyDate
