"""Attacks on the read models by a role that may write them (issue #18).

On PostgreSQL the attacker is the writer role made by `tracker db grant --login` (it may
UPDATE, DELETE and INSERT rows of every proj_* table and of projection_checkpoints); on
SQLite whoever can open the file. A falsified read model is named by `verify` and repaired
by `projections rebuild`; it never makes the rules accept an event the log refuses; a
checkpoint moved back or beyond the head is repaired by the next catch-up, and reads and
writes go on working meanwhile.

The oracles: the read models as the honest write path left them before each attack (the
repair must give back exactly those rows), and the S-400 facts of the seed (5 ordered,
3 delivered), computed by hand.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import orjson
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from tests.reliability.conftest import Tally, chain, fresh, invoke, ok, projections, trials
from tracker.service.app import Tracker

S400 = "contract:s400-india-2018"
ORDERED, DELIVERED = 5, 3  # the seed's S-400: five squadrons ordered, three delivered
SEEDED = 65  # events in the seeds (mtc 3, s400 30, ak203 26, caatsa 6)
SOURCE = ("--source", "https://example.org/attack")


@dataclass
class Roles:
    """The database as its owner sees it, and the URLs and engine of the attacker."""

    owner: Tracker
    owner_url: str
    writer_url: str
    reader_url: str
    writer: Engine


@pytest.fixture
def roles(db_url: str) -> Iterator[Roles]:
    """A seeded database and its writer (and reader) role on PostgreSQL; on SQLite the
    attacker is anyone who can open the file, so every URL is the file's."""
    owner = fresh(db_url)
    owner.seed()
    names: list[str] = []
    writer_url = reader_url = db_url
    if owner.engine.dialect.name == "postgresql":
        suffix = uuid.uuid4().hex[:8]
        names = [f"rmw_{suffix}", f"rmr_{suffix}"]
        ok(db_url, "db", "grant", "--writer", names[0], "--reader", names[1], "--login")
        writer_url = db_url.replace("//postgres@", f"//{names[0]}@")
        reader_url = db_url.replace("//postgres@", f"//{names[1]}@")
    writer = create_engine(writer_url)
    yield Roles(owner, db_url, writer_url, reader_url, writer)
    writer.dispose()
    with owner.engine.begin() as conn:
        for name in names:
            conn.exec_driver_sql(f"DROP OWNED BY {name}")
            conn.exec_driver_sql(f"DROP ROLE {name}")
    owner.close()


# --- falsifying a row -------------------------------------------------------------------


def forge_state(engine: Engine, stream_id: str, change: Callable[[dict[str, Any]], None]) -> None:
    """Rewrite one state row as the attacker: its JSON changed by ``change``, and every
    other column that could vouch for it (position, version) moved along."""
    with engine.begin() as conn:
        row = conn.execute(
            text("SELECT state, position FROM proj_contracts WHERE stream_id = :s"),
            {"s": stream_id},
        ).one()
        state = orjson.loads(row.state)
        change(state)
        state["version"] += 100
        done = conn.execute(
            text("UPDATE proj_contracts SET state = :state, position = :p WHERE stream_id = :s"),
            {"state": orjson.dumps(state).decode(), "p": row.position + 100, "s": stream_id},
        )
        assert done.rowcount == 1


def quantity_500(engine: Engine) -> None:
    def change(state: dict[str, Any]) -> None:
        assert state["signing"]["event"]["quantity"] == ORDERED
        state["signing"]["event"]["quantity"] = 500

    forge_state(engine, S400, change)


def no_deliveries(engine: Engine) -> None:
    def change(state: dict[str, Any]) -> None:
        assert len(state["deliveries"]) == DELIVERED
        state["deliveries"] = []

    forge_state(engine, S400, change)


def ghost_contract(engine: Engine) -> None:
    """A row for a contract no event ever signed: a copy of the S-400 under another name."""
    with engine.begin() as conn:
        row = conn.execute(
            text("SELECT * FROM proj_contracts WHERE stream_id = :s"), {"s": S400}
        ).one()
        state = orjson.loads(row.state)
        state["stream_id"] = "contract:ghost-2025"
        state["signing"]["event"]["reference"] = "ghost-2025"
        conn.execute(
            text(
                "INSERT INTO proj_contracts (stream_id, system, buyer, seller, position, state)"
                " VALUES (:s, :system, :buyer, :seller, :p, :state)"
            ),
            {
                "s": "contract:ghost-2025",
                "system": row.system,
                "buyer": row.buyer,
                "seller": row.seller,
                "p": row.position,
                "state": orjson.dumps(state).decode(),
            },
        )


