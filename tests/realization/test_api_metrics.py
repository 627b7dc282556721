"""Realize's value metrics API: monthly snapshots with their figures and the health score explained,
their filters, scoping (an outsider learns nothing; segment rows only for whole-portfolio roles), month
order with a stable cursor, constant query counts, and the health policy (everyone reads it,
administrators change it; weights that add up to zero are refused naming every weight, nothing saved).
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from realization import services
from realization.models import HealthPolicy, SnapshotLevel, ValueSnapshot
from realization.services.activity import month_of
from tests.factories.exploration import MarketSegmentFactory
from tests.factories.journeys import StakeholderFactory
from tests.factories.realization import SurveyFactory, SurveyResponseFactory
from tests.permissions import PERSONAS

pytestmark = pytest.mark.django_db

SNAPSHOT_KEYS = {
    "id",
    "level",
    "organization",
    "segment",
    "step",
    "month",
    "invitations",
    "responses",
    "nps_responses",
    "promoters",
    "passives",
    "detractors",
    "csat_responses",
    "csat_satisfied",
    "ces_responses",
    "touchpoints",
    "sla_measured",
    "sla_met",
    "experience_missed",
    "nps",
    "csat_pct",
    "csat_mean",
    "ces_mean",
    "response_rate",
    "sla_compliance",
    "sentiment_avg",
    "health_score",
    "health_band",
    "is_watermelon",
    "watermelon_reasons",
    "health",
    "computed_at",
}
WEIGHTS = {"nps": 25, "csat": 25, "ces": 15, "sla": 20, "sentiment": 15}
WEIGHT_FIELDS = {"weight_nps", "weight_csat", "weight_ces", "weight_sla", "weight_sentiment"}


def api(name, *args):
    return reverse(name, args=args)


def error_of(response) -> dict:
    assert set(response.json()) == {"error"}, response.json()
    assert set(response.json()["error"]) == {"code", "message", "fields"}
    return response.json()["error"]


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def snapshot(**fields) -> ValueSnapshot:
    """A stored snapshot as the metrics job writes it (an account's October, all steps, unless told)."""
    values = {
        "level": SnapshotLevel.ACCOUNT,
        "month": date(2026, 10, 1),
        "computed_at": timezone.now(),
        "health_weights": WEIGHTS,
        **fields,
    }
    return ValueSnapshot.objects.create(**values)


def october(account, **fields) -> ValueSnapshot:
    """A month worked out by hand: NPS (3 − 1) ÷ 6 = 33.3; CSAT 7 of 10 = 70 %, mean 39 ÷ 10 = 3.9;
    CES 11 ÷ 2 = 5.5; 18 of 40 answered = 45 %; SLA 12 of 12; sentiment 20 ÷ 64 = 0.31. Health over the
    window: NPS 23 → 61.5, CSAT 70, CES 5.5 → 75, SLA 100, sentiment 0.31 → 57.75; (25 × 61.5 + 25 × 70
    + 15 × 75 + 20 × 100 + 15 × 57.75) ÷ 100 = 72.79 → 72.8, healthy; green SLA with CSAT below 80:
    a watermelon."""
    figures = dict(
        organization=account,
        invitations=40,
        responses=18,
        nps_responses=6,
        promoters=3,
        detractors=1,
        csat_responses=10,
        csat_satisfied=7,
        csat_sum=39,
        ces_responses=2,
        ces_sum=11,
        touchpoints=64,
        sentiment_sum=20,
        sla_measured=12,
        sla_met=12,
        input_nps=Decimal("23.0"),
        input_csat=Decimal("70.0"),
        input_ces=Decimal("5.50"),
        input_sla=Decimal("100.0"),
        input_sentiment=Decimal("0.31"),
        health_score=Decimal("72.8"),
        health_band="healthy",
        is_watermelon=True,
        watermelon_reasons="csat",
    )
    return snapshot(**{**figures, **fields})


@pytest.fixture
def segment(account, other_account):
    return MarketSegmentFactory(name="Car rental, Benelux", organizations=[account, other_account])


# --- snapshots: shape and figures -----------------------------------------------------------------


def test_a_snapshot_reads_with_its_figures_and_its_health_explained(token_client, integrator, account):
    made = october(account)

    response = token_client(integrator).get(api("api_realize_snapshot", made.pk))

    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == SNAPSHOT_KEYS
    assert (body["level"], body["organization"], body["segment"], body["step"], body["month"]) == (
        "account",
        account.pk,
        None,
        "",
        "2026-10",
    )
    assert (body["promoters"], body["passives"], body["detractors"]) == (3, 2, 1)
    assert body["nps"] == 33.3
    assert (body["csat_pct"], body["csat_mean"], body["ces_mean"]) == (70.0, 3.9, 5.5)
    assert (body["response_rate"], body["sla_compliance"], body["sentiment_avg"]) == (45.0, 100.0, 0.31)
    assert (body["health_score"], body["health_band"]) == (72.8, "healthy")
    assert body["is_watermelon"] is True and body["watermelon_reasons"] == ["csat"]
    health = body["health"]
    assert (health["score"], health["band"], health["weight_counted"]) == (72.8, "healthy", 100)
    assert health["window_months"] == 3 and health["first_month"] == "2026-08"
    factors = {factor["key"]: factor for factor in health["factors"]}
    assert list(factors) == ["nps", "csat", "ces", "sla", "sentiment"]
    assert factors["nps"] == {
        "key": "nps",
        "label": "NPS",
        "value": 23.0,
        "conversion": "(NPS + 100) ÷ 2",
        "score": 61.5,
        "weight": 25,
        "counted": True,
        "contribution": 15.38,
    }
    assert (factors["ces"]["score"], factors["sentiment"]["score"]) == (75.0, 57.8)
    # The points add up to the score (each rounded to two decimals: 72.79 for 72.7875).
    assert sum(Decimal(str(factor["contribution"])) for factor in factors.values()) == Decimal("72.79")
    assert "25 × 61.5" in health["formula"] and health["formula"].endswith("= 72.8")


def test_a_month_without_data_has_null_figures_and_no_score(token_client, integrator, account):
    made = snapshot(organization=account, health_weights={})

    body = token_client(integrator).get(api("api_realize_snapshot", made.pk)).json()

    for name in (
        "nps",
        "csat_pct",
        "csat_mean",
        "ces_mean",
        "response_rate",
        "sla_compliance",
        "sentiment_avg",
    ):
        assert body[name] is None, name
    assert body["health_score"] is None and body["health_band"] is None
    assert body["health"]["score"] is None and body["health"]["band"] == ""
    assert all(factor["value"] is None and not factor["counted"] for factor in body["health"]["factors"])
    assert body["watermelon_reasons"] == []


def test_the_explanation_uses_the_weights_the_score_was_computed_with(token_client, administrator, account):
    made = october(account, input_ces=None, input_sentiment=None)
    HealthPolicy.objects.update_or_create(pk=1, defaults={"weight_nps": 90})

    health = token_client(administrator).get(api("api_realize_snapshot", made.pk)).json()["health"]

    factors = {factor["key"]: factor for factor in health["factors"]}
    assert factors["nps"]["weight"] == 25
    # CES and sentiment have no data: the other weights (25 + 25 + 20) share the score.
    assert health["weight_counted"] == 70
    assert factors["ces"]["counted"] is False and factors["ces"]["contribution"] is None
    assert factors["sla"]["contribution"] == round(20 * 100 / 70, 2)


def test_snapshots_computed_by_the_metrics_job_read_as_the_answers_add_up(
    token_client, integrator, account, owner
):
    """NPS answers 10, 9, 7 and 3 this month: (2 promoters − 1 detractor) ÷ 4 = +25."""
    survey = SurveyFactory(survey_type="nps", name="Relationship NPS")
    now = timezone.now()
    for score in (10, 9, 7, 3):
        SurveyResponseFactory(
            survey=survey,
            organization=account,
            stakeholder=StakeholderFactory(organization=account),
            score=score,
            answered_at=now - timedelta(minutes=5),
        )
    services.value_metrics_rebuild(now=now)

    rows = token_client(integrator).get(
        api("api_realize_snapshots"),
        {"organization": account.pk, "step": "all_steps", "month_from": f"{month_of(now):%Y-%m}"},
    )

    [row] = rows.json()["results"]
    assert (row["nps_responses"], row["promoters"], row["passives"], row["detractors"]) == (4, 2, 1, 1)
    assert row["nps"] == 25.0
    assert row["health"]["factors"][0]["value"] == 25.0


# --- snapshots: who sees which --------------------------------------------------------------------


def test_an_outsider_sees_no_snapshot_of_another_team(token_client, outsider, owner, account):
    made = october(account)

    assert ids(token_client(outsider).get(api("api_realize_snapshots"))) == []
    hidden = token_client(outsider).get(api("api_realize_snapshot", made.pk))
    assert hidden.status_code == 404 and error_of(hidden)["code"] == "not_found"
    assert ids(token_client(owner).get(api("api_realize_snapshots"))) == [made.pk]


def test_segment_rows_are_for_the_roles_that_see_the_whole_portfolio(
    token_client, owner, analyst, desk, account, segment
):
    mine = october(account)
    theirs = snapshot(level=SnapshotLevel.SEGMENT, segment=segment, nps_responses=3, promoters=3)

    assert ids(token_client(owner).get(api("api_realize_snapshots"))) == [mine.pk]
    assert token_client(owner).get(api("api_realize_snapshot", theirs.pk)).status_code == 404
    for persona in (analyst, desk):
        assert set(ids(token_client(persona).get(api("api_realize_snapshots")))) == {mine.pk, theirs.pk}
    body = token_client(analyst).get(api("api_realize_snapshot", theirs.pk)).json()
    assert (body["level"], body["segment"], body["organization"], body["nps"]) == (
        "segment",
        segment.pk,
        None,
        100.0,
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_read_snapshots_and_the_policy(token_client, api_client, request, account, persona):
    made = october(account)
    client = api_client if persona == "anonymous" else token_client(request.getfixturevalue(persona))
    expected = {"anonymous": 401, "outsider": 404}.get(persona, 200)

    assert client.get(api("api_realize_snapshot", made.pk)).status_code == expected
    assert client.get(api("api_realize_snapshots")).status_code == (401 if persona == "anonymous" else 200)
    assert client.get(api("api_realize_health_policy")).status_code == (
        401 if persona == "anonymous" else 200
    )


# --- snapshots: filters, order, cost --------------------------------------------------------------


def test_snapshots_filter_by_level_account_segment_step_and_months(
    token_client, analyst, account, other_account, segment
):
    september = snapshot(organization=account, month=date(2026, 9, 1))
    october_row = october(account)
    october_step = snapshot(organization=account, step="co_create", csat_responses=4, csat_satisfied=1)
    elsewhere = snapshot(organization=other_account, health_score=Decimal("41.0"), health_band="at_risk")
    segment_row = snapshot(level=SnapshotLevel.SEGMENT, segment=segment)
    client = token_client(analyst)

    def listed(**query):
        return set(ids(client.get(api("api_realize_snapshots"), query)))

    assert listed(level="segment") == {segment_row.pk}
    assert listed(organization=account.pk) == {september.pk, october_row.pk, october_step.pk}
    assert listed(segment=segment.pk) == {segment_row.pk}
    assert listed(step="co_create") == {october_step.pk}
    assert listed(step="all_steps", organization=account.pk) == {september.pk, october_row.pk}
    assert listed(month_from="2026-10", organization=account.pk) == {october_row.pk, october_step.pk}
    assert listed(month_to="2026-09") == {september.pk}
    assert listed(month_from="2026-09", month_to="2026-09") == {september.pk}
    assert listed(health_band="at_risk") == {elsewhere.pk}
    assert listed(is_watermelon="true") == {october_row.pk}
    later = timezone.now() + timedelta(seconds=5)
    ValueSnapshot.objects.filter(pk=elsewhere.pk).update(computed_at=later)
    assert listed(updated_since=later.isoformat()) == {elsewhere.pk}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"month_from": "2026-13"}, "month_from"),
        ({"month_from": "March"}, "month_from"),
        ({"month_to": "2026-1"}, "month_to"),
        ({"month_from": "2026-10", "month_to": "2026-09"}, "month_to"),
        ({"step": "somewhere"}, "step"),
        ({"level": "planet"}, "level"),
        ({"segment": "x"}, "segment"),
        ({"health_band": "great"}, "health_band"),
        ({"updated_since": "2026-10-01T00:00:00"}, "updated_since"),
    ],
)
def test_a_bad_snapshot_filter_answers_with_the_envelope(token_client, owner, query, field):
    response = token_client(owner).get(api("api_realize_snapshots"), query)

    assert response.status_code == 400
    assert set(error_of(response)["fields"]) == {field}


