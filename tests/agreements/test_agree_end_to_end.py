"""The issue's "done when", end to end through the real stack: a service level manager drafts,
negotiates, activates and reviews an agreement in the browser; a monitoring system pushes measurements
through the API (one of them twice, one across a month boundary in the calendar's time zone); after the
commit the compliance engine scores them; and the SLA dashboard, the agreement page and the account
panel show the compliance % that follows from the numbers by hand."""

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.models import (
    Agreement,
    AgreementStatus,
    ComplianceStatus,
    Measurement,
    ServiceLevelTarget,
    TargetScore,
)
from agreements.periods import add_periods
from tests.factories.agreements import BusinessCalendarFactory
from tests.factories.offerings import ServiceOfferingFactory
from tests.helpers import text_of

pytestmark = pytest.mark.django_db


def month_start(months_back: int):
    return add_periods("month", timezone.localdate().replace(day=1), -months_back)


def moment(day, hour: int, minute: int = 0) -> str:
    return datetime.combine(day, time(hour, minute), UTC).isoformat()


@pytest.fixture
def berlin():
    return BusinessCalendarFactory(name="Berlin office", time_zone="Europe/Berlin", office_hours=True)


def post(client, name, data, *args):
    response = client.post(reverse(f"agreements:{name}", args=args), data)
    assert response.status_code == 302, text_of(response.content.decode())[:600]
    return response


