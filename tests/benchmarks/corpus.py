"""A realistic log, made on the fly from a fixed seed: many contracts and what follows them.

Each contract is signed, scheduled (a few milestones), then gets deliveries, schedule
revisions, reported figures and notes, with the occasional correction or retraction of an
earlier event, every event citing one or two sources. About ``active`` contracts are open
at once and their events interleave, as a log fed by the news would; a contract that has
told its story is replaced by a new one. Only the open contracts are held in memory, so
making a million events costs no more memory than making a thousand.
"""

from __future__ import annotations

import random
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

_SYSTEMS = (
    ("S-400 Triumf", "SAM system", "squadron", "Russia"),
    ("Rafale F3R", "FGA aircraft", "aircraft", "France"),
    ("K9 Thunder", "self-propelled gun", "gun", "South Korea"),
    ("CAESAR 155mm", "self-propelled gun", "gun", "France"),
    ("Bayraktar TB2", "armed UAV", "drone", "Turkey"),
    ("AH-64E Apache", "combat helicopter", "helicopter", "United States"),
    ("Leopard 2A7", "tank", "tank", "Germany"),
    ("Type 054A", "frigate", "ship", "China"),
    ("Gripen E", "FGA aircraft", "aircraft", "Sweden"),
    ("Barak-8", "SAM system", "battery", "Israel"),
)
_BUYERS = (
    "India",
    "Saudi Arabia",
    "Egypt",
    "Qatar",
    "Poland",
    "Indonesia",
    "Brazil",
    "Pakistan",
    "Viet Nam",
    "Algeria",
    "Australia",
    "Morocco",
)
_PUBLISHERS = (
    ("Defense News", "https://www.defensenews.com"),
    ("Janes", "https://www.janes.com"),
    ("The Hindu", "https://www.thehindu.com"),
    ("Reuters", "https://www.reuters.com"),
    ("SIPRI", "https://www.sipri.org"),
    ("Breaking Defense", "https://breakingdefense.com"),
)
_CURRENCIES = ("USD", "EUR", "INR", "GBP")
_DESTINATIONS = ("Western Air Command", "Eastern Fleet", "2nd Armoured Division", "Naval Base")
_TAGS = ("sanctions", "offsets", "delay", "financing", "local production")
_LAST_MONTH = (2024, 12)
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def _slug(text: str) -> str:
    return _NOT_SLUG.sub("-", text.lower()).strip("-")


def _month(year: int, month: int, plus: int) -> tuple[int, int]:
    n = year * 12 + month - 1 + plus
    return n // 12, n % 12 + 1


@dataclass
class _Contract:
    """One contract's story so far: what the next events may say without breaking a rule."""

    ref: str
    ordered: int
    unit: str
    signed: date
    length: int
    written: int = 0
    delivered: int = 0
    month: tuple[int, int] = (2000, 1)
    milestones: list[str] = field(default_factory=list)
    #: Event ids a correction or retraction may target: (id, type).
    targets: list[tuple[str, str]] = field(default_factory=list)


