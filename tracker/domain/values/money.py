"""Money: an exact Decimal amount in an ISO 4217 currency.

Arms-deal figures are reported in several currencies at once ("$5.43 billion (INR 40,000
crore)"). They are kept side by side as reported: never a float, never converted.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation, localcontext
from functools import cache
from typing import Any

import pycountry
from pydantic import BaseModel, ConfigDict, field_validator, model_validator

from tracker.errors import DomainError, InvalidInputError

# Indian reporting uses lakh and crore; Western reporting k, m and bn.
MULTIPLIERS: dict[str, Decimal] = {
    "k": Decimal(10) ** 3,
    "thousand": Decimal(10) ** 3,
    "lakh": Decimal(10) ** 5,
    "lakhs": Decimal(10) ** 5,
    "m": Decimal(10) ** 6,
    "mn": Decimal(10) ** 6,
    "million": Decimal(10) ** 6,
    "cr": Decimal(10) ** 7,
    "crore": Decimal(10) ** 7,
    "crores": Decimal(10) ** 7,
    "b": Decimal(10) ** 9,
    "bn": Decimal(10) ** 9,
    "billion": Decimal(10) ** 9,
    "tn": Decimal(10) ** 12,
    "trillion": Decimal(10) ** 12,
}

# How sources write a currency before the amount; '$' alone is USD (see assumed_currency).
SYMBOLS: dict[str, str] = {
    "₹": "INR",
    "rs": "INR",
    "rs.": "INR",
    "$": "USD",
    "us$": "USD",
    "€": "EUR",
    "£": "GBP",
    "₽": "RUB",
    "a$": "AUD",
    "c$": "CAD",
    "hk$": "HKD",
    "s$": "SGD",
    "nz$": "NZD",
}
INDIAN_UNITS = frozenset({"lakh", "lakhs", "cr", "crore", "crores"})
# Beyond this no arms deal is reported; past it a figure is a typo (and would not store).
MAX_AMOUNT = Decimal(10) ** 18
_DIGITS = 28  # what a Decimal keeps exactly; more would be rounded silently

_NUMBER = r"(\d+(?:,\d+)*(?:\.\d+)?)"
_SYMBOL = r"(us\$|a\$|c\$|hk\$|s\$|nz\$|\$|₹|€|£|₽|rs\.?(?=[\s\d])|[a-z]{3})"
_CODE_FIRST = re.compile(rf"^{_SYMBOL}\s*{_NUMBER}\s*([a-z]+)?$", re.ASCII | re.IGNORECASE)
_CODE_LAST = re.compile(rf"^{_NUMBER}\s*([a-z]+)?\s+([a-z]{{3}})$", re.ASCII | re.IGNORECASE)
_FORMS = "e.g. 'USD 5.43bn', 'INR 5,100 crore', 'USD 671m'"


def assumed_currency(text: str) -> str | None:
    """A note when ``text`` gave '$' alone, which is read as USD; else None."""
    raw = " ".join(text.split()) if isinstance(text, str) else ""
    m = _CODE_FIRST.match(raw)
    return "'$' alone is taken as USD" if m and m[1] == "$" else None


@cache
def currency_codes() -> frozenset[str]:
    """Every ISO 4217 alpha-3 code pycountry knows, read once."""
    return frozenset(c.alpha_3 for c in pycountry.currencies)


def check_currency(code: str) -> str:
    """Return ``code`` upper-cased if it is ISO 4217, else raise InvalidInputError."""
    upper = code.upper() if isinstance(code, str) else ""
    if upper not in currency_codes():
        raise InvalidInputError(f"Unknown currency '{code}': not an ISO 4217 code")
    return upper


class Money(BaseModel):
    """An exact amount in one ISO 4217 currency; arithmetic only within one currency."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    amount: Decimal
    currency: str

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, data: Any) -> Any:
        # Files and corrections may give a money field as text: "value: USD 5.43bn".
        if isinstance(data, str):
            try:
                parsed = cls.parse(data)
            except InvalidInputError as e:
                raise ValueError(str(e)) from None
            return {"amount": parsed.amount, "currency": parsed.currency}
        return data

    @field_validator("amount", mode="before")
    @classmethod
    def _exact_amount(cls, value: Any) -> Any:
        # A float has already lost the exact figure the source printed.
        if isinstance(value, float):
            raise ValueError(f"amount {value!r} is a float; give a string or a Decimal")
        if isinstance(value, bool):
            raise ValueError("amount must be a number")
        return value

    @field_validator("amount")
    @classmethod
    def _finite(cls, value: Decimal) -> Decimal:
        if not value.is_finite():
            raise ValueError(f"amount {value} is not a finite number")
        try:
            return _tidy(value)
        except InvalidOperation:
            # Too many digits to keep exactly: refuse rather than round.
            raise ValueError(f"amount {value} has more digits than can be kept exactly") from None

    @field_validator("currency", mode="before")
    @classmethod
    def _iso_currency(cls, value: Any) -> str:
        try:
            return check_currency(value)
        except InvalidInputError as e:
            raise ValueError(str(e)) from None

    # --- construction -------------------------------------------------------------------

    @classmethod
    def of(cls, amount: Decimal | int | str, currency: str) -> Money:
        """Build from trusted parts, turning a bad value into InvalidInputError."""
        if isinstance(amount, float):
            raise InvalidInputError(f"Invalid amount {amount!r}: a float is never exact")
        try:
            number = Decimal(amount)
        except (InvalidOperation, ValueError) as e:
            raise InvalidInputError(f"Invalid amount '{amount}': not a number") from e
        if not number.is_finite():
            raise InvalidInputError(f"Invalid amount '{amount}': not a finite number")
        return cls._checked(f"{currency} {amount}", number, check_currency(currency))

    @classmethod
    def parse(cls, text: str) -> Money:
        """Parse money as sources write it: 'USD 5.43bn', '₹5,100 crore', 'Rs 59,000 cr',
        '$5.43bn' (USD), 'US$8.7bn', '€7.87bn', '£2 billion', '671m USD'.

        Crore and lakh go with INR only; amounts of 10^18 and more are refused.
        """
        raw = " ".join(text.split()) if isinstance(text, str) else ""
        if m := _CODE_FIRST.match(raw):
            symbol, number, unit = m[1], m[2], m[3]
        elif m := _CODE_LAST.match(raw):
            number, unit, symbol = m[1], m[2], m[3]
        else:
            why = f"expected a currency and an amount, {_FORMS}"
            if "¥" in raw:
                why = "'¥' may be JPY or CNY: write the code, e.g. 'JPY 5bn'"
            raise InvalidInputError(f"Invalid money {_shown(text)}: {why}")
        code = check_currency(SYMBOLS.get(symbol.lower(), symbol))
        factor = _factor(text, unit, code)
        with localcontext() as exact:
            exact.prec = len(number) + 40  # a power of ten times the number: never rounded
            amount = Decimal(number.replace(",", "")) * factor
        return cls._checked(text, amount, code)

    @classmethod
    def _checked(cls, text: str, amount: Decimal, code: str) -> Money:
        if abs(amount) >= MAX_AMOUNT:
            raise InvalidInputError(
                f"Invalid money {_shown(text)}: out of range (amounts must be below 10^18)"
            )
        if len("".join(map(str, amount.as_tuple().digits)).strip("0")) > _DIGITS:
            raise InvalidInputError(
                f"Invalid money {_shown(text)}: more than {_DIGITS} digits cannot be kept exactly"
            )
        return cls(amount=amount, currency=code)

    # --- arithmetic ---------------------------------------------------------------------

    def _same(self, other: Money, verb: str) -> None:
        if not isinstance(other, Money):
            raise TypeError(f"cannot {verb} Money and {type(other).__name__}")
        if other.currency != self.currency:
            raise DomainError(
                f"Cannot {verb} {self.human()} and {other.human()}:"
                " different currencies are never converted"
            )

    def __add__(self, other: Money) -> Money:
        self._same(other, "add")
        return Money(amount=self.amount + other.amount, currency=self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other, "subtract")
        return Money(amount=self.amount - other.amount, currency=self.currency)

    def __mul__(self, factor: int | Decimal) -> Money:
        if isinstance(factor, float | bool) or not isinstance(factor, int | Decimal):
            raise TypeError("Money can only be multiplied by an int or a Decimal")
        return Money(amount=self.amount * factor, currency=self.currency)

    def __lt__(self, other: Money) -> bool:
        self._same(other, "compare")
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._same(other, "compare")
        return self.amount <= other.amount

    def __gt__(self, other: Money) -> bool:
        self._same(other, "compare")
        return self.amount > other.amount

    def __ge__(self, other: Money) -> bool:
        self._same(other, "compare")
        return self.amount >= other.amount

    def __hash__(self) -> int:
        return hash((self.amount, self.currency))

    # --- reading ------------------------------------------------------------------------

    def __str__(self) -> str:
        """Canonical text that ``parse`` reads back: 'USD 5430000000'."""
        return f"{self.currency} {self.amount}"

    def human(self) -> str:
        """Readable and short: 'USD 5.43 bn', 'INR 51.24 bn', 'USD 671 m', 'RUB 250,000'."""
        sign = "-" if self.amount < 0 else ""
        size = abs(self.amount)
        for word, factor in (("bn", MULTIPLIERS["bn"]), ("m", MULTIPLIERS["m"])):
            if size >= factor:
                scaled = (size / factor).quantize(Decimal("0.01"))
                return f"{self.currency} {sign}{_plain(scaled)} {word}"
        return f"{self.currency} {sign}{_plain(size, grouped=True)}"