def test_an_agreement_from_draft_to_a_dashboard_that_shows_its_compliance(
    as_user, token_client, owner, account, berlin, django_capture_on_commit_callbacks
):
    offering = ServiceOfferingFactory(name="Fleet booking platform")
    browser = as_user(owner)
    started = month_start(3)

    # Drafted in the browser, with four targets.
    post(
        browser,
        "agreement_create",
        {
            "title": "Fleet booking SLA",
            "form": "agreement_based",
            "kind": "sla",
            "offerings": [offering.pk],
            "starts_on": started.isoformat(),
            "ends_on": (started + timedelta(days=730)).isoformat(),
            "review_cadence": "quarterly",
            "owner": owner.pk,
        },
        account.pk,
    )
    agreement = Agreement.objects.get(title="Fleet booking SLA")
    assert agreement.status == AgreementStatus.DRAFT
    targets = [
        # name, kind, aspect, comparator, target, warning, aggregation
        ("Availability", "warranty", "availability", "gte", "99.5", "99.7", "average"),
        ("Requests answered in time", "warranty", "performance", "gte", "95", "97", "average"),
        ("Satisfaction of the drivers", "experience", "", "gte", "4.2", "", "average"),
        ("Slowest booking page", "utility", "", "lte", "800", "", "maximum"),
    ]
    for name, kind, aspect, comparator, value, warning, aggregation in targets:
        post(
            browser,
            "target_create",
            {
                "name": name,
                "kind": kind,
                "warranty_aspect": aspect,
                "comparator": comparator,
                "target_value": value,
                "warning_threshold": warning,
                "period": "month",
                "aggregation": aggregation,
                "calendar": berlin.pk,
            },
            agreement.pk,
        )
    assert agreement.targets.count() == 4

    # Negotiated, agreed, activated: one button each.
    with django_capture_on_commit_callbacks(execute=True):
        for status in ("negotiating", "agreed", "active"):
            post(browser, "agreement_transition", {"status": status}, agreement.pk)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.ACTIVE

    # Two months ago, as the monitoring system pushes it.
    month = month_start(2)
    following = add_periods("month", month, 1)
    target = {target.name: target.pk for target in ServiceLevelTarget.objects.filter(agreement=agreement)}

    def row(name, day, hour, value, source_id, minute=0):
        return {
            "target": target.get(name, 999_999),
            "measured_at": moment(day, hour, minute),
            "value": value,
            "source_id": source_id,
        }

    last_day = following - timedelta(days=1)
    rows = [
        row("Availability", month, 10, "99.9", "av-1"),
        row("Availability", month, 11, "99.8", "av-2"),
        # 23:30 UTC on the month's last day is already the next month in Berlin: it must not count here.
        row("Availability", last_day, 23, "90", "av-3", minute=30),
        row("Requests answered in time", month, 9, "96", "rq-1"),
        row("Requests answered in time", month, 12, "96.5", "rq-2"),
        row("Satisfaction of the drivers", month, 9, "3.9", "cs-1"),
        row("Satisfaction of the drivers", month, 10, "4.0", "cs-2"),
        row("Slowest booking page", month, 8, "700", "pg-1"),
        row("Slowest booking page", month, 9, "900", "pg-2"),
        # A target that does not exist: reported, and the others are stored.
        row("No such target", month, 9, "1", "zz-1"),
    ]
    api = token_client(owner)
    with django_capture_on_commit_callbacks(execute=True):
        pushed = api.post(reverse("api_measurements_bulk"), {"rows": rows}, format="json").json()
    assert (pushed["created"], pushed["errors"]) == (9, 1)
    assert list(pushed["results"][9]["errors"]) == ["target"]
    # The same push again stores nothing new.
    with django_capture_on_commit_callbacks(execute=True):
        again = api.post(reverse("api_measurements_bulk"), {"rows": rows[:9]}, format="json").json()
    assert (again["created"], again["unchanged"]) == (0, 9)
    assert Measurement.objects.filter(target__agreement=agreement).count() == 9

    # Scored by hand: availability 99.85 met; requests 96.25 at risk (under the 97 warning);
    # satisfaction 3.95 breached; slowest page 900 > 800 breached. (met + at risk) / measured = 2 / 4.
    scores = {
        score.target.name: (score.status, score.achieved_value)
        for score in TargetScore.objects.filter(agreement=agreement, period_start=month).select_related(
            "target"
        )
    }
    assert scores == {
        "Availability": (ComplianceStatus.MET, Decimal("99.8500")),
        "Requests answered in time": (ComplianceStatus.AT_RISK, Decimal("96.2500")),
        "Satisfaction of the drivers": (ComplianceStatus.BREACHED, Decimal("3.9500")),
        "Slowest booking page": (ComplianceStatus.BREACHED, Decimal("900.0000")),
    }
    next_month = TargetScore.objects.get(
        agreement=agreement, period_start=following, target__name="Availability"
    )
    assert (next_month.status, next_month.achieved_value) == (ComplianceStatus.BREACHED, Decimal("90.0000"))

    # The dashboard (API and page) says 50 % for that month.
    dashboard = token_client(owner).get(reverse("api_agree_sla_dashboard")).json()
    trend = {row["month"]: row for row in dashboard["trend"]}
    assert trend[month.isoformat()]["compliance_pct"] == "50.0"
    assert (trend[month.isoformat()]["met"], trend[month.isoformat()]["at_risk"]) == (1, 1)
    assert trend[month.isoformat()]["breached"] == 2
    page = browser.get(reverse("agreements:account_sla_dashboard", args=[account.pk]))
    assert page.status_code == 200
    assert "50.0" in text_of(page.content.decode())

    # Only experience targets: the satisfaction target alone, breached.
    experience = token_client(owner).get(reverse("api_agree_sla_dashboard"), {"kind": "experience"}).json()
    month_row = {row["month"]: row for row in experience["trend"]}[month.isoformat()]
    assert (month_row["measured"], month_row["breached"], month_row["compliance_pct"]) == (1, 1, "0.0")

    # The agreement page shows its targets, the breach and the history of the moves.
    detail = text_of(
        browser.get(reverse("agreements:agreement_detail", args=[agreement.pk])).content.decode()
    )
    assert "Satisfaction of the drivers" in detail
    assert "Active" in detail

    # Reviewed in the browser: the next review moves a quarter on.
    post(
        browser,
        "agreement_review_create",
        {
            "held_on": timezone.localdate().isoformat(),
            "summary": "Drivers unhappy with the app.",
            "outcome": "renegotiate",
        },
        agreement.pk,
    )
    agreement.refresh_from_db()
    assert agreement.reviews.count() == 1
    assert agreement.next_review_on > timezone.localdate()
