"""`tracker status` filters on the seeded database: each alone and composed, exact answers
worked out by hand from the seeds (S-400 and AK-203 stories, tracker/_seeds)."""

from __future__ import annotations

import json

import pytest

from tests.cli.conftest import Cli

S400 = "s400-india-2018"
AK200 = "ak200-india-2021-emergency"
AK203 = "ak203-india-2021"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Cli:
    run = Cli(str(tmp_path_factory.mktemp("filters") / "tracker.db"))
    run.ok("init")
    run.ok("seed")
    return run


def refs(run: Cli, *args: str) -> list[str]:
    return [s["ref"] for s in json.loads(run.ok("status", "--format", "json", *args))]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((), [AK200, AK203, S400]),
        (("--buyer", "India"), [AK200, AK203, S400]),
        (("--buyer", "Republic of India"), [AK200, AK203, S400]),  # an alias
        (("--seller", "Russian Federation"), [AK200, S400]),
        (("--seller", "India"), []),
        (("--country", "Russia"), [AK200, S400]),
        (("--country", "Indo-Russia Rifles Pvt Ltd"), [AK203]),
        (("--system", "s-400"), [S400]),
        (("--system", "AK-20"), [AK200, AK203]),
        (("--search", "SAM"), [S400]),
        (("--search", "off the shelf"), [AK200]),
        (("--signed", "2018"), [S400]),
        (("--signed", "2019-2021"), [AK200, AK203]),
        (("--state", "completed"), [AK200]),
        (("--state", "delivering"), [AK203, S400]),
        (("--sort", "signed"), [S400, AK200, AK203]),
        (("--sort", "delivered"), [S400, AK203, AK200]),
        (("--limit", "2"), [AK200, AK203]),
        (("--country", "Russia", "--signed", "2021"), [AK200]),
        (("--buyer", "India", "--system", "AK", "--state", "delivering"), [AK203]),
        (("--seller", "Russia", "--sort", "signed", "--limit", "1"), [S400]),
    ],
)
def test_each_filter_and_their_combinations_find_the_contracts_they_name(
    seeded: Cli, args: tuple[str, ...], expected: list[str]
) -> None:
    assert refs(seeded, *args) == expected


def test_overdue_finds_the_contracts_with_a_milestone_past_due(seeded: Cli) -> None:
    # On 2026-01-15 the AK-203's first 70,000 were due by the end of 2025 and 48,000 came.
    assert refs(seeded, "--overdue") == [AK203]


def test_a_table_past_its_limit_says_how_many_more_there_are(seeded: Cli) -> None:
    assert seeded.ok("status", "--limit", "2").endswith("\n1 more: use --limit\n")


def test_a_unique_prefix_names_a_contract_and_an_ambiguous_one_lists_them(seeded: Cli) -> None:
    assert refs(seeded, "s4") == [S400]
    assert seeded.fails("status", "ak") == (
        f"Error: Contract 'ak' is ambiguous: {AK200}, {AK203}\n"
    )
    assert seeded.ok("schedule", "s400", "--format", "json").startswith('{\n  "contract": "s400')


def test_filters_apply_to_the_log_as_of_a_day(seeded: Cli) -> None:
    assert refs(seeded, "--as-of", "2020-01-01", "--country", "Russia") == [S400]
    assert refs(seeded, "--as-of", "2026-01-15", "--overdue") == [AK203]