@dataclass(frozen=True)
class Forgery:
    """A falsified read model, what verify must say of it, and a delivery that the forged
    state would allow but the log refuses (with the rules' words for why)."""

    name: str
    forge: Callable[[Engine], None]
    named: str  # the row and the difference verify names
    delivery: tuple[str, str]  # (contract, quantity)
    refusal: str


FORGERIES = [
    Forgery(
        "quantity 500",
        quantity_500,
        f"{S400}: state.signing.event.quantity is 500 in the table, 5 in the log",
        ("s400-india-2018", "50"),
        "Delivery of 50 squadrons to s400-india-2018 would bring delivered to 53, "
        "above the 5 ordered",
    ),
    Forgery(
        "deliveries erased",
        no_deliveries,
        f"{S400}: state.deliveries is [] in the table,",
        ("s400-india-2018", "5"),
        "Delivery of 5 squadrons to s400-india-2018 would bring delivered to 8, "
        "above the 5 ordered",
    ),
    Forgery(
        "ghost contract",
        ghost_contract,
        "contract:ghost-2025: a row for a stream the log does not hold",
        ("ghost-2025", "1"),
        "No contract 'ghost-2025'",
    ),
]


def status_of(url: str, ref: str = "s400-india-2018") -> dict[str, Any]:
    found: list[dict[str, Any]] = orjson.loads(ok(url, "status", ref, "--format", "json"))
    return found[0]


def test_a_falsified_read_model_is_named_by_verify_and_repaired_by_rebuild(
    roles: Roles, tally: Tally
) -> None:
    tally.campaign = "read model falsified: verify, rebuild"
    honest = projections(roles.owner)
    runs = [FORGERIES[n % len(FORGERIES)] for n in trials(len(FORGERIES), 30)]
    tally.trials = len(runs)
    for forgery in runs:
        forgery.forge(roles.writer)
        assert projections(roles.owner) != honest, forgery.name  # the attack took
        result = invoke(roles.reader_url, "verify", tally=tally)
        tally.failures += result.exit_code != 1
        assert result.exit_code == 1, forgery.name
        assert result.stderr.startswith(
            f"Error: read model 'contracts' differs from the log at {forgery.named}"
        ), result.stderr
        assert result.stderr.endswith("(run 'tracker projections rebuild')\n")
        ok(roles.writer_url, "projections", "rebuild", tally=tally)
        assert projections(roles.owner) == honest, forgery.name
        assert ok(roles.reader_url, "verify", tally=tally).startswith(f"OK: {SEEDED} events")


def test_a_falsified_typed_row_is_named_by_its_table_and_column(roles: Roles, tally: Tally) -> None:
    tally.campaign = "read model falsified: typed table"
    honest = projections(roles.owner)
    with roles.writer.begin() as conn:
        told = conn.execute(
            text("SELECT delivered FROM proj_contract_status WHERE stream_id = :s"), {"s": S400}
        ).scalar_one()
        conn.execute(
            text("UPDATE proj_contract_status SET delivered = 500 WHERE stream_id = :s"),
            {"s": S400},
        )
    result = invoke(roles.reader_url, "verify", tally=tally)
    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: read model 'proj_contract_status' differs from the log at {S400}: "
        f"row 0: delivered is 500 in the table, {told} in the log"
        " (run 'tracker projections rebuild')\n",
    )
    ok(roles.writer_url, "projections", "rebuild", tally=tally)
    assert projections(roles.owner) == honest


