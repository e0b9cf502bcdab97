"""Why a quick path declines a question."""

from __future__ import annotations


class Unhandled(Exception):
    """The quick path does not answer this exactly as the full path would: use the full path."""
