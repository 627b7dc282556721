"""The pages of the journey spine as a user sees them: the accounts list with its search, filters and
pages, and the forms that add and change organizations, stakeholders, touchpoints and journeys."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from journeys.models import (
    Channel,
    Journey,
    JourneyEvent,
    JourneyStatus,
    JourneyStep,
    JourneyStepChange,
    Organization,
    OrganizationKind,
    Stakeholder,
    Touchpoint,
    TouchpointKind,
)
from tests.factories.journeys import (
    JourneyFactory,
    OrganizationFactory,
    StakeholderFactory,
    TouchpointFactory,
)
from tests.helpers import HX, text_of

pytestmark = pytest.mark.django_db


def listed_names(response) -> list[str]:
    """The organization names in the accounts table, in their order."""
    return [
        unescape(name)
        for name in re.findall(r'<td><a href="/accounts/\d+/">([^<]+)</a>', response.content.decode())
    ]


def field_error(response, field: str) -> str:
    """The error shown right under a form field, or "" when there is none."""
    found = re.search(
        rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', response.content.decode(), re.S
    )
    return text_of(found.group(1)) if found else ""


def varies_on_hx_request(response) -> bool:
    return "hx-request" in [part.strip().lower() for part in response.headers.get("Vary", "").split(",")]


def everything_written():
    """A fingerprint of every row of the spine: equal before and after means nothing was written."""
    return {
        model.__name__: list(model.objects.order_by("pk").values_list("pk", "updated_at"))
        for model in (Organization, Stakeholder, Journey, JourneyStepChange, Touchpoint)
    } | {"events": JourneyEvent.objects.count()}


# --- organization list ----------------------------------------------------------------------------


def test_the_list_shows_the_accounts_a_manager_may_see_with_their_journey_step(
    as_user, owner, account, journey, sponsor, other_account
):
    response = as_user(owner).get(reverse("organization_list"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html
    assert listed_names(response) == ["Rentwheel Car Hire"]
    assert "Engage" in html
    assert reverse("organization_create") in html


def test_the_list_shows_accounts_nobody_owns(as_user, analyst, account):
    OrganizationFactory(name="Orphan Transport", owner=None)

    response = as_user(analyst).get(reverse("organization_list"), {"owner": "none"})

    assert response.status_code == 200
    assert listed_names(response) == ["Orphan Transport"]
    assert "<td>—</td>" in response.content.decode()


def test_the_list_shows_what_people_typed_as_text_not_markup(as_user, owner):
    OrganizationFactory(name="<b>Bold & Sons</b>", city="<i>Ghent</i>", owner=owner)

    html = as_user(owner).get(reverse("organization_list")).content.decode()

    assert "&lt;b&gt;Bold &amp; Sons&lt;/b&gt;" in html
    assert "&lt;i&gt;Ghent&lt;/i&gt;" in html
    assert "<b>Bold" not in html and "<i>Ghent" not in html


def test_the_list_offers_no_add_button_to_an_analyst(as_user, analyst, account, other_account):
    response = as_user(analyst).get(reverse("organization_list"))

    assert listed_names(response) == ["Northbank Savings", "Rentwheel Car Hire"]
    assert reverse("organization_create") not in response.content.decode()


def test_searching_by_name_ignores_case(as_user, owner, account):
    OrganizationFactory(name="Harbour Logistics", owner=owner)

    response = as_user(owner).get(reverse("organization_list"), {"q": "rentWHEEL"})

    assert listed_names(response) == ["Rentwheel Car Hire"]
    assert 'value="rentWHEEL"' in response.content.decode(), "the search box keeps what was typed"


def test_searching_finds_an_account_by_its_crm_id(as_user, owner, account):
    OrganizationFactory(name="Harbour Logistics", owner=owner, external_id="CRM-0042")

    response = as_user(owner).get(reverse("organization_list"), {"q": "crm-0042"})

    assert listed_names(response) == ["Harbour Logistics"]


def test_filtering_by_step_lists_the_accounts_whose_journey_is_in_that_step(as_user, owner, account, journey):
    offering = OrganizationFactory(name="Harbour Logistics", owner=owner)
    JourneyFactory(organization=offering, current_step=JourneyStep.OFFER)
    OrganizationFactory(name="No Journey Yet", owner=owner)

    response = as_user(owner).get(reverse("organization_list"), {"step": "offer"})

    assert listed_names(response) == ["Harbour Logistics"]
    assert '<option value="offer" selected>' in response.content.decode()


def test_filtering_by_kind_lists_only_that_kind(as_user, owner, account):
    OrganizationFactory(name="Bridge Partners", owner=owner, kind=OrganizationKind.PARTNER)

    response = as_user(owner).get(reverse("organization_list"), {"kind": "partner"})

    assert listed_names(response) == ["Bridge Partners"]


def test_filters_combine(as_user, owner, account, journey):
    partner = OrganizationFactory(name="Bridge Partners", owner=owner, kind=OrganizationKind.PARTNER)
    JourneyFactory(organization=partner, current_step=JourneyStep.ENGAGE)

    response = as_user(owner).get(reverse("organization_list"), {"kind": "consumer", "step": "engage"})

    assert listed_names(response) == ["Rentwheel Car Hire"]


def test_a_filter_nothing_matches_says_so(as_user, owner, account):
    response = as_user(owner).get(reverse("organization_list"), {"q": "zeppelin"})

    assert listed_names(response) == []
    assert "No account matches these filters." in response.content.decode()


def test_the_list_pages_after_25_accounts(as_user, owner):
    for number in range(27):
        OrganizationFactory(name=f"Consumer {number:02d}", owner=owner)

    first = as_user(owner).get(reverse("organization_list"), {"q": "consumer"})
    second = as_user(owner).get(reverse("organization_list"), {"q": "consumer", "page": 2})

    assert listed_names(first) == [f"Consumer {number:02d}" for number in range(25)]
    assert 'href="?q=consumer&amp;page=2"' in first.content.decode(), "the next page keeps the search"
    assert "Page 1 of 2" in first.content.decode()
    assert listed_names(second) == ["Consumer 25", "Consumer 26"]
    assert 'href="?q=consumer&amp;page=1"' in second.content.decode()


def test_the_htmx_request_returns_only_the_results(as_user, owner, account, other_account):
    response = as_user(owner).get(reverse("organization_list"), {"q": "rent"}, **HX)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert 'aria-label="Main"' not in html, "no navigation in a fragment"
    assert 'role="search"' not in html, "the filter form stays on the page"
    assert listed_names(response) == ["Rentwheel Car Hire"]
    assert "1 account" in html
    assert varies_on_hx_request(response)


def test_a_boosted_navigation_gets_the_whole_page(as_user, owner, account):
    response = as_user(owner).get(
        reverse("organization_list"), HTTP_HX_REQUEST="true", HTTP_HX_BOOSTED="true"
    )

    assert "<html" in response.content.decode()
    assert varies_on_hx_request(response)


def test_a_history_restore_gets_the_whole_page(as_user, owner, account):
    response = as_user(owner).get(
        reverse("organization_list"), HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )

    assert "<html" in response.content.decode()


def test_the_full_page_also_varies_on_hx_request(as_user, owner, account):
    """Otherwise a cache could serve the fragment to a browser that asked for the page."""
    assert varies_on_hx_request(as_user(owner).get(reverse("organization_list")))


@pytest.mark.parametrize("organizations", [3, 30])
def test_the_list_runs_the_same_number_of_queries_however_many_accounts(
    as_user, owner, organizations, django_assert_num_queries
):
    for _ in range(organizations):
        organization = OrganizationFactory(owner=owner)
        JourneyFactory(organization=organization)
        StakeholderFactory(organization=organization)
        TouchpointFactory(organization=organization)
    client = as_user(owner)

    # Session, user with their roles, the count, the page.
    with django_assert_num_queries(4):
        response = client.get(reverse("organization_list"))

    assert len(listed_names(response)) == min(organizations, 25)


# --- organization create --------------------------------------------------------------------------

VALID_ORGANIZATION = {
    "name": "Harbour Logistics",
    "kind": "consumer",
    "industry": "Shipping",
    "country": "nl",
    "city": "Rotterdam",
    "website": "harbour.example",
    "annual_revenue": "125000.50",
    "employee_count": "40",
    "external_id": "CRM-7",
}


def test_the_add_organization_form_renders(as_user, owner):
    response = as_user(owner).get(reverse("organization_create"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Add organization</h1>" in html
    assert 'name="name"' in html and 'name="annual_revenue"' in html


def test_adding_an_organization_makes_the_acting_manager_its_owner(as_user, owner):
    response = as_user(owner).post(reverse("organization_create"), VALID_ORGANIZATION)

    organization = Organization.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("account_detail", args=[organization.pk])
    assert organization.owner == owner
    assert organization.name == "Harbour Logistics"
    assert organization.country == "NL"
    assert organization.website == "https://harbour.example"
    assert str(organization.annual_revenue) == "125000.50"
    page = as_user(owner).get(response["Location"]).content.decode()
    assert "Harbour Logistics added." in page


def test_adding_an_organization_for_a_colleague_makes_them_the_owner(as_user, owner, teammate):
    as_user(owner).post(reverse("organization_create"), {**VALID_ORGANIZATION, "owner": teammate.pk})

    assert Organization.objects.get().owner == teammate


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "This field is required."),
        ("annual_revenue", "-1", "greater than or equal to 0"),
        ("website", "http://", "Enter a valid URL."),
        ("employee_count", "many", "Enter a whole number."),
    ],
)
def test_bad_organization_input_is_shown_next_to_its_field_and_nothing_is_written(
    as_user, owner, field, value, message
):
    before = everything_written()

    response = as_user(owner).post(reverse("organization_create"), {**VALID_ORGANIZATION, field: value})

    assert response.status_code == 400
    assert message in field_error(response, field)
    assert everything_written() == before


def test_a_duplicate_external_id_is_shown_next_to_its_field_and_nothing_is_written(
    as_user, owner, other_account
):
    other_account.external_id = "CRM-7"
    other_account.save()
    before = everything_written()

    response = as_user(owner).post(reverse("organization_create"), VALID_ORGANIZATION)

    assert response.status_code == 400
    assert "already has the external id “CRM-7”" in field_error(response, "external_id")
    assert everything_written() == before
    assert 'value="Harbour Logistics"' in response.content.decode(), "what was typed is kept"


@pytest.mark.parametrize("persona", ["desk", "analyst"])
def test_the_desk_and_analysts_may_not_add_organizations(as_user, persona, request):
    client = as_user(request.getfixturevalue(persona))

    assert client.get(reverse("organization_create")).status_code == 403
    assert client.post(reverse("organization_create"), VALID_ORGANIZATION).status_code == 403
    assert not Organization.objects.exists()


# --- organization edit ----------------------------------------------------------------------------


def organization_form_of(organization, **changes):
    data = {
        "name": organization.name,
        "kind": organization.kind,
        "owner": organization.owner_id or "",
        "team": organization.team_id or "",
        "industry": organization.industry,
        "country": organization.country,
        "city": organization.city,
        "website": organization.website,
        "external_id": organization.external_id,
        "notes": organization.notes,
    }
    return {**data, **changes}


def test_the_edit_form_shows_the_current_values(as_user, owner, account):
    response = as_user(owner).get(reverse("organization_edit", args=[account.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Edit Rentwheel Car Hire</h1>" in html
    assert 'value="Rentwheel Car Hire"' in html
    assert f'<option value="{owner.pk}" selected>' in html


@pytest.mark.parametrize("persona", ["owner", "teammate"])
def test_the_owner_and_a_teammate_may_edit_the_account(as_user, account, persona, request):
    client = as_user(request.getfixturevalue(persona))

    response = client.post(
        reverse("organization_edit", args=[account.pk]), organization_form_of(account, city="Amsterdam")
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("account_detail", args=[account.pk])
    account.refresh_from_db()
    assert account.city == "Amsterdam"
    assert account.owner.username == "owner", "the owner stays"


def test_editing_shows_bad_input_next_to_the_field_and_keeps_the_account(as_user, owner, account):
    before = everything_written()

    response = as_user(owner).post(
        reverse("organization_edit", args=[account.pk]), organization_form_of(account, name="  ")
    )

    assert response.status_code == 400
    assert field_error(response, "name") == "This field is required."
    assert everything_written() == before


def test_an_outsider_may_not_learn_or_edit_the_account(as_user, outsider, account):
    client = as_user(outsider)
    before = everything_written()

    assert client.get(reverse("organization_edit", args=[account.pk])).status_code == 404
    response = client.post(
        reverse("organization_edit", args=[account.pk]), organization_form_of(account, city="X")
    )

    assert response.status_code == 404
    assert everything_written() == before


# --- stakeholders ---------------------------------------------------------------------------------

VALID_STAKEHOLDER = {
    "name": "Bo Jansen",
    "job_title": "Head of fleet",
    "email": "bo.jansen@rentwheel.example",
    "category": "consumer",
    "roles": ["customer", "sponsor"],
    "influence": "4",
    "interest": "5",
    "is_active": "on",
}


def test_the_add_stakeholder_form_offers_the_three_consumer_roles(as_user, owner, account):
    response = as_user(owner).get(reverse("stakeholder_create", args=[account.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Add a stakeholder to Rentwheel Car Hire" in html
    for role in ("customer", "user", "sponsor"):
        assert f'type="checkbox" name="roles" value="{role}"' in html


def test_adding_a_stakeholder_maps_the_ticked_roles(as_user, owner, account):
    response = as_user(owner).post(reverse("stakeholder_create", args=[account.pk]), VALID_STAKEHOLDER)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_detail", args=[account.pk])
    person = Stakeholder.objects.get()
    assert person.organization == account
    assert (person.is_customer, person.is_user, person.is_sponsor) == (True, False, True)
    assert (person.influence, person.interest) == (4, 5)
    assert person.is_active


def test_editing_a_stakeholder_shows_the_roles_they_hold(as_user, owner, sponsor):
    html = as_user(owner).get(reverse("stakeholder_edit", args=[sponsor.pk])).content.decode()

    assert re.search(r'<input type="checkbox" name="roles" value="sponsor"[^>]* checked>', html)
    assert not re.search(r'<input type="checkbox" name="roles" value="user"[^>]* checked>', html)


def test_editing_a_stakeholder_replaces_their_roles(as_user, teammate, sponsor):
    response = as_user(teammate).post(
        reverse("stakeholder_edit", args=[sponsor.pk]),
        {**VALID_STAKEHOLDER, "name": "Ana Ferreira", "roles": ["user"], "is_active": ""},
    )

    assert response.status_code == 302
    sponsor.refresh_from_db()
    assert (sponsor.is_customer, sponsor.is_user, sponsor.is_sponsor) == (False, True, False)
    assert not sponsor.is_active


@pytest.mark.parametrize("influence", ["0", "6"])
def test_an_influence_outside_one_to_five_is_refused_when_adding(as_user, owner, account, influence):
    before = everything_written()

    response = as_user(owner).post(
        reverse("stakeholder_create", args=[account.pk]), {**VALID_STAKEHOLDER, "influence": influence}
    )

    assert response.status_code == 400
    assert "Select a valid choice" in field_error(response, "influence")
    assert everything_written() == before


@pytest.mark.parametrize("influence", ["0", "6"])
def test_an_influence_outside_one_to_five_is_refused_when_editing(as_user, owner, sponsor, influence):
    before = everything_written()

    response = as_user(owner).post(
        reverse("stakeholder_edit", args=[sponsor.pk]), {**VALID_STAKEHOLDER, "influence": influence}
    )

    assert response.status_code == 400
    assert field_error(response, "influence")
    assert everything_written() == before


def test_an_outsider_may_not_add_or_edit_stakeholders(as_user, outsider, account, sponsor):
    client = as_user(outsider)
    before = everything_written()

    assert client.post(reverse("stakeholder_create", args=[account.pk]), VALID_STAKEHOLDER).status_code == 404
    assert client.post(reverse("stakeholder_edit", args=[sponsor.pk]), VALID_STAKEHOLDER).status_code == 404
    assert everything_written() == before


# --- touchpoints ----------------------------------------------------------------------------------


def touchpoint_form(**changes):
    data = {
        "stakeholder": "",
        "journey": "",
        "step": "",
        "channel": Channel.TELEPHONE,
        "kind": TouchpointKind.QUERY,
        "direction": "inbound",
        "sentiment": "1",
        "summary": "Asked to add two vans to the fleet contract",
        "occurred_at": "",
        "duration_minutes": "12",
    }
    return {**data, **changes}


def test_the_touchpoint_form_preselects_the_only_active_journey(as_user, owner, account, journey):
    response = as_user(owner).get(reverse("touchpoint_create", args=[account.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<option value="{journey.pk}" selected>Fleet booking platform (Engage)</option>' in html


def test_the_touchpoint_form_preselects_the_person_from_the_link(as_user, owner, account, sponsor):
    html = (
        as_user(owner)
        .get(reverse("touchpoint_create", args=[account.pk]), {"stakeholder": sponsor.pk})
        .content.decode()
    )

    assert f'<option value="{sponsor.pk}" selected>Ana Ferreira</option>' in html


def test_a_touchpoint_takes_the_journeys_current_step_by_default(as_user, owner, account, sponsor):
    journey = JourneyFactory(organization=account, current_step=JourneyStep.OFFER)

    response = as_user(owner).post(
        reverse("touchpoint_create", args=[account.pk]),
        touchpoint_form(journey=journey.pk, stakeholder=sponsor.pk),
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("account_detail", args=[account.pk])
    touchpoint = Touchpoint.objects.get()
    assert touchpoint.step == JourneyStep.OFFER
    assert (touchpoint.journey, touchpoint.stakeholder, touchpoint.logged_by) == (journey, sponsor, owner)
    assert touchpoint.sentiment == 1
    assert "Touchpoint logged." in as_user(owner).get(response["Location"]).content.decode()


def test_a_chosen_step_wins_over_the_journeys_step(as_user, owner, account, journey):
    as_user(owner).post(
        reverse("touchpoint_create", args=[account.pk]), touchpoint_form(journey=journey.pk, step="realize")
    )

    assert Touchpoint.objects.get().step == JourneyStep.REALIZE


def test_a_sentiment_outside_the_scale_is_refused(as_user, owner, account, journey):
    before = everything_written()

    response = as_user(owner).post(
        reverse("touchpoint_create", args=[account.pk]), touchpoint_form(journey=journey.pk, sentiment="3")
    )

    assert response.status_code == 400
    assert "Select a valid choice" in field_error(response, "sentiment")
    assert everything_written() == before


def test_a_journey_of_another_organization_is_refused(as_user, owner, account, journey, other_account):
    foreign = JourneyFactory(organization=other_account)
    before = everything_written()

    response = as_user(owner).post(
        reverse("touchpoint_create", args=[account.pk]), touchpoint_form(journey=foreign.pk)
    )

    assert response.status_code == 400
    assert "Select a valid choice" in field_error(response, "journey")
    assert everything_written() == before


def test_a_person_of_another_organization_is_refused(as_user, owner, account, other_account):
    stranger = StakeholderFactory(organization=other_account)
    before = everything_written()

    response = as_user(owner).post(
        reverse("touchpoint_create", args=[account.pk]), touchpoint_form(stakeholder=stranger.pk)
    )

    assert response.status_code == 400
    assert field_error(response, "stakeholder")
    assert everything_written() == before


def test_a_touchpoint_in_the_future_is_refused(as_user, owner, account):
    tomorrow = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")

    response = as_user(owner).post(
        reverse("touchpoint_create", args=[account.pk]), touchpoint_form(occurred_at=tomorrow)
    )

    assert response.status_code == 400
    assert field_error(response, "occurred_at") == "A touchpoint cannot be logged in the future."
    assert not Touchpoint.objects.exists()


def test_the_service_desk_may_log_for_any_account(as_user, desk, other_account):
    response = as_user(desk).post(reverse("touchpoint_create", args=[other_account.pk]), touchpoint_form())

    assert response.status_code == 302
    touchpoint = Touchpoint.objects.get()
    assert (touchpoint.organization, touchpoint.logged_by) == (other_account, desk)


def test_save_and_log_another_returns_to_the_form(as_user, owner, account):
    response = as_user(owner).post(
        reverse("touchpoint_create", args=[account.pk]), {**touchpoint_form(), "another": "1"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("touchpoint_create", args=[account.pk])
    assert Touchpoint.objects.count() == 1


def test_an_analyst_may_not_log_touchpoints(as_user, analyst, account):
    client = as_user(analyst)

    assert client.get(reverse("touchpoint_create", args=[account.pk])).status_code == 403
    assert client.post(reverse("touchpoint_create", args=[account.pk]), touchpoint_form()).status_code == 403
    assert not Touchpoint.objects.exists()


# --- journeys -------------------------------------------------------------------------------------


def test_the_start_a_journey_form_renders(as_user, owner, account):
    response = as_user(owner).get(reverse("journey_start", args=[account.pk]))

    assert response.status_code == 200
    assert "Start a journey with Rentwheel Car Hire" in response.content.decode()


def test_starting_a_journey_puts_it_in_the_chosen_step(as_user, owner, account):
    response = as_user(owner).post(
        reverse("journey_start", args=[account.pk]), {"name": "Driver app", "step": "engage"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("account_detail", args=[account.pk])
    journey = Journey.objects.get()
    assert (journey.organization, journey.current_step, journey.status) == (
        account,
        JourneyStep.ENGAGE,
        JourneyStatus.ACTIVE,
    )
    assert list(journey.step_changes.values_list("from_step", "to_step")) == [("", "engage")]


def test_a_journey_needs_a_name(as_user, owner, account):
    response = as_user(owner).post(
        reverse("journey_start", args=[account.pk]), {"name": "", "step": "engage"}
    )

    assert response.status_code == 400
    assert field_error(response, "name") == "This field is required."
    assert not Journey.objects.exists()


def test_the_move_page_shows_the_current_step_and_its_history(as_user, owner, journey):
    response = as_user(owner).get(reverse("journey_move", args=[journey.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Fleet booking platform</h1>" in html
    assert '<option value="engage" selected>' in html


def test_the_history_shows_a_dash_for_a_change_whose_author_is_gone(as_user, owner, journey):
    html = as_user(owner).get(reverse("journey_move", args=[journey.pk])).content.decode()

    [row] = re.findall(r"<tbody>\s*<tr>(.*?)</tr>", html, re.S)
    assert text_of(row).endswith("— Engage —")


def test_moving_a_journey_records_the_change_in_its_history(as_user, owner, journey):
    client = as_user(owner)

    response = client.post(
        reverse("journey_move", args=[journey.pk]), {"to_step": "offer", "note": "Asked for a quote"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("account_detail", args=[journey.organization_id])
    journey.refresh_from_db()
    assert journey.current_step == JourneyStep.OFFER
    history = client.get(reverse("journey_move", args=[journey.pk])).content.decode()
    rows = [text_of(row) for row in re.findall(r"<tr>(.*?)</tr>", history, re.S)]
    assert rows[-1].endswith(f"Engage Offer {owner.get_full_name()} Asked for a quote")


def test_a_journey_may_go_back_a_step(as_user, owner, journey):
    as_user(owner).post(reverse("journey_move", args=[journey.pk]), {"to_step": "explore"})

    journey.refresh_from_db()
    assert journey.current_step == JourneyStep.EXPLORE


def test_moving_to_the_step_the_journey_is_in_is_refused_on_the_field(as_user, owner, journey):
    before = everything_written()

    response = as_user(owner).post(reverse("journey_move", args=[journey.pk]), {"to_step": "engage"})

    assert response.status_code == 400
    assert field_error(response, "to_step") == "The journey is already in Engage."
    assert everything_written() == before


def test_an_outsider_may_not_start_or_move_journeys(as_user, outsider, account, journey):
    client = as_user(outsider)
    before = everything_written()

    assert client.get(reverse("journey_move", args=[journey.pk])).status_code == 404
    assert client.post(reverse("journey_move", args=[journey.pk]), {"to_step": "offer"}).status_code == 404
    assert (
        client.post(
            reverse("journey_start", args=[account.pk]), {"name": "Sneaky", "step": "explore"}
        ).status_code
        == 404
    )
    assert everything_written() == before
