"""Reader for SIPRI Arms Transfers Database exports. Pure: standard library only.

Two export formats are read, told apart by their header row, wherever it is in the file:
the trade register (one row per deal, `Recipient,Supplier,...`) and the per-delivery-year
export (one row per deal and year, `SIPRI AT Database ID,...`). See `read_release`.
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
