"""The event catalogue, its streams, and the codec (round trip and upcasting)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from tests.unit import factories as f
from tests.unit.strategies import events
from tracker.domain.events.catalogue import (
    EVENT_TYPES,
    DeliveryRecorded,
    UnknownEventTypeError,
    build_event,
    stream_of,
)
from tracker.domain.events.codec import (
    UndecodableEventError,
    UnknownSchemaVersionError,
    decode,
    decode_stored,
    encode,
)
from tracker.domain.events.event_base import DomainEvent
from tracker.errors import InvalidInputError, TrackerError


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(events)
def test_decoding_an_encoded_event_gives_the_same_event(event: DomainEvent) -> None:
    encoded = encode(event)
    assert (
        decode(
            encoded.event_type,
            encoded.schema_version,
            str(encoded.occurred),
            encoded.payload,
            encoded.sources,
        )
        == event
    )


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(events)
def test_decoding_a_stored_event_without_validation_gives_the_validated_event(
    event: DomainEvent,
) -> None:
    encoded = encode(event)
    parts = (
        encoded.event_type,
        encoded.schema_version,
        encoded.occurred,
        encoded.payload,
        encoded.sources,
    )
    trusted, validated = decode_stored(*parts), decode(*parts)
    assert trusted == validated == event
    assert trusted.model_dump_json() == validated.model_dump_json()
    assert trusted.model_fields_set == validated.model_fields_set


def test_a_stored_event_of_an_old_schema_is_upcast_before_it_is_rebuilt() -> None:
    stored_v1 = {"contract": "s400-india-2018", "number": 1, "label": None, "destination": None}
    event = decode_stored("DeliveryRecorded", 1, "2022", stored_v1, [{"title": "NewsBharati"}])
    assert event == decode("DeliveryRecorded", 1, "2022", stored_v1, [{"title": "NewsBharati"}])
    assert isinstance(event, DeliveryRecorded)
    assert (event.quantity, event.cumulative_total) == (1, None)


def test_a_stored_payload_of_another_shape_is_validated_and_refused() -> None:
    with pytest.raises(UndecodableEventError, match="quantity"):
        decode_stored("DeliveryRecorded", 2, "2022", {"contract": "x"}, [{"title": "x"}])
    with pytest.raises(UndecodableEventError, match="colour"):
        decode_stored(
            "NoteRecorded", 1, "2022", {"subject": "topic:x", "text": "t", "colour": 1}, []
        )


def test_encoded_payload_holds_neither_the_date_nor_the_sources() -> None:
    encoded = encode(f.delivery_recorded())
    assert encoded.event_type == "DeliveryRecorded"
    assert encoded.schema_version == 2
    assert str(encoded.occurred) == "2021-12"
    assert encoded.payload == {
        "confidence": None,
        "contract": "s400-india-2018",
        "quantity": 1,
        "cumulative_total": None,
        "label": "squadron 1",
        "destination": None,
        "unscheduled": False,
        "matched": None,
        "estimates": {},
        "size_unknown": False,
        "split_estimate": False,
        "quality": [],
    }
    assert encoded.sources[0]["publisher"] == "NDTV"


def test_a_version_1_delivery_payload_is_upcast_from_number_to_quantity() -> None:
    stored_v1 = {"contract": "s400-india-2018", "number": 2, "label": "squadron 2"}
    event = decode("DeliveryRecorded", 1, "2022", stored_v1, [{"title": "NewsBharati"}])
    assert isinstance(event, DeliveryRecorded)
    assert (event.quantity, event.cumulative_total, event.label) == (2, None, "squadron 2")


def test_an_unknown_event_type_is_an_error_naming_the_type() -> None:
    with pytest.raises(UnknownEventTypeError) as caught:
        decode("ContractSinged", 1, "2018", {}, [{"title": "x"}])
    assert isinstance(caught.value, TrackerError)
    assert str(caught.value) == "Unknown event type 'ContractSinged'"


def test_a_payload_from_a_newer_schema_is_refused() -> None:
    with pytest.raises(UnknownSchemaVersionError) as caught:
        decode("DeliveryRecorded", 3, "2022", {}, [{"title": "x"}])
    assert str(caught.value) == (
        "Stored DeliveryRecorded is schema version 3; this tracker reads up to version 2"
    )


def test_a_stored_payload_that_does_not_validate_names_the_type_and_field() -> None:
    with pytest.raises(UndecodableEventError) as caught:
        decode("DeliveryRecorded", 2, "2022", {"contract": "x", "quantity": 0}, [{"title": "x"}])
    assert str(caught.value) == (
        "Stored DeliveryRecorded v2 does not validate:"
        " quantity: Invalid quantity '0': must be a positive whole number"
    )


def test_every_event_type_has_a_stable_name_not_a_module_path() -> None:
    assert sorted(EVENT_TYPES) == [
        "AgreementExtended",
        "AgreementSigned",
        "ContractAmended",
        "ContractCancelled",
        "ContractSigned",
        "DeliveryRecorded",
        "DeliveryScheduled",
        "EventCorrected",
        "EventRetracted",
        "FigureReported",
        "JointVentureEstablished",
        "NoteRecorded",
        "PartyDeclared",
        "ProductionPlanned",
        "ProductionRecorded",
        "ScheduleRevised",
    ]
    assert all(cls.type == name for name, cls in EVENT_TYPES.items())


@pytest.mark.parametrize(
    ("event", "stream"),
    [
        (f.contract_signed(), "contract:s400-india-2018"),
        (f.delivery_recorded(), "contract:s400-india-2018"),
        (f.jv_established(), "jv:irrpl"),
        (f.production_recorded(), "jv:irrpl"),
        (f.agreement_signed(), "agreement:india-russia-mtc-2021"),
        (f.agreement_extended(), "agreement:india-russia-mtc-2021"),
        (f.note_recorded(), "topic:caatsa"),
        (f.note_recorded(subject="contract:s400-india-2018"), "contract:s400-india-2018"),
        (f.event_corrected(), None),
        (f.event_retracted(), None),
    ],
)
def test_each_event_goes_to_the_stream_it_is_about(event: DomainEvent, stream: str | None) -> None:
    assert stream_of(event) == stream


def test_events_are_frozen() -> None:
    event = f.delivery_recorded()
    with pytest.raises(Exception, match="frozen"):
        event.quantity = 3  # type: ignore[misc]


def test_parties_are_stored_under_their_canonical_names() -> None:
    event = f.contract_signed(buyer="Republic of India", seller="Russian Federation")
    assert (event.buyer, event.seller) == ("India", "Russia")


@pytest.mark.parametrize(
    ("event_type", "fields", "message"),
    [
        (
            "DeliveryRecorded",
            {"contract": "s400-india-2018", "quantity": -3},
            "Invalid DeliveryRecorded: quantity: Invalid quantity '-3':"
            " must be a positive whole number",
        ),
        (
            "DeliveryRecorded",
            {"contract": "s400-india-2018", "quantity": 1, "cumulative_total": 3},
            "Invalid DeliveryRecorded:"
            " give exactly one of quantity (an increment) or cumulative_total",
        ),
        (
            "DeliveryRecorded",
            {"contract": "S400 India", "quantity": 1},
            "Invalid DeliveryRecorded: contract: Invalid reference 'S400 India': use lowercase"
            " letters, digits and single hyphens, e.g. 's400-india-2018'",
        ),
        (
            "JointVentureEstablished",
            {
                "reference": "irrpl",
                "name": "IRRPL",
                "partners": {"OFB": "50.5", "Kalashnikov": "42"},
            },
            "Invalid JointVentureEstablished: partners: partner shares sum to 92.5, not 100",
        ),
        (
            "JointVentureEstablished",
            {"reference": "irrpl", "name": "IRRPL", "partners": {"OFB": 50.5, "K": "49.5"}},
            "Invalid JointVentureEstablished: partners.OFB: 50.5 is not exact; give a string,"
            " an int or a Decimal",
        ),
        (
            "FigureReported",
            {"contract": "s400-india-2018", "figure": "value", "quantity": 5},
            "Invalid FigureReported: a 'value' figure needs a value and no quantity",
        ),
        (
            "ContractAmended",
            {"contract": "s400-india-2018"},
            "Invalid ContractAmended: an amendment needs a new quantity or a new value",
        ),
        (
            "NoteRecorded",
            {"subject": "caatsa", "text": "x"},
            "Invalid NoteRecorded: subject: Invalid subject 'caatsa': expected contract:<ref>,"
            " jv:<ref>, agreement:<ref> or topic:<slug>",
        ),
    ],
)
def test_bad_event_fields_are_one_line_invalid_input_errors(
    event_type: str, fields: dict[str, Any], message: str
) -> None:
    data = {"occurred": "2021-12", "sources": [{"title": "x"}], **fields}
    with pytest.raises(InvalidInputError) as caught:
        build_event(event_type, data)
    assert str(caught.value) == message


def test_an_event_without_a_source_is_refused() -> None:
    with pytest.raises(InvalidInputError) as caught:
        build_event(
            "ContractCancelled", {"occurred": "2024", "sources": [], "contract": "x", "reason": "y"}
        )
    assert (
        str(caught.value)
        == "Invalid ContractCancelled: sources: an event needs at least one source"
    )


def test_a_correction_keeps_its_changes_as_json_values() -> None:
    event = f.event_corrected(changes={"occurred": f.delivery_recorded().occurred, "quantity": 2})
    assert event.changes == {"occurred": "2021-12", "quantity": 2}
