"""Where the database is: --db, then TRACKER_DATABASE_URL, then ./tracker.db."""

from __future__ import annotations

import os
from pathlib import Path

from tracker.errors import DatabaseUnavailableError

ENV_VAR = "TRACKER_DATABASE_URL"
DEFAULT_FILE = "tracker.db"


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
