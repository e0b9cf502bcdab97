"""Every error the tracker raises on purpose derives from TrackerError.

The CLI prints a TrackerError as one line, ``Error: <message>``, and exits 1.
Messages name the thing concerned (stream, event, contract, figure).
"""


class TrackerError(Exception):
    """Base of every error a user can cause or must act on."""


class InvalidInputError(TrackerError, ValueError):
    """A value typed or read from a file is malformed (a date, a number, a currency)."""


class DomainError(TrackerError):
    """A business rule refused an event; nothing was written.

    ``index`` is the refused event's place in the batch that was being logged, when known.
    """

    def __init__(self, message: str, *, index: int | None = None) -> None:
        super().__init__(message)
        self.index = index


class StoreError(TrackerError):
    """The event store could not do what was asked."""


class ConcurrencyError(StoreError):
    """A stream was not at the version the writer expected."""


class DuplicateEventError(StoreError):
    """An event id is already stored with different content."""


class DatabaseUnavailableError(StoreError):
    """The database cannot be reached or opened."""


class NotATrackerDatabaseError(StoreError):
    """The database exists but holds no tracker schema (or a newer one)."""


class StoreBusyError(StoreError):
    """Another writer held the log for longer than the lock timeout."""


class ChainBrokenError(StoreError):
    """The hash chain does not hold at a position."""
