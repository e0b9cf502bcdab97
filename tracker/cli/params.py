"""Parameter types for the values a person types when logging events.

Each type turns text into the domain's value (a FuzzyDate, a count, Money...) or fails with
one readable line naming the bad value; click shows it as a usage error (exit 2). The domain
modules are imported inside ``convert`` so that `tracker --help` never loads them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import click


def _converted(
    kind: click.ParamType,
    convert: Callable[[Any], Any],
    value: Any,
    param: click.Parameter | None,
    ctx: click.Context | None,
) -> Any:
    """``convert(value)``, its InvalidInputError turned into click's usage error."""
    from tracker.errors import InvalidInputError

    try:
        return convert(value)
    except InvalidInputError as e:
        kind.fail(str(e), param, ctx)


def reason(error: Exception, text: str) -> str:
    """The part of a domain message after "Invalid <what> '<text>': ", else the whole."""
    message = str(error)
    marker = f"'{text}': "
    if message.startswith("Invalid ") and marker in message:
        return message.split(marker, 1)[1]
    return message


class FuzzyDateType(click.ParamType):
    """A world date at its precision: 2021-12-06, '6 Dec 2021', 'Q3 2024', 'mid-2022',
    'by end May 2026', '2026-27', 'Jul-Aug 2025', '~2021', '2021?', 'unknown'; a due date
    may be relative: '+32 months after production start' (see date_forms.FORMS). Where
    each form may go (only --occurred takes 'unknown', only a due date is relative) is a
    rule of the domain, so event files get the same answer."""

    name = "DATE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from tracker.cli.eventdata import to_date

        return _converted(self, to_date, value, param, ctx)


# Far beyond any order (the largest are rounds of ammunition); past it a count is a typo,
# and past 2^63 it could not even be stored.
MAX_COUNT = 10**12
# ctx.meta key: notes on how a value was read ("'$' alone is taken as USD").
ASSUMED = "tracker.assumed"


class CountType(click.ParamType):
    """A positive whole number: 5, 601427 or 6,01,427 (at most 10^12)."""

    name = "N"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        from tracker.cli.eventdata import to_count

        count: int = _converted(self, to_count, value, param, ctx)
        if count > MAX_COUNT:
            self.fail(f"'{value}' is out of range: at most {MAX_COUNT:,}", param, ctx)
        return count


class FigureType(click.ParamType):
    """A count as sources give it: 48000 or 6,01,427; '~48,000', 'about 48,000', 'over 5
    lakh', 'under 500', '5-6'; or 'unknown' (a report with no figure).

    An exact figure converts to its int, any other to its text, which the event reads
    (see event_base.read_figures) into a best value with its bounds.
    """

    name = "N"

    def __init__(self, *, unknown: bool = True) -> None:
        self.unknown = unknown

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> int | str:
        from tracker.cli.eventdata import to_figure

        figure: int | str = _converted(self, to_figure, value, param, ctx)
        if figure == "unknown" and not self.unknown:
            self.fail(f"'{value}' is not a figure: give a number, e.g. '~12,000'", param, ctx)
        return figure


class OrderedType(CountType):
    """How many were ordered: a count, or 'unknown' when no source gives the number."""

    name = "N|unknown"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if str(value).strip().lower() == "unknown":
            return "unknown"  # None would read to click as a missing option
        return super().convert(value, param, ctx)


class MoneyType(click.ParamType):
    """An amount with its currency as sources write it: 'USD 5.43bn', '₹5,100 crore',
    'Rs 59,000 cr', '$5.43bn' (taken as USD), 'US$8.7bn', '€7.87bn', '671m USD'."""

    name = "MONEY"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from tracker.cli.eventdata import to_money
        from tracker.domain.money import assumed_currency

        money = _converted(self, to_money, value, param, ctx)
        note = assumed_currency(value) if isinstance(value, str) else None
        if note and ctx is not None:
            name = param.opts[0] if param is not None and param.opts else "value"
            ctx.meta.setdefault(ASSUMED, []).append(f"{name} '{value}': {note}")
        return money


def assumptions(ctx: click.Context) -> list[str]:
    """The notes MoneyType left on how it read values of this command, in order."""
    notes: list[str] = ctx.meta.get(ASSUMED, [])
    return notes


class ReferenceType(click.ParamType):
    """A reference: a lowercase slug such as s400-india-2018."""

    name = "REF"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from tracker.domain.refs import check_reference

        try:
            return check_reference(str(value))
        except ValueError as e:
            self.fail(f"'{value}' is not a reference: {reason(e, str(value))}", param, ctx)


class SubjectType(click.ParamType):
    """What a note is about: contract:REF, jv:REF, agreement:REF or topic:SLUG."""

    name = "SUBJECT"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from tracker.domain.refs import check_subject

        try:
            return check_subject(str(value))
        except ValueError as e:
            self.fail(f"'{value}' is not a subject: {reason(e, str(value))}", param, ctx)


class PercentType(click.ParamType):
    """A percentage from 0 to 100, exact: 50.5 or 50.5%."""

    name = "PCT"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> Decimal:
        try:
            number = Decimal(str(value).strip().removesuffix("%"))
        except InvalidOperation:
            self.fail(f"'{value}' is not a number", param, ctx)
        if not number.is_finite() or not 0 <= number <= 100:
            self.fail(f"'{value}' is not a percentage between 0 and 100", param, ctx)
        return number


class PublishedType(click.ParamType):
    """The day a source was published, YYYY-MM-DD; '' stands for 'not known'."""

    name = "YYYY-MM-DD"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> date | None:
        if value is None or isinstance(value, date):
            return value
        text = str(value).strip()
        if text in ("", "-"):
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            self.fail(f"'{value}' is not a day (YYYY-MM-DD)", param, ctx)


class ShareType(click.ParamType):
    """A joint-venture partner and its share: 'Kalashnikov Concern=42'."""

    name = "NAME=PCT"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> tuple[str, Decimal]:
        if isinstance(value, tuple):
            return value
        name, sep, share = str(value).rpartition("=")
        if not sep or not name.strip():
            self.fail(f"'{value}' is not NAME=PERCENT, e.g. 'Rosoboronexport=7.5'", param, ctx)
        return name.strip(), PERCENT.convert(share, param, ctx)


class AssignmentType(click.ParamType):
    """A corrected field: FIELD=VALUE, e.g. quantity=2 or 'value=USD 5.5bn'."""

    name = "FIELD=VALUE"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> tuple[str, Any]:
        if isinstance(value, tuple):
            return value
        from tracker.cli.eventdata import field_value
        from tracker.errors import InvalidInputError

        name, sep, text = str(value).partition("=")
        name = name.strip().replace("-", "_")
        if not sep or not name:
            self.fail(f"'{value}' is not FIELD=VALUE, e.g. quantity=2", param, ctx)
        try:
            return name, field_value(name, text)
        except InvalidInputError as e:
            self.fail(str(e), param, ctx)


FUZZY_DATE = FuzzyDateType()
COUNT = CountType()
FIGURE = FigureType()
KNOWN_FIGURE = FigureType(unknown=False)
ORDERED = OrderedType()
MONEY = MoneyType()
REFERENCE = ReferenceType()
SUBJECT = SubjectType()
PERCENT = PercentType()
PUBLISHED = PublishedType()
SHARE = ShareType()
ASSIGNMENT = AssignmentType()