class _Story:
    """Makes the events; its only state is the open contracts and the random generator."""

    def __init__(self, seed: int, active: int) -> None:
        from tracker.domain.events import catalogue as ev
        from tracker.domain.values.money import Money
        from tracker.domain.values.sources import Source

        self.ev, self.Money, self.Source = ev, Money, Source
        self.rng = random.Random(seed)
        self.active = active
        self.open: list[_Contract] = []
        self.made = 0
        #: Contracts whose story has ended: (reference, events).
        self.finished: list[tuple[str, int]] = []

    def events(self) -> Iterator[tuple[str, Any]]:
        """(event id, event) for ever."""
        while True:
            while len(self.open) < self.active:
                yield self._sign()
            c = self.rng.choice(self.open)
            yield self._next(c)
            if c.written >= c.length:
                self.open.remove(c)
                self.finished.append((c.ref, c.written))

    def _id(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def _sources(self, year: int, what: str) -> tuple[Any, ...]:
        rng = self.rng
        picked = rng.sample(_PUBLISHERS, 2 if rng.random() < 0.3 else 1)
        published = date(year, rng.randint(1, 12), rng.randint(1, 28))
        return tuple(
            self.Source(
                publisher=name,
                title=f"{what} ({name})",
                url=f"{site}/{year}/{_slug(what)[:60]}-{rng.randrange(10**6)}",
                published=published,
                reliability=rng.choice(("A", "B", "C", None)),
                credibility=rng.choice((1, 2, 3, None)),
            )
            for name, site in picked
        )

    def _sign(self) -> tuple[str, Any]:
        rng = self.rng
        system, description, unit, seller = rng.choice(_SYSTEMS)
        buyer = rng.choice(_BUYERS)
        signed = date(rng.randint(2000, 2018), rng.randint(1, 12), rng.randint(1, 28))
        self.made += 1
        ref = f"{_slug(system)}-{_slug(buyer)}-{signed.year}-{self.made}"
        c = _Contract(ref, rng.randint(12, 400), unit, signed, rng.randint(6, 40))
        c.month = (signed.year, signed.month)
        value = f"{rng.choice(_CURRENCIES)} {rng.randint(50, 9_000)}m"
        event = self.ev.ContractSigned(
            occurred=signed.isoformat(),
            sources=self._sources(signed.year, f"{buyer} signs for {c.ordered} {system}"),
            confidence=rng.choice(("confirmed", "reported")),
            reference=ref,
            system=system,
            description=description,
            buyer=buyer,
            seller=seller,
            quantity=c.ordered,
            unit=unit,
            value=self.Money.parse(value),
        )
        self.open.append(c)
        return self._written(c, event)

    def _written(self, c: _Contract, event: Any, target: bool = False) -> tuple[str, Any]:
        event_id = self._id()
        c.written += 1
        if target:
            c.targets.append((event_id, event.type))
        return event_id, event

    def _next(self, c: _Contract) -> tuple[str, Any]:
        if not c.milestones:
            return self._schedule(c)
        roll = self.rng.random()
        if roll < 0.02 and c.targets:
            return self._correct(c)
        if roll < 0.03 and c.targets:
            return self._retract(c)
        if roll < 0.55 and c.delivered < c.ordered and c.month < _LAST_MONTH:
            return self._deliver(c)
        if roll < 0.70:
            return self._revise(c)
        if roll < 0.85:
            return self._figure(c)
        return self._note(c)

    def _later(self, c: _Contract) -> str:
        """A month after the contract's last one, no later than the end of 2024."""
        c.month = min(_month(*c.month, self.rng.randint(1, 4)), _LAST_MONTH)
        return f"{c.month[0]}-{c.month[1]:02d}"

    def _schedule(self, c: _Contract) -> tuple[str, Any]:
        rng = self.rng
        n = rng.randint(2, 6)
        c.milestones = [f"{c.unit} batch {i}" for i in range(1, n + 1)]
        each = max(1, c.ordered // n)
        milestones = tuple(
            self.ev.Milestone(
                label=label,
                quantity=each,
                due=f"{c.signed.year + 2 + i}-Q{rng.randint(1, 4)}",
            )
            for i, label in enumerate(c.milestones)
        )
        year = c.signed.year
        event = self.ev.DeliveryScheduled(
            occurred=f"{year}-{c.signed.month:02d}",
            sources=self._sources(year, f"Delivery schedule for {c.ref} agreed"),
            contract=c.ref,
            milestones=milestones,
        )
        return self._written(c, event)

    def _deliver(self, c: _Contract) -> tuple[str, Any]:
        rng = self.rng
        quantity = min(rng.randint(1, max(1, c.ordered // 6)), c.ordered - c.delivered)
        occurred = self._later(c)
        # No label: the write path matches it to the earliest open milestone, as a user's
        # unlabelled delivery is (a random label would over-fill its milestone: refused).
        fields: dict[str, Any] = {"quantity": quantity}
        if rng.random() < 0.1:
            fields = {"cumulative_total": c.delivered + quantity}
        c.delivered += quantity
        event = self.ev.DeliveryRecorded(
            occurred=occurred,
            sources=self._sources(c.month[0], f"{quantity} {c.unit}s of {c.ref} handed over"),
            confidence="confirmed",
            contract=c.ref,
            destination=rng.choice(_DESTINATIONS),
            **fields,
        )
        return self._written(c, event, target=True)

    def _revise(self, c: _Contract) -> tuple[str, Any]:
        rng = self.rng
        occurred = self._later(c)
        milestone = rng.choice(c.milestones)
        event = self.ev.ScheduleRevised(
            occurred=occurred,
            sources=self._sources(c.month[0], f"{c.ref}: {milestone} slips"),
            contract=c.ref,
            milestone=milestone,
            due=f"by {c.month[0] + rng.randint(1, 4)}",
            reason=rng.choice(("engine supply", "sanctions", "payment dispute", None)),
        )
        return self._written(c, event)

    def _figure(self, c: _Contract) -> tuple[str, Any]:
        rng = self.rng
        occurred = self._later(c)
        if rng.random() < 0.6:
            fields: dict[str, Any] = {
                "figure": "value",
                "value": self.Money.parse(f"{rng.choice(_CURRENCIES)} {rng.randint(50, 9_000)}m"),
            }
        else:
            fields = {"figure": "quantity", "quantity": rng.randint(1, 2 * c.ordered)}
        event = self.ev.FigureReported(
            occurred=occurred,
            sources=self._sources(c.month[0], f"New figures on {c.ref}"),
            confidence="reported",
            contract=c.ref,
            note=rng.choice(("includes support package", "per parliamentary answer", None)),
            **fields,
        )
        return self._written(c, event, target=True)

    def _note(self, c: _Contract) -> tuple[str, Any]:
        rng = self.rng
        occurred = self._later(c)
        text = f"Officials comment on {c.ref}: " + " ".join(
            rng.choice(("training", "offsets", "spares", "maintenance", "crews", "basing"))
            for _ in range(rng.randint(4, 16))
        )
        event = self.ev.NoteRecorded(
            occurred=occurred,
            sources=self._sources(c.month[0], f"Notes on {c.ref}"),
            subject=f"contract:{c.ref}",
            text=text,
            tags=tuple(rng.sample(_TAGS, rng.randint(0, 2))),
        )
        return self._written(c, event, target=True)

    def _correct(self, c: _Contract) -> tuple[str, Any]:
        rng = self.rng
        target, kind = rng.choice(c.targets)
        field_of = {
            "DeliveryRecorded": "destination",
            "FigureReported": "note",
            "NoteRecorded": "text",
        }
        changes = {field_of[kind]: rng.choice(_DESTINATIONS) + " (corrected)"}
        event = self.ev.EventCorrected(
            occurred=f"{c.month[0]}-{c.month[1]:02d}",
            sources=self._sources(c.month[0], f"Correction on {c.ref}"),
            target_event_id=target,
            changes=changes,
            reason="misread the source",
        )
        return self._written(c, event)

    def _retract(self, c: _Contract) -> tuple[str, Any]:
        target = self.rng.choice(c.targets)
        c.targets.remove(target)
        event = self.ev.EventRetracted(
            occurred=f"{c.month[0]}-{c.month[1]:02d}",
            sources=self._sources(c.month[0], f"Retraction on {c.ref}"),
            target_event_id=target[0],
            reason="the report was withdrawn",
        )
        return self._written(c, event)


@dataclass(frozen=True, slots=True)
class Corpus:
    """``events`` events of many contracts, handed out ``batch`` at a time."""

    events: int
    batch: int = 2_000
    seed: int = 20_250_301
    #: Contracts open at once, their events interleaved.
    active: int = 200

    def settled_contract(self) -> str:
        """The longest contract whose story ends within this corpus: it has the same state
        in any longer corpus of the same seed."""
        story = _Story(self.seed, self.active)
        made = story.events()
        for _ in range(self.events):
            next(made)
        return max(story.finished, key=lambda f: f[1])[0]

    def batches(self) -> Iterator[tuple[list[str], list[Any]]]:
        """(event ids, events) for each call to ``Tracker.log``, made as they are asked for."""
        story = _Story(self.seed, self.active).events()
        left = self.events
        while left > 0:
            n = min(self.batch, left)
            pairs = [next(story) for _ in range(n)]
            yield [i for i, _ in pairs], [e for _, e in pairs]
            left -= n
