"""The importer builds its events without validating them again (sipri.built): every event
it plans must be the one pydantic's validation makes of the same values, and a value that
validation would change or refuse must still go through it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from tests.importers.test_sipri_real_exports import real_export
from tracker.domain.events.catalogue import (
    ContractSigned,
    DeliveryRecorded,
    EventCorrected,
    EventRetracted,
    NoteRecorded,
)
from tracker.domain.events.contract_events import SipriRecord
from tracker.domain.events.event_base import validation_message
from tracker.domain.events.trusted import given
from tracker.domain.values.dates import FuzzyDate
from tracker.domain.values.sources import Source
from tracker.importers.sipri import Scope, built
from tracker.service.app import Tracker
from tracker.service.sipri import _plan, import_sipri

BY_YEAR = "india-rows-by-delivery-year-2024-04.csv"
REGISTER = "india-rows-2025-03.csv"
VALIDATED = {
    "delivery": DeliveryRecorded,
    "note": NoteRecorded,
    "record": SipriRecord,
    "signing": ContractSigned,
    "corrected": EventCorrected,
    "retracted": EventRetracted,
}
CITE = (Source(publisher="SIPRI", title="A release", published=date(2025, 3, 13)),)
YEAR = FuzzyDate.year(2018)


def planned(tracker: Tracker, path: Path) -> list[tuple[str, BaseModel]]:
    """Every event the import of ``path`` would append, as service.sipri plans it."""
    _, plan, _ = _plan(tracker, path, Scope(recipients=frozenset({"India"})), False, False)
    return [event for step in plan.steps for event in step.events]


def validated(tracker: Tracker, path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """``planned``, each event made by its class's own validation."""
    with monkeypatch.context() as m:
        for name, cls in VALIDATED.items():
            m.setattr(built, name, cls)
        return planned(tracker, path)


def same(fast: list[Any], slow: list[Any]) -> None:
    assert [i for i, _ in fast] == [i for i, _ in slow]
    for (_, a), (_, b) in zip(fast, slow, strict=True):
        assert type(a) is type(b)
        assert a == b
        assert a.model_dump(mode="json") == b.model_dump(mode="json")
        assert list(a.__dict__) == list(b.__dict__)  # the order JSON is written in
        assert a.model_fields_set == b.model_fields_set
        if isinstance(a, ContractSigned) and a.sipri is not None:
            assert b.sipri is not None and a.sipri.model_fields_set == b.sipri.model_fields_set


def test_each_planned_event_is_the_one_validation_makes(
    sqlite_tracker: Tracker, monkeypatch: pytest.MonkeyPatch
) -> None:
    older, newer = real_export(BY_YEAR), real_export(REGISTER)
    first = planned(sqlite_tracker, older)
    same(first, validated(sqlite_tracker, older, monkeypatch))
    import_sipri(sqlite_tracker, older)
    # The newer release against the older: corrections, retractions, notes, new deals.
    second = planned(sqlite_tracker, newer)
    kinds = {type(e).__name__ for _, e in second}
    assert {"EventCorrected", "EventRetracted", "NoteRecorded", "ContractSigned"} <= kinds
    same(second, validated(sqlite_tracker, newer, monkeypatch))


def delivery(**changes: Any) -> dict[str, Any]:
    values = {
        "contract": "russia-india-s400-2018",
        "quantity": 5,
        "size_unknown": False,
        "occurred": YEAR,
        "sources": CITE,
        "confidence": "reported",
        "split_estimate": False,
        "quality": (),
    }
    return {**values, **changes}


def signing(**changes: Any) -> dict[str, Any]:
    values = {
        "reference": "russia-india-s400-2018",
        "system": "S-400 Triumf",
        "description": "SAM system",
        "buyer": "India",
        "seller": "Russia",
        "quantity": 5,
        "unit": "SAM systems",
        "occurred": YEAR,
        "sources": CITE,
        "confidence": "unconfirmed",
        "sipri": None,
    }
    return {**values, **changes}


def _note() -> dict[str, Any]:
    return {
        "subject": "contract:russia-india-s400-2018",
        "text": "deal",
        "tags": ("sipri", "comment"),
        "occurred": YEAR,
        "sources": CITE,
        "confidence": "reported",
    }


def _fix(**changes: Any) -> dict[str, Any]:
    values = {
        "target_event_id": "0c0fa1e1-57b8-5db4-90ce-7fb813ce3010",
        "reason": "A release no longer lists this deal",
        "occurred": FuzzyDate.day(date(2025, 3, 13)),
        "sources": CITE,
        "confidence": "reported",
    }
    return {**values, **changes}


