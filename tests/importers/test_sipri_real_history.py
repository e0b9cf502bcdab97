"""The real 2024-04 release (by delivery year), then the real 2025-03 register, as history.

Both files are imported once for the module, on SQLite (each import takes 20-70 s on a
loaded machine). The oracles parse the files here with a few lines of plain string
handling (see FORMAT.md), never with the importer's reader.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from tests.importers.test_sipri_real_exports import real_export
from tracker.domain.state.state import ContractState
from tracker.errors import TrackerError
from tracker.projections.filters import ContractFilter
from tracker.service.app import Tracker
from tracker.service.sipri import SipriImport, import_sipri

# One worker imports both releases once for the module (xdist would do it per worker).
pytestmark = pytest.mark.xdist_group("sipri-history")

BY_YEAR = "trade-register-by-delivery-year-2024-04.csv"
REGISTER = "trade-register-2025-03.csv"
REGISTER_FIELDS = 16


@dataclass
class History:
    tracker: Tracker
    first: SipriImport
    second: SipriImport
    # Refs of earlier contracts the second import listed as ambiguous candidates: left standing.
    ambiguous_refs: set[str]


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Iterator[History]:
    older, newer = real_export(BY_YEAR), real_export(REGISTER)
    directory = tmp_path_factory.mktemp("sipri-history")
    tracker = Tracker.open(f"sqlite:///{directory / 'tracker.db'}", create=True)
    tracker.init()
    review = directory / "review.txt"
    try:
        first = import_sipri(tracker, older)
        second = import_sipri(tracker, newer, review=review)
        listed = review.read_text(encoding="utf-8").splitlines()
        refs = {ref for line in listed for ref in candidates(line)}
        yield History(tracker, first, second, refs)
    finally:
        tracker.close()


_SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
_LISTED = re.compile(rf".+ \(line \d+.*\) could be any of: ({_SLUG}(?:, {_SLUG})*) \(.+\)")


def candidates(line: str) -> list[str]:
    """The refs a line of the review file lists as the earlier deals it could be."""
    found = _LISTED.fullmatch(line)
    assert found is not None, line
    return found[1].split(", ")


# --- the files, read independently ---------------------------------------------------------


def data_lines(name: str, header: str) -> list[str]:
    """The lines after the header row (found by its start), the last empty line dropped."""
    lines = real_export(name).read_bytes().decode("latin-1").split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith(header)) + 1
    return [line.rstrip("\r") for line in lines[start:] if line.strip()]


def register_rows() -> list[list[str]]:
    """The 2025 register's deals as 16 fields each. Fields hold no comma (SIPRI writes `;`),
    so a record broken inside its Comments has fewer fields: it is joined with the next
    line (FORMAT.md: four such records)."""
    rows: list[list[str]] = []
    pending = ""
    for line in data_lines(REGISTER, "Recipient,Supplier,"):
        pending = f"{pending} {line}" if pending else line
        if pending.count(",") + 1 >= REGISTER_FIELDS:
            rows.append(pending.split(","))
            pending = ""
    assert pending == ""
    return rows


def by_year_ids() -> set[str]:
    """The 2024 release's deal ids: one row per deal per delivery year, the id first."""
    return {line.split(",")[0] for line in data_lines(BY_YEAR, "SIPRI AT Database ID,")}


def number(text: str) -> Decimal | None:
    return Decimal(text) if text.strip() else None


def from_file(row: list[str]) -> tuple[object, ...]:
    """A register row as the fields the tracker must keep."""
    (recipient, supplier, year, year_q, ordered, ordered_q, designation, description) = row[:8]
    delivered, delivered_q, years, status, comments, unit, order, done = row[8:16]
    return (
        supplier,
        recipient,
        # Whitespace around a designation is not kept ('Fleyta/Skorpion ': 20 deals).
        designation.strip(),
        description or None,
        # The tracker reads an order of 0 (one deal, marked '?') as "not known", like ''.
        int(ordered) if ordered.strip() and int(ordered) else None,
        int(delivered) if delivered.strip() else None,
        int(year),
        tuple(sorted(int(y) for y in years.split(";") if y.strip())),
        (year_q == "?", ordered_q == "?", delivered_q == "?"),
        (number(unit), number(order), number(done)),
        status,
        comments.strip() or None,
    )


