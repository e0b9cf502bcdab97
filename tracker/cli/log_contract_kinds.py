"""`tracker log` kinds about a contract: contract, amend, cancel, figure, schedule, revise,
delivery."""

from __future__ import annotations

from typing import Any

import click

from tracker.cli.input_types import (
    COUNT,
    FIGURE,
    FUZZY_DATE,
    MONEY,
    ORDERED,
    REFERENCE,
    assumptions,
)
from tracker.cli.log_submit import exactly_one, submit
from tracker.cli.option_bundles import SOURCE_HELP, event_options


@click.command()
@click.argument("reference", type=REFERENCE)
@click.option("--system", required=True, help="What is bought, e.g. 'S-400 Triumf'.")
@click.option("--description", help="What kind of system, e.g. 'SAM system'.")
@click.option("--buyer", required=True, help="Buying country or party, e.g. India.")
@click.option("--seller", required=True, help="Selling country or party, e.g. Russia.")
@click.option(
    "--quantity",
    type=ORDERED,
    required=True,
    help="How many were ordered, or 'unknown' if no source says.",
)
@click.option("--unit", required=True, help="What is counted, e.g. squadron (singular).")
@click.option("--value", type=MONEY, help="Contract value, e.g. 'USD 5bn', 'INR 40,000 crore'.")
@click.option("--joint-venture", type=REFERENCE, metavar="REF", help="JV that builds it.")
@click.option("--agreement", type=REFERENCE, metavar="REF", help="Agreement it falls under.")
@click.option(
    "--manufacturer",
    "manufacturers",
    multiple=True,
    metavar="PARTY",
    help="Manufacturer or prime contractor, e.g. Dassault. Repeat for each.",
)
@click.option(
    "--intermediary",
    "intermediaries",
    multiple=True,
    metavar="PARTY",
    help="A party the deal went through. Repeat for each.",
)
@event_options()
@click.pass_context
def contract(ctx: click.Context, **options: Any) -> None:
    """A contract was signed.

    REFERENCE names it from now on: a lowercase slug such as s400-india-2018. Parties
    (buyer, seller, manufacturers, intermediaries) are countries, the organisations and
    actors SIPRI lists, or parties declared with `tracker log party`; the spelling given
    is kept beside the name it resolves to.

    \b
    Example:
      tracker log contract s400-india-2018 --system "S-400 Triumf" \\
        --description "SAM system" --buyer India --seller Russia \\
        --quantity 5 --unit squadron --value "USD 5bn" --occurred 2018-10-05 \\
        --source https://www.ndtv.com/... --publisher NDTV \\
        --confidence confirmed
    """
    names = ("reference", "system", "description", "buyer", "seller", "quantity", "unit")
    more = ("value", "joint_venture", "agreement", "manufacturers", "intermediaries")
    fields = {k: options[k] for k in (*names, *more)}
    if fields["quantity"] == "unknown":
        fields["quantity"] = None
        submit(ctx, fields, options, explicit={"quantity": None})
    else:
        submit(ctx, fields, options)
    _echo_assumptions(ctx)


@click.command()
@click.argument("contract", type=REFERENCE)
@click.option("--quantity", type=COUNT, help="The new ordered quantity.")
@click.option("--value", type=MONEY, help="The new contract value.")
@click.option("--reason", help="Why it changed.")
@event_options()
@click.pass_context
def amend(ctx: click.Context, **options: Any) -> None:
    """A contract's quantity or value changed.

    \b
    Example:
      tracker log amend s400-india-2018 --quantity 6 --reason "option taken" \\
        --occurred 2020-01 --source https://example.org/story
    """
    if options["quantity"] is None and options["value"] is None:
        raise click.UsageError("Give --quantity, --value or both.")
    fields = {k: options[k] for k in ("contract", "quantity", "value", "reason")}
    submit(ctx, fields, options)
    _echo_assumptions(ctx)


@click.command()
@click.argument("contract", type=REFERENCE)
@click.option("--reason", required=True, help="Why it was cancelled.")
@event_options()
@click.pass_context
def cancel(ctx: click.Context, **options: Any) -> None:
    """A contract was cancelled.

    Nothing more can be delivered under CONTRACT after the cancellation.

    \b
    Example:
      tracker log cancel s400-india-2018 --reason sanctions --occurred 2024-01 \\
        --source https://example.org/story
    """
    submit(ctx, {k: options[k] for k in ("contract", "reason")}, options)


