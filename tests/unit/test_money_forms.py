"""Money as sources write it: symbols, prefixes, words and suffixes, Indian units with INR
only, out-of-range amounts refused in one line; arbitrary text never breaks the parser."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.domain.values.money import Money, assumed_currency
from tracker.errors import InvalidInputError


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("₹5,100 crore", "51000000000", "INR"),
        ("₹ 5,100 cr", "51000000000", "INR"),
        ("Rs 59,000 crore", "590000000000", "INR"),
        ("Rs. 59,000 crore", "590000000000", "INR"),
        ("Rs59,000crore", "590000000000", "INR"),
        ("INR 2 lakh", "200000", "INR"),
        ("INR 5,10,00,000", "51000000", "INR"),
        ("$5.43bn", "5430000000", "USD"),
        ("$ 5.43 billion", "5430000000", "USD"),
        ("US$8.7bn", "8700000000", "USD"),
        ("€7.87bn", "7870000000", "EUR"),
        ("£2 billion", "2000000000", "GBP"),
        ("£250m", "250000000", "GBP"),
        ("USD 671 mn", "671000000", "USD"),
        ("USD 671 million", "671000000", "USD"),
        ("5.43bn USD", "5430000000", "USD"),
        ("A$1.2bn", "1200000000", "AUD"),
    ],
)
def test_money_is_read_as_sources_write_it(text: str, amount: str, currency: str) -> None:
    money = Money.parse(text)
    assert (money.amount, money.currency) == (Decimal(amount), currency)
    assert str(money.amount) == amount


def test_a_bare_dollar_sign_is_read_as_usd_and_says_so() -> None:
    assert assumed_currency("$5.43bn") == "'$' alone is taken as USD"
    assert assumed_currency("US$8.7bn") is None
    assert assumed_currency("USD 5bn") is None


@pytest.mark.parametrize(
    ("text", "why"),
    [
        (
            "EUR 58,000 crore",
            "crore is an Indian unit, used with INR (₹, Rs) only; give EUR amounts in m or bn",
        ),
        ("USD 2 lakh", "lakh is an Indian unit, used with INR (₹, Rs) only"),
        ("$5 cr", "cr is an Indian unit"),
        ("USD 99999999999999999999999999bn", "out of range (amounts must be below 10^18)"),
        ("USD 1000000000bn", "out of range (amounts must be below 10^18)"),
        ("USD 1.00000000000000000000000000001", "more than 28 digits cannot be kept exactly"),
        ("¥5bn", "'¥' may be JPY or CNY: write the code, e.g. 'JPY 5bn'"),
        ("5bn", "expected a currency and an amount"),
    ],
)
def test_bad_money_is_refused_in_one_line_saying_why(text: str, why: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        Money.parse(text)
    assert str(caught.value).startswith(f"Invalid money '{text}': {why}")
    assert "\n" not in str(caught.value)


def test_the_largest_amount_below_the_limit_is_kept_exactly() -> None:
    assert Money.parse("USD 999999999.999999999bn").amount == Decimal(10**18 - 1)


def test_an_amount_with_too_many_digits_given_as_a_field_is_a_validation_error() -> None:
    with pytest.raises(ValueError, match="more digits than can be kept exactly"):
        Money.model_validate({"amount": "1e40", "currency": "USD"})


_money = st.builds(
    Money.of,
    st.decimals(min_value=0, max_value=10**15, places=2, allow_nan=False),
    st.sampled_from(["USD", "INR", "EUR", "GBP", "RUB"]),
)


@given(_money)
def test_the_canonical_money_text_reads_back_exactly(money: Money) -> None:
    assert Money.parse(str(money)) == money


_MONEYISH = "0123456789,. $₹€£¥RrsUuSDdINEGBPbnmcrorelakhk"


@given(st.text() | st.text(alphabet=_MONEYISH, max_size=40))
def test_the_money_parser_raises_nothing_but_an_input_error(text: str) -> None:
    try:
        Money.parse(text)
    except InvalidInputError as e:
        assert "\n" not in str(e)
