"""The parties of a deal: a closed list, one name per party, whatever name a report uses.

Reports say 'Russian Federation', 'Russia' or 'RUS'; folding them to one canonical name is
what lets a buyer's contracts be listed together, and refusing a name nobody knows is what
keeps a typo ('Indai') from becoming a new country. The closed list is the ISO 3166
countries (pycountry) plus the states, organisations and non-state actors SIPRI lists
(data/parties.json, generated from SIPRI's exports by tests/importers/make_party_list.py);
parties a user declares (PartyDeclared) are added on top by the rules. The Soviet Union is a
different party from Russia and stays one.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Literal

import pycountry

from tracker.errors import DomainError

DATA_FILE = Path(__file__).parent / "data" / "parties.json"
#: The one stream every PartyDeclared goes to, so that the rules can resolve a declared
#: alias and suggest declared names with the one read they have (Lookup.state).
PARTIES_STREAM = "parties:declared"

PartyKind = Literal["state", "organisation", "non-state", "company", "unknown"]

# Canonical names where pycountry's formal name is not the one people use. Stored events
# hold these names: changing one would split a party's old contracts from its new ones.
_PREFERRED = {
    "RUS": "Russia",
    "TUR": "Turkey",
    "GBR": "United Kingdom",
    "USA": "United States",
}

# Spellings of the press that neither pycountry nor SIPRI use.
_PRESS_ALIASES = {
    "USA": ("US", "USA", "U S", "United States of America", "America"),
    "GBR": ("UK", "Britain", "Great Britain"),
    "TUR": ("Türkiye",),
    "CHN": ("PRC",),
}


@dataclass(frozen=True, slots=True)
class KnownParty:
    """A party with its id (a slug), display name, kind and other names."""

    id: str
    name: str
    kind: PartyKind
    aliases: tuple[str, ...] = ()
    country: str | None = None


# Names repeat (a SIPRI register spells a few hundred parties over 30,000 deals, and every
# ContractSigned validates its buyer and seller): each name is keyed, and folded, once.
@lru_cache(maxsize=16384)
def party_key(name: str) -> str:
    """Case, accents, dots, commas and a leading 'the' do not make a different party."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c))
    words = text.replace(".", " ").replace(",", " ").casefold().split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def party_id(name: str) -> str:
    """A party's id: 'concern-kalashnikov' for 'Concern Kalashnikov'."""
    return re.sub(r"[^a-z0-9]+", "-", party_key(name)).strip("-") or "party"


@cache
def closed_list() -> tuple[KnownParty, ...]:
    """Every country and every party SIPRI lists, each once."""
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    sipri_aliases: dict[str, list[str]] = data["country_aliases"]
    out = [_country(c, sipri_aliases.get(c.alpha_3, ())) for c in pycountry.countries]
    for p in data["parties"]:
        out.append(KnownParty(p["id"], p["name"], p["kind"], tuple(p["aliases"])))
    return tuple(out)


def _country(country: object, sipri: Iterable[str]) -> KnownParty:
    code = getattr(country, "alpha_3", "")
    names = [getattr(country, a, None) for a in ("name", "official_name", "common_name")]
    name = _PREFERRED.get(code) or names[2] or names[0] or code
    # No alpha-3 codes: 'BEL' is Bharat Electronics far more often than Belgium here.
    aliases = (*(n for n in names if n), *sipri, *_PRESS_ALIASES.get(code, ()))
    return KnownParty(party_id(name), name, "state", tuple(dict.fromkeys(aliases)))


def index_of(parties: Iterable[KnownParty]) -> dict[str, KnownParty]:
    """Each party under the key of its name and of each alias (earlier parties win)."""
    table: dict[str, KnownParty] = {}
    for p in parties:
        for spelling in (p.name, *p.aliases):
            table.setdefault(party_key(spelling), p)
    return table


@cache
def closed_index() -> dict[str, KnownParty]:
    return index_of(closed_list())


@lru_cache(maxsize=16384)
def canonical_party(name: str) -> str:
    """'Russian Federation' -> 'Russia', 'usa' -> 'United States'; unknown names are kept.

    Lenient on purpose: stored events are read with it, and a name the list lacks today
    must still read back. The rules refuse unknown names on the way in (see ``resolve``).
    """
    cleaned = " ".join(name.split())
    if not cleaned:
        raise ValueError("a party name cannot be empty")
    found = closed_index().get(party_key(cleaned))
    return found.name if found else cleaned


def as_written(written: str, resolved: str) -> str | None:
    """The spelling a source used, when it is not just another case of the resolved name."""
    cleaned = " ".join(written.split())
    return cleaned if party_key(cleaned) != party_key(resolved) else None


class UnknownPartyError(DomainError):
    """A party name that neither the closed list nor a declared party knows."""


def resolve(
    name: str, option: str, parties: Mapping[str, KnownParty], *, declarable: bool = True
) -> KnownParty:
    """The party ``name`` stands for in ``parties`` (an index_of); else UnknownPartyError
    naming ``option`` (a field: 'buyer') with up to three close names to try."""
    found = parties.get(party_key(name))
    if found is not None:
        return found
    close = suggestions(name, parties)
    message = f"Unknown party '{name}' for --{option.replace('_', '-')}"
    if close:
        message += f"; did you mean {_either(close)}?"
    if declarable:
        message += " Declare" if close else "; declare"
        message += " a new one with 'tracker log party'"
    raise UnknownPartyError(message)


def suggestions(name: str, parties: Mapping[str, KnownParty], n: int = 3) -> list[str]:
    """Display names of the parties whose name or alias is closest to ``name``."""
    # difflib (stdlib) is enough for a thousand names on an error path; the domain takes no
    # third-party matcher.
    keys = [k for k, p in parties.items() if p.kind != "unknown"]
    close = difflib.get_close_matches(party_key(name), keys, n=n * 3, cutoff=0.8)
    return list(dict.fromkeys(parties[k].name for k in close))[:n]


def _either(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
