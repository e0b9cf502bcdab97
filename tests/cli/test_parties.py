"""Parties from a closed list, as written; sources that link (issue #13, points 6 and 7)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli.conftest import Cli, text

SRC = ("--source", "https://example.org/report")


def contract(ref: str, *args: str, source: tuple[str, ...] = SRC) -> tuple[str, ...]:
    return (
        "log", "contract", ref, "--system", "S-400 Triumf", "--quantity", "4",
        "--unit", "battery", "--occurred", "2017-09-12", *args, *source,
    )  # fmt: skip


def payload(run: Cli, position: int) -> dict[str, object]:
    shown = json.loads(run.ok("show", str(position), "--format", "json"))
    return dict(shown["payload"])


def test_a_typo_in_a_party_is_refused_with_a_suggestion_and_nothing_is_written(run: Cli) -> None:
    before = run.log_json()
    err = run.fails(*contract("s400-x", "--buyer", "Indai", "--seller", "Russia"))
    assert err == text(
        "Error: Unknown party 'Indai' for --buyer; did you mean India?"
        " Declare a new one with 'tracker log party'"
    )
    assert run.log_json() == before


def test_unknown_is_not_a_party(run: Cli) -> None:
    err = run.fails(*contract("s400-x", "--buyer", "unknown", "--seller", "Russia"))
    assert err == text(
        "Error: Unknown party 'unknown' for --buyer; declare a new one with 'tracker log party'"
    )


def test_a_buyer_that_is_its_own_seller_is_refused_whatever_the_spelling(run: Cli) -> None:
    before = run.log_json()
    err = run.fails(*contract("s400-x", "--buyer", "Russia", "--seller", "Russian Federation"))
    assert err == text(
        "Error: Buyer and seller of s400-x are both Russia: a contract is between two parties"
    )
    assert run.log_json() == before


def test_a_spelling_is_stored_beside_the_canonical_party_and_shown(run: Cli) -> None:
    out = run.ok(*contract("s400-turkey-2017", "--buyer", "Türkiye", "--seller", "Russia"))
    summary = (
        "Contract s400-turkey-2017 signed: Turkey (as written: Türkiye) buys 4 batteries"
        " of S-400 Triumf from Russia"
    )
    assert out.splitlines()[0] == f"Logged contract:s400-turkey-2017 v1 at position 1: {summary}"
    stored = payload(run, 1)
    assert (stored["buyer"], stored["buyer_as_written"]) == ("Turkey", "Türkiye")
    assert (stored["seller"], stored["seller_as_written"]) == ("Russia", None)
    shown = json.loads(run.ok("show", "1", "--format", "json"))
    assert shown["summary"] == summary


def test_a_declared_company_can_be_a_manufacturer_under_its_alias(run: Cli) -> None:
    out = run.ok(
        "log", "party", "Concern Kalashnikov", "--kind", "company", "--country", "Russia",
        "--alias", "Kalashnikov Concern", *SRC,
    )  # fmt: skip
    assert out.splitlines()[0] == (
        "Logged parties:declared v1 at position 1: Party Concern Kalashnikov declared:"
        " company of Russia (also: Kalashnikov Concern)"
    )
    err = run.fails(
        *contract("ak203-x", "--buyer", "India", "--seller", "Russia", "--manufacturer", "Rostec")
    )
    assert err == text(
        "Error: Unknown party 'Rostec' for --manufacturer; declare a new one with"
        " 'tracker log party'"
    )
    run.ok(
        *contract(
            "ak203-x", "--buyer", "India", "--seller", "Russia",
            "--manufacturer", "Kalashnikov Concern", "--intermediary", "Turkiye",
        )
    )  # fmt: skip
    stored = payload(run, 2)
    assert stored["manufacturers"] == ["Concern Kalashnikov"]
    assert stored["intermediaries"] == ["Turkey"]
    assert stored["roles_as_written"] == {
        "Concern Kalashnikov": "Kalashnikov Concern",
        "Turkey": "Turkiye",
    }


def test_a_party_is_declared_once_and_a_company_needs_a_real_country(run: Cli) -> None:
    declare = ("log", "party", "Concern Kalashnikov", "--kind", "company", *SRC)
    assert run.fails(*declare) == text(
        "Error: Company 'Concern Kalashnikov' needs a --country (where it is registered)"
    )
    assert run.fails(*declare, "--country", "Rusia") == text(
        "Error: Unknown party 'Rusia' for --country; did you mean Russia?"
    )
    run.ok(*declare, "--country", "Russia")
    assert run.fails(*declare, "--country", "Russia") == text(
        "Error: Party 'Concern Kalashnikov' is already known"
    )
    assert run.fails("log", "party", "Türkiye", "--kind", "non-state", *SRC) == text(
        "Error: Party 'Türkiye' is already known (as 'Turkey')"
    )


@pytest.mark.parametrize("url", ["NDTV report", "www.ndtv.com/x", "ftp://ndtv.com/x", "https://"])
def test_a_source_that_is_not_a_link_is_refused(run: Cli, url: str) -> None:
    before = run.log_json()
    err = run.fails(*contract("s400-x", "--buyer", "India", "--seller", "Russia"), "--source", url)
    assert err == text(
        f"Error: --source '{url}' is not a link: give an absolute http(s) URL such as"
        " https://www.example.org/story, or use --source-title for a source without a link"
    )
    assert run.log_json() == before


def test_a_source_without_a_link_takes_a_title(run: Cli) -> None:
    source = ("--source-title", "Turkey signs S-400 deal", "--publisher", "Reuters")
    run.ok(*contract("s400-x", "--buyer", "Turkey", "--seller", "Russia", source=source))
    shown = json.loads(run.ok("show", "1", "--format", "json"))
    assert shown["metadata"]["sources"][0]["url"] is None
    assert shown["metadata"]["sources"][0]["title"] == "Turkey signs S-400 deal"


def test_a_file_declares_a_party_and_refuses_a_source_that_is_not_a_link(
    run: Cli, write: Callable[[str, str], Path]
) -> None:
    good = write(
        "dassault.yaml",
        "- kind: party\n"
        "  name: Dassault Aviation\n"
        "  category: company\n"
        "  country: France\n"
        "  occurred: 2024\n"
        "  sources: [https://www.dassault-aviation.com/en/]\n"
        "- kind: contract\n"
        "  reference: rafale-india-2016\n"
        "  system: Rafale\n"
        "  buyer: India\n"
        "  seller: France\n"
        "  manufacturers: [Dassault Aviation]\n"
        "  quantity: 36\n"
        "  unit: aircraft\n"
        "  occurred: 2016-09-23\n"
        "  sources: [https://example.org/rafale]\n",
    )
    run.ok("log", "--file", str(good))
    assert payload(run, 2)["manufacturers"] == ["Dassault Aviation"]
    bad = write(
        "bad.yaml",
        "- kind: note\n"
        "  subject: topic:rafale\n"
        "  text: offsets\n"
        "  occurred: 2016\n"
        "  sources: [www.dassault-aviation.com]\n",
    )
    before = run.log_json()
    assert run.fails("log", "--file", str(bad)) == text(
        "Error: bad.yaml line 1: Source url 'www.dassault-aviation.com' is not a link: give an"
        " absolute http(s) URL such as https://www.example.org/story, or give only a title"
        " for a source without a link"
    )
    assert run.log_json() == before
