"""Matching with its shortcuts (each designation pair compared once, order years compared
before anything else, nothing to do without earlier deals) pairs exactly as the plain
procedure, kept here as the oracle, does."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.importers.sipri_support import read_all
from tests.importers.test_sipri_real_exports import real_export
from tracker.importers.sipri import matching
from tracker.importers.sipri.matching import SIMILAR, match
from tracker.importers.sipri.pairs import Deal, Matching, text
from tracker.importers.sipri.release import _read


def _plain_likeness(a: Deal, b: Deal) -> float:
    return difflib.SequenceMatcher(None, text(a.designation), text(b.designation)).ratio()


def _plain_settled(
    group: list[Deal],
    candidates: list[Deal],
    settles: Callable[[Deal, Deal], bool],
    result: Matching,
) -> list[Deal]:
    """sipri.matching._settled as it was written first."""

    def fits(new: Deal, old: Deal) -> bool:
        gap = abs(new.order_year - old.order_year)
        return gap <= 1 and settles(new, old) and _plain_likeness(new, old) >= SIMILAR

    left = []
    for deal in group:
        olds = [c for c in candidates if fits(deal, c)]
        if len(olds) == 1 and sum(fits(d, olds[0]) for d in group) == 1:
            result.pairs[deal.ident] = olds[0].ident
            candidates.remove(olds[0])
        else:
            left.append(deal)
    return left


def plain_match(old: list[Deal], new: list[Deal], monkeypatch: pytest.MonkeyPatch) -> Matching:
    with monkeypatch.context() as m:
        m.setattr(matching, "_settled", _plain_settled)
        m.setattr(matching, "_likeness", _plain_likeness)
        m.setattr(matching, "match", _unshortened(matching.match))
        return matching.match(old, new)


def _unshortened(fast: Callable[[list[Deal], list[Deal]], Matching]) -> Callable[..., Matching]:
    """``match`` without its early return: one earlier deal that pairs with nothing."""

    def run(old: list[Deal], new: list[Deal]) -> Matching:
        nobody = Deal("nobody", None, "Nowhere", "Noland", "none", 1900, (None, ()))
        result = fast([*old, nobody], new)
        assert "nobody" not in result.pairs.values()
        return result

    return run


_DESIGNATIONS = ["M-3 Half-track", "M-3/M-5 Half-track", "Gowind", "Gowind OPV", "AS-350"]
_deals = st.builds(
    Deal,
    ident=st.just(""),
    deal_id=st.none(),
    supplier=st.sampled_from(["France", "Russia"]),
    recipient=st.sampled_from(["Jordan", "India"]),
    designation=st.sampled_from([*_DESIGNATIONS, "AS-355", "Mi-17", "Mi-17V-5"]),
    order_year=st.integers(2000, 2004),
    figures=st.tuples(
        st.sampled_from([None, 1, 2]),
        st.sets(st.integers(2001, 2006), max_size=3).map(lambda s: tuple(sorted(s))),
    ),
    content=st.sampled_from([None, "a"]),
)


def _named(deals: list[Deal], prefix: str) -> list[Deal]:
    return [replace(d, ident=f"{prefix}{i}") for i, d in enumerate(deals)]


@settings(max_examples=300, deadline=None)
@given(st.lists(_deals, max_size=8), st.lists(_deals, max_size=8))
def test_matching_pairs_as_the_plain_procedure_does(old: list[Deal], new: list[Deal]) -> None:
    olds, news = _named(old, "old-"), _named(new, "")
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert match(olds, news) == plain_match(olds, news, monkeypatch)


def test_the_real_releases_pair_as_the_plain_procedure_pairs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, older, _ = read_all(real_export("india-rows-by-delivery-year-2024-04.csv"))
    _, newer, _ = read_all(real_export("india-rows-2025-03.csv"))
    olds = [replace(_read(i, d), ident=f"old-{i}") for i, d in enumerate(older)]
    news = [_read(i, d) for i, d in enumerate(newer)]
    fast = match(olds, news)
    assert len(fast.pairs) > 300
    assert fast == plain_match(olds, news, monkeypatch)
    assert match([], news) == Matching() == plain_match([], news, monkeypatch)