def from_log(state: ContractState) -> tuple[object, ...]:
    """A standing contract, read back through the service, as the same fields."""
    signed, sipri = state.contract, state.contract.sipri
    assert sipri is not None
    years = [
        f.event.occurred.latest.year
        for f in state.deliveries
        if not state.is_retracted(f.event_id) and f.event.occurred.precision == "year"
    ]
    notes = [f.event.text for f in state.notes if "sipri" in f.event.tags]
    return (
        sipri.supplier,
        sipri.recipient,
        signed.system,
        signed.description,
        signed.quantity,
        sipri.delivered,
        signed.occurred.latest.year,
        tuple(sorted(years)),
        (sipri.order_year_estimate, sipri.ordered_estimate, sipri.delivered_estimate),
        (sipri.tiv_unit, sipri.tiv_order, sipri.tiv_delivered),
        sipri.status,
        notes[-1] if notes else None,
    )


def sipri_states(tracker: Tracker) -> list[ContractState]:
    return [s for s in tracker.source().contracts() if s.contract.sipri is not None]


# --- the tests -----------------------------------------------------------------------------


def test_the_four_counts_agree_with_the_files_and_the_log(history: History) -> None:
    """Independent oracle: the deal counts of both files (parsed above) and what the log
    holds. Every 2025 deal is new, corrected or unchanged; every 2024 deal is matched,
    retracted, or a candidate of an ambiguous 2025 deal (then left standing)."""
    first, second = history.first, history.second
    in_2024, in_2025 = len(by_year_ids()), len(register_rows())
    assert (first.deals, first.new) == (in_2024, in_2024)
    assert second.deals == in_2025
    assert second.new + second.corrected + second.unchanged == in_2025
    matched = second.corrected + second.unchanged
    assert matched + second.retracted + len(history.ambiguous_refs) == in_2024
    # Every 2024 deal carries the register's fields it lacked (the number ordered, TIV of
    # the order): none can be unchanged.
    assert second.unchanged == 0
    states = sipri_states(history.tracker)
    assert len(states) == in_2024 + second.new
    standing = [s for s in states if not s.withdrawn]
    assert len(standing) == in_2025 + len(history.ambiguous_refs)
    assert sum(s.withdrawn for s in states) == second.retracted


def test_matches_are_at_least_the_exact_keys_and_retractions_at_least_the_lost_pairs(
    history: History,
) -> None:
    """A simpler matching of our own bounds the importer's. By-year deals are keyed by
    supplier, recipient, designation and order year (no renames between these two files:
    every 2024 party name appears in 2025 but seven Pacific states and 'Libya GNC').
    A key unique in both files is a certain match; a deal whose supplier and recipient
    have no 2025 deal ordered within 3 years of it cannot match at all (every step of the
    matcher needs the same parties and an order year at most 3 apart)."""
    old = [line.split(",") for line in data_lines(BY_YEAR, "SIPRI AT Database ID,")]
    old_deals = {r[0]: (r[1], r[2], r[3].lower(), int(r[6])) for r in old}
    new_keys = Counter((r[1], r[0], r[6].lower(), int(r[2])) for r in register_rows())
    old_keys = Counter(old_deals.values())
    certain = sum(new_keys[k] == 1 for k, n in old_keys.items() if n == 1)
    near = {(r[1], r[0], int(r[2]) + d) for r in register_rows() for d in range(-3, 4)}
    lost = sum((s, r, y) not in near for s, r, _, y in old_deals.values())
    second = history.second
    assert second.corrected + second.unchanged >= certain > 0
    assert second.retracted >= lost > 0


def test_ambiguous_matches_are_few_and_each_says_why(history: History) -> None:
    ambiguous = history.second.ambiguous
    assert 0 < len(ambiguous) <= 60
    for line in ambiguous:
        # Refs people can type ('russia-india-...'), never the opaque 'sipri-<id>'.
        assert not any(ref.startswith("sipri-") for ref in candidates(line)), line


