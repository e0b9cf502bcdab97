"""Which deal of a newer SIPRI release is which deal already imported: a fixed procedure.

SIPRI's trade register has no deal id, its per-delivery-year export has one, and every
spring SIPRI revises order years, numbers and comments and renames countries. A deal is
matched, in this order, stopping at the first step that decides it:

1. the same SIPRI deal id (both sides from the per-delivery-year export);
2. the same key: supplier, recipient (canonical names, so 'Turkiye' is 'Turkey'),
   designation and order year; when a key holds several deals on a side, identical
   content pairs first, then identical figures (delivered, delivery years), then a deal
   whose delivery years hold every delivery year of exactly one deal of the other side
   (an export limited to 1990-2023 lists a subset of a deal's years); a single deal left
   on each side pairs too;
3. the same supplier, recipient and designation with the nearest order year, at most
   `NEAREST_YEARS` apart, when that nearest deal is the only one that near on each side
   (a tie broken by delivery years as in step 2);
4. the same supplier and recipient, an order year at most one apart and a designation
   SIPRI rewrote ('M-3 Half-track' -> 'M-3/M-5 Half-track', the by-year export's
   'Gowind OPV' -> the register's 'Gowind'): similar text (difflib ratio at least
   `SIMILAR`); among those, the one deal on each side with identical figures (the same
   order year first), then the one whose delivery years hold the other's, then the most
   similar one when it is the only best on each side.

Anything else that could pair two ways is ambiguous: listed with the reason, never
guessed. An ambiguous newer deal is recorded as a new deal and its candidates are left as
they are. The deals and the pairs are sipri.pairs'.
"""

from __future__ import annotations

import difflib
import functools
from collections import defaultdict
from collections.abc import Callable, Hashable

from tracker.importers.sipri.pairs import Deal, Matching, text

NEAREST_YEARS = 3
SIMILAR = 0.6


def match(old: list[Deal], new: list[Deal]) -> Matching:
    """Pair each new deal with at most one old deal, by the steps in the module docstring."""
    result = Matching()
    if not old:
        return result  # nothing to pair with, nothing ambiguous (a first import)
    by_id = {d.deal_id: d for d in old if d.deal_id is not None}
    rest_new = []
    for deal in new:
        found = by_id.pop(deal.deal_id, None) if deal.deal_id is not None else None
        if found is not None:
            result.pairs[deal.ident] = found.ident
        else:
            rest_new.append(deal)
    taken = set(result.pairs.values())
    rest_old = [d for d in old if d.ident not in taken]
    rest_old, rest_new = _by_key(rest_old, rest_new, result)
    _nearest_year(rest_old, rest_new, result)
    paired = set(result.pairs) | {d.ident for _, news, _ in result.ambiguous for d in news}
    taken = set(result.pairs.values()) | {d.ident for olds, _, _ in result.ambiguous for d in olds}
    _rewritten(
        [d for d in rest_old if d.ident not in taken],
        [d for d in rest_new if d.ident not in paired],
        result,
    )
    return result


def _by_key(old: list[Deal], new: list[Deal], result: Matching) -> tuple[list[Deal], list[Deal]]:
    olds, news = _group(old, _key), _group(new, _key)
    left_old: list[Deal] = [d for k, ds in olds.items() if k not in news for d in ds]
    left_new: list[Deal] = []
    for key, group in news.items():
        candidates = list(olds.get(key, ()))
        unpaired = group
        for same in (_content, _figures):  # identical content, then figures, in file order
            unpaired = _twins(unpaired, candidates, same, result)
        unpaired = _covering(unpaired, candidates, result)
        if len(unpaired) == 1 and len(candidates) == 1:
            result.pairs[unpaired[0].ident] = candidates[0].ident
        elif unpaired and len(candidates) > 1:
            why = (
                f"{len(candidates)} earlier deals and {len(unpaired)} of this release share"
                " supplier, recipient, designation and order year; no figures tell them apart"
            )
            result.ambiguous.append((candidates, unpaired, why))
        else:
            left_new.extend(unpaired)
            left_old.extend(candidates)
    return left_old, left_new


def _nearest_year(old: list[Deal], new: list[Deal], result: Matching) -> None:
    olds, news = _group(old, _loose), _group(new, _loose)
    for key, group in news.items():
        candidates = olds.get(key, [])
        for deal in group:
            near = _nearest(deal, candidates)
            if not near:
                continue
            rivals = [d for d in group if d is not deal and _nearest(d, near)]
            close = [r for r in rivals if _gap(r, near[0]) <= _gap(deal, near[0])]
            if len(near) == 1 and (not close or _covers(deal, near[0], close)):
                result.pairs[deal.ident] = near[0].ident
                candidates.remove(near[0])
            else:
                result.ambiguous.append((near, [deal], _why_near(deal, near, close)))
                for d in near:
                    candidates.remove(d)


def _covering(group: list[Deal], candidates: list[Deal], result: Matching) -> list[Deal]:
    """Pair an earlier deal with the one deal of ``group`` whose delivery years hold all of
    its own, when that deal holds no other candidate's years; returns what stays unpaired."""
    unpaired = list(group)
    for old in list(candidates):
        cover = [d for d in unpaired if _holds(d, old)]
        if len(cover) == 1 and sum(_holds(cover[0], c) for c in candidates) == 1:
            result.pairs[cover[0].ident] = old.ident
            candidates.remove(old)
            unpaired.remove(cover[0])
    return unpaired