def test_snapshots_come_oldest_month_first_one_stable_page_at_a_time(
    token_client, integrator, account, other_account
):
    made = []
    for month in (12, 10, 11, 9):
        for organization in (account, other_account):
            made.append(snapshot(organization=organization, month=date(2025, month, 1)))
    client = token_client(integrator)

    rows, page = [], client.get(api("api_realize_snapshots"), {"page_size": 3})
    while True:
        rows += page.json()["results"]
        if not page.json()["next"]:
            break
        page = client.get(page.json()["next"])

    assert [row["month"] for row in rows] == ["2025-09"] * 2 + ["2025-10"] * 2 + ["2025-11"] * 2 + [
        "2025-12"
    ] * 2
    assert sorted(row["id"] for row in rows) == sorted(row.pk for row in made)
    assert len({row["id"] for row in rows}) == len(made)


def test_the_snapshot_list_costs_the_same_queries_at_any_size(
    token_client, owner, account, django_assert_num_queries
):
    client = token_client(owner)
    october(account)
    HealthPolicy.current()
    # The token with the user, the health policy, the page of snapshots.
    with django_assert_num_queries(3):
        assert len(client.get(api("api_realize_snapshots")).json()["results"]) == 1
    for month in range(1, 10):
        october(account, month=date(2026, month, 1))
    with django_assert_num_queries(3):
        assert len(client.get(api("api_realize_snapshots")).json()["results"]) == 10


