"""The SLA dashboard's test portfolio, shared by the test_dashboard_* modules: two accounts, monthly and
quarterly targets of every kind, two offerings, and target scores with known statuses written by hand
(as the compliance engine would leave them), with the scorecards the engine derives from them.

Today is 20 May 2026. The owner's account (Rentwheel) has:

| target | agreement, offering | kind, period | March | April | May (open) |
|---|---|---|---|---|---|
| t1 availability ≥ 99.5 % (warn 99.7) | A1, o1 | warranty, month | met | breached 98 | met |
| t2 response ≤ 4 hours (warn 3) | A1, o1 | experience, month | met | breached 5 | at risk 3.5 |
| t3 bookings ≥ 95 % (warn 97) | A2, o2 | utility, quarter | Q1: breached 90 | Q2, open: at risk 95.5 | |
| t5 repeat rentals ≥ 50 % (warn 60) | A2, o2 | outcome, month | no data | met 70 | breached 10 |

The outsider's account (Northbank) has t4 availability (B1, o1, warranty, month): March no data, April
met, May breached 99. So the owner's compliance is 66.7 % in March (the quarterly t3 counts there),
33.3 % in April and 66.7 % so far in May (the open second quarter counts in June, after this month);
the whole portfolio's 66.7 %, 50.0 % and 50.0 %.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from django.db.models import Count, Q
from django.utils import timezone

from agreements.models import AgreementStatus, ComplianceStatus, Scorecard, TargetKind, TargetScore
from agreements.periods import period_bounds
from tests.factories.agreements import AgreementFactory, ServiceLevelTargetFactory, TargetScoreFactory
from tests.factories.offerings import ServiceOfferingFactory

TODAY = date(2026, 5, 20)
MARCH, APRIL, MAY = date(2026, 3, 1), date(2026, 4, 1), date(2026, 5, 1)
Q1, Q2 = date(2026, 1, 1), date(2026, 4, 1)

MET, AT_RISK, BREACHED, NO_DATA = (
    ComplianceStatus.MET,
    ComplianceStatus.AT_RISK,
    ComplianceStatus.BREACHED,
    ComplianceStatus.NO_DATA,
)


@dataclass
class Portfolio:
    account: object
    other_account: object
    o1: object
    o2: object
    a1: object
    a2: object
    b1: object
    t1: object
    t2: object
    t3: object
    t4: object
    t5: object


def score(target, start: date, status: str, achieved: str | None, **fields) -> TargetScore:
    end = period_bounds(target.period, start)[1]
    return TargetScoreFactory(
        target=target,
        period_start=start,
        status=status,
        achieved_value=Decimal(achieved) if achieved is not None else None,
        measurement_count=0 if achieved is None else 3,
        is_closed=end < TODAY,
        **fields,
    )


def cards_from_scores() -> None:
    """The scorecards the engine keeps: per agreement and per account (agreement empty) and month, over
    the scores whose period ends in the month."""
    Scorecard.objects.all().delete()
    counts = {
        "measured": Count("pk", filter=~Q(status=NO_DATA)),
        "met": Count("pk", filter=Q(status=MET)),
        "at_risk": Count("pk", filter=Q(status=AT_RISK)),
        "breached": Count("pk", filter=Q(status=BREACHED)),
    }
    for by_agreement in (True, False):
        fields = ["organization_id", "period_end"] + (["agreement_id"] if by_agreement else [])
        for row in TargetScore.objects.order_by().values(*fields).annotate(**counts):
            measured, compliant = row["measured"], row["met"] + row["at_risk"]
            Scorecard.objects.create(
                organization_id=row["organization_id"],
                agreement_id=row.get("agreement_id"),
                month=row["period_end"].replace(day=1),
                targets_measured=measured,
                met=row["met"],
                at_risk=row["at_risk"],
                breached=row["breached"],
                compliance_pct=(Decimal(compliant * 100) / measured).quantize(Decimal("0.1"))
                if measured
                else None,
                computed_at=timezone.now(),
            )


def build_portfolio(account, other_account) -> Portfolio:
    o1 = ServiceOfferingFactory(name="Fleet booking portal")
    o2 = ServiceOfferingFactory(name="Loyalty programme")
    active = {"status": AgreementStatus.ACTIVE}
    a1 = AgreementFactory(organization=account, title="Booking portal SLA", offerings=[o1], **active)
    a2 = AgreementFactory(organization=account, title="Loyalty outcomes", offerings=[o2], **active)
    AgreementFactory(organization=account, title="Draft kiosk SLA", offerings=[o1])
    b1 = AgreementFactory(organization=other_account, title="Savings app SLA", offerings=[o1], **active)
    t1 = ServiceLevelTargetFactory(agreement=a1, name="Portal availability")
    t2 = ServiceLevelTargetFactory(
        agreement=a1,
        name="First response",
        kind=TargetKind.EXPERIENCE,
        unit="hours",
        comparator="lte",
        target_value=Decimal("4"),
        warning_threshold=Decimal("3"),
    )
    t3 = ServiceLevelTargetFactory(
        agreement=a2,
        name="Bookings completed online",
        kind=TargetKind.UTILITY,
        period="quarter",
        target_value=Decimal("95"),
        warning_threshold=Decimal("97"),
    )
    t5 = ServiceLevelTargetFactory(
        agreement=a2,
        name="Repeat rentals",
        kind=TargetKind.OUTCOME,
        target_value=Decimal("50"),
        warning_threshold=Decimal("60"),
        baseline=Decimal("20"),
    )
    t4 = ServiceLevelTargetFactory(agreement=b1, name="App availability")
    score(t1, MARCH, MET, "99.9")
    score(t1, APRIL, BREACHED, "98.0")
    score(t1, MAY, MET, "99.8")
    score(t2, MARCH, MET, "2.0")
    score(t2, APRIL, BREACHED, "5.0")
    score(t2, MAY, AT_RISK, "3.5")
    score(t3, Q1, BREACHED, "90")
    score(t3, Q2, AT_RISK, "95.5")
    score(t5, MARCH, NO_DATA, None)
    score(t5, APRIL, MET, "70")
    score(t5, MAY, BREACHED, "10")
    score(t4, MARCH, NO_DATA, None)
    score(t4, APRIL, MET, "99.9")
    score(t4, MAY, BREACHED, "99.0")
    cards_from_scores()
    return Portfolio(account, other_account, o1, o2, a1, a2, b1, t1, t2, t3, t4, t5)


@pytest.fixture
def portfolio(account, other_account) -> Portfolio:
    return build_portfolio(account, other_account)


@pytest.mark.django_db
def test_the_portfolio_holds_a_scorecard_per_agreement_and_account_and_month(portfolio):
    account_may = Scorecard.objects.get(organization=portfolio.account, agreement=None, month=MAY)
    a1_april = Scorecard.objects.get(agreement=portfolio.a1, month=APRIL)
    june = Scorecard.objects.get(organization=portfolio.account, agreement=None, month=date(2026, 6, 1))

    assert (account_may.targets_measured, account_may.compliance_pct) == (3, Decimal("66.7"))
    assert (a1_april.breached, a1_april.compliance_pct) == (2, Decimal("0.0"))
    assert (june.at_risk, june.targets_measured) == (1, 1)  # the open quarter counts in its last month
