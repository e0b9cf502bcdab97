"""What every domain event shares, and the field types the catalogue is built from."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, ClassVar, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    StrictInt,
    StringConstraints,
    ValidationError,
    field_validator,
)

from tracker.domain.dates import FuzzyDate
from tracker.domain.parties import canonical_party
from tracker.domain.quantity import normalise_unit
from tracker.domain.sources import Source
from tracker.errors import InvalidInputError

Confidence = Literal["confirmed", "reported", "planned", "unconfirmed"]


def _positive(value: int) -> int:
    if value <= 0:
        raise ValueError(f"Invalid quantity '{value}': must be a positive whole number")
    return value


def _no_float(value: Any) -> Any:
    # A float has already rounded the figure the source printed; take text or Decimal.
    if isinstance(value, float | bool):
        raise ValueError(f"{value!r} is not exact; give a string, an int or a Decimal")
    return value


def _percent(value: Decimal) -> Decimal:
    if not Decimal(0) <= value <= Decimal(100):
        raise ValueError(f"{value} is not a percentage between 0 and 100")
    return value


def _unit(value: str) -> str:
    try:
        return normalise_unit(value)
    except InvalidInputError as e:
        raise ValueError(str(e)) from None


Count = Annotated[StrictInt, AfterValidator(_positive)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Party = Annotated[Text, AfterValidator(canonical_party)]
Unit = Annotated[Text, AfterValidator(_unit)]
Exact = Annotated[Decimal, BeforeValidator(_no_float)]
Percent = Annotated[Exact, AfterValidator(_percent)]


class DomainEvent(BaseModel):
    """Something that happened in the world, as reported by at least one source.

    ``type`` is the stable stored name; ``schema_version`` moves when the payload changes
    shape (old payloads are upcast on read, see codec).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    type: ClassVar[str] = "DomainEvent"
    schema_version: ClassVar[int] = 1
    # The fields that decide the stream: a correction may not change them.
    stream_fields: ClassVar[tuple[str, ...]] = ()

    occurred: FuzzyDate
    sources: tuple[Source, ...]
    confidence: Confidence | None = None

    @field_validator("sources")
    @classmethod
    def _cited(cls, value: tuple[Source, ...]) -> tuple[Source, ...]:
        if not value:
            raise ValueError("an event needs at least one source")
        return value

    def stream(self) -> str | None:
        """The stream this event belongs to; None when it follows another event's stream."""
        return None


E = TypeVar("E", bound=DomainEvent)


def check_exactly_one(quantity: int | None, cumulative_total: int | None) -> None:
    """Deliveries and production are reported as an increment or as a running total."""
    if (quantity is None) == (cumulative_total is None):
        raise ValueError("give exactly one of quantity (an increment) or cumulative_total")


def validation_message(error: ValidationError) -> str:
    """pydantic's report as one line: 'quantity: Invalid quantity '-3': must be ...'."""
    parts = []
    for item in error.errors(include_url=False):
        where = ".".join(str(p) for p in item["loc"])
        msg = str(item["msg"]).removeprefix("Value error, ")
        parts.append(f"{where}: {msg}" if where else msg)
    return "; ".join(parts)


def checked(cls: type[E], data: dict[str, Any]) -> E:
    """Validate ``data`` as ``cls``, turning pydantic's error into one InvalidInputError line."""
    try:
        return cls.model_validate(data)
    except ValidationError as e:
        raise InvalidInputError(f"Invalid {cls.type}: {validation_message(e)}") from None
