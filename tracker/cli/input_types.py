"""Every click parameter type: the values a person types, for logging events and for reading.

Each type turns text into the domain's value (a FuzzyDate, a count, Money, a day...) or fails
with one readable line naming the bad value; click shows it as a usage error (exit 2). The
domain modules are imported inside ``convert`` so that `tracker --help` never loads them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

import click

Param = click.Parameter | None
Ctx = click.Context | None


def _converted(
    kind: click.ParamType, convert: Callable[[Any], Any], value: Any, param: Param, ctx: Ctx
) -> Any:
    """``convert(value)``, its InvalidInputError turned into click's usage error."""
    from tracker.errors import InvalidInputError

    try:
        return convert(value)
    except InvalidInputError as e:
        kind.fail(str(e), param, ctx)


class FuzzyDateType(click.ParamType):
    """A world date at its precision: 2021-12-06, '6 Dec 2021', 'Q3 2024', 'mid-2022',
    'by end May 2026', '2026-27', 'Jul-Aug 2025', '~2021', '2021?', 'unknown'; a due date
    may be relative: '+32 months after production start' (see date_forms.FORMS). Where
    each form may go (only --occurred takes 'unknown', only a due date is relative) is a
    rule of the domain, so event files get the same answer."""

    name = "DATE"

    def convert(self, value: Any, param: Param, ctx: Ctx) -> Any:
        from tracker.cli.event_fields import to_date

        return _converted(self, to_date, value, param, ctx)


class FuzzyDayType(click.ParamType):
    """A date at any precision for --from/--to: 2021-12-06, 2021-12, 2021-Q4 or 2021."""

    name = "DATE"

    def convert(self, value: Any, param: Param, ctx: Ctx) -> Any:
        from tracker.domain.values.dates import FuzzyDate

        if isinstance(value, FuzzyDate):
            return value
        return _converted(self, FuzzyDate.parse, str(value), param, ctx)


class DayType(click.ParamType):
    """A world date for --as-of ("as of"): 2022-01-01 (or 2021-12 = its last day)."""

    name = "DATE"

    def convert(self, value: Any, param: Param, ctx: Ctx) -> date:
        if isinstance(value, date):
            return value
        from tracker.domain.values.days import parse_day

        day: date = _converted(self, parse_day, str(value), param, ctx)
        return day


class MomentType(click.ParamType):
    """A record time for --known-at ("as known on"): 2024-04-30, 2024-04-30T12:00 (UTC)."""

    name = "DATETIME"

    def convert(self, value: Any, param: Param, ctx: Ctx) -> datetime:
        if isinstance(value, datetime):
            return value
        import pendulum

        text = str(value).strip()
        try:
            parsed = pendulum.parse(text, tz="UTC", strict=False)
        except (ValueError, pendulum.parsing.exceptions.ParserError) as e:
            self.fail(f"Invalid date-time '{text}': {e}", param, ctx)
        if not isinstance(parsed, datetime):
            self.fail(f"Invalid date-time '{text}'", param, ctx)
        if len(text) == 10:  # a bare day means the end of that day
            parsed = parsed.end_of("day")
        return parsed.in_tz("UTC")


class SignedType(click.ParamType):
    """A signing window for --signed: a year (2018), years (2015-2020) or any date form."""

    name = "YEARS"

    def convert(self, value: Any, param: Param, ctx: Ctx) -> Any:
        if isinstance(value, tuple):
            return value
        from tracker.projections.filters import signed_window

        return _converted(self, signed_window, str(value), param, ctx)


# Far beyond any order (the largest are rounds of ammunition); past it a count is a typo,
# and past 2^63 it could not even be stored.
MAX_COUNT = 10**12
# ctx.meta key: notes on how a value was read ("'$' alone is taken as USD").
ASSUMED = "tracker.assumed"


class CountType(click.ParamType):
    """A positive whole number: 5, 601427 or 6,01,427 (at most 10^12)."""

    name = "N"

    def convert(self, value: Any, param: Param, ctx: Ctx) -> int:
        from tracker.cli.event_fields import to_count

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

    def convert(self, value: Any, param: Param, ctx: Ctx) -> int | str:
        from tracker.cli.event_fields import to_figure

        figure: int | str = _converted(self, to_figure, value, param, ctx)
        if figure == "unknown" and not self.unknown:
            self.fail(f"'{value}' is not a figure: give a number, e.g. '~12,000'", param, ctx)
        return figure


class OrderedType(CountType):
    """How many were ordered: a count, or 'unknown' when no source gives the number."""

    name = "N|unknown"

    def convert(self, value: Any, param: Param, ctx: Ctx) -> Any:
        if str(value).strip().lower() == "unknown":
            return "unknown"  # None would read to click as a missing option
        return super().convert(value, param, ctx)


class MoneyType(click.ParamType):
    """An amount with its currency as sources write it: 'USD 5.43bn', '₹5,100 crore',
    'Rs 59,000 cr', '$5.43bn' (taken as USD), 'US$8.7bn', '€7.87bn', '671m USD'."""

    name = "MONEY"

    def convert(self, value: Any, param: Param, ctx: Ctx) -> Any:
        from tracker.cli.event_fields import to_money
        from tracker.domain.values.money import assumed_currency

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
    """A reference: a lowercase slug such as s400-india-2018; with ``subject``, what a note
    is about: contract:REF, jv:REF, agreement:REF or topic:SLUG."""

    def __init__(self, *, subject: bool = False) -> None:
        self.subject = subject
        self.name, self.noun = ("SUBJECT", "subject") if subject else ("REF", "reference")

    def convert(self, value: Any, param: Param, ctx: Ctx) -> str:
        from tracker.domain.values.refs import check_reference, check_subject

        try:
            return (check_subject if self.subject else check_reference)(str(value))
        except ValueError as e:
            from tracker.cli.event_fields import reason

            self.fail(f"'{value}' is not a {self.noun}: {reason(e, str(value))}", param, ctx)


class PercentType(click.ParamType):
    """A percentage from 0 to 100, exact: 50.5 or 50.5%."""

    name = "PCT"

    def convert(self, value: Any, param: Param, ctx: Ctx) -> Decimal:
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

    def convert(self, value: Any, param: Param, ctx: Ctx) -> date | None:
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

    def convert(self, value: Any, param: Param, ctx: Ctx) -> tuple[str, Decimal]:
        if isinstance(value, tuple):
            return value
        name, sep, share = str(value).rpartition("=")
        if not sep or not name.strip():
            self.fail(f"'{value}' is not NAME=PERCENT, e.g. 'Rosoboronexport=7.5'", param, ctx)
        return name.strip(), PERCENT.convert(share, param, ctx)


class AssignmentType(click.ParamType):
    """A corrected field: FIELD=VALUE, e.g. quantity=2 or 'value=USD 5.5bn'."""

    name = "FIELD=VALUE"

    def convert(self, value: Any, param: Param, ctx: Ctx) -> tuple[str, Any]:
        if isinstance(value, tuple):
            return value
        from tracker.cli.event_fields import field_value
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
FUZZY_DAY = FuzzyDayType()
DAY = DayType()
MOMENT = MomentType()
SIGNED = SignedType()
COUNT = CountType()
FIGURE = FigureType()
KNOWN_FIGURE = FigureType(unknown=False)
ORDERED = OrderedType()
MONEY = MoneyType()
REFERENCE = ReferenceType()
SUBJECT = ReferenceType(subject=True)
PERCENT = PercentType()
PUBLISHED = PublishedType()
SHARE = ShareType()
ASSIGNMENT = AssignmentType()
