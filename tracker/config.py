"""Settings read from the environment, each in one function here; and where the database is.

The tracker reads these variables (nothing else in ``tracker/`` reads the environment,
tests/test_layers.py checks it):

- TRACKER_DATABASE_URL: the database when --db is not given (default ./tracker.db).
- TRACKER_TODAY: pins "today" (YYYY-MM-DD) for reproducible output.
- TRACKER_LOCK_TIMEOUT: seconds a writer waits for another writer (default 60).
- TRACKER_SERVE_URL: how `tracker serve --workers N` tells its workers the database.
- FORCE_COLOR: rich colours a table even off a terminal; the CLI then leaves tables to rich.
- TRACKER_FULL_PATH: set, `tracker status` never takes the bare-driver path (tests compare).

Libraries read their own: PAGER (click's pager), COLUMNS and LINES (shutil, rich), the user name
(getpass: LOGNAME, USER, LNAME, USERNAME).

Standard library only: the quick path imports this module.
"""

from __future__ import annotations

import os
from pathlib import Path

from tracker.errors import DatabaseUnavailableError, InvalidInputError

ENV_VAR = "TRACKER_DATABASE_URL"
DEFAULT_FILE = "tracker.db"
TODAY_VAR = "TRACKER_TODAY"
FULL_PATH_VAR = "TRACKER_FULL_PATH"
LOCK_TIMEOUT_VAR = "TRACKER_LOCK_TIMEOUT"
SERVE_URL_VAR = "TRACKER_SERVE_URL"


def resolve_url(db: str | None = None) -> str:
    """Turn a --db value (a path or a URL) or the environment into an SQLAlchemy URL.

    A path that cannot be resolved raises DatabaseUnavailableError; a URL is checked when
    the engine is built (tracker.store.engine.connect).
    """
    value = db or os.environ.get(ENV_VAR) or DEFAULT_FILE
    if "://" not in value:
        try:
            return "sqlite:///" + str(Path(value).expanduser().resolve())
        except (RuntimeError, OSError, ValueError) as e:  # '~nobody/x.db', a loop of links
            raise DatabaseUnavailableError(f"Cannot use the database path '{value}': {e}") from e
    if value.startswith(("postgresql://", "postgres://")):
        # psycopg 3 is the driver we ship; SQLAlchemy's default would be psycopg2.
        return "postgresql+psycopg://" + value.split("://", 1)[1]
    return value


def describe(url: str) -> str:
    """The URL without its password, for messages; a SQLite file as a path (relative when
    it is below the working directory)."""
    if url.startswith("sqlite:///"):
        path = Path(url[len("sqlite:///") :])
        try:
            return str(path.relative_to(Path.cwd()))
        except ValueError:
            return str(path)
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        user = creds.split(":", 1)[0]
        return f"{scheme}://{user}@{host}"
    return url


def pinned_today() -> str | None:
    """TRACKER_TODAY as set (parsed by the service, which owns dates), or None."""
    return os.environ.get(TODAY_VAR) or None


def full_path_forced() -> bool:
    """TRACKER_FULL_PATH set: every `status` goes the full way (tests compare the paths)."""
    return bool(os.environ.get(FULL_PATH_VAR))


def lock_timeout_s() -> float:
    """TRACKER_LOCK_TIMEOUT: how long a writer waits for another writer (seconds)."""
    value = os.environ.get(LOCK_TIMEOUT_VAR, "60")
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < float("inf"):
        raise InvalidInputError(f"{LOCK_TIMEOUT_VAR} must be a number of seconds, not '{value}'")
    return seconds


def actor() -> str:
    """Who is logging, when --actor is not given: the login name, or 'unknown'."""
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def force_color() -> bool:
    """Whether FORCE_COLOR asks rich for colour even when output is not a terminal."""
    return bool(os.environ.get("FORCE_COLOR"))


def served_url() -> str:
    """The database a `tracker serve` worker opens, as ``hand_to_workers`` named it."""
    return os.environ[SERVE_URL_VAR]


def hand_to_workers(url: str) -> None:
    """Name the database for the worker processes `tracker serve --workers` starts."""
    os.environ[SERVE_URL_VAR] = url
