"""What planning reads of the contracts held (sipri.held) is the same whether it comes from
their validated states or, field by field, from the JSON documents the read model holds."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import pytest

from tests.importers.test_sipri_real_exports import real_export
from tests.unit.factories import contract_signed
from tracker.domain.values.refs import split_stream
from tracker.importers.sipri import Scope
from tracker.importers.sipri.held import Held, held
from tracker.projections.filters import ContractFilter
from tracker.projections.reader import TableStates
from tracker.projections.status_table import StatusTable
from tracker.service.app import Tracker
from tracker.service.sipri import import_sipri

SCOPES = [
    None,
    Scope(recipients=frozenset({"India"})),
    Scope(suppliers=frozenset({"Russia", "Soviet Union"}), years=(2010, 2015)),
]


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tracker]:
    """India's rows of the 2024-04 release, then of the 2025-03 register (which corrects
    and, within its scope, retracts), and a contract logged by hand."""
    older = real_export("india-rows-by-delivery-year-2024-04.csv")
    newer = real_export("india-rows-2025-03.csv")
    tracker = Tracker.open(str(tmp_path_factory.mktemp("held") / "tracker.db"), create=True)
    tracker.init()
    try:
        import_sipri(tracker, older)
        import_sipri(tracker, newer, scope=Scope(recipients=frozenset({"India"})))
        tracker.log([contract_signed(reference="s400-by-hand")])
        tracker.level_projections()
        yield tracker
    finally:
        tracker.close()


def summary(tracker: Tracker, scope: Scope | None, documents: bool) -> Held:
    states = TableStates(tracker.engine)
    refs = [split_stream(s)[1] for s in StatusTable(tracker.engine).streams(ContractFilter())]
    return held(refs, states.contracts, scope, states.contract_documents if documents else None)


def assert_same(a: Held, b: Held) -> None:
    assert a.known == b.known  # in the same order: matching reads them in order
    assert (a.taken, a.covered) == (b.taken, b.covered)


@pytest.mark.parametrize("scope", SCOPES)
def test_documents_summarise_the_contracts_as_their_states_do(
    history: Tracker, scope: Scope | None
) -> None:
    by_states = summary(history, scope, documents=False)
    left_out = by_states.taken - {d.ident for d in by_states.known}  # withdrawn, by hand
    assert len(by_states.known) > 500 and len(left_out) > 10 and "s400-by-hand" in left_out
    assert scope is None or 0 < len(by_states.covered) < len(by_states.known) + 1
    assert_same(summary(history, scope, documents=True), by_states)


def test_the_summary_reads_every_field_from_the_document(history: Tracker) -> None:
    states = TableStates(history.engine)
    refs = [split_stream(s)[1] for s in StatusTable(history.engine).streams(ContractFilter())]
    fields = ("deal_id", "supplier", "designation", "order_year", "figures", "content")
    known = summary(history, None, documents=False).known
    # Every field varies across contracts, so a field read wrongly cannot pass unseen.
    for name in fields:
        assert len({getattr(d, name) for d in known}) > 10, name
    assert {d.figures[1] for d in known} >= {(), (2019, 2020)}
    assert len(states.contract_documents(refs)) == len(refs)


@pytest.mark.parametrize(
    "spoil",
    [
        lambda d: d["signing"]["event"]["sipri"].pop("tiv_unit"),
        lambda d: d["signing"]["event"]["sipri"].update(tiv_unit=1234.5),
        lambda d: d["signing"]["event"].update(occurred="unknown"),
        lambda d: d["signing"]["event"].update(occurred="someday"),
        lambda d: d.update(deliveries=None),
    ],
)
def test_a_document_not_of_its_state_shape_is_read_as_states(history: Tracker, spoil: Any) -> None:
    states = TableStates(history.engine)

    def documents(refs: list[str]) -> Iterable[dict[str, Any]]:
        found = states.contract_documents(refs)
        sipri = [d for d in found if d["signing"]["event"]["sipri"] is not None]
        spoil(sipri[len(sipri) // 2])
        return found

    refs = [split_stream(s)[1] for s in StatusTable(history.engine).streams(ContractFilter())]
    spoilt = held(refs, states.contracts, SCOPES[1], documents)
    assert_same(spoilt, summary(history, SCOPES[1], documents=False))
