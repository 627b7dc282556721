"""The live journey map page: what it shows for the portfolio, an account and a segment, how the scope is
chosen with the keyboard alone (search, pick, or a plain GET form), who may open it, and a constant
number of queries whatever the size of the portfolio."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from exploration.models import SegmentMembership
from realization import services
from realization.services import month_of
from tests.factories.exploration import MarketSegmentFactory
from tests.factories.journey_maps import JourneyMapFactory, MapStageFactory
from tests.factories.journeys import JourneyFactory, OrganizationFactory, TouchpointFactory
from tests.permissions import LOGIN, assert_answer, get_cases

pytestmark = pytest.mark.django_db

URL = "/realize/map/"


def test_the_url_is_named():
    assert reverse("realization:journey_map") == URL


@pytest.fixture
def lived(account, other_account):
    """Touchpoints this month: a good start, a bad end (Realize) for the owner's account."""
    now = timezone.now()
    for step, sentiment, moment in (
        ("engage", 2, False),
        ("engage", 1, True),
        ("offer", 1, False),
        ("realize", -2, True),
        ("realize", -1, False),
    ):
        TouchpointFactory(
            organization=account, step=step, sentiment=sentiment, moment_of_truth=moment, occurred_at=now
        )
    TouchpointFactory(organization=other_account, step="offer", sentiment=-2, occurred_at=now)
    services.step_activity_rebuild()


def test_the_portfolio_page_shows_the_curve_the_steps_the_verdict_and_the_funnel(
    as_user, owner, lived, journey
):
    response = as_user(owner).get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Your portfolio" in page
    assert 'class="sentiment-chart"' in page and "+1.5" in page and "−1.5" in page
    assert "The journey ends on a low." in page and "Realize" in page
    assert '<a href="/co-create/moments/?step=engage">1</a>' in page
    assert "Accounts through the journey" in page
    # The outsider's account is not the owner's to count.
    assert response.context["overlay"].totals["touchpoints"] == 5


def test_the_steps_show_csat_and_ces_from_the_value_metrics(as_user, owner, account):
    from realization.models import SurveyResponse
    from tests.factories.realization import SurveyFactory

    now = timezone.now()
    for kind, scores in (("csat", [5, 4, 2]), ("ces", [6, 3])):
        survey = SurveyFactory(survey_type=kind)
        for score in scores:
            SurveyResponse.objects.create(
                survey=survey,
                survey_type=kind,
                organization=account,
                step="onboard",
                score=score,
                answered_at=now,
            )
    services.value_metrics_rebuild()

    page = as_user(owner).get(URL).content.decode()

    assert "<abbr" in page and ">CSAT</abbr>" in page and ">CES</abbr>" in page
    assert '67 % <small class="muted">· 3.7 (3)</small>' in page
    assert '4.5 <small class="muted">(2)</small>' in page


def test_a_designed_map_is_drawn_beside_the_lived_curve(as_user, analyst, lived):
    journey_map = JourneyMapFactory(name="Getting online")
    MapStageFactory(journey_map=journey_map, step="realize", expected_emotion=2)

    page = as_user(analyst).get(URL, {"journey_map": journey_map.pk, "months": 3}).content.decode()

    assert 'class="designed"' in page
    assert "Designed emotion" in page
    assert "Getting online" in page


def test_typing_an_account_and_pressing_enter_shows_that_account(as_user, owner, account, lived):
    response = as_user(owner).get(URL, {"scope": "portfolio", "q": "rentwheel"})

    overlay = response.context["overlay"]
    assert overlay.scope.organization == account
    assert "Open the account" in response.content.decode()


def test_several_matches_ask_which_account_with_links(as_user, owner, account, lived):
    OrganizationFactory(name="Rentwheel Vans", owner=owner)

    response = as_user(owner).get(URL, {"q": "Rentwheel"})

    page = response.content.decode()
    assert response.context["overlay"] is None
    assert "which one?" in page
    assert f"{URL}?scope=account&amp;months=6&amp;account={account.pk}" in page


def test_the_type_ahead_lists_only_accounts_the_user_sees(as_user, outsider, account, other_account):
    response = as_user(outsider).get(reverse("realization:account_lookup"), {"q": "e", "months": "3"})
    assert response.content.decode().strip() == ""

    page = as_user(outsider).get(reverse("realization:account_lookup"), {"q": "savings"}).content.decode()
    assert "Northbank Savings" in page and "Rentwheel" not in page


