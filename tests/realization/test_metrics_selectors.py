"""The value metrics' reads: the portfolio dashboard, one account's value, the portfolio's health
columns. Figures add up the stored counts of the accounts the user may see; the query count does not
grow with the portfolio."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from journeys.models import JourneyStep
from realization import selectors, services
from realization.models import SurveyResponse, SurveyType
from tests.factories.agreements import ScorecardFactory
from tests.factories.exploration import MarketSegmentFactory
from tests.factories.journeys import OrganizationFactory
from tests.factories.realization import SurveyFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 6, 18, 12, 0, tzinfo=UTC)
JUNE, MAY = date(2025, 6, 1), date(2025, 5, 1)


@pytest.fixture
def surveys(db):
    return {kind: SurveyFactory(survey_type=kind, name=f"Survey {kind}") for kind in SurveyType.values}


def answer(surveys, organization, kind, scores, *, when=NOW, step=JourneyStep.CO_CREATE):
    SurveyResponse.objects.bulk_create(
        SurveyResponse(
            survey=surveys[kind],
            survey_type=kind,
            organization=organization,
            step=step,
            score=score,
            answered_at=when,
        )
        for score in scores
    )


def sla(organization, month, measured, met):
    ScorecardFactory(
        agreement=None, organization=organization, month=month, targets_measured=measured, met=met, at_risk=0
    )


@pytest.fixture
def portfolio(surveys, account, other_account, owner):
    """The owner's account: a watermelon in June (SLA 98 %, CSAT 60 %) with NPS answers in May; a
    second account of the owner without any data; the outsider's account: all promoters."""
    sla(account, JUNE, measured=50, met=49)
    answer(surveys, account, "csat", [5, 4, 4, 2, 1])
    answer(
        surveys, account, "nps", [10, 0, 0], when=datetime(2025, 5, 3, tzinfo=UTC), step=JourneyStep.ONBOARD
    )
    OrganizationFactory(owner=owner, name="Quiet Ltd")
    answer(surveys, other_account, "nps", [10, 10])
    services.value_metrics_rebuild(now=NOW)
    return account


def dashboard(user, **options):
    return selectors.value_dashboard(user=user, now=NOW, **options)


def test_the_dashboard_adds_up_the_users_accounts(portfolio, owner, teammate):
    board = dashboard(owner, months=3)

    assert [figures.month for figures in board.trend] == [date(2025, 4, 1), MAY, JUNE]
    april, may, june = board.trend
    assert not april.has_data and april.nps is None
    assert (may.nps_responses, may.promoters, may.detractors) == (3, 1, 2)
    assert may.nps.quantize(Decimal("0.1")) == Decimal("-33.3")
    assert (june.csat_pct, june.csat_mean, june.sla_compliance) == (Decimal(60), Decimal("3.2"), Decimal(98))
    assert june.answers == 5
    assert (board.totals.answers, board.totals.nps_responses) == (8, 3)
    # June's health: NPS −33.3 (score 33.35), CSAT 60, SLA 98: (25 × 33.35 + 25 × 60 + 20 × 98) ÷ 70
    assert june.average_health == Decimal("61.3") and june.accounts_scored == 1
    assert (board.distribution.watch, board.distribution.no_data, board.distribution.total) == (1, 1, 2)
    assert board.watermelon_count == 1
    (watermelon,) = board.watermelons
    assert (watermelon.organization_name, watermelon.reasons, watermelon.sla_compliance) == (
        portfolio.name,
        ["csat"],
        Decimal("98.0"),
    )
    assert watermelon.reason_labels == ["CSAT below its threshold"]
    assert [row.organization_id for row in board.lowest_health] == [portfolio.pk]
    assert board.lowest_health[0].is_watermelon
    assert board.computed_at == NOW

    assert dashboard(teammate, months=3).totals == board.totals


def test_an_outsider_counts_none_of_the_accounts_and_an_analyst_all(portfolio, outsider, analyst):
    theirs = dashboard(outsider)
    assert (theirs.totals.nps_responses, theirs.totals.csat_responses) == (2, 0)
    assert theirs.watermelons == [] and theirs.distribution.healthy == 1

    everyone = dashboard(analyst)
    assert (everyone.totals.nps_responses, everyone.totals.csat_responses) == (5, 5)
    assert everyone.distribution.total == 3


def test_the_segment_narrows_the_dashboard_to_its_members(portfolio, other_account, analyst, outsider):
    segment = MarketSegmentFactory(organizations=[other_account])

    board = dashboard(analyst, segment=segment)
    assert (board.totals.nps_responses, board.totals.csat_responses) == (2, 0)
    assert board.distribution.total == 1 and board.segment == segment
    assert dashboard(analyst, segment=segment.pk).totals == board.totals
    with pytest.raises(Http404):
        dashboard(analyst, segment=segment.pk + 100)


def test_a_period_not_offered_falls_back_to_a_year(portfolio, owner):
    assert len(dashboard(owner, months=7).trend) == 12
    assert len(dashboard(owner, months="24").trend) == 24


