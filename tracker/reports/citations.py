"""Citations as each event made them, and the numbered source list they point into.

One number per link: every citation of a URL shares it, so the list prints each URL once.
Events may describe the same URL differently (a title, a publisher, a publication date of
their own); then each distinct description gets a letter, '3a', '3b', and each event's mark
points at the description it gave, so no event is shown a title another event gave. A
source without a URL is its description: a different title, publisher or date is a
different number. Numbers and letters run in order of first citation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from string import ascii_lowercase

from tracker.domain.values.sources import Source

# What a citation says about the publication, beside its link: title, publisher, date.
Description = tuple[str | None, str | None, date | None]
NO_TITLE = "no title given"


def description(source: Source) -> Description:
    return (source.title, source.publisher, source.published)


def describe(source: Source) -> list[str]:
    """Title, publisher and publication date, those that are known, in that order."""
    published = source.published.isoformat() if source.published else None
    return [p for p in (source.title, source.publisher, published) if p]


def cited_text(source: Source) -> str:
    """'India, Russia sign S-400 deal, NDTV, 2018-10-05, https://...': the description, then
    the URL once; a source without a title is its publisher, date and URL."""
    return ", ".join([*describe(source), *([source.url] if source.url else [])])


@dataclass(frozen=True, slots=True)
class Cited:
    """One citation as an event made it: its place in the source list, and the source as
    that event gave it (its own title, publisher, date and grades)."""

    number: int
    letter: str  # '' unless the URL was cited under more than one description
    source: Source

    @property
    def mark(self) -> str:
        """'3', or '3a' for one of several descriptions of the same URL."""
        return f"{self.number}{self.letter}"


@dataclass(frozen=True, slots=True)
class Listed:
    """One numbered entry of the source list: a URL, or a source without one, with each
    description it was cited under (one, unless events described the URL differently)."""

    number: int
    url: str | None
    cited: tuple[Cited, ...]

    @property
    def grouped(self) -> bool:
        """True when events cited this URL under more than one description."""
        return len(self.cited) > 1


def marks(cited: Iterable[Cited]) -> str:
    """'[3][4a]'."""
    return "".join(f"[{c.mark}]" for c in cited)


class Citations:
    """The source list of a report: ``register`` every citation in report order first, then
    ``cite`` any of them and ask for the ``listed`` sources.

    A report streamed a programme at a time registers each programme's citations just
    before it cites them; its marks are right if ``settled`` at the end (else it cites
    them all ``again``)."""

    def __init__(self) -> None:
        # group key -> the first source of each distinct description, in citation order
        self._groups: dict[object, list[Source]] = {}
        self._numbers: dict[object, int] = {}
        # The groups cited while they held one description (marked without a letter).
        self._bare: set[object] = set()

    def register(self, sources: Iterable[Source]) -> None:
        for source in sources:
            key = _group_key(source)
            group = self._groups.setdefault(key, [])
            self._numbers.setdefault(key, len(self._numbers) + 1)
            if all(description(s) != description(source) for s in group):
                group.append(source)

    def cite(self, sources: Iterable[Source]) -> tuple[Cited, ...]:
        """Each of ``sources`` (registered before) as cited, in list order, each mark once."""
        found: dict[str, Cited] = {}
        for source in sources:
            key = _group_key(source)
            number, group = self._numbers[key], self._groups[key]
            if len(group) > 1:
                wanted = description(source)
                letter = _letter(next(i for i, s in enumerate(group) if description(s) == wanted))
            else:
                letter = ""
                self._bare.add(key)
            found.setdefault(f"{number}{letter}", Cited(number, letter, source))
        return tuple(sorted(found.values(), key=lambda c: (c.number, len(c.letter), c.letter)))

    @property
    def settled(self) -> bool:
        """True unless a URL cited without a letter was later cited under another
        description: marks made while citations were still being registered then stand."""
        return all(len(self._groups[key]) == 1 for key in self._bare)

    def again(self) -> None:
        """Start marking over, every citation registered (``settled`` from here on)."""
        self._bare.clear()

    def listed(self) -> tuple[Listed, ...]:
        out = []
        for number, group in enumerate(self._groups.values(), start=1):
            letters = [_letter(i) if len(group) > 1 else "" for i in range(len(group))]
            cited = tuple(Cited(number, x, s) for x, s in zip(letters, group, strict=True))
            out.append(Listed(number, group[0].url or None, cited))
        return tuple(out)


def _group_key(source: Source) -> object:
    return ("url", source.url) if source.url else ("described", description(source))


def _letter(index: int) -> str:
    """'a'..'z', then 'aa', 'ab', ...: a letter per description, however many there are."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = ascii_lowercase[rest] + letters
    return letters


def listed_text(listed: Listed) -> str:
    """The source list entry on one line: 'Title, Publisher, 2018-10-05, https://...', or
    'https://..., cited as: [3a] Title A, NDTV; [3b] Title B, NDTV'."""
    if not listed.grouped:
        return cited_text(listed.cited[0].source)
    each = (f"[{c.mark}] " + (", ".join(describe(c.source)) or NO_TITLE) for c in listed.cited)
    return f"{listed.url}, cited as: " + "; ".join(each)
