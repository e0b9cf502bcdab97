"""The rules' sums of running totals agree with the steps, and decide as the steps do."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.unit import factories as f
from tracker.domain.events.event_base import DomainEvent
from tracker.domain.figures.ledger import first_decrease, running_totals
from tracker.domain.rules import invariants
from tracker.domain.rules.checks import check_and_fold
from tracker.domain.rules.delivery_sums import NOTHING, Sums, sums
from tracker.domain.rules.lookup import MemoryLookup
from tracker.domain.state.envelope import Recorded
from tracker.domain.state.fold import evolve
from tracker.domain.state.state import Fact
from tracker.errors import DomainError

_dates = st.sampled_from(["2017", "2018", "2019-Q2", "2019-06", "2020-12-06", "by 2021", "2021"])
_figures = st.sampled_from([1, 2, 3, 5, 8, "~4", "5-6", "over 3"])


@st.composite
def _report(draw: st.DrawFn) -> dict[str, Any]:
    """A delivery's fields: a figure (an increment or a cumulative total) or none at all."""
    fields: dict[str, Any] = {"occurred": draw(_dates), "label": None, "quantity": None}
    kind = draw(st.sampled_from(["quantity", "quantity", "cumulative_total", "unknown"]))
    if kind == "unknown":
        fields["size_unknown"] = True
    else:
        fields[kind] = draw(_figures)
    fields["confidence"] = draw(st.sampled_from([None, "reported", "planned"]))
    fields["quality"] = draw(st.sampled_from([(), ("before the order",)]))
    return fields


def _facts(reports: list[dict[str, Any]]) -> tuple[Fact[Any], ...]:
    return tuple(
        Fact(event_id=f"d{n}", position=n, event=f.delivery_recorded(**fields))
        for n, fields in enumerate(reports, start=1)
    )


def _expected(facts: tuple[Fact[Any], ...]) -> Sums:
    steps = running_totals(list(facts))
    last = (steps[-1].occurred.sort_key, steps[-1].position) if steps else None
    return Sums(steps[-1].total if steps else 0, first_decrease(steps) is not None, last)


@settings(max_examples=200)
@given(st.lists(_report(), max_size=8), st.data())
def test_sums_equal_the_running_totals_however_the_facts_came(
    reports: list[dict[str, Any]], data: st.DataObject
) -> None:
    grown: tuple[Fact[Any], ...] = ()
    for fact in _facts(reports):
        longer = (*grown, fact)
        assert sums(longer, grown) == _expected(longer)  # grown one fact at a time
        grown = longer
    assert sums(tuple(reversed(grown))) == _expected(tuple(reversed(grown)))  # afresh
    if grown:
        # One fact replaced (a correction): by one that counts alike, or not.
        at = data.draw(st.integers(0, len(grown) - 1))
        fields = data.draw(_report())
        old = grown[at]
        new: Fact[Any] = Fact(
            event_id=old.event_id, position=old.position, event=f.delivery_recorded(**fields)
        )
        relabelled = old.model_copy(update={"event": old.event.model_copy(update={"label": "x"})})
        for other in (new, relabelled):
            fixed = (*grown[:at], other, *grown[at + 1 :])
            assert sums(fixed, grown) == _expected(fixed)


def test_no_deliveries_sum_to_nothing() -> None:
    assert sums(()) == NOTHING == _expected(())


def test_a_counted_report_without_a_figure_is_left_to_the_steps() -> None:
    broken = f.delivery_recorded().model_copy(update={"quantity": None})
    facts: tuple[Fact[Any], ...] = (Fact(event_id="d1", position=1, event=broken),)
    assert sums(facts) is None
    with pytest.raises(ValueError, match="has no figure to count"):
        running_totals(facts)


# --- the rules decide with the sums as they do with every step worked out ---------------


@st.composite
def _op(draw: st.DrawFn) -> tuple[Any, ...]:
    """What happens next to the contract: mostly deliveries, then amendments and fixes."""
    kind = draw(
        st.sampled_from(["deliver"] * 4 + ["amend", "correct", "resign", "retract", "note"])
    )
    if kind == "deliver":
        return kind, draw(_report())
    if kind == "amend":
        return kind, draw(st.sampled_from([1, 4, 9, 30]))
    if kind == "correct":
        return kind, draw(st.integers(0, 20)), draw(_report())
    if kind == "resign":
        return kind, draw(st.sampled_from([None, 2, 6, 40])), draw(_dates)
    if kind == "retract":
        return kind, draw(st.integers(0, 20))
    return (kind,)


def _event(op: tuple[Any, ...], deliveries: list[str], signing: str) -> DomainEvent:
    kind = op[0]
    if kind == "deliver":
        return f.delivery_recorded(**op[1])
    if kind == "amend":
        return f.contract_amended(quantity=op[1], occurred="2019")
    if kind == "correct" and deliveries:
        target = deliveries[op[1] % len(deliveries)]
        changes = {k: v for k, v in op[2].items() if k != "label"}
        changes.setdefault("size_unknown", False)
        changes.setdefault("cumulative_total", None)
        return f.event_corrected(target_event_id=target, changes=changes)
    if kind == "resign":
        return f.event_corrected(
            target_event_id=signing, changes={"quantity": op[1], "occurred": op[2]}
        )
    if kind == "retract" and deliveries:
        return f.event_retracted(target_event_id=deliveries[op[1] % len(deliveries)])
    return f.note_recorded(subject=f"contract:{f.REF}")


def _outcome(rec: Recorded, lookup: MemoryLookup) -> object:
    try:
        after = check_and_fold(rec, lookup, f.TODAY)
    except (DomainError, ValueError) as e:
        return type(e), str(e)
    return after.model_dump_json() if after is not None else None


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from([None, 3, 10, 10**6]),
    st.sampled_from(["2018", "2019-06", "by 2019"]),
    st.lists(_op(), max_size=12),
)
def test_the_rules_refuse_and_fold_alike_with_sums_or_with_every_step(
    ordered: int | None, signed: str, ops: list[tuple[Any, ...]]
) -> None:
    lookup = MemoryLookup()
    signing = f.contract_signed(quantity=ordered, occurred=signed, value=None)
    records = [Recorded("s", 1, f"contract:{f.REF}", 1, datetime(2026, 1, 1, tzinfo=UTC), signing)]
    lookup.add(records[0])
    deliveries: list[str] = []
    for n, op in enumerate(ops, start=2):
        event = _event(op, deliveries, "s")
        state = lookup.state(f"contract:{f.REF}")
        assert state is not None
        rec = Recorded(
            f"x{n}", n, state.stream_id, state.version + 1, records[0].recorded_at, event
        )
        fast = _outcome(rec, lookup)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(invariants, "_totals_kept", lambda *_: False)  # every step
            slow = _outcome(rec, lookup)
        assert fast == slow
        if isinstance(fast, tuple):
            continue  # refused alike
        assert fast == evolve(state, rec).model_dump_json()  # type: ignore[union-attr]
        lookup.add(rec)
        if op[0] == "deliver":
            deliveries.append(rec.event_id)
