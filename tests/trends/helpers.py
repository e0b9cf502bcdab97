"""Running `tracker` on a database for the trends tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from tracker.cli.main import cli

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def run(url: str, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--db", url, *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def trends_json(url: str, *args: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(run(url, "trends", "--format", "json", *args))
    return data


def shares(data: dict[str, Any]) -> dict[str, list[float | None]]:
    """Each partner's share per period, by name."""
    return {p["name"]: [c["share_pct"] for c in p["periods"]] for p in data["partners"]}
