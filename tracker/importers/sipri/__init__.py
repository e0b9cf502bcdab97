"""The SIPRI Arms Transfers Database importer. Pure: no database, no CLI.

Reading (standard library only): two export formats, told apart by their header row,
wherever it is in the file: the trade register (one row per deal, `Recipient,Supplier,...`)
and the per-delivery-year export (one row per deal and year, `SIPRI AT Database ID,...`).
See `read_release`. Planning: `release` matches a release's deals to those already
imported (`matching`, `pairs`) and plans each deal's events (`events`, `deliveries`,
`refs`, `planned`).
"""

from tracker.importers.sipri.model import (
    BadRow,
    Format,
    Party,
    PartyKind,
    Scope,
    SipriDeal,
    SipriRelease,
    YearDelivery,
)
from tracker.importers.sipri.reader import read_release
from tracker.importers.sipri.source import parse_scope

__all__ = [
    "BadRow",
    "Format",
    "Party",
    "PartyKind",
    "Scope",
    "SipriDeal",
    "SipriRelease",
    "YearDelivery",
    "parse_scope",
    "read_release",
]
