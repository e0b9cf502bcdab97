"""Schema migrations through Alembic (imported only by the commands that migrate)."""

from __future__ import annotations

from pathlib import Path

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import func, inspect, select
from sqlalchemy.engine import Engine

from alembic import command
from tracker.errors import StoreError
from tracker.store.errors import translate_db_error
from tracker.store.schema import events_table


def script_location() -> Path:
    """The migrations shipped inside the package (wheel) or beside it (a checkout)."""
    package = Path(__file__).resolve().parents[1]
    for candidate in (package / "_alembic", package.parent / "alembic"):
        if (candidate / "env.py").exists():
            return candidate
    raise StoreError("Cannot find the tracker's migrations (alembic/env.py)")


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(script_location()))
    return cfg


def head_revision(engine: Engine) -> str:
    heads = ScriptDirectory.from_config(alembic_config(engine)).get_heads()
    return heads[0] if heads else "base"


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None for an empty database."""
    with translate_db_error(), engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate up to ``revision``; running it again when already there does nothing."""
    cfg = alembic_config(engine)
    with translate_db_error(), engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def downgrade(engine: Engine, revision: str, *, drop_events: bool = False) -> None:
    """Migrate down to ``revision`` (a revision id, '-N', or 'base').

    Refuses to drop a non-empty log unless ``drop_events`` is set.
    """
    cfg = alembic_config(engine)
    target = _resolve(cfg, engine, revision)
    if _undoes(cfg, engine, target, EVENTS_REVISION):
        count = _event_count(engine)
        if count and not drop_events:
            raise StoreError(
                f"Downgrading to '{revision}' would drop the log of {count} events; "
                "export it first and pass --drop-events to confirm"
            )
    with translate_db_error(), engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, target)


EVENTS_REVISION = "0001"


def _resolve(cfg: Config, engine: Engine, revision: str) -> str:
    """Turn '-N' into the revision N steps below the current one."""
    if not revision.startswith("-"):
        return revision
    steps = revision[1:]
    if not steps.isdigit():
        raise StoreError(f"Unknown revision '{revision}'")
    script = ScriptDirectory.from_config(cfg)
    current = current_revision(engine)
    for _ in range(int(steps)):
        if current is None:
            raise StoreError(f"Cannot go {steps} revisions down from here")
        down = script.get_revision(current).down_revision
        current = down if isinstance(down, str) or down is None else down[0]
    return current or "base"


def _undoes(cfg: Config, engine: Engine, target: str, revision: str) -> bool:
    """True when migrating down to ``target`` would undo ``revision``."""
    current = current_revision(engine)
    if current is None:
        return False
    if target == "base":
        return True
    script = ScriptDirectory.from_config(cfg)
    try:
        below_target = {r.revision for r in script.iterate_revisions(target, "base")}
    except Exception as e:
        raise StoreError(f"Unknown revision '{target}'") from e
    return revision not in below_target


def _event_count(engine: Engine) -> int:
    if not inspect(engine).has_table("events"):
        return 0
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(events_table)).scalar_one())
