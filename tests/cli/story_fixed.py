"""The S-400 story logged with two mistakes, then fixed (issue #12): squadron 2 first logged
as 2021 and corrected to 2022; Pravda's claim that three squadrons came in 2021 logged and
then retracted. Fixed, it should read exactly as the story logged right (story.STORY)."""

from __future__ import annotations

import re

from tests.cli.conftest import Cli
from tests.cli.story import (
    CONTRACT,
    DELIVERIES,
    FIGURES,
    NEWSBHARATI,
    REF,
    REVISIONS,
    SCHEDULE,
)

PRAVDA = "https://english.pravda.ru/news/world/162957-russia-india-s-400"
SQUADRON_2_IN_2021 = [("2021" if a == "2022" else a) for a in DELIVERIES[1]]
PRAVDA_CLAIM = [
    "log", "delivery", REF, "--cumulative-total", "3", "--occurred", "2021",
    "--source", PRAVDA, "--publisher", "Pravda.ru", "--confidence", "unconfirmed",
]  # fmt: skip
CORRECT_SQUADRON_2 = [
    "--set", "occurred=2022", "--reason", "it arrived in 2022, not 2021",
    "--occurred", "2022-07-25", "--source", NEWSBHARATI, "--publisher", "NewsBharati",
]  # fmt: skip
RETRACT_PRAVDA = [
    "--reason", "contradicts every other report: one squadron in 2021",
    "--occurred", "2023-10-04",
    "--source", "", "--source-title", "IAF chief: three of five arrived",
]  # fmt: skip


def position(printed: str) -> str:
    """The log position a `tracker log` printed ('... at position 7: ...')."""
    found = re.search(r" at position (\d+):", printed)
    assert found, printed
    return found[1]


def pravda_and_wrong_year(run: Cli) -> None:
    """Log the story with both mistakes, then retract the claim and correct the date.

    In that order: with the claim's 3 still counted in 2021, squadron 2 moved to 2022 would
    bring the total to 6 of 5, which the rules refuse."""
    for command in (CONTRACT, *FIGURES, SCHEDULE, DELIVERIES[0]):
        run.ok(*command)
    second = position(run.ok(*SQUADRON_2_IN_2021))
    run.ok(*DELIVERIES[2])
    claim = position(run.ok(*PRAVDA_CLAIM))
    for command in REVISIONS:
        run.ok(*command)
    run.ok("log", "retract", claim, *RETRACT_PRAVDA)
    run.ok("log", "correct", second, *CORRECT_SQUADRON_2)
