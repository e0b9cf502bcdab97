"""The write path pauses the cycle collector while it works and leaves it as it found it."""

from __future__ import annotations

import gc

import pytest

from tests.unit import factories as f
from tracker.errors import DomainError
from tracker.service.app import Tracker
from tracker.service.writes import collector_paused


def test_a_write_leaves_the_cycle_collector_running(sqlite_tracker: Tracker) -> None:
    assert gc.isenabled()
    logged = sqlite_tracker.log([f.contract_signed(), f.delivery_recorded()], actor="test")
    assert gc.isenabled()
    assert logged[1].summary == "Delivered 1 squadron (squadron 1) under s400-india-2018"


def test_a_refused_write_leaves_the_cycle_collector_running(sqlite_tracker: Tracker) -> None:
    with pytest.raises(DomainError, match="No contract 's400-india-2018'"):
        sqlite_tracker.log([f.delivery_recorded()], actor="test")
    assert gc.isenabled()
    assert sqlite_tracker.store.head_position() == 0


def test_a_write_inside_a_pause_leaves_the_collector_paused(sqlite_tracker: Tracker) -> None:
    with collector_paused():
        sqlite_tracker.log([f.contract_signed()], actor="test")
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_pause_ends_when_its_block_raises() -> None:
    with pytest.raises(ValueError), collector_paused():
        raise ValueError("boom")
    assert gc.isenabled()


def test_a_dry_run_returns_what_would_be_logged_and_writes_nothing(
    sqlite_tracker: Tracker,
) -> None:
    logged = sqlite_tracker.log([f.contract_signed()], actor="test", dry_run=True)
    assert [(lg.stream_id, lg.position, lg.existed) for lg in logged] == [
        ("contract:s400-india-2018", 1, False)
    ]
    assert sqlite_tracker.store.head_position() == 0
    assert gc.isenabled()