def _holds(new: Deal, old: Deal) -> bool:
    """Whether ``new`` lists every delivery year ``old`` does (and ``old`` lists some)."""
    years = old.figures[1]
    return bool(years) and set(years) <= set(new.figures[1])


def _covers(deal: Deal, old: Deal, rivals: list[Deal]) -> bool:
    """Whether delivery years settle a tie: ``deal`` holds ``old``'s years, no rival does."""
    return _holds(deal, old) and not any(_holds(r, old) for r in rivals)


def _why_near(deal: Deal, near: list[Deal], rivals: list[Deal]) -> str:
    if len(near) > 1:
        years = ", ".join(str(d.order_year) for d in near)
        return f"earlier deals ordered {years} are equally near its order year"
    lines = ", ".join(str(r.order_year) for r in rivals)
    return (
        f"deals of this release ordered {lines} are as near the earlier deal's order year"
        f" ({near[0].order_year}) and delivery years do not tell them apart"
    )


def _twins(
    group: list[Deal], candidates: list[Deal], same: Callable[[Deal], Hashable], result: Matching
) -> list[Deal]:
    unpaired = []
    for deal in group:
        twin = next((c for c in candidates if same(c) == same(deal)), None)
        if twin is None:
            unpaired.append(deal)
        else:
            candidates.remove(twin)
            result.pairs[deal.ident] = twin.ident
    return unpaired


def _content(deal: Deal) -> Hashable:
    return (deal.figures, deal.content)


def _figures(deal: Deal) -> Hashable:
    return deal.figures


def _rewritten(old: list[Deal], new: list[Deal], result: Matching) -> None:
    olds, news = _group(old, _parties), _group(new, _parties)
    for key, group in news.items():
        candidates = olds.get(key, [])
        for settles in (_same_figures_and_year, _same_figures, _holds):
            group = _settled(group, candidates, settles, result)
        for deal in group:
            scored = [(_likeness(deal, c), c) for c in candidates if _gap(deal, c) <= 1]
            scored = [(score, c) for score, c in scored if score >= SIMILAR]
            if not scored:
                continue
            best = max(score for score, _ in scored)
            top = [c for score, c in scored if score == best]
            rivals = [
                d
                for d in group
                if d is not deal and _gap(d, top[0]) <= 1 and _likeness(d, top[0]) >= best
            ]
            if len(top) == 1 and not rivals:
                result.pairs[deal.ident] = top[0].ident
            else:
                why = "designations rewritten: several are equally similar"
                result.ambiguous.append((top, [deal], why))
            for c in top:
                candidates.remove(c)


def _settled(
    group: list[Deal],
    candidates: list[Deal],
    settles: Callable[[Deal, Deal], bool],
    result: Matching,
) -> list[Deal]:
    """Pair a new and an old deal similar enough to be rewritten when ``settles`` holds for
    them and for no other deal on either side; returns the new deals left unpaired."""

    def fits(new: Deal, old: Deal) -> bool:  # of deals ordered at most a year apart
        return settles(new, old) and _likeness(new, old) >= SIMILAR

    left = []
    for deal in group:
        olds = [c for c in _near(candidates, deal.order_year) if fits(deal, c)]
        if len(olds) == 1 and sum(fits(d, olds[0]) for d in _near(group, olds[0].order_year)) == 1:
            result.pairs[deal.ident] = olds[0].ident
            candidates.remove(olds[0])
        else:
            left.append(deal)
    return left


def _near(deals: list[Deal], year: int) -> list[Deal]:
    """The deals ordered at most a year from ``year``, in order (one comparison each: a
    large group's deals are mostly years apart)."""
    return [d for d in deals if -1 <= d.order_year - year <= 1]


def _same_figures(new: Deal, old: Deal) -> bool:
    return new.figures == old.figures


def _same_figures_and_year(new: Deal, old: Deal) -> bool:
    return new.figures == old.figures and new.order_year == old.order_year


def _likeness(a: Deal, b: Deal) -> float:
    return _ratio(text(a.designation), text(b.designation))


@functools.lru_cache(maxsize=65536)
def _ratio(a: str, b: str) -> float:
    # Step 4 compares the same designations again and again (each settling rule, each
    # rival): each pair is compared once. Not symmetric: the order is part of the key.
    return difflib.SequenceMatcher(None, a, b).ratio()


def _parties(deal: Deal) -> Hashable:
    return deal.loose_key[:2]


def _nearest(deal: Deal, candidates: list[Deal]) -> list[Deal]:
    gaps = [(_gap(deal, c), c) for c in candidates if _gap(deal, c) <= NEAREST_YEARS]
    if not gaps:
        return []
    best = min(g for g, _ in gaps)
    return [c for g, c in gaps if g == best]


def _gap(a: Deal, b: Deal) -> int:
    return abs(a.order_year - b.order_year)


def _group(deals: list[Deal], key: Callable[[Deal], Hashable]) -> dict[Hashable, list[Deal]]:
    groups: dict[Hashable, list[Deal]] = defaultdict(list)
    for deal in deals:
        groups[key(deal)].append(deal)
    return groups


def _key(deal: Deal) -> Hashable:
    return deal.key


def _loose(deal: Deal) -> Hashable:
    return deal.loose_key
