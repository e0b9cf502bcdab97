"""The rules about parties: every name resolves, a buyer is not its own seller, a party is
declared once.

A name resolves against the closed list (parties.py), then the parties users declared, then
the joint venture the contract names (a JV often sells what it builds). ``resolve_contract``
rewrites a contract to the resolved names, keeping each spelling that differs; the check
functions only refuse.
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Mapping

from tracker.domain.events.catalogue import PartyDeclared
from tracker.domain.events.contract_events import ContractSigned
from tracker.domain.rules.lookup import Lookup, declared_parties, joint_venture_of
from tracker.domain.values.parties import (
    KnownParty,
    as_written,
    closed_index,
    index_of,
    party_id,
    party_key,
    resolve,
)
from tracker.errors import DomainError

Index = Mapping[str, KnownParty]
_ROLES = ("manufacturers", "intermediaries")


def known_parties(lookup: Lookup, joint_venture: str | None = None) -> Index:
    """Every party a name may stand for: the closed list first, then declared parties, then
    the joint venture ``joint_venture`` (by its name or its reference)."""
    extra = [_declared(e) for e in declared_parties(lookup)]
    if joint_venture is not None and (jv := joint_venture_of(lookup, joint_venture)):
        name = jv.venture.name
        extra.append(KnownParty(party_id(name), name, "company", (joint_venture,)))
    if not extra:
        return closed_index()
    return ChainMap(closed_index(), index_of(extra))


def _declared(e: PartyDeclared) -> KnownParty:
    return KnownParty(e.party_id, e.name, e.category, e.aliases, e.country)


def resolve_contract(e: ContractSigned, lookup: Lookup) -> ContractSigned:
    """``e`` with every party under its resolved name and each other spelling kept beside
    it; raises UnknownPartyError (with suggestions) or DomainError (buyer is seller)."""
    index = known_parties(lookup, e.joint_venture)
    buyer = resolve(e.buyer, "buyer", index)
    seller = resolve(e.seller, "seller", index)
    _not_own_seller(e.reference, buyer, seller)
    update: dict[str, object] = {
        "buyer": buyer.name,
        "seller": seller.name,
        "buyer_as_written": e.buyer_as_written or as_written(e.buyer, buyer.name),
        "seller_as_written": e.seller_as_written or as_written(e.seller, seller.name),
    }
    spellings = dict(e.roles_as_written)
    for role in _ROLES:
        names = []
        for written in getattr(e, role):
            name = resolve(written, role.removesuffix("s"), index).name
            if (spelling := spellings.pop(written, None) or as_written(written, name)) is not None:
                spellings[name] = spelling
            names.append(name)
        update[role] = tuple(dict.fromkeys(names))
    update["roles_as_written"] = spellings
    return e.model_copy(update=update)


def check_contract_parties(e: ContractSigned, lookup: Lookup) -> None:
    """Refuse a contract naming an unknown party, or a buyer that is its own seller."""
    index = known_parties(lookup, e.joint_venture)
    buyer = resolve(e.buyer, "buyer", index)
    seller = resolve(e.seller, "seller", index)
    _not_own_seller(e.reference, buyer, seller)
    for role in _ROLES:
        for name in getattr(e, role):
            resolve(name, role.removesuffix("s"), index)


def _not_own_seller(reference: str, buyer: KnownParty, seller: KnownParty) -> None:
    if buyer.name == seller.name:
        raise DomainError(
            f"Buyer and seller of {reference} are both {buyer.name}: a contract is between"
            " two parties"
        )


def check_declaration(e: PartyDeclared, lookup: Lookup) -> None:
    """Refuse a party (or an alias) that already names a party, and a company without a
    country; the country must be a state of the closed list."""
    index = known_parties(lookup)
    for spelling in (e.name, *e.aliases):
        found = index.get(party_key(spelling))
        if found is not None:
            also = "" if found.name == spelling else f" (as '{found.name}')"
            raise DomainError(f"Party '{spelling}' is already known{also}")
    if e.country is not None:
        country = resolve(e.country, "country", closed_index(), declarable=False)
        if country.kind != "state":
            raise DomainError(f"--country '{e.country}' is a {country.kind}, not a state")
    elif e.category == "company":
        raise DomainError(f"Company '{e.name}' needs a --country (where it is registered)")
