"""Figures as sources print them: read, printed back, summed with their bounds, pluralised."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.domain.events.catalogue import DeliveryRecorded, ProductionPlanned, ProductionRecorded
from tracker.domain.events.codec import decode, encode
from tracker.domain.values.estimates import Figure, Tally, exact, parse_figure
from tracker.domain.values.quantity import count_words, figure_words, plural
from tracker.errors import InvalidInputError

SOURCE = [{"url": "https://example.org/a"}]


@pytest.mark.parametrize(
    ("text", "best", "low", "high"),
    [
        ("48000", 48000, 48000, 48000),
        ("6,01,427", 601427, 601427, 601427),
        ("5 lakh", 500000, 500000, 500000),
        ("1.5 crore", 15000000, 15000000, 15000000),
        ("~48,000", 48000, None, None),
        ("about 48,000", 48000, None, None),
        ("Around 48,000", 48000, None, None),
        ("over 500,000", 500000, 500000, None),
        ("more than 5 lakh", 500000, 500000, None),
        ("over 5 lakh", 500000, 500000, None),
        ("500,000+", 500000, 500000, None),
        ("under 500", 500, None, 500),
        ("up to 500", 500, None, 500),
        ("5-6", 5, 5, 6),
        ("5–6", 5, 5, 6),
        ("40,000 to 50,000", 45000, 40000, 50000),
        ("4-5 lakh", 450000, 400000, 500000),
        ("unknown", None, None, None),
    ],
)
def test_each_form_reads_as_a_best_value_with_its_bounds(
    text: str, best: int | None, low: int | None, high: int | None
) -> None:
    figure = parse_figure(text)
    assert (figure.best, figure.low, figure.high) == (best, low, high)


def test_an_estimate_prints_as_written_and_an_exact_figure_with_western_grouping() -> None:
    assert str(parse_figure("over 5 lakh")) == "over 5 lakh"
    assert str(parse_figure("5-6")) == "5-6"
    assert str(parse_figure("6,01,427")) == "601,427"


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("6-5", "a range runs from the lower to the higher figure, e.g. '5-6'"),
        ("5-5", "a range runs from the lower to the higher figure, e.g. '5-6'"),
        ("0", "must be a positive whole number"),
        ("1.5", "must be a whole number"),
        ("10000000000000", "out of range (at most 1,000,000,000,000)"),
    ],
)
def test_malformed_figures_are_refused_with_the_reason(text: str, why: str) -> None:
    with pytest.raises(InvalidInputError) as e:
        parse_figure(text)
    assert str(e.value) == f"Invalid quantity '{text}': {why}"


@given(st.text(max_size=40))
def test_the_parser_raises_only_the_input_error_on_any_text(text: str) -> None:
    with contextlib.suppress(InvalidInputError):
        parse_figure(text)


_NUMBERS = st.integers(min_value=1, max_value=10**9)
_FIGURES = st.one_of(
    _NUMBERS.map(exact),
    _NUMBERS.map(lambda n: parse_figure(f"~{n:,}")),
    _NUMBERS.map(lambda n: parse_figure(f"over {n:,}")),
    _NUMBERS.map(lambda n: parse_figure(f"up to {n}")),
    st.tuples(_NUMBERS, _NUMBERS)
    .filter(lambda t: t[0] < t[1])
    .map(lambda t: parse_figure(f"{t[0]:,}-{t[1]:,}")),
    st.just(parse_figure("unknown")),
)


@given(_FIGURES)
def test_what_is_printed_reads_back_as_the_same_figure(figure: Figure) -> None:
    assert parse_figure(str(figure)) == figure


def test_a_sum_carries_the_bounds_of_its_parts() -> None:
    # By hand: 10 + (5..6) + ~100 + over 20 = best 135; low unbounded (from ~100), high
    # unbounded; without the ~100 the low bound is 10 + 5 + 20 = 35 and the high unbounded.
    total = Tally(0, 0, 0)
    for text in ("10", "5-6", "over 20"):
        total = total.then(parse_figure(text), cumulative=False)
    assert (total.best, total.low, total.high) == (35, 35, None)
    assert total.text() == "~35 (at least 35)"
    ranged = Tally(0, 0, 0).then(exact(10), cumulative=False)
    ranged = ranged.then(parse_figure("5-6"), cumulative=False)
    assert (ranged.best, ranged.low, ranged.high, ranged.text()) == (15, 15, 16, "~15 (15–16)")
    with_approx = ranged.then(parse_figure("~100"), cumulative=False)
    assert (with_approx.best, with_approx.low, with_approx.high) == (115, None, None)
    assert with_approx.text() == "~115"
    # A cumulative total replaces what came before, and prints as the source wrote it.
    reset = with_approx.then(parse_figure("over 5 lakh"), cumulative=True)
    assert (reset.best, reset.low, reset.high, reset.text()) == (
        500000,
        500000,
        None,
        "over 5 lakh",
    )
    assert reset.then(exact(60000), cumulative=True).exact


def test_an_event_stores_the_best_value_and_keeps_the_estimate_through_the_codec() -> None:
    event = DeliveryRecorded.model_validate(
        {"contract": "x-1", "quantity": "5-6", "occurred": "2024", "sources": SOURCE}
    )
    assert event.quantity == 5
    assert event.estimates["quantity"].model_dump() == {
        "best": 5,
        "low": 5,
        "high": 6,
        "as_written": "5-6",
    }
    parts = encode(event)
    assert decode(parts.event_type, 2, parts.occurred, parts.payload, parts.sources) == event


def test_a_payload_written_before_estimates_decodes_as_exact() -> None:
    payload = {
        "confidence": None,
        "contract": "x-1",
        "quantity": 2,
        "cumulative_total": None,
        "label": None,
        "destination": None,
        "unscheduled": False,
        "matched": None,
    }
    event = decode("DeliveryRecorded", 2, "2024", payload, SOURCE)
    assert isinstance(event, DeliveryRecorded)
    assert (event.quantity, event.estimates, event.size_unknown) == (2, {}, False)


def test_a_report_of_unknown_size_has_no_figure() -> None:
    event = ProductionRecorded.model_validate(
        {
            "joint_venture": "irrpl",
            "contract": "x-1",
            "quantity": "unknown",
            "occurred": "2023-01-17",
            "sources": SOURCE,
        }
    )
    assert (event.quantity, event.cumulative_total, event.size_unknown) == (None, None, True)


def test_a_plan_takes_an_approximate_rate_but_not_an_unknown_one() -> None:
    plan = {
        "joint_venture": "irrpl",
        "contract": "x-1",
        "rate_per_month": "~12,000",
        "occurred": "2025",
        "sources": SOURCE,
    }
    assert ProductionPlanned.model_validate(plan).estimates["rate_per_month"].low is None
    with pytest.raises(ValueError, match="'unknown' is not a figure here"):
        ProductionPlanned.model_validate({**plan, "rate_per_month": "unknown"})


def test_a_correction_to_another_number_drops_the_old_estimate() -> None:
    event = DeliveryRecorded.model_validate(
        {"contract": "x-1", "quantity": "~48,000", "occurred": "2025", "sources": SOURCE}
    )
    data = {name: getattr(event, name) for name in DeliveryRecorded.model_fields}
    corrected = DeliveryRecorded.model_validate({**data, "quantity": 50000})
    assert (corrected.quantity, corrected.estimates) == (50000, {})


@pytest.mark.parametrize(
    ("n", "unit", "words"),
    [
        (1, "squadron", "1 squadron"),
        (5, "squadron", "5 squadrons"),
        (70000, "rifle", "70,000 rifles"),
        (2, "battery", "2 batteries"),
        (3, "ammunition", "3 ammunition"),
        (2, "s-400 system", "2 s-400 systems"),
        (2, "round of ammunition", "2 rounds of ammunition"),
        (4, "aircraft", "4 aircraft"),
        (0, "squadron", "0 squadrons"),
    ],
)
def test_units_are_pluralised_from_the_registry_or_by_rule(n: int, unit: str, words: str) -> None:
    assert count_words(n, unit) == words


def test_a_figure_takes_the_unit_in_the_number_it_gives() -> None:
    assert figure_words(parse_figure("~48,000"), "rifle") == "~48,000 rifles"
    assert figure_words(parse_figure("5-6"), "squadron") == "5-6 squadrons"
    assert figure_words(parse_figure("unknown"), "rifle") == "an unknown number of rifles"
    assert figure_words(exact(1), "squadron") == "1 squadron"
    assert plural("battery") == "batteries"