def test_india_s400_is_one_contract_with_the_registers_figures(history: History) -> None:
    tracker = history.tracker
    (s400,) = [
        s
        for s in sipri_states(tracker)
        if not s.withdrawn and s.contract.system == "S-400 Triumf" and s.contract.buyer == "India"
    ]
    # The 2025 register: 10 ordered, 6 delivered over 2021, 2022 and 2023.
    (now,) = tracker.status([s400.ref])
    assert (now.ordered, now.delivered) == (10, 6)
    # The 2024 release gives 2 a year. As of 2022-06-01 only the 2021 delivery counts: one
    # dated only '2022' may fall after 1 June, and the tracker counts on the world axis only
    # what certainly happened by the date; it says that up to 2 more may have come by then.
    per_year = s400_deliveries_by_year()
    assert per_year == {2021: 2, 2022: 2, 2023: 2}
    day = date(2022, 6, 1)
    india_s400 = ContractFilter(buyer="India", system="S-400")
    found, total = tracker.contracts(india_s400, as_of=day)
    assert total == 1 and found[0].ref == s400.ref
    (then,) = found
    assert (then.ordered, then.delivered) == (10, per_year[2021])
    assert then.delivered_possible == per_year[2021] + per_year[2022]
    # The schedule lists the two years: 2021's delivered, 2022's possibly after the day.
    view = tracker.schedule(s400.ref, as_of=day)
    assert [(m.label, m.quantity, m.delivered_quantity, m.state) for m in view.milestones] == [
        ("2021", per_year[2021], per_year[2021], "on time"),
        ("2022", per_year[2022], 0, "pending"),
    ]
    assert view.milestones[1].slip_words == "may be after 1 Jun 2022"
    (end_of_2022,) = tracker.status([s400.ref], as_of=date(2022, 12, 31))
    assert end_of_2022.delivered == per_year[2021] + per_year[2022]
    assert end_of_2022.delivered_possible is None
    # Its ref, from the 2024 release and kept, can be typed; a beginning of it will do, and
    # so will the ref it took before refs were readable (its SIPRI deal id, 32127).
    assert s400.ref == "russia-india-s400-triumf-2018"
    assert tracker.schedule("russia-india-s4").contract == s400.ref
    assert [s.ref for s in tracker.status(["sipri-32127"])] == [s400.ref]
    with pytest.raises(TrackerError, match="Contract 'russia-india-s' is ambiguous: "):
        tracker.status(["russia-india-s"])


def s400_deliveries_by_year() -> dict[int, int]:
    """India's S-400 deliveries per year as the 2024 release (by delivery year) gives them."""
    found: dict[int, int] = {}
    for line in data_lines(BY_YEAR, "SIPRI AT Database ID,"):
        fields = line.split(",")
        if fields[1:4] == ["Russia", "India", "S-400 Triumf"]:
            found[int(fields[10])] = found.get(int(fields[10]), 0) + int(fields[8])
    return found


def test_every_deal_of_the_2025_register_reads_back_as_the_file_gives_it(
    history: History,
) -> None:
    expected = Counter(from_file(row) for row in register_rows())
    standing = [
        s
        for s in sipri_states(history.tracker)
        if not s.withdrawn and s.ref not in history.ambiguous_refs
    ]
    got = Counter(from_log(s) for s in standing)
    missing, extra = expected - got, got - expected
    assert (list(missing)[:3], list(extra)[:3]) == ([], [])
    assert sum(expected.values()) == 29_515


def test_every_ref_fits_a_status_table_that_the_quick_path_draws_at_80_columns(
    history: History,
) -> None:
    import io

    from tracker.cli.quick.status import run

    refs = [s.ref for s in sipri_states(history.tracker)]
    assert max(map(len, refs)) <= 37  # 34 and a suffix such as '-12'
    out = io.StringIO()
    url = str(history.tracker.engine.url)
    assert run(["--db", url, "status", "--limit", "100000"], out=out) == 0  # not declined
    lines = out.getvalue().splitlines()
    assert max(map(len, lines)) <= 80
    known = set(refs)
    assert sum(1 for line in lines if line.split(" ")[0] in known) == len(known)


def test_the_readme_shows_what_these_imports_print(history: History) -> None:
    """The README's SIPRI section quotes the two imports' summaries: they are these."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### SIPRI releases") : readme.index("### Trends")]
    for result in (history.first, history.second):
        summary = (
            f"{result.release}: {result.deals} deals: {result.new} new, {result.corrected}"
            f" corrected, {result.retracted} retracted, {result.unchanged} unchanged;"
            f" {result.appended} events appended."
        )
        counts = f"{len(result.flagged)} flagged (data quality), {len(result.ambiguous)} ambiguous."
        assert f"{summary}\n{counts}\n" in section
    for flagged in history.first.flagged:
        assert f"Flagged {BY_YEAR} {flagged}\n" in section
    for quoted in re.findall(r"^Ambiguous [^:]+: (.+)$", section, re.MULTILINE):
        assert quoted in history.second.ambiguous