def _factor(text: str, unit: str | None, code: str) -> Decimal:
    """The multiplier a unit word stands for; crore and lakh only with INR."""
    if unit is None:
        return Decimal(1)
    word = unit.lower()
    if word not in MULTIPLIERS:
        raise InvalidInputError(
            f"Invalid money {_shown(text)}: unknown multiplier '{unit}'"
            " (use k, m/mn, b/bn, lakh or crore/cr)"
        )
    if word in INDIAN_UNITS and code != "INR":
        raise InvalidInputError(
            f"Invalid money {_shown(text)}: {word} is an Indian unit, used with INR (₹, Rs) only;"
            f" give {code} amounts in m or bn"
        )
    return MULTIPLIERS[word]


def _shown(text: object) -> str:
    """The refused text as one short line (quoted as typed when it is printable)."""
    t = text if isinstance(text, str) else repr(text)
    t = t if len(t) <= 60 else t[:60] + "..."
    return f"'{t}'" if t.isprintable() else repr(t)


def _tidy(value: Decimal) -> Decimal:
    """One representation per number: 5430000000, not 5.43E+9 or 5430000000.00."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def _plain(value: Decimal, grouped: bool = False) -> str:
    value = _tidy(value)
    return f"{value:,f}" if grouped else f"{value:f}"
