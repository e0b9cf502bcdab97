"""Trends after importing SIPRI's 2024-04 export, against shares worked out straight from
the file (a few lines of csv here), to a tenth of a percent.

The file is imported once for the module (SQLite; it takes a while: 28,000 rows).
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

import pytest

from tests.conftest import SHARED
from tests.trends.helpers import run, trends_json
from tracker.domain.values.parties import canonical_party

FILE = SHARED / "sipri" / "trade-register-by-delivery-year-2024-04.csv"
pytestmark = [
    pytest.mark.skipif(not FILE.exists(), reason=f"{FILE} is not there"),
    # One worker imports the file once for the module (xdist would import it per worker).
    pytest.mark.xdist_group("trends-against-sipri"),
]

# (supplier, recipient, year) -> TIV delivered, as SIPRI's rows give it.
Volumes = dict[tuple[str, str, int], Decimal]


def _rows() -> Iterator[dict[str, str]]:
    lines = FILE.read_text(encoding="latin-1").splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith("SIPRI AT Database ID"))
    yield from csv.DictReader(lines[start:])


@pytest.fixture(scope="module")
def register() -> Volumes:
    volumes: Volumes = defaultdict(Decimal)
    for row in _rows():
        # SIPRI marks actors with '*' and '**'; the tracker names them without.
        supplier = canonical_party(row["Supplier"].rstrip("*"))
        recipient = canonical_party(row["Recipient"].rstrip("*"))
        volumes[supplier, recipient, int(row["Delivery year"])] += Decimal(
            row["TIV delivery values"]
        )
    return volumes


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> str:
    db = tmp_path_factory.mktemp("sipri") / "tracker.db"
    run(str(db), "init")
    run(str(db), "import", "sipri", str(FILE))
    return str(db)


def expected(
    volumes: Volumes, side: str, party: str, periods: list[tuple[int, int]]
) -> list[dict[str, float]]:
    """Per period, each partner's share in percent, straight from the file."""
    out = []
    for first, last in periods:
        by_partner: dict[str, Decimal] = defaultdict(Decimal)
        for (supplier, recipient, year), tiv in volumes.items():
            if first <= year <= last:
                if side == "recipient" and recipient == party:
                    by_partner[supplier] += tiv
                elif side == "supplier" and supplier == party:
                    by_partner[recipient] += tiv
        total = sum(by_partner.values())
        out.append({name: float(100 * v / total) for name, v in by_partner.items()})
    return out


CASES = [
    ("recipient", "India", "2009-13,2014-18,2019-23"),
    ("recipient", "Pakistan", "2009-13,2014-18,2019-23"),
    ("recipient", "Saudi Arabia", "2004-08,2014-18,2019-23"),
    ("recipient", "Ukraine", "2019-21,2022-23"),
    ("supplier", "France", "2009-13,2014-18,2019-23"),
    ("supplier", "Russia", "1994-98,2019-23"),
    ("supplier", "United States", "2019-23"),
]


@pytest.mark.parametrize(("side", "party", "periods"), CASES)
def test_shares_match_sipri_s_file_to_a_tenth_of_a_percent(
    url: str, register: Volumes, side: str, party: str, periods: str
):
    spans = [(p.first, p.last) for p in _periods(periods)]
    want = expected(register, side, party, spans)
    got = trends_json(url, f"--{side}", party, "--periods", periods, "--top", "8")
    named = [p for p in got["partners"] if not p["others"]]
    assert len(named) == min(8, len({n for period in want for n in period}))
    for n, period in enumerate(want):
        for partner in named:
            assert partner["periods"][n]["share_pct"] == pytest.approx(
                period.get(partner["name"], 0.0), abs=0.1
            ), (partner["name"], periods[n])
        others = sum(v for name, v in period.items() if name not in {p["name"] for p in named})
        if others:
            assert got["partners"][-1]["periods"][n]["share_pct"] == pytest.approx(others, abs=0.1)


def test_volumes_and_their_change_match_sipri_s_file(url: str, register: Volumes):
    got = trends_json(url, "--recipient", "India")  # the default: the last three five-year periods
    assert [p["period"] for p in got["periods"]] == ["2009-13", "2014-18", "2019-23"]
    totals = [
        sum(v for (s, r, y), v in register.items() if r == "India" and first <= y <= first + 4)
        for first in (2009, 2014, 2019)
    ]
    for period, total in zip(got["periods"], totals, strict=True):
        assert period["tiv"] == pytest.approx(float(total), rel=1e-3)
    change = float(100 * (totals[2] - totals[1]) / totals[1])
    assert got["periods"][2]["change_pct"] == pytest.approx(change, abs=0.1)
    world = sum(v for (s, r, y), v in register.items() if 2019 <= y <= 2023)
    assert got["periods"][2]["world_share_pct"] == pytest.approx(
        float(100 * totals[2] / world), abs=0.1
    )


def _periods(text: str):  # type: ignore[no-untyped-def]
    from tracker.domain.views.periods import parse_periods

    return parse_periods(text)


def test_india_s_2019_23_shares_are_sipri_s_published_ones(url: str):
    # SIPRI's fact sheet (March 2024): Russia 36%, France 33%, United States 13%.
    got = trends_json(url, "--recipient", "India")
    last = {p["name"]: p["periods"][2]["share_pct"] for p in got["partners"]}
    assert round(last["Russia"]) == 36 and round(last["France"]) == 33
    assert round(last["United States"]) == 13
