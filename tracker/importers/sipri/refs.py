"""The readable ref a SIPRI deal's contract takes: 'russia-india-s400-triumf-2018'."""

from __future__ import annotations

import functools

from tracker.domain.values.opaque_refs import opaque_sipri_ref
from tracker.domain.values.parties import closed_index, party_key
from tracker.domain.values.refs import slug
from tracker.importers.sipri.model import Party, SipriDeal


def contract_ref(deal: SipriDeal) -> str:
    """A ref to type: supplier, recipient, designation and order year, 'russia-india-s400-
    triumf-2018' (before a suffix that makes it unique, see sipri.release._free).

    Each part is a lowercase ASCII slug (domain.refs.slug); a hyphen inside the designation
    is dropped ('S-400' -> 's400', 'Su-30MKI' -> 'su30mki'); words are kept while the ref
    stays within LONGEST characters (see ``fitted``). A party is
    named as SIPRI spells it, but by the shortest of its names in the closed party list that
    names no other party when it is a non-state actor or an organisation, or a state whose
    name runs over 10 characters ('United States' -> 'us', 'Soviet Union' -> 'ussr',
    'Hezbollah (Lebanon)' -> 'hezbollah'; 'China' stays 'china'); SIPRI's 'unknown
    supplier(s)' and 'unknown recipient(s)' are 'unknown'. The ref is worked out once, when
    the deal is first imported: a later release that renames a party or revises the order
    year leaves it as it is.
    """
    parties = (_party_slug(deal.supplier), _party_slug(deal.recipient))
    return fitted(parties, _designation_slug(deal.designation), str(deal.order_year))


#: The longest ref before its suffix: a ref is never split, and a status table at 80 columns
#: has room for 37 characters beside the delivered, state and next-due columns.
LONGEST = 34


def fitted(parties: tuple[str, str], designation: str, year: str) -> str:
    """The ref of these parts in at most LONGEST characters: the designation's last words go
    first, then each party keeps only its first word, then the designation is cut short."""
    words = designation.split("-")
    short = tuple(p.split("-")[0] for p in parties)
    for who in (parties, short):
        for k in range(len(words), 0, -1):
            ref = "-".join((*who, *words[:k], year))
            if len(ref) <= LONGEST:
                return ref
    room = max(LONGEST - len("-".join(short)) - len(year) - 2, 1)
    ref = "-".join((*short, designation[:room].strip("-") or "deal"))
    return ref[: LONGEST - len(year) - 1].strip("-") + "-" + year


def opaque_ref(deal: SipriDeal) -> str:
    """The ref the deal took before refs were readable: 'sipri-tr-1a2b...', 'sipri-32127'."""
    return opaque_sipri_ref(deal.deal_key)


# A state's name this short stays as SIPRI writes it ('china', not the list's 'PRC').
_SHORT_STATE = 10


@functools.lru_cache(maxsize=16384)
def _designation_slug(designation: str) -> str:
    """Designations repeat over a register's deals: each is worked out once."""
    return slug(designation, join_hyphenated=True) or "deal"


@functools.lru_cache(maxsize=2048)
def _party_slug(party: Party) -> str:
    if party.kind == "unknown":
        return "unknown"
    own = slug(party.name) or "party"
    index = closed_index()
    known = index.get(party_key(party.name))
    if known is None or (party.kind == "state" and len(own) <= _SHORT_STATE):
        return own
    names = (
        own,
        *(slug(n) for n in (known.name, *known.aliases) if index.get(party_key(n)) is known),
    )
    return min((n for n in names if n), key=len)
