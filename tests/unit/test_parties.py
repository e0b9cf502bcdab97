"""The closed list of parties, and old stored events reading back unchanged."""

from __future__ import annotations

from datetime import date

import pytest

from tests.unit import factories as f
from tracker.domain.events.codec import decode, decode_stored, encode
from tracker.domain.rules.checks import check
from tracker.domain.rules.lookup import MemoryLookup
from tracker.domain.values.parties import canonical_party, closed_index, resolve
from tracker.errors import DomainError

OLD_PAYLOAD = {
    "reference": "s400-india-2018",
    "system": "S-400 Triumf",
    "description": None,
    "buyer": "India",
    "seller": "Russia",
    "quantity": 5,
    "unit": "squadron",
    "value": None,
    "joint_venture": None,
    "agreement": None,
    "confidence": None,
}
OLD_SOURCE = {"title": "NDTV report", "url": "NDTV report"}


@pytest.mark.parametrize("read", [decode, decode_stored])
def test_a_contract_stored_before_parties_and_links_were_checked_reads_back(read) -> None:  # type: ignore[no-untyped-def]
    event = read("ContractSigned", 1, "2018-10-05", OLD_PAYLOAD, [OLD_SOURCE])
    assert event.sources[0].url == "NDTV report"
    assert (event.buyer_as_written, event.manufacturers, event.roles_as_written) == (None, (), {})


def test_a_spelling_survives_encode_and_decode() -> None:
    event = f.contract_signed(buyer="Türkiye", manufacturers=("Russian Federation",))
    assert (event.buyer, event.buyer_as_written) == ("Turkey", "Türkiye")
    assert event.roles_as_written == {"Russia": "Russian Federation"}
    enc = encode(event)
    again = decode_stored(enc.event_type, 1, enc.occurred, enc.payload, enc.sources)
    assert again == event


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("Russian Federation", "Russia"),
        ("United States of America", "United States"),
        ("Turkiye", "Turkey"),
        ("eSwatini", "Eswatini"),
        ("UAE", "United Arab Emirates"),
        ("USSR", "Soviet Union"),
        ("Hezbollah", "Hezbollah (Lebanon)"),
        ("United Nations", "United Nations"),
        ("unknown supplier(s)", "unknown supplier(s)"),
    ],
)
def test_sipri_and_press_spellings_resolve_to_one_party(written: str, name: str) -> None:
    assert canonical_party(written) == name
    assert resolve(written, "buyer", closed_index()).name == name


def test_sipri_placeholders_still_pass_the_rules() -> None:
    event = f.contract_signed(buyer="unknown recipient(s)", seller="unknown supplier(s)")
    check(event, MemoryLookup(), date(2026, 1, 15))


def test_a_source_that_is_not_a_link_is_refused_by_the_rules() -> None:
    event = f.contract_signed(sources=({"url": "www.ndtv.com/x"},))
    with pytest.raises(DomainError, match=r"Source url 'www\.ndtv\.com/x' is not a link"):
        check(event, MemoryLookup(), date(2026, 1, 15))
