"""Settings read from the environment, each through one function of tracker.config."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tracker import config
from tracker.errors import InvalidInputError


def test_today_is_pinned_by_tracker_today_and_free_without_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TRACKER_TODAY", "2026-11-24")
    assert config.pinned_today() == "2026-11-24"
    monkeypatch.setenv("TRACKER_TODAY", "")
    assert config.pinned_today() is None
    monkeypatch.delenv("TRACKER_TODAY")
    assert config.pinned_today() is None


def test_the_lock_timeout_is_sixty_seconds_unless_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TRACKER_LOCK_TIMEOUT", raising=False)
    assert config.lock_timeout_s() == 60.0
    monkeypatch.setenv("TRACKER_LOCK_TIMEOUT", "2.5")
    assert config.lock_timeout_s() == 2.5


@pytest.mark.parametrize("value", ["soon", "-1", "nan", "inf", ""])
def test_a_lock_timeout_that_is_not_a_number_of_seconds_is_refused_by_name(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("TRACKER_LOCK_TIMEOUT", value)
    with pytest.raises(InvalidInputError) as refused:
        config.lock_timeout_s()
    assert str(refused.value) == (
        f"TRACKER_LOCK_TIMEOUT must be a number of seconds, not '{value}'"
    )


def test_the_database_url_comes_from_db_then_the_environment_then_tracker_db(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TRACKER_DATABASE_URL", "postgresql://u:secret@h/db")
    assert config.resolve_url("x.db") == f"sqlite:///{tmp_path}/x.db"
    assert config.resolve_url() == "postgresql+psycopg://u:secret@h/db"
    assert config.describe(config.resolve_url()) == "postgresql+psycopg://u@h/db"
    monkeypatch.delenv("TRACKER_DATABASE_URL")
    assert config.resolve_url() == f"sqlite:///{tmp_path}/tracker.db"


def test_the_served_database_is_handed_to_the_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(config.SERVE_URL_VAR, raising=False)
    config.hand_to_workers("sqlite:///x.db")
    assert config.served_url() == "sqlite:///x.db"


def test_the_config_module_loads_nothing_but_the_standard_library_and_tracker_errors() -> None:
    code = (
        "import sys\n"
        "before = set(sys.modules)\n"
        "import tracker.config\n"
        "print('\\n'.join(sorted(set(sys.modules) - before)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(done.stdout.split())
    outside = {m for m in loaded if m.split(".")[0] not in sys.stdlib_module_names}
    assert outside == {"tracker", "tracker.config", "tracker.errors"}
