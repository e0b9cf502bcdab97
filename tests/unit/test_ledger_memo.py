"""Running totals reuse the steps of the tuple they extend, and are never wrong for it."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.unit.factories import delivery_recorded
from tracker.domain.figures.ledger import running_totals
from tracker.domain.state.state import Fact


def fact(n: int, quantity: int, occurred: str = "2022") -> Fact:
    return Fact(
        event_id=f"e{n}", position=n, event=delivery_recorded(quantity=quantity, occurred=occurred)
    )


def test_an_extended_tuple_gives_the_same_steps_as_a_fresh_sort():
    base = (fact(1, 1), fact(2, 2), fact(3, 3))
    running_totals(base)
    longer = (*base, fact(4, 4))
    assert (
        running_totals(longer) == running_totals(list(longer))
        and running_totals(longer)[-1].total == 10
    )


def test_a_fact_replaced_in_the_middle_is_not_mistaken_for_the_earlier_tuple():
    a = (fact(1, 1), fact(2, 2), fact(3, 3))
    b = (a[0], fact(2, 20), a[2])  # a correction: same first and last facts, other middle
    running_totals(a)
    running_totals(b)
    assert running_totals((*a, fact(4, 1)))[-1].total == 7
    assert running_totals((*b, fact(4, 1)))[-1].total == 25


def test_an_appended_fact_that_sorts_earlier_is_put_in_its_place():
    base = (fact(1, 1, "2023"), fact(2, 2, "2024"))
    running_totals(base)
    earlier = (*base, fact(3, 5, "2021"))
    assert [s.event_id for s in running_totals(earlier)] == ["e3", "e1", "e2"]


@settings(max_examples=50)
@given(
    st.lists(
        st.tuples(st.integers(1, 9), st.sampled_from(["2021", "2022", "2022-06", "2023"])),
        min_size=1,
        max_size=12,
    )
)
def test_growing_a_tuple_one_fact_at_a_time_matches_a_fresh_sort(items):
    facts: tuple = ()
    for n, (quantity, occurred) in enumerate(items, start=1):
        facts = (*facts, fact(n, quantity, occurred))
        assert running_totals(facts) == running_totals(list(facts))
