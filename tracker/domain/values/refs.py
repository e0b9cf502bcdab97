"""References (slugs) and the stream ids built from them.

A reference names a contract, joint venture or agreement for ever: it is part of a stream id
and of every event that points at it, so it is restricted to lowercase slugs that survive
URLs, shells and file names unchanged.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated

from pydantic import AfterValidator

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_SUBJECT = re.compile(r"^(contract|jv|agreement|topic):([a-z0-9]+(?:-[a-z0-9]+)*)$")

CONTRACT = "contract"
JOINT_VENTURE = "jv"
AGREEMENT = "agreement"
TOPIC = "topic"


def check_reference(value: str) -> str:
    """Return ``value`` if it is a lowercase slug such as 's400-india-2018'."""
    if not _SLUG.match(value):
        raise ValueError(
            f"Invalid reference '{value}': use lowercase letters, digits and single hyphens,"
            " e.g. 's400-india-2018'"
        )
    return value


def check_subject(value: str) -> str:
    """Return ``value`` if it is a stream id a note can be about ('topic:caatsa', ...)."""
    if not _SUBJECT.match(value):
        raise ValueError(
            f"Invalid subject '{value}': expected contract:<ref>, jv:<ref>, agreement:<ref>"
            " or topic:<slug>"
        )
    return value


Reference = Annotated[str, AfterValidator(check_reference)]
Subject = Annotated[str, AfterValidator(check_subject)]


def contract_stream(ref: str) -> str:
    return f"{CONTRACT}:{ref}"


def jv_stream(ref: str) -> str:
    return f"{JOINT_VENTURE}:{ref}"


def agreement_stream(ref: str) -> str:
    return f"{AGREEMENT}:{ref}"


def split_stream(stream_id: str) -> tuple[str, str]:
    """('contract', 's400-india-2018') from 'contract:s400-india-2018'."""
    kind, _, ref = stream_id.partition(":")
    return kind, ref


def slug(text: str, *, join_hyphenated: bool = False) -> str:
    """Lowercase ASCII words joined by single hyphens: 'Côte d'Ivoire' -> 'cote-d-ivoire'.

    Accents are dropped and every run of other characters becomes one hyphen; with
    ``join_hyphenated`` a hyphen is dropped instead ('S-400 Triumf' -> 's400-triumf',
    'Su-30MKI' -> 'su30mki'), as weapon designations read. May be empty.
    """
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
    if join_hyphenated:
        plain = plain.replace("-", "")
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")
