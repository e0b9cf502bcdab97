"""`tracker log` kinds beyond contracts: agreement, extend, jv, production, production-plan,
note, party, and the fixes correct and retract."""

from __future__ import annotations

from typing import Any

import click

from tracker.cli.input_types import (
    ASSIGNMENT,
    FIGURE,
    FUZZY_DATE,
    KNOWN_FIGURE,
    PERCENT,
    REFERENCE,
    SHARE,
    SUBJECT,
)
from tracker.cli.log_submit import exactly_one, submit
from tracker.cli.option_bundles import SOURCE_HELP, event_options


@click.command()
@click.argument("reference", type=REFERENCE)
@click.option("--title", required=True, help="Its name, e.g. 'Military-technical programme'.")
@click.option(
    "--party", "parties", multiple=True, required=True, help="A signatory. Repeat for each."
)
@click.option("--valid-from", type=FUZZY_DATE, help="First day in force, e.g. 2021.")
@click.option("--valid-to", type=FUZZY_DATE, help="Last day in force, e.g. 2031.")
@event_options()
@click.pass_context
def agreement(ctx: click.Context, **options: Any) -> None:
    """An agreement or programme was signed.

    REFERENCE names the inter-governmental agreement from now on.

    \b
    Example:
      tracker log agreement mtc-india-russia \\
        --title "Military-technical cooperation" --party India --party Russia \\
        --valid-from 2021 --valid-to 2031 \\
        --occurred 2021-12-06 --source https://www.indiatoday.in/...
    """
    names = ("reference", "title", "parties", "valid_from", "valid_to")
    submit(ctx, {k: options[k] for k in names}, options)


@click.command()
@click.argument("reference", type=REFERENCE)
@click.option("--valid-to", type=FUZZY_DATE, required=True, help="The new last day in force.")
@click.option("--valid-from", type=FUZZY_DATE, help="A new first day, if it changed.")
@click.option("--title", help="A new name, e.g. 'Programme 2021-2031'.")
@event_options()
@click.pass_context
def extend(ctx: click.Context, **options: Any) -> None:
    """An agreement was extended.

    REFERENCE is the agreement; its new end date, start or title replace the old.

    \b
    Example:
      tracker log extend mtc-india-russia --valid-to 2031 \\
        --title "Programme 2021-2031" --occurred 2021-12-06 \\
        --source https://www.indiatoday.in/...
    """
    names = ("reference", "valid_to", "valid_from", "title")
    submit(ctx, {k: options[k] for k in names}, options)


@click.command()
@click.argument("reference", type=REFERENCE)
@click.option("--name", required=True, help="Its registered name.")
@click.option(
    "--partner",
    "partners",
    type=SHARE,
    multiple=True,
    required=True,
    help="A partner and its share, NAME=PERCENT; shares sum to 100. Repeat for each.",
)
@click.option("--location", help="Where it builds, e.g. 'Korwa, Amethi'.")
@click.option("--product", "products", multiple=True, help="What it makes. Repeat for each.")
@event_options()
@click.pass_context
def jv(ctx: click.Context, **options: Any) -> None:
    """A joint venture was established.

    REFERENCE names it from now on.

    \b
    Example:
      tracker log jv irrpl --name "Indo-Russian Rifles Pvt Ltd" \\
        --partner "AWEIL and MIL=50.5" --partner "Kalashnikov Concern=42" \\
        --partner "Rosoboronexport=7.5" --location "Korwa, Amethi" \\
        --product AK-203 --occurred 2019-03-03 \\
        --source https://www.indiatvnews.com/...
    """
    fields = {k: options[k] for k in ("reference", "name", "location", "products")}
    fields["partners"] = dict(options["partners"])
    if len(fields["partners"]) != len(options["partners"]):
        raise click.UsageError("Each --partner may be named only once.")
    submit(ctx, fields, options)


@click.command()
@click.argument("joint_venture", metavar="JV", type=REFERENCE)
@click.option("--contract", type=REFERENCE, required=True, help="The contract it built for.")
@click.option("--quantity", type=FIGURE, help="How many were made (an increment).")
@click.option("--cumulative-total", type=FIGURE, help="How many have been made in all, instead.")
@click.option("--indigenisation-percent", type=PERCENT, help="Share made locally, e.g. 50.")
@event_options()
@click.pass_context
def production(ctx: click.Context, **options: Any) -> None:
    """A joint venture reported output.

    JV made items for the contract given with --contract.

    \b
    Example:
      tracker log production irrpl --contract ak203-india-2021 \\
        --cumulative-total 35000 --occurred 2024-07-06 \\
        --source https://www.newindianexpress.com/...
    """
    exactly_one(quantity=options["quantity"], cumulative_total=options["cumulative_total"])
    names = ("joint_venture", "contract", "quantity", "cumulative_total", "indigenisation_percent")
    submit(ctx, {k: options[k] for k in names}, options)


