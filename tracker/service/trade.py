"""The trends use case: partners' shares of SIPRI's TIV delivered over periods.

Its modules are imported inside the function: the transfers table and the trends views are
loaded only by the command that asks for them.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tracker.domain.views.trends import Question
    from tracker.domain.views.trends_models import Trends
    from tracker.service.app import Tracker


def trends(tracker: Tracker, question: Question, *, known_at: datetime | None = None) -> Trends:
    """Partners' shares of SIPRI's TIV delivered over periods: from the transfers table,
    or, with ``known_at``, from the log as it held then (folded)."""
    from tracker.domain.values.parties import party_id
    from tracker.domain.views.trends import trends
    from tracker.projections.reader import TableStates
    from tracker.projections.transfers import folded_transfers, stored_transfers, stored_world

    source = tracker.source(None, known_at)
    if not isinstance(source, TableStates):
        return trends(folded_transfers(source.contracts()), question)
    q = question
    engine = tracker.engine
    if not (q.recipient or q.supplier):
        return trends(stored_transfers(engine), q)
    # Only the subject's rows are read; the world's volume is summed in SQL.
    mine = stored_transfers(
        engine,
        recipient_id=party_id(q.recipient) if q.recipient else None,
        supplier_id=party_id(q.supplier) if q.supplier else None,
    )
    return trends(mine, q, stored_world(engine, q.system, q.category))
