"""FuzzyDate, Money, Quantity, Source and party names: parsing, including bad input."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from pydantic import ValidationError

from tracker.domain.values.dates import FuzzyDate, Precision
from tracker.domain.values.money import Money
from tracker.domain.values.parties import canonical_party
from tracker.domain.values.quantity import Quantity, parse_count
from tracker.domain.values.sources import Source
from tracker.errors import DomainError, InvalidInputError

# --- FuzzyDate --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "precision", "earliest", "latest"),
    [
        ("2021-12-06", Precision.DAY, date(2021, 12, 6), date(2021, 12, 6)),
        ("2021-12", Precision.MONTH, date(2021, 12, 1), date(2021, 12, 31)),
        ("2021-Q4", Precision.QUARTER, date(2021, 10, 1), date(2021, 12, 31)),
        ("2021", Precision.YEAR, date(2021, 1, 1), date(2021, 12, 31)),
        ("by 2021-12-31", Precision.BY, None, date(2021, 12, 31)),
        ("by 2023", Precision.BY, None, date(2023, 12, 31)),
    ],
)
def test_fuzzy_dates_parse_to_their_earliest_and_latest_days(
    text: str, precision: Precision, earliest: date | None, latest: date
) -> None:
    parsed = FuzzyDate.parse(text)
    assert (parsed.precision, parsed.earliest, parsed.latest) == (precision, earliest, latest)
    assert FuzzyDate.parse(str(parsed)) == parsed


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2021-13", "Invalid date '2021-13': month must be in 1..12"),
        ("2021-02-30", "Invalid date '2021-02-30': day must be in 1..28 for 2021-02"),
        ("Decembre 2021", "Invalid date 'Decembre 2021': expected YYYY-MM-DD, YYYY-MM,"),
        ("by by 2021", "Invalid date 'by by 2021': 'by' cannot be nested"),
        ("", "Invalid date '': expected"),
    ],
)
def test_bad_fuzzy_dates_are_rejected_naming_the_text(text: str, message: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        FuzzyDate.parse(text)
    assert str(caught.value).startswith(message)


def test_fuzzy_dates_read_as_a_person_writes_them() -> None:
    assert [FuzzyDate.parse(t).human() for t in ("2021-12-06", "2021-12", "by 2023")] == [
        "6 Dec 2021",
        "Dec 2021",
        "by end 2023",
    ]


# --- Money ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("USD 5.43bn", "5430000000", "USD"),
        ("USD 5430000000", "5430000000", "USD"),
        ("INR 5,100 crore", "51000000000", "INR"),
        ("INR 51 bn", "51000000000", "INR"),
        ("USD 671m", "671000000", "USD"),
        ("USD 671 mn", "671000000", "USD"),
        ("INR 2.5 lakh", "250000", "INR"),
        ("INR 40,000 cr", "400000000000", "INR"),
        ("usd 1.1k", "1100", "USD"),
        ("671m USD", "671000000", "USD"),
    ],
)
def test_money_parses_reporting_multipliers_exactly(text: str, amount: str, currency: str) -> None:
    money = Money.parse(text)
    assert money.amount == Decimal(amount)
    assert str(money.amount) == amount  # no exponent, no trailing '.00'
    assert money.currency == currency


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("XYZ 5", "Unknown currency 'XYZ': not an ISO 4217 code"),
        ("5bn", "Invalid money '5bn': expected a currency and an amount"),
        ("USD five", "Invalid money 'USD five': expected a currency and an amount"),
        ("USD 5 zillion", "Invalid money 'USD 5 zillion': unknown multiplier 'zillion'"),
        ("USD -5", "Invalid money 'USD -5': expected a currency and an amount"),
    ],
)
def test_bad_money_text_is_rejected_naming_the_text(text: str, message: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        Money.parse(text)
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


def test_money_refuses_a_float_amount() -> None:
    with pytest.raises(ValidationError, match="is a float"):
        Money(amount=5.43, currency="USD")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="a float is never exact"):
        Money.of(5.43, "USD")  # type: ignore[arg-type]


def test_money_refuses_an_unknown_currency_code() -> None:
    with pytest.raises(ValidationError, match="Unknown currency 'XYZ': not an ISO 4217 code"):
        Money(amount=Decimal(5), currency="XYZ")


def test_money_adds_only_within_one_currency() -> None:
    assert Money.parse("USD 5bn") + Money.parse("USD 430m") == Money.parse("USD 5.43bn")
    with pytest.raises(DomainError) as caught:
        Money.parse("USD 5bn") + Money.parse("INR 5bn")
    assert str(caught.value) == (
        "Cannot add USD 5 bn and INR 5 bn: different currencies are never converted"
    )


def test_money_reads_short_and_round_trips_through_json() -> None:
    assert Money.parse("USD 5.43bn").human() == "USD 5.43 bn"
    assert Money.parse("INR 5,124 crore").human() == "INR 51.24 bn"
    assert Money.parse("USD 671m").human() == "USD 671 m"
    assert Money.parse("INR 2.5 lakh").human() == "INR 250,000"
    money = Money.parse("INR 5,100 crore")
    assert money.model_dump(mode="json") == {"amount": "51000000000", "currency": "INR"}
    assert Money.model_validate(money.model_dump(mode="json")) == money
    assert Money.parse(str(money)) == money


# --- Quantity ---------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["-3", "0", "three", "2.5", ""])
def test_a_quantity_must_be_a_positive_whole_number(text: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        parse_count(text)
    assert str(caught.value) == f"Invalid quantity '{text}': must be a positive whole number"


def test_quantities_read_indian_and_western_grouping_and_singular_units() -> None:
    assert parse_count("6,01,427") == parse_count("601,427") == 601427
    assert Quantity.parse("5 squadrons") == Quantity(count=5, unit="squadron")
    assert Quantity.parse("601,427 Rifles") == Quantity(count=601427, unit="rifle")
    assert Quantity.parse("2", default_unit="systems") == Quantity(count=2, unit="system")
    assert str(Quantity.parse("1 battery")) == "1 battery"


def test_a_quantity_without_a_unit_is_rejected() -> None:
    with pytest.raises(InvalidInputError, match="say what is counted"):
        Quantity.parse("5")


# --- Source and parties -----------------------------------------------------------------


def test_a_source_needs_a_url_or_a_title() -> None:
    with pytest.raises(ValidationError, match="a source needs a url or a title"):
        Source(publisher="NDTV")
    assert Source(title="Dawn report").key == "|Dawn report"


def test_a_source_is_graded_on_the_admiralty_scale() -> None:
    assert Source(url="https://x.org", reliability="B", credibility=2).admiralty == "B2"
    with pytest.raises(ValidationError):
        Source(url="https://x.org", reliability="G")  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        Source(url="https://x.org", credibility=7)


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("Russian Federation", "Russia"),
        ("russia", "Russia"),
        ("Republic of India", "India"),
        ("United States of America", "United States"),
        ("USA", "United States"),
        ("U.S.", "United States"),
        ("the US", "United States"),
        ("USSR", "Soviet Union"),
        ("Türkiye", "Turkey"),
        ("Korea, Republic of", "South Korea"),
        ("Rosoboronexport", "Rosoboronexport"),
        ("BEL", "BEL"),
    ],
)
def test_party_names_fold_to_one_canonical_name(name: str, canonical: str) -> None:
    assert canonical_party(name) == canonical


def test_a_money_field_accepts_the_text_a_person_types() -> None:
    assert Money.model_validate("INR 5,100 crore") == Money.parse("INR 5,100 crore")
    with pytest.raises(ValidationError, match="Unknown currency 'XYZ': not an ISO 4217 code"):
        Money.model_validate("XYZ 5")


def test_units_are_printed_in_the_plural_as_english_writes_them():
    from tracker.domain.values.units import plural, units

    typed = ["squadron", "battery", "round of ammunition", "s-400 system", "aircraft", "bus"]
    typed += ["fighter aircraft", "hovercraft", "box", "day", "church", "unit 2", ""]
    assert [plural(u) for u in typed] == [
        "squadrons", "batteries", "rounds of ammunition", "s-400 systems", "aircraft", "buses",
        "fighter aircraft", "hovercraft", "boxes", "days", "churches", "unit 2", "",
    ]  # fmt: skip
    assert (units(1, "rifle"), units(0, "rifle"), units(70_000, "rifle")) == (
        "rifle",
        "rifles",
        "rifles",
    )
