"""Agreements and their validity windows as of a day."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict

from tracker.domain.state.state import AgreementState
from tracker.domain.values.dates import FuzzyDate

AgreementStage = Literal["in force", "not yet in force", "expired", "withdrawn"]


class Extension(BaseModel):
    """One extension: the new end, when it was agreed and the title it gave."""

    model_config = ConfigDict(frozen=True)

    valid_to: FuzzyDate
    agreed: FuzzyDate
    title: str | None


class AgreementView(BaseModel):
    """An agreement's current window (after extensions) and whether it is in force."""

    model_config = ConfigDict(frozen=True)

    ref: str
    title: str
    parties: tuple[str, ...]
    signed: FuzzyDate
    valid_from: FuzzyDate | None
    valid_to: FuzzyDate | None
    state: AgreementStage
    extensions: tuple[Extension, ...]


def agreement_view(state: AgreementState, today: date) -> AgreementView:
    """One agreement on ``today``; extensions apply in the order they were agreed."""
    signing = state.agreement
    title, start, end = signing.title, signing.valid_from, signing.valid_to
    extensions = sorted(state.extensions, key=lambda f: f.world_order)
    for fact in extensions:
        ext = fact.event
        title, start, end = ext.title or title, ext.valid_from or start, ext.valid_to
    return AgreementView(
        ref=signing.reference,
        title=title,
        parties=signing.parties,
        signed=signing.occurred,
        valid_from=start,
        valid_to=end,
        state=_stage(state, start, end, today),
        extensions=tuple(
            Extension(valid_to=f.event.valid_to, agreed=f.event.occurred, title=f.event.title)
            for f in extensions
        ),
    )


def agreements(states: Iterable[AgreementState], today: date) -> tuple[AgreementView, ...]:
    """Every agreement on ``today``, oldest signing first."""
    views = [agreement_view(s, today) for s in states]
    return tuple(sorted(views, key=lambda v: (v.signed.sort_key, v.ref)))


def _stage(
    state: AgreementState, start: FuzzyDate | None, end: FuzzyDate | None, today: date
) -> AgreementStage:
    if state.withdrawn:
        return "withdrawn"
    if start is not None and today < start.sort_key[0]:
        return "not yet in force"
    if end is not None and today > end.latest:
        return "expired"
    return "in force"
