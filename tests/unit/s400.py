"""The real S-400 story (domain-facts.md, section A) as events, through the write path."""

from __future__ import annotations

from datetime import date

from tests.unit.factories import (
    REF,
    Log,
    contract_signed,
    delivery_recorded,
    delivery_scheduled,
    figure_reported,
    milestone,
    schedule_revised,
    source,
)
from tracker.domain.values.money import Money

NDTV = source()
DAWN = source(
    publisher="Dawn",
    title="Russia, India sign $5bn deal for S-400 air defence system",
    url="https://www.dawn.com/news/1436971/russia-india-sign-5bn-deal-for-s-400-air-defence-system",
)
DEFENSE_MIRROR = source(
    publisher="Defense Mirror",
    title="Russia Starts Delivery of S-400 Missile Systems to India",
    url="https://defensemirror.com/news/30774/Russia_Starts_Delivery_of_S_400_Missile_Systems_to_India",
    published=None,
)
AL_MAYADEEN = source(
    publisher="Al Mayadeen",
    title="India: Russia begun delivering S-400 missile defense system",
    url="https://english.almayadeen.net/news/politics/india:-russia-begun-delivering-s-400-missile-defense-system",
    published=None,
)
REDIFF = source(
    publisher="rediff (PTI)",
    title="India to get 2 more S400 missile systems next year",
    url="https://news.rediff.com/commentary/2024/apr/23/india-to-get-2-more-s400-missile-systems-next-year/ffbcc3bd412e07631294f20e65595a13",
    published=date(2024, 4, 23),
)
SPUTNIK = source(
    publisher="Sputnik",
    title="India set to take delivery of S-400 order by December",
    url="https://sputnikglobe.com/20211005/india-set-to-take-delivery-of-s-400-order-by-december-as-china-plants-air-force-at-lac-iaf-chief-1089679201.html",
    published=date(2021, 10, 5),
)
NEWSBYTES = source(
    publisher="NewsBytes",
    title="Despite US disapproval, India deploys Russia's S-400",
    url="https://www.newsbytesapp.com/news/india/despite-us-disapproval-india-deploys-russia-s-s-400/story",
    published=date(2021, 12, 21),
)
NEWSBHARATI = source(
    publisher="NewsBharati",
    title="India to deploy S-400 squadron at Indo-China border",
    url="https://newsbharati.com//Encyc/2022/7/25/India-to-deploy-S-400-squadron-at-Indo-China-border-as-PLA-jets-continue-to-fly-close-to-LAC.html",
    published=date(2022, 7, 25),
)
SIPRI = source(publisher="SIPRI", title="Trade register: India, S-400, 2023", url=None)
KHYBER_MAIL = source(
    publisher="Khyber Mail",
    title="Ukraine war could impact S-400 delivery to India",
    url="https://www.thekhybermail.com/ukraine-war-could-impact-s-400-delivery-to-india/",
    published=None,
)
SHAFAQ = source(
    publisher="Shafaq News",
    title="India awaits delayed S-400 deliveries as strategic talks with Russia continue",
    url="https://www.shafaq.com/en/World/India-awaits-delayed-S-400-deliveries-as-strategic-talks-with-Russia-continue",
    published=None,
)


def s400_log(today: date = date(2026, 1, 15)) -> Log:
    """The contract, the original schedule, three deliveries and three revisions."""
    log = Log(today)
    log.append(contract_signed(sources=(NDTV, DAWN), value=Money.parse("USD 5bn")), "signed")
    log.append(
        figure_reported(sources=(DEFENSE_MIRROR, AL_MAYADEEN), value=Money.parse("USD 5.43bn"))
    )
    log.append(
        figure_reported(occurred="2024-04-23", sources=(REDIFF,), value=Money.parse("USD 5.5bn"))
    )
    log.append(figure_reported(sources=(DEFENSE_MIRROR,), value=Money.parse("INR 40,000 crore")))
    log.append(
        delivery_scheduled(
            occurred="2021-10-05",
            sources=(SPUTNIK,),
            milestones=tuple(milestone(f"squadron {n}", 1, "by 2023") for n in range(1, 6)),
            confidence="planned",
        ),
        "schedule",
    )
    log.append(
        delivery_recorded(occurred="2021-12", label="squadron 1", sources=(NEWSBYTES,)), "sq1"
    )
    log.append(
        delivery_recorded(occurred="2022", label="squadron 2", sources=(NEWSBHARATI,)), "sq2"
    )
    log.append(
        delivery_recorded(
            occurred="2023", label="squadron 3", sources=(SIPRI,), confidence="reported"
        ),
        "sq3",
    )
    for label in ("squadron 4", "squadron 5"):
        log.append(
            schedule_revised(
                occurred="2023-03-23",
                milestone=label,
                due="by 2024",
                reason="deliveries planned for 2023 now to complete by 2024",
                sources=(KHYBER_MAIL,),
            )
        )
        log.append(
            schedule_revised(
                occurred="2024-04-23",
                milestone=label,
                due="by 2025",
                reason="new timeline: remaining two regiments by 2025",
                sources=(REDIFF,),
            )
        )
    for label, year in (("squadron 4", "2026"), ("squadron 5", "2027")):
        log.append(
            schedule_revised(
                occurred="2025-06-26",
                milestone=label,
                due=year,
                reason="Russia reaffirms remaining two by 2026-27",
                sources=(SHAFAQ,),
            )
        )
    return log


def s400_state(today: date = date(2026, 1, 15)):  # type: ignore[no-untyped-def]
    return s400_log(today).state(f"contract:{REF}")
