"""The opportunity pipeline as its users see it: the stage columns with their totals, the filters, the
stage buttons (plain forms that HTMX enhances), the question why an opportunity was lost, the forms
with their field errors, and who may see and change what."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from journeys.models import JourneyEvent
from offerings.models import OfferEventType, Opportunity
from tests.factories.offerings import OpportunityFactory, ServiceOfferingFactory
from tests.helpers import HX, text_of

pytestmark = pytest.mark.django_db


def pipeline_url(**query) -> str:
    url = reverse("offerings:pipeline")
    return url + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def account_url(account) -> str:
    return reverse("offerings:account_pipeline", args=[account.pk])


def move_url(opportunity) -> str:
    return reverse("offerings:opportunity_move", args=[opportunity.pk])


def column_text(response, stage: str) -> str:
    found = re.search(
        rf'<section class="board-column board-column-{stage}".*?</section>', response.content.decode(), re.S
    )
    return text_of(found.group(0)) if found else ""


def stage_of(opportunity) -> str:
    opportunity.refresh_from_db()
    return opportunity.stage


@pytest.fixture
def fleet(account, owner):
    return OpportunityFactory(
        organization=account, title="Fleet app", stage="demand", estimated_value=Decimal("12000"), owner=owner
    )


# --- the boards -------------------------------------------------------------------------------------


def test_the_pipeline_shows_each_opportunity_in_its_stage_with_the_totals(as_user, owner, account, fleet):
    OpportunityFactory(
        organization=account, title="Kiosk", stage="proposal", estimated_value=Decimal("800.50")
    )
    OpportunityFactory(organization=account, title="Old kiosk", stage="lost", lost_reason="Went elsewhere")

    response = as_user(owner).get(pipeline_url())

    assert response.status_code == 200
    assert "<html" in response.content.decode()
    demand = column_text(response, "demand")
    assert "Demand (1)" in demand and "12,000 estimated" in demand
    assert "Fleet app Rentwheel Car Hire" in demand
    assert "Kiosk" in column_text(response, "proposal") and "800.50 estimated" in column_text(
        response, "proposal"
    )
    assert "lost: Went elsewhere" in column_text(response, "lost")
    assert "None." in column_text(response, "agreed")
    assert "12,800.50 estimated in demand and proposal" in text_of(response.content.decode())


def test_the_board_alone_is_sent_to_htmx(as_user, owner, fleet):
    response = as_user(owner).get(pipeline_url(), **HX)

    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    assert "Fleet app" in column_text(response, "demand")
    assert "hx-request" in response.headers["Vary"].lower()


def test_the_pipeline_filters_by_account_owner_and_offering(as_user, owner, teammate, account, fleet):
    offering = ServiceOfferingFactory(name="Mobility desk", status="published")
    OpportunityFactory(organization=account, title="Desk roll-out", owner=teammate, offering=offering)
    client = as_user(owner)

    assert "Desk roll-out" not in column_text(client.get(pipeline_url(owner="me")), "demand")
    assert "Fleet app" not in column_text(client.get(pipeline_url(offering=offering.pk)), "demand")
    assert "Fleet app" not in column_text(client.get(pipeline_url(q="northbank")), "demand")
    assert "Fleet app" in column_text(client.get(pipeline_url(q="rentwheel", owner="bogus")), "demand")


def test_the_accounts_pipeline_is_reached_from_its_requirement_board(as_user, owner, account, fleet):
    board = as_user(owner).get(reverse("offerings:requirement_board", args=[account.pk])).content.decode()
    assert f'href="{account_url(account)}"' in board

    response = as_user(owner).get(account_url(account))

    assert "Fleet app" in column_text(response, "demand")
    assert reverse("offerings:opportunity_create", args=[account.pk]) in response.content.decode()


@pytest.mark.parametrize("size", [2, 24])
def test_the_pipeline_costs_the_same_queries_whatever_its_size(
    as_user, teammate, account, size, django_assert_num_queries
):
    for number in range(size):
        OpportunityFactory(organization=account, stage=["demand", "proposal", "agreed", "lost"][number % 4])
    client = as_user(teammate)

    # Session, user with roles and teams, the people and offerings to filter by, the cards, the totals.
    with django_assert_num_queries(6):
        response = client.get(pipeline_url(owner="me"))
    assert response.status_code == 200

    # The account's pipeline reads the account too.
    with django_assert_num_queries(7):
        response = client.get(account_url(account))
    assert len(re.findall(r'<li class="board-card[ "]', response.content.decode())) == size


# --- moving cards -----------------------------------------------------------------------------------


def test_a_move_without_javascript_redirects_back_to_the_card(as_user, owner, account, fleet):
    response = as_user(owner).post(move_url(fleet), {"stage": "proposal", "board": "owner=me"})

    assert response.status_code == 302
    assert response["Location"] == pipeline_url(owner="me") + f"#opportunity-{fleet.pk}"
    assert stage_of(fleet) == "proposal"
    assert JourneyEvent.objects.filter(event_type=OfferEventType.OPPORTUNITY_STAGE_CHANGED).count() == 1


def test_a_move_on_the_accounts_pipeline_goes_back_there(as_user, owner, account, fleet):
    response = as_user(owner).post(move_url(fleet), {"stage": "agreed", "view": "account"})

    assert response["Location"] == account_url(account) + f"#opportunity-{fleet.pk}"


def test_a_move_by_htmx_answers_with_the_board_focused_on_the_card(as_user, owner, account, fleet):
    response = as_user(owner).post(move_url(fleet), {"stage": "proposal"}, **HX)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "Fleet app" in column_text(response, "proposal")
    assert f'id="opportunity-{fleet.pk}" tabindex="-1" autofocus' in html


def test_lost_asks_why_in_the_card_with_htmx_and_on_a_page_without(as_user, owner, account, fleet):
    client = as_user(owner)
    url = move_url(fleet) + "?stage=lost&view=account"

    fragment = client.get(url, **HX).content.decode()
    page = client.get(url).content.decode()

    assert "<html" not in fragment
    assert 'name="lost_reason"' in fragment and "required" in fragment
    assert "<html" in page and "Why was it lost?" in text_of(page)
    assert stage_of(fleet) == "demand"


def test_losing_with_a_reason_moves_the_card(as_user, owner, account, fleet):
    response = as_user(owner).post(
        move_url(fleet), {"stage": "lost", "lost_reason": "Budget cut", "view": "account"}
    )

    assert response.status_code == 302
    fleet.refresh_from_db()
    assert (fleet.stage, fleet.lost_reason) == ("lost", "Budget cut")


def test_losing_without_a_reason_is_refused_on_the_page(as_user, owner, account, fleet):
    response = as_user(owner).post(move_url(fleet), {"stage": "lost", "lost_reason": " "})

    assert response.status_code == 400
    assert "Say why it was lost" in text_of(response.content.decode())
    assert 'id="id_lost_reason_error"' in response.content.decode()
    assert stage_of(fleet) == "demand"


def test_losing_without_a_reason_by_htmx_keeps_the_question_open_in_the_card(as_user, owner, account, fleet):
    response = as_user(owner).post(move_url(fleet), {"stage": "lost", "lost_reason": ""}, **HX)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was moved." in text_of(html)
    assert f'id="lost-reason-{fleet.pk}-error"' in html
    assert stage_of(fleet) == "demand"


def test_moving_to_the_stage_it_is_in_is_refused(as_user, owner, account, fleet):
    response = as_user(owner).post(move_url(fleet), {"stage": "demand"})

    assert response.status_code == 400
    assert "“Fleet app” is already in demand." in text_of(response.content.decode())


def test_a_move_from_the_opportunitys_page_goes_back_to_it(as_user, owner, account, fleet):
    detail = reverse("offerings:opportunity_detail", args=[fleet.pk])

    page = as_user(owner).get(detail).content.decode()
    response = as_user(owner).post(move_url(fleet), {"stage": "proposal", "view": "detail"})

    assert 'name="view" value="detail"' in page
    assert response["Location"] == detail
    assert "Proposal from" in text_of(as_user(owner).get(detail).content.decode())


# --- who sees and moves what ------------------------------------------------------------------------


def test_an_outsider_sees_nothing_of_the_account(as_user, outsider, other_team, account, fleet):
    client = as_user(outsider)

    assert "Fleet app" not in client.get(pipeline_url()).content.decode()
    assert client.get(account_url(account)).status_code == 404
    assert client.get(reverse("offerings:opportunity_detail", args=[fleet.pk])).status_code == 404
    assert client.post(move_url(fleet), {"stage": "agreed"}).status_code == 404
    assert stage_of(fleet) == "demand"


def test_an_analyst_sees_the_pipeline_without_buttons_and_may_not_move(as_user, analyst, account, fleet):
    client = as_user(analyst)

    response = client.get(pipeline_url())

    assert "Fleet app" in column_text(response, "demand")
    assert "board-moves" not in response.content.decode()
    assert client.post(move_url(fleet), {"stage": "agreed"}).status_code == 403
    assert client.get(move_url(fleet) + "?stage=lost").status_code == 403
    assert stage_of(fleet) == "demand"


def test_an_integrator_may_not_use_the_pages(as_user, integrator, fleet):
    assert as_user(integrator).get(pipeline_url()).status_code == 403


# --- an opportunity's pages -------------------------------------------------------------------------


def test_opening_an_opportunity_from_the_form(as_user, owner, account, journey):
    response = as_user(owner).post(
        reverse("offerings:opportunity_create", args=[account.pk]),
        {"title": "Driver app", "stage": "proposal", "estimated_value": "4500.00", "journey": journey.pk},
    )

    opportunity = Opportunity.objects.get()
    assert response["Location"] == reverse("offerings:opportunity_detail", args=[opportunity.pk])
    assert (opportunity.stage, opportunity.estimated_value, opportunity.journey) == (
        "proposal",
        Decimal("4500.00"),
        journey,
    )


def test_a_negative_value_is_a_field_error_and_saves_nothing(as_user, owner, account):
    response = as_user(owner).post(
        reverse("offerings:opportunity_create", args=[account.pk]),
        {"title": "Driver app", "stage": "demand", "estimated_value": "-10"},
    )

    assert response.status_code == 400
    assert 'id="id_estimated_value_error"' in response.content.decode()
    assert "cannot be negative" in text_of(response.content.decode())
    assert not Opportunity.objects.exists()


def test_opening_as_lost_needs_the_reason(as_user, owner, account):
    response = as_user(owner).post(
        reverse("offerings:opportunity_create", args=[account.pk]), {"title": "Driver app", "stage": "lost"}
    )

    assert response.status_code == 400
    assert 'id="id_lost_reason_error"' in response.content.decode()


def test_editing_keeps_the_stage_out_of_the_form(as_user, owner, account, fleet):
    url = reverse("offerings:opportunity_edit", args=[fleet.pk])

    form = as_user(owner).get(url).content.decode()
    response = as_user(owner).post(
        url, {"title": "Fleet app v2", "estimated_value": "13000", "stage": "agreed"}
    )

    assert 'name="stage"' not in form
    assert response.status_code == 302
    fleet.refresh_from_db()
    assert (fleet.title, fleet.estimated_value, fleet.stage) == ("Fleet app v2", Decimal("13000"), "demand")


def test_the_opportunity_page_shows_its_stages(as_user, owner, account, fleet):
    text = text_of(
        as_user(owner).get(reverse("offerings:opportunity_detail", args=[fleet.pk])).content.decode()
    )

    assert "Fleet app" in text and "12,000 estimated" in text


def test_deleting_asks_first(as_user, owner, account, fleet):
    url = reverse("offerings:opportunity_delete", args=[fleet.pk])

    assert "Delete “Fleet app”?" in text_of(as_user(owner).get(url).content.decode())
    response = as_user(owner).post(url)

    assert response["Location"] == account_url(account)
    assert not Opportunity.objects.exists()


@pytest.mark.parametrize("name", ["opportunity_edit", "opportunity_delete"])
def test_read_only_roles_get_no_forms(as_user, desk, fleet, name):
    assert as_user(desk).get(reverse(f"offerings:{name}", args=[fleet.pk])).status_code == 403


def test_the_outsider_cannot_open_opportunities_for_the_account(as_user, outsider, other_team, account):
    response = as_user(outsider).post(
        reverse("offerings:opportunity_create", args=[account.pk]), {"title": "Peek", "stage": "demand"}
    )

    assert response.status_code == 404
    assert not Opportunity.objects.exists()
