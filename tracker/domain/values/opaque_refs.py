"""The opaque refs SIPRI deals took before refs were readable, and the keys they spell.

Until refs were readable a SIPRI deal's ref was its deal key with ':' as '-':
'sipri-tr-<16 hex>[-n]' for the trade register, 'sipri-<deal id>' by delivery year. A
contract imported since stores its key (SipriRecord.key) and keeps answering to that form.
Standard library only: the quick paths (tracker.cli.quick) read these without pydantic.
"""

from __future__ import annotations

import re

_OPAQUE = re.compile(r"^sipri(?:-(tr)-([0-9a-f]{16}(?:-[0-9]+)?)|-([0-9]+))$")


def sipri_key_of(text: str) -> str | None:
    """The SIPRI deal key an old opaque ref spells: 'sipri-tr-7c74...' -> 'sipri-tr:7c74...',
    'sipri-32127' -> 'sipri:32127'; None for any other text."""
    found = _OPAQUE.match(text)
    if found is None:
        return None
    return f"sipri-tr:{found[2]}" if found[1] else f"sipri:{found[3]}"


def opaque_sipri_ref(key: str) -> str:
    """The ref a SIPRI deal key gave before refs were readable: 'sipri:32127' -> 'sipri-32127'."""
    return key.replace(":", "-").lower()


def opaque_sipri_id(ref: str) -> str | None:
    """What the status table's sipri_id column holds for a contract that stores no SIPRI key
    (imported before keys were stored): worked out from its ref, as it always was."""
    return "sipri" + ref[5:].replace("-", ":", 1) if ref.startswith("sipri-") else None
