"""The timeline report tells the seeded story: figures, dates at their precision, citations."""

from __future__ import annotations

from datetime import date

from tracker.reports.model import TimelineReport, timeline_of
from tracker.reports.text import render_text
from tracker.service.app import Tracker

from .conftest import flat, text_entries


def sections(report: TimelineReport) -> dict[str, list[tuple[str, str]]]:
    """Per programme, (date text, summary) of each entry."""
    return {s.ref: [(line.date_text, line.summary) for line in s.lines] for s in report.sections}


def test_the_s400_header_gives_five_ordered_three_delivered_two_remaining(seeded: Tracker):
    text = flat(render_text(timeline_of(seeded, ["s400-india-2018"])))
    assert "Parties: India (buyer) from Russia (seller); signed 5 Oct 2018" in text
    assert "Ordered: 5 squadrons of S-400 Triumf (SAM system)" in text
    assert "Delivered: 3 squadrons (60% of the order)" in text
    assert "Remaining: 2 squadrons" in text
    assert "Value: USD 5 bn (as signed or amended)" in text
    assert "USD 4.5 bn (1 source); USD 5 bn (4 sources);" in text
    assert "Reported range: INR 350–400 bn; USD 4.5–5.5 bn" in text
    assert "State: delivering; 1 milestone overdue; next: squadron 4, due by end May 2026" in text
    assert "Completion: 2027 (the latest due date of the undelivered milestones)" in text


def test_the_ak203_header_counts_601427_ordered_and_48000_delivered(seeded: Tracker):
    text = flat(render_text(timeline_of(seeded, ["ak203-india-2021"])))
    assert "Ordered: 601,427 rifles of AK-203 (7.62x39 mm assault rifle)" in text
    # Aaj Tak, 15 Aug 2025: "about 48,000" received so far, kept as the source said it.
    assert "Delivered: about 48,000 rifles (8% of the order)" in text
    assert "Remaining: ~553,427 rifles" in text
    assert "Produced: about 48,000 rifles by the joint venture" in text
    assert "Completion: 29 Oct 2072 (projected from irrpl's output" in text


def test_a_completed_contract_says_so_instead_of_projecting(shared: Tracker):
    report = timeline_of(shared, ["ak200-india-2021-emergency"])
    completion = report.sections[0].completion
    assert (completion.basis, completion.text) == ("completed", "complete")
    assert completion.explanation == "last delivery by 25 Jan 2022"


def test_entries_run_in_world_date_order_with_dates_at_their_precision(shared: Tracker):
    entries = sections(timeline_of(shared))
    s400 = [(when, what) for when, what in entries["s400-india-2018"] if "Delivered" in what]
    assert [when for when, _ in s400] == ["Dec 2021", "2022", "2023"]
    emergency = entries["ak200-india-2021-emergency"]
    assert emergency[-1] == (
        "by 25 Jan 2022",
        "Delivered 70,000 rifles in total under ak200-india-2021-emergency",
    )
    assert entries["ak203-india-2021"][0][0] == "Feb 2019"
    schedule = [when for when, what in entries["ak203-india-2021"] if what.startswith("Schedule")]
    assert schedule == ["Jan 2023"]


def test_the_text_report_prints_dates_as_they_were_reported(shared: Tracker):
    entries = text_entries(render_text(timeline_of(shared, ["s400-india-2018"])))
    dated = {rest.split(" [")[0]: when for when, rest in entries}
    assert (
        dated["delivery: Delivered 1 squadron (squadron 1) to Punjab sector under s400-india-2018"]
        == "Dec 2021"
    )
    assert dated["delivery: Delivered 1 squadron (squadron 3) under s400-india-2018"] == "2023"
    assert (
        dated[
            "note: Note on contract:s400-india-2018: The S-400 was used in Operation Sindoor"
            " against Pakistan in May 2025."
        ]
        == "May 2025"
    )


def test_citations_are_numbered_once_per_source_across_the_whole_report(shared: Tracker):
    report = timeline_of(shared)
    urls = [s.url for s in report.sources if s.url is not None]
    assert len(urls) == len(set(urls))
    described = [(c.source.publisher, c.source.title) for s in report.sources for c in s.cited]
    assert len(described) == len(set(described)) == len(report.sources)  # no URL cited two ways
    cited = {c.number for line in report.lines for c in line.citations}
    assert cited == set(range(1, len(report.sources) + 1))
    # The same SIPRI register entry backs a value figure and a delivery: one number for both.
    register = ("SIPRI", "SIPRI Arms Transfers Database, trade register, 13 Mar 2025")
    sipri = described.index(register) + 1
    citing = [line.summary for line in report.lines if sipri in {c.number for c in line.citations}]
    assert any("squadron 2" in s for s in citing) and any("INR 390 bn" in s for s in citing)


def test_the_source_list_gives_title_publisher_date_and_url(shared: Tracker):
    text = render_text(timeline_of(shared, ["s400-india-2018"]))
    sources = flat(text.split("\nSources\n")[1])
    assert sources.startswith("[1] BRICS Summit 2016: India, Russia bolster defence ties")
    assert (
        "India, Russia sign S-400 missile deal, keep announcement low-key, NDTV, 2018-10-05, "
        "https://www.ndtv.com/india-news/india-russia-sign-s-400-missile-deal-keep-announcement"
        "-low-key-1927382"
    ) in sources
    first = text_entries(text)[1]
    assert first[1].endswith("[3][4][5][6]") and "Contract s400-india-2018 signed" in first[1]


def test_as_of_the_first_delivery_only_one_s400_squadron_is_in(shared: Tracker):
    report = timeline_of(shared, ["s400-india-2018"], as_of=date(2022, 1, 1))
    text = flat(render_text(report))
    assert "As of 1 Jan 2022." in text
    assert "Delivered: 1 squadron (20% of the order)" in text
    assert "Remaining: 4 squadrons" in text
    summaries = [line.summary for line in report.lines]
    assert sum("Delivered" in s for s in summaries) == 1
    assert not any("now due" in s for s in summaries)  # every revision came later
    assert all(line.entry.date.latest <= date(2022, 1, 1) for line in report.lines)
    assert "Completion: by end 2023" in text


def test_from_and_to_keep_only_entries_that_can_fall_in_the_window(shared: Tracker):
    report = timeline_of(
        shared, ["s400-india-2018"], start=date(2022, 1, 1), end=date(2023, 12, 31)
    )
    assert [line.date_text for line in report.lines] == [
        "2022",
        "17 Jan 2022",
        "Apr 2022",
        "2023",
        "23 Mar 2023",
        "23 Mar 2023",
    ]


def test_a_country_with_no_contract_gives_an_empty_report_that_says_so(shared: Tracker):
    text = render_text(timeline_of(shared, country="Turkey", scope=["contracts of Turkey"]))
    assert (
        text == "Procurement timeline\nAs of 24 Nov 2026.\nShowing contracts of Turkey.\n\n"
        "No contracts match.\n"
    )
