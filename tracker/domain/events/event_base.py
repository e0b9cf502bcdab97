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
    model_validator,
)

from tracker.domain.values.dates import FuzzyDate
from tracker.domain.values.estimates import Estimate, Figure, exact, from_estimate, parse_figure
from tracker.domain.values.parties import canonical_party
from tracker.domain.values.quantity import normalise_unit
from tracker.domain.values.sources import Source
from tracker.errors import InvalidInputError

Confidence = Literal["confirmed", "reported", "planned", "unconfirmed"]


def _positive(value: int) -> int:
    if value <= 0:
        raise ValueError(f"Invalid quantity '{value}': must be a positive whole number")
    return value


def _exact_count(value: Any) -> Any:
    # An estimate reaches a field that takes none only as its text ('~5', '5-6').
    if isinstance(value, str):
        raise ValueError(
            f"'{value}' is not an exact whole number; estimates such as '~48,000' or '5-6'"
            " are taken for deliveries, production and production plans"
        )
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


Count = Annotated[StrictInt, BeforeValidator(_exact_count), AfterValidator(_positive)]
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
    # What people call it, set on every event class: its `tracker log` subcommand and
    # event-file "kind" ('amend'), the noun of a message about it ('Invalid amendment: ...')
    # and its label in a timeline ('amended'). Not 'label': a delivery has a field of that name.
    kind: ClassVar[str]
    noun: ClassVar[str]
    type_label: ClassVar[str]
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

    @model_validator(mode="after")
    def _undated_by_sources(self) -> DomainEvent:
        # An undated fact had happened by the day its first source was published: that day
        # orders it and cuts it on the world axis (see FuzzyDate.unknown).
        if self.occurred.is_unknown:
            days = [s.published for s in self.sources if s.published is not None]
            object.__setattr__(self, "occurred", FuzzyDate.unknown(min(days, default=None)))
        return self

    def stream(self) -> str | None:
        """The stream this event belongs to; None when it follows another event's stream."""
        return None


E = TypeVar("E", bound=DomainEvent)


def check_exactly_one(
    quantity: int | None, cumulative_total: int | None, size_unknown: bool = False
) -> None:
    """Deliveries and production are reported as an increment or as a running total, or
    (size_unknown) as having happened with no figure."""
    if size_unknown:
        if quantity is not None or cumulative_total is not None:
            raise ValueError("an event of unknown size has no quantity or cumulative_total")
    elif (quantity is None) == (cumulative_total is None):
        raise ValueError("give exactly one of quantity (an increment) or cumulative_total")


def read_figures(data: Any, names: tuple[str, ...], *, unknown: bool = True) -> Any:
    """Before validation: a figure of ``names`` given as text ('~48,000', '5-6', 'over 5
    lakh', 'unknown') becomes its best value, with its estimate under ``estimates[name]``
    ('unknown': no value and ``size_unknown``). An int replaces the field's estimate unless
    it is that estimate's best value (a correction to another number drops the old one)."""
    if not isinstance(data, dict):
        return data
    out = dict(data)
    estimates = dict(out.get("estimates") or {})
    for name in names:
        value = out.get(name)
        if isinstance(value, str):
            try:
                figure = parse_figure(value)
            except InvalidInputError as e:
                raise ValueError(f"{name}: {e}") from None
            if figure.unknown and not unknown:
                raise ValueError(f"{name}: 'unknown' is not a figure here")
            out[name] = figure.best
            if figure.unknown:
                out["size_unknown"] = True
            estimates.pop(name, None)
            if (estimate := figure.estimate()) is not None:
                estimates[name] = estimate
        elif name in estimates and _best(estimates[name]) != value:
            del estimates[name]
    if estimates or "estimates" in out:
        out["estimates"] = estimates
    return out


def _best(estimate: Any) -> Any:
    return estimate.get("best") if isinstance(estimate, dict) else getattr(estimate, "best", None)


def check_estimates(values: dict[str, int | None], estimates: dict[str, Estimate]) -> None:
    """Each estimate belongs to a figure that is given, and its bounds hold its best value."""
    for name, e in estimates.items():
        if name not in values or values[name] != e.best:
            raise ValueError(f"estimates: '{name}' has no figure {e.best} to qualify")
        if (e.low is not None and e.low > e.best) or (e.high is not None and e.high < e.best):
            raise ValueError(f"estimates: the bounds of '{name}' do not hold {e.best}")


def figure_of(event: Any, name: str) -> Figure | None:
    """The figure an event gives for ``name`` as the source gave it; None when not given."""
    value = getattr(event, name)
    if value is None:
        return None
    estimate = getattr(event, "estimates", {}).get(name)
    return from_estimate(estimate) if estimate is not None else exact(value)


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