def test_the_dashboard_costs_the_same_queries_for_one_account_or_many(surveys, owner, team):
    def queries() -> int:
        services.value_metrics_rebuild(now=NOW)
        user = type(owner).objects.get(pk=owner.pk)  # its roles not loaded yet, the same both times
        with CaptureQueriesContext(connection) as captured:
            dashboard(user)
        return len(captured)

    first = OrganizationFactory(owner=owner)
    answer(surveys, first, "csat", [4])
    one = queries()
    for index in range(15):
        organization = OrganizationFactory(owner=owner if index % 2 else None, team=team)
        answer(surveys, organization, "csat", [index % 5 + 1])
        answer(surveys, organization, "nps", [index % 11], when=datetime(2025, 3, 1, tzinfo=UTC))
        sla(organization, JUNE, measured=10, met=10 - index % 3)
    many = queries()

    # The user's roles (loaded with the user in a request), the policy, the trend, the distribution,
    # the watermelons and the lowest health.
    assert one == many <= 6


def test_the_account_value_page_reads(portfolio, owner):
    value = selectors.account_value(user=owner, organization=portfolio, months=3, now=NOW)

    assert value.organization == portfolio
    assert [figures.month for figures in value.trend] == [date(2025, 4, 1), MAY, JUNE]
    assert value.trend[1].nps_responses == 3 and value.trend[2].csat_responses == 5
    assert value.current.month == JUNE and value.current.health_score == Decimal("61.3")
    assert value.explanation.score == Decimal("61.3")
    assert [factor.key for factor in value.explanation.missing] == ["ces", "sentiment"]
    assert value.watermelon.reasons == ["csat"]
    steps = {step.step.value: step.figures for step in value.steps}
    assert [step.step for step in value.steps] == list(JourneyStep)
    assert (steps["onboard"].nps_responses, steps["co_create"].csat_responses, steps["agree"].answers) == (
        3,
        5,
        0,
    )
    assert value.totals.answers == 8


def test_the_account_value_of_an_account_without_data(owner):
    quiet = OrganizationFactory(owner=owner)

    value = selectors.account_value(user=owner, organization=quiet.pk, now=NOW)

    assert value.current is None and value.explanation is None and value.watermelon is None
    assert not any(figures.has_data for figures in value.trend)


def test_an_outsider_does_not_find_the_account(portfolio, outsider, teammate, analyst):
    for organization in (portfolio, portfolio.pk):
        with pytest.raises(Http404):
            selectors.account_value(user=outsider, organization=organization, now=NOW)
    assert selectors.account_value(user=teammate, organization=portfolio.pk, now=NOW).current is not None
    assert selectors.account_value(user=analyst, organization=portfolio, now=NOW).current is not None


def test_the_account_value_costs_a_few_queries(portfolio, owner, django_assert_max_num_queries):
    # The user's roles (loaded with the user in a request), the policy, the months, the steps.
    with django_assert_max_num_queries(4):
        selectors.account_value(user=owner, organization=portfolio, now=NOW)


def test_the_portfolio_rows_get_their_health_in_one_query(
    portfolio, other_account, django_assert_num_queries
):
    rows = [{"id": portfolio.pk, "name": "a"}, {"id": other_account.pk}, {"id": 99999}]
    with django_assert_num_queries(1):
        selectors.with_value_figures(rows, now=NOW)
    assert (rows[0]["health_score"], rows[0]["health_band"], rows[0]["nps"]) == (
        Decimal("61.3"),
        "watch",
        Decimal("-33.3"),
    )
    assert (rows[1]["health_band"], rows[1]["nps"]) == ("healthy", Decimal(100))
    assert (rows[2]["health_score"], rows[2]["health_band"]) == (None, "")

    organizations = selectors.with_value_figures([portfolio], now=NOW)
    assert organizations[0].health_score == Decimal("61.3")
    with django_assert_num_queries(0):
        assert selectors.with_value_figures([]) == []


def test_the_accounts_of_a_health_band(
    portfolio, other_account, owner, outsider, django_assert_max_num_queries
):
    with django_assert_max_num_queries(2):  # the user's roles, then the accounts
        watch = selectors.value_accounts(user=owner, band="watch", now=NOW)
    assert [(row.organization_id, row.health_score, row.is_watermelon) for row in watch] == [
        (portfolio.pk, Decimal("61.3"), True)
    ]
    no_data = selectors.value_accounts(user=owner, band="no_data", now=NOW)
    assert [(row.organization_name, row.health_score, row.month) for row in no_data] == [
        ("Quiet Ltd", None, None)
    ]
    assert selectors.value_accounts(user=owner, band="healthy", now=NOW) == []

    assert selectors.value_accounts(user=outsider, band="watch", now=NOW) == []
    assert [
        row.organization_id for row in selectors.value_accounts(user=outsider, band="healthy", now=NOW)
    ] == [other_account.pk]
    segment = MarketSegmentFactory(organizations=[other_account])
    assert selectors.value_accounts(user=owner, band="no_data", segment=segment, now=NOW) == []