def test_a_segment_is_chosen_from_the_scope_list(as_user, owner, account, lived):
    segment = MarketSegmentFactory(name="Car hire")
    SegmentMembership.objects.create(segment=segment, organization=account)

    response = as_user(owner).get(URL, {"scope": f"segment:{segment.pk}", "months": "12"})

    assert response.context["overlay"].scope.segment == segment
    assert "Segment Car hire" in response.content.decode()


def test_htmx_gets_the_result_region_alone(as_user, owner, lived):
    response = as_user(owner).get(URL, {"months": "3"}, HTTP_HX_REQUEST="true")

    page = response.content.decode()
    assert "<html" not in page and "<form" not in page
    assert "Sentiment along the journey" in page
    assert response["Vary"] == "HX-Request" or "HX-Request" in response["Vary"]


def test_an_account_the_user_may_not_see_is_not_found(as_user, outsider, account):
    response = as_user(outsider).get(URL, {"scope": "account", "account": account.pk})

    assert response.status_code == 404


def test_unknown_choices_fall_back_to_the_portfolio_over_six_months(as_user, owner, lived):
    response = as_user(owner).get(URL, {"scope": "galaxy", "months": "7", "journey_map": "x"})

    overlay = response.context["overlay"]
    assert (overlay.scope.kind, overlay.months, overlay.journey_map) == ("portfolio", 6, None)


def test_an_empty_portfolio_says_so(as_user, outsider):
    page = as_user(outsider).get(URL).content.decode()

    assert "No touchpoint was logged" in page


# --- queries --------------------------------------------------------------------------------------


def _grow(owner, segment, count: int) -> None:
    now = timezone.now()
    for index in range(count):
        organization = OrganizationFactory(owner=owner)
        SegmentMembership.objects.create(segment=segment, organization=organization)
        JourneyFactory(organization=organization, current_step=["offer", "agree", "onboard"][index % 3])
        for step in ("engage", "co_create", "realize"):
            TouchpointFactory(organization=organization, step=step, sentiment=index % 3 - 1, occurred_at=now)
    services.step_activity_rebuild()


@pytest.mark.parametrize("scope", ["portfolio", "account", "segment"])
def test_the_page_costs_the_same_few_queries_for_a_small_or_large_portfolio(as_user, owner, account, scope):
    segment = MarketSegmentFactory(name="Everyone")
    journey_map = JourneyMapFactory()
    MapStageFactory(journey_map=journey_map)
    client = as_user(owner)
    params = {"months": "12", "journey_map": journey_map.pk}
    if scope == "account":
        params |= {"scope": "account", "account": account.pk}
    if scope == "segment":
        params |= {"scope": f"segment:{segment.pk}"}

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL, params).status_code == 200
        return len(captured)

    _grow(owner, segment, 2)
    small = queries()
    _grow(owner, segment, 25)
    large = queries()

    assert small == large
    assert large <= 12


# --- permissions ----------------------------------------------------------------------------------

# fmt: off
#                     anonymous owner teammate outsider desk analyst integrator admin
GET_TABLE = {
    "journey_map":    (LOGIN, 200, 200, 200, 200, 200, 403, 200),
    "account_lookup": (LOGIN, 200, 200, 200, 200, 200, 403, 200),
}
# fmt: on


@pytest.mark.parametrize(("name", "persona", "expected"), get_cases(GET_TABLE))
def test_who_may_open_the_live_map(client_as, account, name, persona, expected):
    url = reverse(f"realization:{name}")
    assert_answer(client_as(persona).get(url), expected, url)


@pytest.mark.parametrize(
    ("persona", "expected"), [("owner", 200), ("teammate", 200), ("outsider", 404), ("desk", 200)]
)
def test_who_may_open_one_accounts_live_map(client_as, account, persona, expected):
    response = client_as(persona).get(URL, {"scope": "account", "account": account.pk})

    assert response.status_code == expected


def test_the_month_of_a_moment_is_its_first_day():
    moment = timezone.now()
    assert month_of(moment).day == 1
    assert month_of(moment - timedelta(days=40)) < month_of(moment)
