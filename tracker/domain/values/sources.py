"""Where a fact comes from, graded on the Admiralty (NATO) system.

Reliability of the source runs A (completely reliable) to F (cannot be judged); credibility
of the information 1 (confirmed by other sources) to 6 (truth cannot be judged).
"""

from __future__ import annotations

from datetime import date
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, model_validator

Reliability = Literal["A", "B", "C", "D", "E", "F"]


def is_link(url: str) -> bool:
    """True for an absolute http(s) URL with a host: 'https://www.ndtv.com/x'.

    Checked on input only (the CLI and the rules), never when a stored event is read: a
    source logged before the check must still read back.
    """
    if not url.isprintable() or any(c.isspace() for c in url):
        return False
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:  # a malformed port or bracketed host
        return False
    return parts.scheme.lower() in ("http", "https") and bool(host)


def link_problem(url: str, option: str = "--source") -> str | None:
    """Why ``url`` cannot be a source's link (a one-line message naming ``option``), or None."""
    if is_link(url):
        return None
    instead = "use --source-title" if option.startswith("--") else "give only a title"
    return (
        f"{option} '{url}' is not a link: give an absolute http(s) URL such as"
        f" https://www.example.org/story, or {instead} for a source without a link"
    )


class Source(BaseModel):
    """A publication that states a fact; it needs at least a url or a title to be found again."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    publisher: str | None = None
    title: str | None = None
    url: str | None = None
    published: date | None = None
    reliability: Reliability | None = None
    credibility: int | None = Field(default=None, ge=1, le=6)

    @model_validator(mode="after")
    def _findable(self) -> Source:
        if not self.url and not self.title:
            raise ValueError("a source needs a url or a title")
        return self

    @property
    def key(self) -> str:
        """What makes two citations the same source: the url, else publisher and title."""
        return self.url or f"{self.publisher or ''}|{self.title}"

    @property
    def admiralty(self) -> str | None:
        """The grade as analysts write it, 'B2'; None when neither part is given."""
        if self.reliability is None and self.credibility is None:
            return None
        return f"{self.reliability or 'F'}{self.credibility or 6}"

    def label(self) -> str:
        """One line for reports: 'NDTV, 2018-10-05: India, Russia sign S-400 deal'."""
        head = ", ".join(p for p in (self.publisher, self.published and str(self.published)) if p)
        body = self.title or self.url or ""
        return f"{head}: {body}" if head else body