@click.command()
@click.argument("contract", type=REFERENCE)
@click.option("--value", type=MONEY, help="A value a source gave, e.g. 'USD 5.43bn'.")
@click.option("--quantity", type=COUNT, help="A quantity a source gave.")
@click.option("--note", help="Context, e.g. 'INR 40,000 crore'.")
@event_options()
@click.pass_context
def figure(ctx: click.Context, **options: Any) -> None:
    """A source reported a value or quantity.

    A figure for CONTRACT as one source gave it; sources often disagree and every report
    is kept (see the value range in `tracker status`).

    \b
    Example:
      tracker log figure s400-india-2018 --value "USD 5.43bn" \\
        --occurred 2018-10-05 --publisher "Defense Mirror" \\
        --source https://defensemirror.com/news/30774/...
    """
    exactly_one(value=options["value"], quantity=options["quantity"])
    fields = {k: options[k] for k in ("contract", "value", "quantity", "note")}
    submit(ctx, fields, options)
    _echo_assumptions(ctx)


@click.command()
@click.argument("contract", type=REFERENCE)
@click.option(
    "--milestone",
    "milestones",
    type=(str, COUNT, FUZZY_DATE),
    multiple=True,
    required=True,
    metavar="LABEL QUANTITY DUE",
    help="A milestone: its label, how many, when due. Repeat for each.",
)
@event_options()
@click.pass_context
def schedule(ctx: click.Context, **options: Any) -> None:
    """Deliveries were planned as milestones.

    Each --milestone of CONTRACT has a label, a quantity and a due date.

    \b
    Example:
      tracker log schedule s400-india-2018 \\
        --milestone "squadron 1" 1 "by 2023" \\
        --milestone "squadron 2" 1 "by 2023" \\
        --occurred 2021-10-05 --source https://sputnikglobe.com/... \\
        --confidence planned
    """
    milestones = [{"label": m[0], "quantity": m[1], "due": m[2]} for m in options["milestones"]]
    submit(ctx, {"contract": options["contract"], "milestones": milestones}, options)


@click.command()
@click.argument("contract", type=REFERENCE)
@click.option(
    "--milestone",
    "milestones",
    multiple=True,
    required=True,
    metavar="LABEL",
    help="The milestone moved. Repeat to move several to the same date.",
)
@click.option("--due", type=FUZZY_DATE, required=True, help="The new due date.")
@click.option("--quantity", type=COUNT, help="The new quantity, if it changed.")
@click.option("--reason", help="Why it moved.")
@event_options()
@click.pass_context
def revise(ctx: click.Context, **options: Any) -> None:
    """A milestone got a new due date.

    One revision of CONTRACT is logged per --milestone, all with the same --due.

    \b
    Example:
      tracker log revise s400-india-2018 --milestone "squadron 4" \\
        --milestone "squadron 5" --due "by 2024" --reason "Ukraine war" \\
        --occurred 2023-03-23 --source https://www.thekhybermail.com/...
    """
    fields = {k: options[k] for k in ("contract", "due", "quantity", "reason")}
    each = [{"milestone": label} for label in dict.fromkeys(options["milestones"])]
    submit(ctx, fields, options, each=each)


@click.command()
@click.argument("contract", type=REFERENCE)
@click.option("--quantity", type=FIGURE, help="How many arrived (an increment).")
@click.option("--cumulative-total", type=FIGURE, help="How many have arrived in all, instead.")
@click.option("--label", help="Which milestone it fills, e.g. 'squadron 1'.")
@click.option(
    "--unscheduled",
    is_flag=True,
    help="It is outside the schedule: fills no milestone; --label may name none.",
)
@click.option("--destination", help="Where it went, e.g. 'Punjab sector'.")
@event_options()
@click.pass_context
def delivery(ctx: click.Context, **options: Any) -> None:
    """Items were delivered under a contract.

    With --label the delivery fills that milestone of the schedule, which must exist and
    not be delivered in full yet (to change an earlier delivery use `tracker log
    correct`). Without one it is matched now to the earliest open milestone(s), and the
    output says which; the match is kept as logged.

    \b
    Example:
      tracker log delivery s400-india-2018 --quantity 1 --label "squadron 1" \\
        --occurred 2021-12 --source https://www.newsbytesapp.com/... \\
        --source-title "Despite US disapproval, India deploys Russia's S-400" \\
        --publisher NewsBytes --published 2021-12-21 --confidence confirmed
    """
    exactly_one(quantity=options["quantity"], cumulative_total=options["cumulative_total"])
    names = ("contract", "quantity", "cumulative_total", "label", "unscheduled", "destination")
    submit(ctx, {k: options[k] for k in names}, options)


def _echo_assumptions(ctx: click.Context) -> None:
    """Say how a value was read when the text left a choice ('$' alone is USD)."""
    for note in assumptions(ctx):
        click.echo(f"  {note}")


#: The `tracker log` subcommands of this module, each named by its event class's kind.
COMMANDS = (contract, amend, cancel, figure, schedule, revise, delivery)
for _command in COMMANDS:
    _command.epilog = SOURCE_HELP
