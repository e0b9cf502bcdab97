"""Writing output files whole or not at all: `export -o` and `report -o`.

Each file is written to a temporary file beside it and renamed over it once complete, so a
reader never sees half a file, a full disk leaves nothing behind, and a file that was there
before stays as it was when the write fails.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO

import click


@contextlib.contextmanager
def replacing(target: Path) -> Iterator[IO[bytes]]:
    """A binary file that becomes ``target`` when the block ends without error.

    On any error the temporary file is removed and ``target`` is untouched; an OSError
    (a full disk, no permission) becomes one ``Error: Cannot write FILE: ...`` line.
    """
    temps: list[Path] = []
    try:
        temp = _temporary(target, temps)
        with temp.open("wb") as out:
            yield out
            _sync(out)
        temp.replace(target)
    except BaseException as e:
        _remove(temps)
        if isinstance(e, OSError):
            raise cannot_write(target, e) from e
        raise


def write_all(files: Mapping[Path, bytes]) -> None:
    """Write every file, or (on an error) none of them: each existing one stays as it was."""
    temps: list[Path] = []
    target = Path()
    try:
        for target, data in files.items():
            with _temporary(target, temps).open("wb") as out:
                out.write(data)
                _sync(out)
        for target, temp in zip(files, temps, strict=True):
            temp.replace(target)
    except BaseException as e:
        _remove(temps)
        if isinstance(e, OSError):
            raise cannot_write(target, e) from e
        raise


def _temporary(target: Path, made: list[Path]) -> Path:
    """An empty hidden file beside ``target`` (added to ``made``), with the mode ``target``
    has or would get."""
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    made.append(Path(name))
    made[-1].chmod(_mode(target))
    return made[-1]


def _sync(out: IO[bytes]) -> None:
    # A full disk can surface only here, and a rename must not publish a file still cached.
    out.flush()
    os.fsync(out.fileno())


def cannot_write(target: Path | str, e: OSError) -> click.ClickException:
    """One line naming the file and why: 'Cannot write out.md: No space left on device'."""
    return click.ClickException(f"Cannot write {target}: {e.strerror or e}")


def _remove(temps: list[Path]) -> None:
    for temp in temps:
        temp.unlink(missing_ok=True)


def _mode(target: Path) -> int:
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        umask = os.umask(0)  # reading the umask means setting it; put it straight back
        os.umask(umask)
        return 0o666 & ~umask
