"""Event fields from what a person typed (options, a file line, --set), and the event built
from them.

The same field names serve the `tracker log KIND` options (with '-' for '_'), the records of
`tracker log --file` and `tracker log correct --set`; a KIND is an event class's ``kind``.
Imported only when a value is converted or a log command runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from tracker.domain.events.catalogue import EVENT_KINDS
from tracker.domain.events.event_base import DomainEvent
from tracker.domain.values.date_fields import coerce_date
from tracker.domain.values.dates import FuzzyDate
from tracker.domain.values.estimates import parse_figure
from tracker.domain.values.money import Money
from tracker.domain.values.quantity import parse_count
from tracker.errors import InvalidInputError

COUNT_FIELDS = frozenset({"quantity", "cumulative_total", "rate_per_month"})
MONEY_FIELDS = frozenset({"value"})
DATE_FIELDS = frozenset({"occurred", "due", "valid_from", "valid_to", "rate_from"})
PERCENT_FIELDS = frozenset({"indigenisation_percent"})
LIST_FIELDS = frozenset({"parties", "products", "tags"})


def reason(error: Exception, text: str) -> str:
    """The part of a domain message after "Invalid <what> '<text>': ", else the whole."""
    message = str(error)
    marker = f"'{text}': "
    if message.startswith("Invalid ") and marker in message:
        return message.split(marker, 1)[1]
    return message


def to_count(value: Any) -> int:
    """A positive whole number from 5 or '6,01,427'."""
    try:
        return parse_count(value if _is_int(value) else str(value))
    except InvalidInputError:
        raise InvalidInputError(f"'{value}' is not a positive whole number") from None


def to_figure(value: Any) -> int | str:
    """An exact figure as its int ('6,01,427' gives 601427); any other as its text ('~48,000',
    '5-6', 'unknown'), for the event to read into a best value and bounds."""
    try:
        figure = parse_figure(value if _is_int(value) else str(value))
    except InvalidInputError as e:
        raise InvalidInputError(
            f"'{value}' is not a quantity: {reason(e, ' '.join(str(value).split()))}"
        ) from None
    return figure.best if figure.exact and figure.best is not None else str(figure)


def to_date(value: Any) -> FuzzyDate:
    """A FuzzyDate from '2021-12', 'by 2023', a YAML date or a bare year."""
    if isinstance(value, FuzzyDate | date):
        return coerce_date(value)
    try:
        return FuzzyDate.parse(str(value))
    except InvalidInputError as e:
        raise InvalidInputError(f"'{value}' is not a date: {reason(e, str(value))}") from None


def to_money(value: Any) -> Money:
    """Money from 'USD 5bn' or 'INR 40,000 crore'; a wrong currency is named as such."""
    if isinstance(value, Money):
        return value
    try:
        return Money.parse(str(value))
    except InvalidInputError as e:
        if str(e).startswith("Invalid money"):
            raise InvalidInputError(
                f"'{value}' is not an amount of money: {reason(e, str(value))}"
            ) from None
        raise


def field_value(name: str, text: str) -> Any:
    """A --set value as the field needs it: 'quantity=2' gives 2, '' clears the field."""
    text = text.strip()
    if text == "":
        return None
    if text[0] in "[{":
        import json

        try:
            return prepare_field(name, json.loads(text, parse_float=Decimal))
        except json.JSONDecodeError as e:
            raise InvalidInputError(f"{name}: '{text}' is not valid JSON ({e.msg})") from None
    if name in PERCENT_FIELDS:
        return str(prepare_field(name, text.removesuffix("%")))
    value = prepare_field(name, text)
    if isinstance(value, FuzzyDate):
        return str(value)
    return value.model_dump(mode="json") if isinstance(value, Money) else value


def prepare_field(name: str, value: Any) -> Any:
    """Coerce one field read from a file to what the event takes, naming it on failure."""
    if value is None:
        return None
    if name in COUNT_FIELDS:
        return _checked(name, to_figure, value)
    if name in MONEY_FIELDS and isinstance(value, str):
        return _checked(name, to_money, value)
    if name in DATE_FIELDS and isinstance(value, str | int | date):
        return _checked(name, to_date, value)  # YAML reads an unquoted 2027 as a number
    if name in PERCENT_FIELDS:
        return _exact(value)
    if name in LIST_FIELDS and isinstance(value, str):
        return [value]
    if name == "milestones" and isinstance(value, list):
        return [_milestone(m) for m in value]
    if name == "partners" and isinstance(value, Mapping):
        return {str(k): _exact(v) for k, v in value.items()}
    if name == "sources" and isinstance(value, list):
        return [{"url": s} if isinstance(s, str) else s for s in value]
    return value


def tidy(record: Mapping[str, Any]) -> dict[str, Any]:
    """A file record with each value checked as the options check it.

    Counts become ints ('6,01,427') and percentages exact; other values stay as written for
    tracker.importers.eventfile, which builds the event (so ids derived from content do not
    depend on how a record was read). A 'figure' record may leave out which figure it gives.
    """
    out = dict(record)
    for name, value in record.items():
        checked = prepare_field(name, value)
        if name in COUNT_FIELDS | PERCENT_FIELDS or name == "partners":
            out[name] = checked
        elif name == "milestones" and isinstance(value, list):
            out[name] = [_milestone(m) for m in value]
    if out.get("kind") == "figure" and "figure" not in out:
        out["figure"] = "value" if out.get("value") is not None else "quantity"
    return out


def build(kind: str, data: Mapping[str, Any]) -> DomainEvent:
    """Validate ``data`` as the event of ``kind``; any problem is one InvalidInputError line."""
    if kind not in EVENT_KINDS:
        known = ", ".join(EVENT_KINDS)
        raise InvalidInputError(f"Unknown kind '{kind}' (kinds: {known})")
    cls = EVENT_KINDS[kind]
    fields = dict(data)
    if kind == "figure" and "figure" not in fields:
        fields["figure"] = "value" if fields.get("value") is not None else "quantity"
    try:
        return cls.model_validate(fields)
    except ValidationError as e:
        raise InvalidInputError(f"Invalid {cls.noun}: {describe(e)}") from None


def describe(error: ValidationError) -> str:
    """pydantic's errors as one line, each naming the field and, if unsaid, the bad value."""
    parts = []
    for item in error.errors(include_url=False):
        where = ".".join(str(p) for p in item["loc"])
        kind = item["type"]
        if kind == "missing":
            message = "missing"
        elif kind == "extra_forbidden":
            message = "unknown field"
        else:
            message = str(item["msg"]).removeprefix("Value error, ")
            given = item.get("input")
            if _scalar(given) and str(given) not in message:
                message += f" (got {given!r})"
        parts.append(f"{where}: {message}" if where else message)
    return "; ".join(parts)


def _milestone(value: Any) -> Any:
    """A milestone with its quantity as an int, its due date checked but kept as written."""
    if not isinstance(value, Mapping):
        return value
    out = dict(value)
    if "quantity" in value:
        out["quantity"] = _checked("quantity", to_count, value["quantity"])
    if value.get("due") is not None:
        _checked("due", to_date, value["due"])
    return out


def _checked(name: str, parse: Any, value: Any) -> Any:
    try:
        return parse(value)
    except InvalidInputError as e:
        raise InvalidInputError(f"{name}: {e}") from None


def _exact(value: Any) -> Any:
    # A YAML float was typed as text: its shortest repr is what the person wrote.
    return Decimal(repr(value)) if isinstance(value, float) else value


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _scalar(value: Any) -> bool:
    return isinstance(value, str | int | float | Decimal | date) and not isinstance(value, bool)
