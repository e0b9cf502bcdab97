"""Helpers shared by the SIPRI importer tests."""

from __future__ import annotations

from pathlib import Path

from tracker.importers.sipri import BadRow, SipriDeal, SipriRelease, read_release

FIXTURES = Path(__file__).resolve().parent / "fixtures"
REGISTER_HEADER = (
    "Recipient,Supplier,Year of order, ,Number ordered, ,Weapon designation,Weapon description,"
    "Number delivered, ,Year(s) of delivery,status,Comments,SIPRI TIV per unit,"
    "SIPRI TIV for total order,SIPRI TIV of delivered weapons"
)
BY_YEAR_HEADER = (
    "SIPRI AT Database ID,Supplier,Recipient,Designation,Description,Armament category,"
    "Order date,Order date is estimate,Numbers delivered,Numbers delivered is estimate,"
    "Delivery year,Delivery year is estimate,Status,SIPRI estimate,TIV deal unit,"
    "TIV delivery values,Local production"
)


def read_all(path: Path) -> tuple[SipriRelease, list[SipriDeal], list[BadRow]]:
    """Read a whole export, splitting what was read from what was not."""
    release, rows = read_release(path)
    deals: list[SipriDeal] = []
    bad: list[BadRow] = []
    for row in rows:
        if isinstance(row, BadRow):
            bad.append(row)
        else:
            deals.append(row)
    return release, deals, bad


def write(path: Path, *lines: str, encoding: str = "latin-1") -> Path:
    """Write lines as a file ending in a newline, as SIPRI's exports do."""
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path
