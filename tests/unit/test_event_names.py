"""What each event type is called: its kind, noun and label live on its class, and every
table keyed by event type (event-file kinds, messages, timelines, summaries, `tracker log`)
is derived from the classes, so a new event type cannot be left out of one."""

from __future__ import annotations

import pytest

from tracker.domain.events.catalogue import EVENT_KINDS, EVENT_TYPES, DomainEvent
from tracker.domain.views.summaries import _SUMMARIES

# The tables as they were written out by hand before the names moved onto the classes:
# (type, kind, noun in messages, label in timelines).
NAMES = [
    ("AgreementSigned", "agreement", "agreement", "agreement"),
    ("AgreementExtended", "extend", "extension", "agreement extended"),
    ("ContractSigned", "contract", "contract", "contract signed"),
    ("ContractAmended", "amend", "amendment", "amended"),
    ("ContractCancelled", "cancel", "cancellation", "cancelled"),
    ("FigureReported", "figure", "figure", "figure"),
    ("DeliveryScheduled", "schedule", "schedule", "schedule"),
    ("ScheduleRevised", "revise", "revision", "schedule revised"),
    ("DeliveryRecorded", "delivery", "delivery", "delivery"),
    ("JointVentureEstablished", "jv", "joint venture", "joint venture"),
    ("ProductionRecorded", "production", "production", "production"),
    ("ProductionPlanned", "production-plan", "production plan", "production plan"),
    ("NoteRecorded", "note", "note", "note"),
    ("PartyDeclared", "party", "party", "party declared"),
    ("EventCorrected", "correct", "correction", "correction"),
    ("EventRetracted", "retract", "retraction", "retraction"),
]


@pytest.mark.parametrize("cls", EVENT_TYPES.values(), ids=list(EVENT_TYPES))
def test_every_event_class_names_its_own_kind_noun_and_label(cls: type[DomainEvent]) -> None:
    for name in ("kind", "noun", "type_label"):
        assert isinstance(vars(cls).get(name), str), f"{cls.type} does not set {name}"
        assert vars(cls)[name].strip()


def test_the_names_are_those_the_tables_gave_and_kinds_keep_their_order() -> None:
    names = [(c.type, c.kind, c.noun, c.type_label) for c in EVENT_TYPES.values()]
    assert names == NAMES
    assert list(EVENT_KINDS) == [kind for _, kind, _, _ in NAMES]  # messages list them so
    assert {k: c.type for k, c in EVENT_KINDS.items()} == {k: t for t, k, _, _ in NAMES}


def test_every_event_type_has_a_summary() -> None:
    assert set(_SUMMARIES) == set(EVENT_TYPES.values())


def test_tracker_log_has_one_subcommand_per_kind() -> None:
    from tracker.cli.log_command import log

    assert sorted(log.commands) == sorted(kind for _, kind, _, _ in NAMES)


def test_reports_label_each_event_type_as_its_class_does() -> None:
    from tracker.reports.facts import kind

    assert [kind(t) for t, _, _, _ in NAMES] == [label for _, _, _, label in NAMES]
    assert kind("SomethingNew") == "SomethingNew"
