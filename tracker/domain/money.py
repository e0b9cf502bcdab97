"""Money: an exact Decimal amount in an ISO 4217 currency.

Arms-deal figures are reported in several currencies at once ("$5.43 billion (INR 40,000
crore)"). They are kept side by side as reported: never a float, never converted.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
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

_NUMBER = r"(\d+(?:,\d+)*(?:\.\d+)?)"
_CODE_FIRST = re.compile(rf"^([A-Za-z]{{3}})\s*{_NUMBER}\s*([A-Za-z]+)?$")
_CODE_LAST = re.compile(rf"^{_NUMBER}\s*([A-Za-z]+)?\s+([A-Za-z]{{3}})$")
_FORMS = "e.g. 'USD 5.43bn', 'INR 5,100 crore', 'USD 671m'"


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
        return _tidy(value)

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
            return cls(amount=Decimal(amount), currency=check_currency(currency))
        except (InvalidOperation, ValueError) as e:
            raise InvalidInputError(f"Invalid amount '{amount}': not a number") from e

    @classmethod
    def parse(cls, text: str) -> Money:
        """Parse 'USD 5.43bn', 'INR 5,100 crore', 'USD 5430000000', '671m USD'."""
        raw = " ".join(text.split()) if isinstance(text, str) else ""
        if m := _CODE_FIRST.match(raw):
            code, number, unit = m[1], m[2], m[3]
        elif m := _CODE_LAST.match(raw):
            number, unit, code = m[1], m[2], m[3]
        else:
            raise InvalidInputError(
                f"Invalid money '{text}': expected a currency and an amount, {_FORMS}"
            )
        factor = Decimal(1)
        if unit is not None:
            if unit.lower() not in MULTIPLIERS:
                raise InvalidInputError(
                    f"Invalid money '{text}': unknown multiplier '{unit}'"
                    " (use k, m/mn, b/bn, lakh or crore/cr)"
                )
            factor = MULTIPLIERS[unit.lower()]
        return cls(amount=Decimal(number.replace(",", "")) * factor, currency=check_currency(code))

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


def _tidy(value: Decimal) -> Decimal:
    """One representation per number: 5430000000, not 5.43E+9 or 5430000000.00."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def _plain(value: Decimal, grouped: bool = False) -> str:
    value = _tidy(value)
    return f"{value:,f}" if grouped else f"{value:f}"
