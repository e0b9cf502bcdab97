"""A programme's header as labelled facts, worded once for every format."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from tracker.domain.events.catalogue import EVENT_TYPES
from tracker.domain.values.estimates import Estimate
from tracker.domain.values.money import Money
from tracker.domain.values.quantity import units
from tracker.domain.values.sources import Source
from tracker.domain.views import ContractProduction, ContractStatus
from tracker.reports.model import Section

# What a reader calls each event type; CSV and JSON keep the stored type name.
KINDS = {cls.type: cls.type_label for cls in EVENT_TYPES.values()}


def kind(event_type: str) -> str:
    return KINDS.get(event_type, event_type)


def count(n: int | None, unit: str = "", estimate: Estimate | None = None) -> str:
    """'601,427 rifles', '1 squadron'; '~48,000 rifles' when a report it sums was not exact
    (``estimate``); 'unknown' when the figure was never reported."""
    if n is None:
        return "unknown"
    shown = estimate.as_written if estimate is not None else f"{n:,}"
    return f"{shown} {units(n, unit)}".rstrip()


def percent(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = f"{value:f}"
    return (text.rstrip("0").rstrip(".") if "." in text else text) + "%"


def money_range(low: Money, high: Money) -> str:
    """'USD 4.5–5.5 bn' when both ends share a scale, else 'USD 671 m–1.2 bn'."""
    if low == high:
        return low.human()
    lo_num, _, lo_word = low.human().split(" ", 1)[1].partition(" ")
    hi_num, _, hi_word = high.human().split(" ", 1)[1].partition(" ")
    if lo_word == hi_word:
        return f"{low.currency} {lo_num}–{hi_num}{' ' + hi_word if hi_word else ''}"
    return f"{low.currency} {lo_num} {lo_word}–{hi_num} {hi_word}".replace("  ", " ")


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def header_facts(section: Section) -> list[tuple[str, str]]:
    """(label, text) pairs: parties, order, delivery, value, state, completion."""
    s = section.status
    what = f"{s.system} ({s.description})" if s.description else s.system
    facts = [
        ("Parties", f"{s.buyer} (buyer) from {s.seller} (seller); signed {s.signed.human()}"),
        ("Ordered", f"{count(s.ordered, s.unit)} of {what}"),
        ("Delivered", count(s.delivered, s.unit, s.delivered_estimate) + _share(s)),
        ("Remaining", remaining(s)),
    ]
    if s.produced is not None:
        produced = count(s.produced, s.unit, s.produced_estimate)
        facts.append(("Produced", produced + " by the joint venture"))
    for jv, made in section.production:
        facts += production_facts(jv, made, s.unit)
    facts += [
        ("Value", s.value.human() + " (as signed or amended)" if s.value else "not reported"),
        ("Value reports", value_reports(s)),
        ("Reported range", reported_range(s)),
        ("State", state(s)),
        ("Completion", f"{section.completion.text} ({section.completion.explanation})"),
    ]
    return facts


def production_facts(jv: str, made: ContractProduction, unit: str) -> list[tuple[str, str]]:
    """The joint venture's pace: the last report and its age, the recent, planned and needed
    rates, the completion each gives, and the verdict. Plans never count as made."""
    last = "no report"
    if made.last_report is not None and made.days_since_last_report is not None:
        age = plural(made.days_since_last_report, "day")
        last = f"last report {made.last_report.human()}, {age} old"
    rates = [f"recent {_per_month(made.rate_per_month, unit)}"]
    if made.planned_rate_per_month is not None and made.planned_from is not None:
        rates.append(
            f"planned {_per_month(made.planned_rate_per_month, unit)}"
            f" from {made.planned_from.human()}"
        )
    if made.required_rate_per_month is not None and made.deadline is not None:
        rates.append(
            f"needed {_per_month(made.required_rate_per_month, unit)}"
            f" to finish by {made.deadline.human()}"
        )
    done = [f"at the recent rate {_day(made.projected_completion)}"]
    if made.complete:
        done = ["complete"]
    elif made.planned_rates:
        done.append(f"at the planned rate {_day(made.projected_completion_at_plan)}")
    return [
        (
            "Output",
            f"{count(made.cumulative, unit, made.cumulative_estimate)}"
            f" of {count(made.target, unit)} by {jv}; {last}",
        ),
        ("Rates", "; ".join(rates)),
        ("Projected", "; ".join(done)),
        ("Verdict", made.verdict),
    ]


def _per_month(n: int | None, unit: str) -> str:
    return "unknown" if n is None else f"{count(n, unit)} a month"


def remaining(s: ContractStatus, unit: bool = True) -> str:
    """What is left to deliver; '~' when delivered is not exact."""
    left = count(s.remaining, s.unit if unit else "")
    return f"~{left}" if s.delivered_estimate is not None and s.remaining is not None else left


def _day(day: date | None) -> str:
    return "never (no rate)" if day is None else f"{day.day} {day:%b %Y}"


def value_reports(s: ContractStatus) -> str:
    """'USD 5 bn (4 sources); USD 5.43 bn (2 sources)' — every value kept, none averaged."""
    if not s.value_reports:
        return "none"
    return "; ".join(f"{r.value.human()} ({plural(r.sources, 'source')})" for r in s.value_reports)


def reported_range(s: ContractStatus) -> str:
    if not s.value_range:
        return "none"
    return "; ".join(money_range(r.min, r.max) for r in s.value_range.values())


def state(s: ContractStatus) -> str:
    parts: list[str] = [s.state]
    if s.overdue_milestones:
        parts.append(f"{plural(s.overdue_milestones, 'milestone')} overdue")
    if s.next_milestone is not None and s.state != "completed":
        parts.append(f"next: {s.next_milestone.label}, due {s.next_milestone.due.human()}")
    return "; ".join(parts)


def _share(s: ContractStatus) -> str:
    return f" ({percent(s.percent)} of the order)" if s.percent is not None else ""


def source_fields(source: Source) -> list[str]:
    """Publisher, date, title and url, those that are known, in that order."""
    published = str(source.published) if source.published else None
    return [p for p in (source.publisher, published, source.title, source.url) if p]


def citation_marks(numbers: tuple[int, ...]) -> str:
    return "".join(f"[{n}]" for n in numbers)