# --- the health policy ----------------------------------------------------------------------------


def test_everyone_reads_the_health_policy(token_client, analyst):
    body = token_client(analyst).get(api("api_realize_health_policy")).json()

    assert body["weights"] == WEIGHTS
    assert (body["weight_nps"], body["window_months"], body["healthy_from"], body["at_risk_below"]) == (
        25,
        3,
        70.0,
        50.0,
    )
    assert (body["watermelon_sla_from"], body["watermelon_csat_below"]) == (95.0, 80.0)
    assert (body["watermelon_ces_below"], body["watermelon_sentiment_below"]) == (5.0, 0.0)


def test_an_administrator_changes_the_health_policy(client, administrator):
    client.force_login(administrator)

    response = client.patch(
        api("api_realize_health_policy"),
        {"weight_sla": 40, "weight_sentiment": 0, "healthy_from": 75, "watermelon_ces_below": "4.5"},
        content_type="application/json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["weights"] == {**WEIGHTS, "sla": 40, "sentiment": 0}
    assert response.json()["updated_by"] == administrator.pk
    policy = HealthPolicy.current()
    assert (policy.weight_sla, policy.weight_sentiment, policy.weight_nps) == (40, 0, 25)
    assert (policy.healthy_from, policy.watermelon_ces_below) == (Decimal("75"), Decimal("4.5"))


def policy_row() -> tuple:
    HealthPolicy.current()
    return tuple(HealthPolicy.objects.values_list().get(pk=1))


def test_weights_that_add_up_to_zero_are_refused_naming_every_weight(token_client, administrator):
    before = policy_row()

    response = token_client(administrator).patch(
        api("api_realize_health_policy"), dict.fromkeys(WEIGHT_FIELDS, 0)
    )

    assert response.status_code == 400
    assert set(error_of(response)["fields"]) == WEIGHT_FIELDS
    assert policy_row() == before


def test_the_last_weight_set_to_zero_is_refused_too(token_client, administrator):
    client = token_client(administrator)
    assert (
        client.patch(
            api("api_realize_health_policy"),
            {"weight_nps": 0, "weight_csat": 0, "weight_ces": 0, "weight_sla": 0},
        ).status_code
        == 200
    )
    before = policy_row()

    response = client.patch(api("api_realize_health_policy"), {"weight_sentiment": 0})

    assert response.status_code == 400
    assert set(error_of(response)["fields"]) == WEIGHT_FIELDS
    assert policy_row() == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"weight_nps": -5}, "weight_nps"),
        ({"weight_csat": 101}, "weight_csat"),
        ({"window_months": 13}, "window_months"),
        ({"healthy_from": 40}, "at_risk_below"),  # below the at-risk line (50)
        ({"watermelon_ces_below": 9}, "watermelon_ces_below"),
        ({"watermelon_sentiment_below": "-3"}, "watermelon_sentiment_below"),
        ({"healthy_from": "high"}, "healthy_from"),
        ({"weight_fun": 10}, "weight_fun"),
    ],
)
def test_a_bad_policy_names_its_field_and_saves_nothing(token_client, administrator, body, field):
    before = policy_row()

    response = token_client(administrator).patch(api("api_realize_health_policy"), body)

    assert response.status_code == 400
    assert field in error_of(response)["fields"]
    assert policy_row() == before


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("anonymous", 401), ("owner", 403), ("desk", 403), ("analyst", 403), ("integrator", 403)],
)
def test_only_an_administrator_changes_the_health_policy(
    token_client, api_client, request, persona, expected
):
    client = api_client if persona == "anonymous" else token_client(request.getfixturevalue(persona))
    before = policy_row()

    response = client.patch(api("api_realize_health_policy"), {"weight_nps": 40})

    assert response.status_code == expected
    assert set(response.json()) == {"error"}
    assert policy_row() == before
