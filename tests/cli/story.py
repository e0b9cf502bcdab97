"""The S-400 story (domain-facts.md A.1-A.3) as a person would log it, one command at a time."""

from __future__ import annotations

from tests.cli.conftest import Cli

REF = "s400-india-2018"
NDTV = "https://www.ndtv.com/india-news/india-russia-sign-s-400-missile-deal-keep-announcement-low-key-1927382"
DAWN = "https://www.dawn.com/news/1436971/russia-india-sign-5bn-deal-for-s-400-air-defence-system"
DEFENSE_MIRROR = (
    "https://defensemirror.com/news/30774/Russia_Starts_Delivery_of_S_400_Missile_Systems_to_India"
)
REDIFF = "https://news.rediff.com/commentary/2024/apr/23/india-to-get-2-more-s400-missile-systems-next-year/ffbcc3bd412e07631294f20e65595a13"
SPUTNIK = "https://sputnikglobe.com/20211005/india-set-to-take-delivery-of-s-400-order-by-december-as-china-plants-air-force-at-lac-iaf-chief-1089679201.html"
NEWSBYTES = "https://www.newsbytesapp.com/news/india/despite-us-disapproval-india-deploys-russia-s-s-400/story"
NEWSBHARATI = "https://newsbharati.com//Encyc/2022/7/25/India-to-deploy-S-400-squadron-at-Indo-China-border-as-PLA-jets-continue-to-fly-close-to-LAC.html"
KHYBER_MAIL = "https://www.thekhybermail.com/ukraine-war-could-impact-s-400-delivery-to-india/"
IDN_2024_12 = "https://www.indiandefensenews.in/2024/12/india-urges-russia-to-accelerate-s-400.html"
SHAFAQ = "https://www.shafaq.com/en/World/India-awaits-delayed-S-400-deliveries-as-strategic-talks-with-Russia-continue"
IDN_2026_01 = "https://www.indiandefensenews.in/2026/01/russia-to-deliver-fourth-s-400-air.html"

CONTRACT = [
    "log", "contract", REF,
    "--system", "S-400 Triumf", "--description", "SAM system",
    "--buyer", "India", "--seller", "Russia",
    "--quantity", "5", "--unit", "squadrons", "--value", "USD 5bn",
    "--occurred", "2018-10-05",
    "--source", NDTV, "--publisher", "NDTV", "--published", "2018-10-05",
    "--source", DAWN, "--publisher", "Dawn", "--published", "2018-10-05",
    "--confidence", "confirmed",
]  # fmt: skip
FIGURES = [
    ["log", "figure", REF, "--value", "USD 5.43bn", "--note", "INR 40,000 crore",
     "--occurred", "2018-10-05", "--source", DEFENSE_MIRROR, "--publisher", "Defense Mirror"],
    ["log", "figure", REF, "--value", "INR 40,000 crore",
     "--occurred", "2018-10-05", "--source", DEFENSE_MIRROR, "--publisher", "Defense Mirror"],
    ["log", "figure", REF, "--value", "USD 5.5bn", "--occurred", "2024-04-23",
     "--source", REDIFF, "--publisher", "rediff (PTI)", "--published", "2024-04-23"],
]  # fmt: skip
SCHEDULE = [
    "log", "schedule", REF,
    *[a for n in range(1, 6) for a in ("--milestone", f"squadron {n}", "1", "by 2023")],
    "--occurred", "2021-10-05", "--source", SPUTNIK, "--publisher", "Sputnik",
    "--confidence", "planned",
]  # fmt: skip
DELIVERIES = [
    ["log", "delivery", REF, "--quantity", "1", "--label", "squadron 1", "--occurred", "2021-12",
     "--source", NEWSBYTES,
     "--source-title", "Despite US disapproval, India deploys Russia's S-400",
     "--publisher", "NewsBytes", "--published", "2021-12-21", "--confidence", "confirmed"],
    ["log", "delivery", REF, "--quantity", "1", "--label", "squadron 2", "--occurred", "2022",
     "--source", NEWSBHARATI, "--publisher", "NewsBharati", "--published", "2022-07-25"],
    ["log", "delivery", REF, "--quantity", "1", "--label", "squadron 3", "--occurred", "2023",
     "--source", "", "--source-title", "SIPRI trade register: India, S-400", "--publisher", "SIPRI",
     "--confidence", "reported"],
]  # fmt: skip


def revision(occurred: str, due: str, reason: str, source: str, *labels: str) -> list[str]:
    milestones = [a for label in labels for a in ("--milestone", label)]
    return [
        "log", "revise", REF, *milestones, "--due", due, "--reason", reason,
        "--occurred", occurred, "--source", source, "--confidence", "planned",
    ]  # fmt: skip


SQ4, SQ5 = "squadron 4", "squadron 5"
REVISIONS = [
    revision("2023-03-23", "by 2024", "planned for 2023, now by 2024", KHYBER_MAIL, SQ4, SQ5),
    revision("2024-04-23", "by 2025", "new timeline: last two by 2025", REDIFF, SQ4, SQ5),
    revision("2024-12", "2026-03", "India asks Russia to speed up", IDN_2024_12, SQ4),
    revision("2024-12", "2026-10", "India asks Russia to speed up", IDN_2024_12, SQ5),
    revision("2025-06-26", "2026", "Russia reaffirms last two by 2026-27", SHAFAQ, SQ4),
    revision("2025-06-26", "2027", "Russia reaffirms last two by 2026-27", SHAFAQ, SQ5),
    revision("2026-01", "by 2026-05", "Russia confirms the 4th by end May 2026", IDN_2026_01, SQ4),
]

STORY = [CONTRACT, *FIGURES, SCHEDULE, *DELIVERIES, *REVISIONS]


def log_s400(run: Cli) -> list[str]:
    """Log the whole story; return what each command printed."""
    return [run.ok(*command) for command in STORY]