def test_a_falsified_read_model_cannot_make_the_rules_accept_an_event(
    roles: Roles, tally: Tally
) -> None:
    tally.campaign = "read model falsified: rules"
    runs = [FORGERIES[n % len(FORGERIES)] for n in trials(len(FORGERIES), 30)]
    tally.trials = len(runs)
    for forgery in runs:
        before = chain(roles.owner)
        forgery.forge(roles.writer)
        ref, quantity = forgery.delivery
        result = invoke(
            roles.writer_url,
            *("log", "delivery", ref, "--quantity", quantity, "--occurred", "2025-06"),
            *SOURCE,
            tally=tally,
        )
        refused = result.exit_code == 1 and result.stderr == f"Error: {forgery.refusal}\n"
        tally.failures += not refused
        assert refused, (forgery.name, result.output)
        assert chain(roles.owner) == before
        ok(roles.writer_url, "projections", "rebuild", tally=tally)


def test_an_honest_write_on_a_falsified_stream_is_judged_by_the_log_and_repairs_its_row(
    roles: Roles, tally: Tally
) -> None:
    tally.campaign = "read model falsified: honest write"
    quantity_500(roles.writer)
    with roles.writer.begin() as conn:  # status reads the typed table: forge it too
        conn.execute(
            text("UPDATE proj_contract_status SET ordered = 500 WHERE stream_id = :s"), {"s": S400}
        )
    assert status_of(roles.owner_url)["ordered"] == 500
    delivery = ("log", "delivery", "s400-india-2018", "--quantity", "2", "--occurred", "2025-06")
    ok(roles.writer_url, *delivery, *SOURCE, tally=tally)
    shown = status_of(roles.owner_url)
    assert (shown["ordered"], shown["delivered"]) == (ORDERED, DELIVERED + 2)
    assert ok(roles.reader_url, "verify", tally=tally).startswith(f"OK: {SEEDED + 1} events")


# --- moving checkpoints -----------------------------------------------------------------

#: name -> the checkpoints as the attacker leaves them, given the head
REWINDS: dict[str, Callable[[int], str]] = {
    "all to zero": lambda head: "UPDATE projection_checkpoints SET position = 0",
    "all back one": lambda head: f"UPDATE projection_checkpoints SET position = {head - 1}",
    "contracts half way": lambda head: (
        f"UPDATE projection_checkpoints SET position = {head // 2} WHERE name = 'contracts'"
    ),
    "joint ventures to zero": lambda head: (
        "UPDATE projection_checkpoints SET position = 0 WHERE name = 'joint_ventures'"
    ),
    "beyond the head": lambda head: f"UPDATE projection_checkpoints SET position = {head + 100}",
    "rows moved too": lambda head: (
        "UPDATE projection_checkpoints SET position = 1; UPDATE proj_contracts SET position = 1"
    ),
}


def test_a_moved_checkpoint_is_repaired_and_reads_and_writes_go_on(
    roles: Roles, tally: Tally
) -> None:
    tally.campaign = "checkpoint moved"
    honest = projections(roles.owner)
    names = list(REWINDS)
    runs = [names[n % len(names)] for n in trials(len(names), 60)]
    tally.trials = len(runs) + 1
    for name in runs:
        with roles.writer.begin() as conn:
            for statement in REWINDS[name](SEEDED).split("; "):
                conn.exec_driver_sql(statement)
        assert projections(roles.owner) != honest, name
        # Anyone reads the truth at once, from the log; a read repairs nothing (reads never
        # write), not even the writer's.
        for url in (roles.reader_url, roles.writer_url):
            shown = status_of(url)
            tally.failures += (shown["ordered"], shown["delivered"]) != (ORDERED, DELIVERED)
            assert (shown["ordered"], shown["delivered"]) == (ORDERED, DELIVERED), name
        assert projections(roles.owner) != honest, name
        # The writer's catch-up repairs the read models: exactly the rows they held.
        ok(roles.writer_url, "projections", "catch-up", tally=tally)
        assert projections(roles.owner) == honest, name
        assert ok(roles.reader_url, "verify", tally=tally).startswith(f"OK: {SEEDED} events")
    with roles.writer.begin() as conn:
        conn.exec_driver_sql("UPDATE projection_checkpoints SET position = 0")
    note = ("log", "note", S400, "--text", "after the rewind", "--occurred", "2026-01")
    ok(roles.writer_url, *note, *SOURCE, tally=tally)
    assert ok(roles.reader_url, "verify", tally=tally).startswith(f"OK: {SEEDED + 1} events")
