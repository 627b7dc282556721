"""The compliance API: an agreement's scorecards, a target's scores, asking for a recompute; statuses,
shapes, permissions and the error envelope."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.models import AgreementStatus, TargetScore
from tests.factories.agreements import (
    AgreementFactory,
    MeasurementFactory,
    ScorecardFactory,
    ServiceLevelTargetFactory,
    TargetScoreFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreement(account, owner):
    return AgreementFactory(organization=account, owner=owner, status=AgreementStatus.ACTIVE)


@pytest.fixture
def target(agreement):
    return ServiceLevelTargetFactory(agreement=agreement)


def test_an_agreements_scorecards_newest_first(token_client, analyst, agreement):
    this_month = timezone.localdate().replace(day=1)
    ScorecardFactory(agreement=agreement, month=this_month)
    ScorecardFactory(agreement=agreement, month=date(2001, 1, 1))  # too old for the default
    ScorecardFactory(
        agreement=None, organization=agreement.organization, month=this_month
    )  # the account's, not the agreement's

    response = token_client(analyst).get(reverse("api_agreement_scorecards", args=[agreement.pk]))

    assert response.status_code == 200
    data = response.json()
    assert data["agreement"] == agreement.pk
    assert [card["month"] for card in data["results"]] == [this_month.isoformat()]
    assert set(data["results"][0]) == {
        "month",
        "targets_measured",
        "met",
        "at_risk",
        "breached",
        "compliance_pct",
        "computed_at",
    }
    assert data["results"][0]["compliance_pct"] == "75.0"


def test_a_targets_scores_newest_first_as_many_as_asked(token_client, owner, target):
    for month in (1, 2, 3):
        TargetScoreFactory(target=target, period_start=date(2026, month, 1), status="met")

    response = token_client(owner).get(reverse("api_target_scores", args=[target.pk]), {"periods": 2})

    data = response.json()
    assert [score["period_start"] for score in data["results"]] == ["2026-03-01", "2026-02-01"]
    assert data["results"][0]["status"] == "met"
    assert data["results"][0]["period_end"] == "2026-03-31"


@pytest.mark.parametrize("value", ["0", "61", "many"])
def test_a_bad_count_answers_400(token_client, owner, target, value):
    response = token_client(owner).get(reverse("api_target_scores", args=[target.pk]), {"periods": value})

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"periods": ["Give a whole number from 1 to 60."]}


def test_outsiders_get_404(token_client, outsider, agreement, target):
    client = token_client(outsider)

    assert client.get(reverse("api_agreement_scorecards", args=[agreement.pk])).status_code == 404
    assert client.get(reverse("api_target_scores", args=[target.pk])).status_code == 404
    assert client.post(reverse("api_agreement_compliance_recompute", args=[agreement.pk])).status_code == 404


def test_a_recompute_is_queued_and_runs_after_commit(
    token_client, integrator, agreement, target, django_capture_on_commit_callbacks
):
    MeasurementFactory(target=target, measured_at=timezone.now(), value=Decimal("80"))

    with django_capture_on_commit_callbacks(execute=True):
        response = token_client(integrator).post(
            reverse("api_agreement_compliance_recompute", args=[agreement.pk])
        )

    assert response.status_code == 202
    assert response.json() == {"agreement": agreement.pk, "status": "queued"}
    assert TargetScore.objects.filter(target=target, status="breached").exists()


def test_a_recompute_is_refused_to_analysts_and_for_drafts(token_client, analyst, owner, agreement):
    url = reverse("api_agreement_compliance_recompute", args=[agreement.pk])
    assert token_client(analyst).post(url).status_code == 403

    agreement.status = AgreementStatus.DRAFT
    agreement.save()
    response = token_client(owner).post(url)

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "not_scored"
