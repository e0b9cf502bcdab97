"""Read views: pure functions of state (and ``today``), returning frozen pydantic models.

Every view dumps to JSON with stable keys through ``model_dump(mode="json")``.
"""

from tracker.domain.views.agreements import AgreementView, agreement_view, agreements
from tracker.domain.views.production import (
    ContractProduction,
    ProductionView,
    produced_for,
    production,
)
from tracker.domain.views.schedule import MilestoneStatus, ScheduleView, schedule
from tracker.domain.views.status import ContractStatus, contract_status, contract_status_with
from tracker.domain.views.summaries import summary
from tracker.domain.views.timeline import TimelineEntry, timeline_entries

__all__ = [
    "AgreementView",
    "ContractProduction",
    "ContractStatus",
    "MilestoneStatus",
    "ProductionView",
    "ScheduleView",
    "TimelineEntry",
    "agreement_view",
    "agreements",
    "contract_status",
    "contract_status_with",
    "produced_for",
    "production",
    "schedule",
    "summary",
    "timeline_entries",
]