def _record() -> dict[str, Any]:
    return {name: None for name in SipriRecord.model_fields} | {
        "supplier": "Russia",
        "recipient": "India",
        "order_year_estimate": False,
        "ordered_estimate": True,
        "delivered_estimate": False,
        "delivered": 3,
        "quality": (),
        "key": "sipri-tr:c86c158312a128de",
    }


@pytest.mark.parametrize(
    ("make", "values"),
    [
        (built.delivery, delivery()),
        (built.delivery, delivery(quantity=None, size_unknown=True, quality=("late",))),
        (built.delivery, delivery(confidence=None)),
        (built.signing, signing()),
        (built.signing, signing(buyer="Türkiye", seller="Russian Federation", unit="Squadrons")),
        (built.signing, signing(buyer="  India", system="S-400 ", description=None)),
        (built.signing, signing(system="S-400\u00a0")),  # a no-break space pydantic strips
        (built.signing, signing(seller="Soviet  Union", quantity=None)),
        (built.note, {**_note(), "text": "a comment\u2028"}),
        (built.note, _note()),
        (built.retracted, _fix(reason="gone ")),
        (built.corrected, {**_fix(), "changes": {"occurred": YEAR, "quantity": 4}}),
        (built.record, _record()),
        (built.record, {**_record(), "tiv_unit": Decimal("0.25"), "status": " New"}),
    ],
)
def test_a_value_is_built_as_validation_makes_it(make: Any, values: dict[str, Any]) -> None:
    cls = VALIDATED[make.__name__]
    fast, slow = make(**values), cls(**values)
    same([("", fast)], [("", slow)])


@pytest.mark.parametrize(
    ("make", "values"),
    [
        (built.delivery, delivery(quantity=-2)),
        (built.delivery, delivery(quantity=True)),
        (built.delivery, delivery(quantity=None)),  # neither a quantity nor unknown size
        (built.delivery, delivery(contract="Not A Ref")),
        (built.delivery, delivery(sources=())),
        (built.delivery, delivery(quality=("",))),
        (built.signing, signing(buyer=" ")),
        (built.signing, signing(unit="")),
        (built.signing, signing(quantity=0)),
        (built.signing, signing(system="S-400\ud800")),  # a lone surrogate
        (built.note, {**_note(), "subject": "contract:Not A Ref"}),
        (built.corrected, {**_fix(), "changes": {}}),
        (built.record, {**_record(), "tiv_unit": Decimal("NaN")}),
        (built.record, {**_record(), "supplier": ""}),
    ],
)
def test_a_value_validation_refuses_is_refused_with_its_message(
    make: Any, values: dict[str, Any]
) -> None:
    cls = VALIDATED[make.__name__]
    with pytest.raises(ValidationError) as slow:
        cls(**values)
    with pytest.raises(ValidationError) as fast:
        make(**values)
    assert str(fast.value) == str(slow.value)
    assert validation_message(fast.value) == validation_message(slow.value)


# What each class's validation does, as built.py mirrors it. A validator added to one of
# these classes, or a field, must be mirrored there (or the class left to validate).
VALIDATORS = {
    DeliveryRecorded: {"_cited", "_undated_by_sources", "_figures", "_exactly_one"},
    NoteRecorded: {"_cited", "_undated_by_sources"},
    SipriRecord: set(),
    ContractSigned: {"_cited", "_undated_by_sources", "_keep_spelling", "_distinct_roles"},
    EventCorrected: {"_cited", "_undated_by_sources", "_json_ready"},
    EventRetracted: {"_cited", "_undated_by_sources"},
}


@pytest.mark.parametrize("cls", list(VALIDATORS))
def test_the_validators_built_mirrors_are_all_there_are(cls: type[BaseModel]) -> None:
    decorators = cls.__pydantic_decorators__
    found = {*decorators.field_validators, *decorators.model_validators}
    found |= {*decorators.field_serializers, *decorators.model_serializers}
    assert found == VALIDATORS[cls]


def test_given_fills_the_defaults_a_validated_instance_holds() -> None:
    values = delivery()
    fast, slow = given(DeliveryRecorded, values), DeliveryRecorded(**values)
    same([("", fast)], [("", slow)])
    assert fast.estimates == {} and fast.estimates is not given(DeliveryRecorded, values).estimates
    with pytest.raises(TypeError, match="unknown fields colour"):
        given(DeliveryRecorded, {**values, "colour": "red"})
    with pytest.raises(TypeError, match="missing fields contract"):
        given(DeliveryRecorded, {k: v for k, v in values.items() if k != "contract"})
