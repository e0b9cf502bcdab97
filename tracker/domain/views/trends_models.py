"""What a trends question answers: partners' shares, period totals, yearly volumes, and
the deals SIPRI's figures leave out (worked out in trends.py)."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from tracker.domain.views.periods import Period

#: The partner that sums every partner not shown by name.
OTHERS = "others"


class Share(BaseModel):
    """A partner's volume in one period: TIV, percent of the subject's, rank among all."""

    model_config = ConfigDict(frozen=True)

    tiv: Decimal
    estimated_tiv: Decimal
    share: Decimal | None
    rank: int | None


class Partner(BaseModel):
    """A named partner (or the rest, ``others``) with its share in each period."""

    model_config = ConfigDict(frozen=True)

    name: str
    shares: tuple[Share, ...]


class PeriodTotal(BaseModel):
    """The subject's volume in a period, its change on the period before, its world share."""

    model_config = ConfigDict(frozen=True)

    period: Period
    tiv: Decimal
    estimated_tiv: Decimal
    change: Decimal | None
    world_tiv: Decimal
    world_share: Decimal | None
    partners: int


class Outside(BaseModel):
    """A deal in the record whose deliveries in these years SIPRI's figures do not hold."""

    model_config = ConfigDict(frozen=True)

    ref: str
    supplier: str
    recipient: str
    designation: str
    years: tuple[int, ...]
    delivered: int | None


class YearVolume(BaseModel):
    """One year's volume by partner, in the order of ``Trends.partners`` (others last)."""

    model_config = ConfigDict(frozen=True)

    year: int
    tivs: tuple[Decimal, ...]
    estimated_tiv: Decimal


class Trends(BaseModel):
    """Partners' shares of a recipient's imports, a supplier's exports or the world's."""

    model_config = ConfigDict(frozen=True)

    side: str  # 'recipient', 'supplier' or 'world'
    party: str | None
    partner_role: str  # 'supplier' or 'recipient'
    periods: tuple[PeriodTotal, ...]
    partners: tuple[Partner, ...]
    by_year: tuple[YearVolume, ...]
    releases: tuple[str, ...]
    no_tiv: int
    outside: tuple[Outside, ...]
