"""Hostile text made inert: what a source or a note says is shown, never obeyed.

Every text, CSV and Markdown output passes through ``inert`` on its way out, and every JSON
output through ``inert_json``, so that a note holding an OSC 52 sequence (write the
clipboard), a CSI sequence or a bidi override prints as the characters it is made of
(``\\x1b]52;c;...``) instead of driving the terminal or reordering the line. Links are made
only from ``web_url``: http(s) with a host, nothing else.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# C0 but newline and tab, DEL, C1 (0x9b is a one-byte CSI on some terminals), and the bidi
# embeddings, overrides and isolates that can make a line read differently than it is.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# What JSON may still carry raw after json.dumps(ensure_ascii=False): it escapes C0 itself.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# Characters RFC 3986 never allows in a URI; percent-encoding them changes nothing it means.
_URL_UNSAFE = re.compile(r'["<>\\^`{|}]')
WEB_SCHEMES = ("http", "https")


def inert(text: str) -> str:
    """``text`` with every control character but newline and tab shown as its escape
    (ESC as ``\\x1b``, U+202E as ``\\u202e``); text without them is returned unchanged."""
    return _CONTROL.sub(_visible, text)


def inert_json(encoded: str) -> str:
    """JSON text with the control and bidi characters its encoder left raw written as
    ``\\uXXXX`` escapes: the same JSON value, safe to print."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", encoded)


def web_url(url: str | None) -> str | None:
    """``url`` when it is an http(s) URL with a host and no space or control character in
    it (the only kind a report links to), with the characters a URI may not hold
    percent-encoded; else None (a ``javascript:``, ``data:`` or unreadable URL)."""
    if not url or _CONTROL.search(url) or any(c.isspace() for c in url):
        return None
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:  # e.g. an unbalanced '[' in the host
        return None
    if parts.scheme.lower() not in WEB_SCHEMES or not host:
        return None
    return _URL_UNSAFE.sub(lambda m: f"%{ord(m.group()):02X}", url)


def _visible(match: re.Match[str]) -> str:
    return match.group().encode("unicode_escape").decode("ascii")