@click.command("production-plan")
@click.argument("joint_venture", metavar="JV", type=REFERENCE)
@click.option("--contract", type=REFERENCE, required=True, help="The contract it plans for.")
@click.option("--rate-per-month", type=KNOWN_FIGURE, help="Planned output a month, e.g. 12000.")
@click.option(
    "--rate-from",
    type=FUZZY_DATE,
    help="First month of that rate, e.g. 2026-01 (default: --occurred).",
)
@click.option("--due", type=FUZZY_DATE, help="When the order (or --quantity) is to be made by.")
@click.option(
    "--quantity", type=KNOWN_FIGURE, help="How many are due by --due (default: the whole order)."
)
@event_options()
@click.pass_context
def production_plan(ctx: click.Context, **options: Any) -> None:
    """A joint venture planned its output.

    JV plans output for the contract given with --contract: a monthly rate from a month on,
    a deadline, or both. A plan never counts as output; a later plan replaces an earlier
    one's rate from its own --rate-from, and its --due replaces the earlier deadline.
    `tracker production` weighs the output against it.

    \b
    Example:
      tracker log production-plan irrpl --contract ak203-india-2021 \\
        --rate-per-month 12000 --rate-from 2026-01 --due 2032-10 \\
        --occurred 2025-07-19 --confidence planned \\
        --source https://www.htsyndication.com/...
    """
    if options["rate_per_month"] is None and options["due"] is None:
        raise click.UsageError("Give --rate-per-month, --due, or both.")
    names = ("joint_venture", "contract", "rate_per_month", "rate_from", "due", "quantity")
    submit(ctx, {k: options[k] for k in names}, options)


@click.command()
@click.argument("subject", type=SUBJECT)
@click.option("--text", required=True, help="The note.")
@click.option("--tag", "tags", multiple=True, help="A tag, e.g. caatsa. Repeat for each.")
@event_options()
@click.pass_context
def note(ctx: click.Context, **options: Any) -> None:
    """A note on a contract, JV, agreement or topic.

    SUBJECT is contract:REF, jv:REF, agreement:REF or topic:SLUG.

    \b
    Example:
      tracker log note topic:caatsa --text "US has not decided on a waiver" \\
        --tag sanctions --occurred 2021-11 \\
        --source https://www.newsbytesapp.com/...
    """
    submit(ctx, {k: options[k] for k in ("subject", "text", "tags")}, options)


@click.command()
@click.argument("name")
@click.option(
    "--kind",
    "category",
    type=click.Choice(["company", "organisation", "non-state"]),
    required=True,
    help="What it is.",
)
@click.option("--country", help="Where it is registered or based (needed for a company).")
@click.option("--alias", "aliases", multiple=True, help="Another name for it. Repeat for each.")
@event_options(occurred_default="today")
@click.pass_context
def party(ctx: click.Context, **options: Any) -> None:
    """Declare a party the closed list lacks, once.

    NAME is a company, organisation or non-state actor; from then on it (or an alias) may be
    a buyer, seller, manufacturer or intermediary. Countries and the parties SIPRI lists
    need no declaration.

    \b
    Example:
      tracker log party "Concern Kalashnikov" --kind company --country Russia \\
        --alias "Kalashnikov Concern" \\
        --source https://en.kalashnikovgroup.ru/
    """
    names = ("name", "category", "country", "aliases")
    submit(ctx, {k: options[k] for k in names}, options)


@click.command()
@click.argument("event")
@click.option(
    "--set",
    "changes",
    type=ASSIGNMENT,
    multiple=True,
    required=True,
    help="A corrected field, FIELD=VALUE (e.g. quantity=2); an empty VALUE clears it.",
)
@click.option("--reason", required=True, help="Why the event was wrong.")
@event_options(occurred_default="today")
@click.pass_context
def correct(ctx: click.Context, **options: Any) -> None:
    """Correct fields of an earlier event.

    EVENT is an event id or its position in the log (see `tracker events`). The original
    stays in the log; every view shows the corrected version.

    \b
    Example:
      tracker log correct 7 --set quantity=2 --reason "two squadrons, not one" \\
        --source https://example.org/correction
    """
    changes = dict(options["changes"])
    target = _event_id(ctx, options["event"])
    fields = {"target_event_id": target, "changes": changes, "reason": options["reason"]}
    submit(ctx, fields, options)


@click.command()
@click.argument("event")
@click.option("--reason", required=True, help="Why it no longer counts.")
@event_options(occurred_default="today")
@click.pass_context
def retract(ctx: click.Context, **options: Any) -> None:
    """Withdraw an earlier event.

    EVENT is an event id or its position in the log (see `tracker events`). It stays in
    the log but no longer counts in any view.

    \b
    Example:
      tracker log retract 7 --reason "the report was denied" \\
        --source https://example.org/denial
    """
    target = _event_id(ctx, options["event"])
    submit(ctx, {"target_event_id": target, "reason": options["reason"]}, options)


def _event_id(ctx: click.Context, given: str) -> str:
    from tracker.cli.log_listing import event_id

    return event_id(ctx, given)


#: The `tracker log` subcommands of this module, each named by its event class's kind.
COMMANDS = (agreement, extend, jv, production, production_plan, note, party, correct, retract)
for _command in COMMANDS:
    _command.epilog = SOURCE_HELP
