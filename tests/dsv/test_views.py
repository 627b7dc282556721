"""The shell's pages as a user sees them: the portfolio dashboard, the account page and its timeline,
each step's overview, the service desk's type-ahead, the value page, and logging in and out."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from journeys.models import JourneyStatus, JourneyStep, OrganizationKind
from journeys.roles import Role
from tests.factories.journeys import (
    JourneyFactory,
    OrganizationFactory,
    StakeholderFactory,
    TouchpointFactory,
    UserFactory,
)
from tests.factories.relationships import ServiceRelationshipFactory
from tests.helpers import HX, text_of

pytestmark = pytest.mark.django_db


def row_of(html: str, text: str) -> list[str]:
    """The cells' text of the first table row that mentions `text`."""
    for row in re.findall(r"<tr[^>]*>.*?</tr>", html, re.S):
        if text in unescape(row):
            return [text_of(cell) for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]
    raise AssertionError(f"No table row mentions {text!r}.")


def funnel_of(html: str) -> dict[str, int]:
    """The dashboard funnel as {step label: number of accounts}."""
    funnel = re.search(r'<ol class="funnel">(.*?)</ol>', html, re.S).group(1)
    return {
        unescape(label): int(number)
        for label, number in re.findall(
            r'<a href="[^"]+">([^<]+)</a>.*?<span class="number">(\d+)</span>', funnel
        )
    }


def varies_on_hx_request(response) -> bool:
    return "hx-request" in [part.strip().lower() for part in response.headers.get("Vary", "").split(",")]


def assert_is_a_fragment(html: str) -> None:
    assert "<html" not in html
    assert 'aria-label="Main"' not in html, "a fragment must not repeat the site navigation"


# --- dashboard ------------------------------------------------------------------------------------


def test_the_dashboard_shows_the_owners_accounts_with_step_stakeholders_and_last_touchpoint(
    as_user, owner, account, journey, sponsor
):
    StakeholderFactory(organization=account, name="Ravi Patel")
    StakeholderFactory(organization=account, name="Left the company", is_active=False)
    contact = TouchpointFactory(
        organization=account, occurred_at=(timezone.now() - timedelta(hours=3)).replace(microsecond=0)
    )
    quiet = OrganizationFactory(name="Quiet Harbour", owner=owner)
    ServiceRelationshipFactory(organization=account, current_type="cooperative")

    response = as_user(owner).get(reverse("dashboard"))

    assert response.status_code == 200
    html = response.content.decode()
    _, relationship, step, _since, last_touchpoint, stakeholders, _owner, health, nps = row_of(
        html, "Rentwheel Car Hire"
    )
    assert relationship == "Cooperative relationship"
    assert step == "Engage"
    assert last_touchpoint == "3 hours ago"
    assert f'datetime="{timezone.localtime(contact.occurred_at).isoformat()}"' in html
    assert stakeholders == "2", "two active stakeholders; the one who left is not counted"
    assert (health, nps) == ("no data", "—"), "no survey answer or SLA figure yet"
    _, quiet_relationship, quiet_step, _, quiet_last, quiet_stakeholders, _, _, _ = row_of(html, quiet.name)
    assert quiet_relationship == "Basic relationship", "nothing recorded counts as basic"
    assert quiet_step == "No active journey"
    assert quiet_last == "never"
    assert quiet_stakeholders == "0"
    assert "2 consumer accounts" in text_of(html)


def test_the_dashboard_does_not_show_an_account_of_another_team(as_user, owner, account, other_account):
    response = as_user(owner).get(reverse("dashboard"))

    assert "Rentwheel Car Hire" in response.content.decode()
    assert "Northbank Savings" not in response.content.decode()


def test_the_dashboard_leaves_out_organizations_that_are_not_consumers(as_user, owner, account):
    OrganizationFactory(name="Cloudy Supplies", owner=owner, kind=OrganizationKind.SUPPLIER)

    response = as_user(owner).get(reverse("dashboard"))

    assert "Cloudy Supplies" not in response.content.decode()


def test_the_funnel_counts_each_account_in_the_step_its_latest_journey_reached(
    as_user, owner, account, other_account
):
    now = timezone.now()
    second = OrganizationFactory(owner=owner)
    third = OrganizationFactory(owner=owner)
    JourneyFactory(organization=account, current_step=JourneyStep.ENGAGE)
    JourneyFactory(organization=second, current_step=JourneyStep.ENGAGE, step_entered_at=now - timedelta(9))
    JourneyFactory(organization=second, current_step=JourneyStep.OFFER, step_entered_at=now - timedelta(2))
    JourneyFactory(organization=account, current_step=JourneyStep.OFFER, status=JourneyStatus.LEFT)
    JourneyFactory(organization=other_account, current_step=JourneyStep.REALIZE)

    html = as_user(owner).get(reverse("dashboard")).content.decode()

    assert funnel_of(html) == {
        "Explore": 0,
        "Engage": 1,
        "Offer": 1,
        "Agree": 0,
        "Onboard": 0,
        "Co-create": 0,
        "Realize": 0,
    }
    assert "1 account with no active journey" in html
    assert third.name in html


@pytest.mark.parametrize("accounts", [2, 15])
def test_the_dashboard_runs_the_same_number_of_queries_however_many_accounts(
    as_user, owner, accounts, django_assert_num_queries
):
    for _ in range(accounts):
        organization = OrganizationFactory(owner=owner)
        JourneyFactory(organization=organization)
        StakeholderFactory(organization=organization)
        TouchpointFactory(organization=organization)
    client = as_user(owner)

    # Session, user with their roles, the accounts' figures grouped by step, the page of accounts, the
    # page's accounts' latest health and NPS.
    with django_assert_num_queries(5):
        response = client.get(reverse("dashboard"))

    assert response.content.decode().count('href="/accounts/') == accounts


def test_the_dashboard_shows_an_account_nobody_owns_with_a_dash(as_user, analyst):
    OrganizationFactory(name="Orphan Transport", owner=None)

    response = as_user(analyst).get(reverse("dashboard"))

    assert response.status_code == 200
    assert row_of(response.content.decode(), "Orphan Transport")[6] == "—"


def test_the_dashboard_shows_the_whole_consumer_portfolio_to_an_analyst(
    as_user, analyst, account, other_account
):
    html = as_user(analyst).get(reverse("dashboard")).content.decode()

    assert "Rentwheel Car Hire" in html
    assert "Northbank Savings" in html


def test_the_dashboard_shows_what_people_typed_as_text_not_markup(as_user, owner):
    OrganizationFactory(name="<b>Bold & Sons</b>", owner=owner)
    owner.first_name, owner.last_name = "<i>Iggy</i>", "O'Hara"
    owner.save()

    html = as_user(owner).get(reverse("dashboard")).content.decode()

    assert "&lt;b&gt;Bold &amp; Sons&lt;/b&gt;" in html
    assert "&lt;i&gt;Iggy&lt;/i&gt; O&#x27;Hara" in html
    assert "<b>Bold" not in html and "<i>Iggy" not in html


def test_a_portfolio_row_links_to_the_account_page(as_user, owner, account):
    html = as_user(owner).get(reverse("dashboard")).content.decode()

    assert f'<a href="{reverse("account_detail", args=[account.pk])}">Rentwheel Car Hire</a>' in html


# --- account page ---------------------------------------------------------------------------------


def test_the_account_page_shows_stakeholders_with_their_roles_and_grid_quadrant(
    as_user, owner, account, sponsor
):
    StakeholderFactory(
        organization=account, name="Bo Jansen", is_customer=True, is_user=True, influence=2, interest=5
    )

    response = as_user(owner).get(reverse("account_detail", args=[account.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert row_of(html, "Ana Ferreira")[1:3] == ["Sponsor", "Manage closely 5 × 4"]
    assert row_of(html, "Bo Jansen")[1:3] == ["Customer, User", "Keep informed 2 × 5"]


def test_the_account_page_shows_each_journey_with_its_step(as_user, owner, account, journey):
    JourneyFactory(organization=account, name="Driver app", current_step=JourneyStep.CO_CREATE)

    html = as_user(owner).get(reverse("account_detail", args=[account.pk])).content.decode()

    assert row_of(html, "Fleet booking platform")[1] == "Engage"
    assert row_of(html, "Driver app")[1] == "Co-create"


def test_the_account_timeline_lists_touchpoints_newest_first(as_user, owner, account, sponsor):
    now = timezone.now()
    TouchpointFactory(organization=account, summary="First call", occurred_at=now - timedelta(days=3))
    TouchpointFactory(
        organization=account,
        summary="Third call",
        occurred_at=now - timedelta(days=1),
        stakeholder=sponsor,
        logged_by=owner,
    )
    TouchpointFactory(organization=account, summary="Second call", occurred_at=now - timedelta(days=2))

    html = as_user(owner).get(reverse("account_detail", args=[account.pk])).content.decode()

    assert html.index("Third call") < html.index("Second call") < html.index("First call")
    assert "with Ana Ferreira" in text_of(html)
    assert "logged by" in text_of(html)


def test_the_account_page_offers_older_touchpoints_when_there_are_more_than_a_page(as_user, owner, account):
    now = timezone.now()
    for hours in range(1, 26):
        TouchpointFactory(
            organization=account, summary=f"Contact {hours:02d}", occurred_at=now - timedelta(hours=hours)
        )

    html = as_user(owner).get(reverse("account_detail", args=[account.pk])).content.decode()

    assert "Contact 20" in html
    assert "Contact 21" not in html
    assert 'href="?page=2"' in html
    assert "Older touchpoints" in html


def test_the_older_touchpoints_fragment_returns_only_the_next_list_items(as_user, owner, account, sponsor):
    now = timezone.now()
    for hours in range(1, 26):
        TouchpointFactory(
            organization=account, summary=f"Contact {hours:02d}", occurred_at=now - timedelta(hours=hours)
        )

    response = as_user(owner).get(reverse("account_detail", args=[account.pk]), {"page": 2}, **HX)

    assert response.status_code == 200
    html = response.content.decode()
    assert_is_a_fragment(html)
    assert html.strip().startswith('<ol class="timeline">')
    assert html.count("<li") == 5
    assert "Contact 21" in html and "Contact 25" in html
    assert "Contact 20" not in html
    assert "Ana Ferreira" not in html, "the stakeholders table is not part of the fragment"
    assert "Older touchpoints" not in html, "the last page offers no more"
    assert varies_on_hx_request(response)


def test_the_older_touchpoints_link_works_without_javascript(as_user, owner, account, sponsor):
    now = timezone.now()
    for hours in range(1, 26):
        TouchpointFactory(
            organization=account, summary=f"Contact {hours:02d}", occurred_at=now - timedelta(hours=hours)
        )

    html = as_user(owner).get(reverse("account_detail", args=[account.pk]), {"page": 2}).content.decode()

    assert "<html" in html
    assert "Contact 21" in html
    assert "Ana Ferreira" in html


def test_a_history_restore_of_an_older_page_gets_the_whole_account_page(
    as_user, owner, account, sponsor, journey
):
    now = timezone.now()
    for hours in range(1, 26):
        TouchpointFactory(
            organization=account, summary=f"Contact {hours:02d}", occurred_at=now - timedelta(hours=hours)
        )

    response = as_user(owner).get(
        reverse("account_detail", args=[account.pk]),
        {"page": 2},
        HTTP_HX_REQUEST="true",
        HTTP_HX_HISTORY_RESTORE_REQUEST="true",
    )

    html = response.content.decode()
    assert "<html" in html
    assert "Ana Ferreira" in html, "the stakeholders are on the restored page"
    assert "Fleet booking platform" in html, "so are the journeys"


def test_the_account_page_of_an_account_nobody_owns_says_so(as_user, analyst):
    orphan = OrganizationFactory(name="Orphan Transport", owner=None)

    response = as_user(analyst).get(reverse("account_detail", args=[orphan.pk]))

    assert response.status_code == 200
    assert "owner none" in text_of(response.content.decode())


def test_the_account_page_names_its_owner(as_user, owner, account):
    html = as_user(owner).get(reverse("account_detail", args=[account.pk])).content.decode()

    assert f"owner {owner.get_full_name()} · Mobility accounts" in text_of(html)


def test_the_account_page_hides_an_account_from_an_outsider(as_user, outsider, account):
    response = as_user(outsider).get(reverse("account_detail", args=[account.pk]))

    assert response.status_code == 404
    assert b"Rentwheel" not in response.content


def test_the_service_desk_sees_any_account_and_may_log_but_not_edit(as_user, desk, account, sponsor):
    response = as_user(desk).get(reverse("account_detail", args=[account.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Ana Ferreira" in html
    assert reverse("touchpoint_create", args=[account.pk]) in html
    assert reverse("organization_edit", args=[account.pk]) not in html
    assert reverse("stakeholder_edit", args=[sponsor.pk]) not in html


def test_the_owner_is_offered_the_edit_links(as_user, owner, account, sponsor, journey):
    html = as_user(owner).get(reverse("account_detail", args=[account.pk])).content.decode()

    assert reverse("organization_edit", args=[account.pk]) in html
    assert reverse("stakeholder_edit", args=[sponsor.pk]) in html
    assert reverse("journey_move", args=[journey.pk]) in html


def test_the_account_page_shows_what_people_typed_as_text_not_markup(as_user, owner, account):
    StakeholderFactory(organization=account, name="<b>Bea</b> & co", job_title="<i>Chief</i>")
    author = UserFactory(username="author", first_name="<u>Una</u>", last_name="")
    TouchpointFactory(
        organization=account, summary="Said <script>alert(1)</script>\nthen left", logged_by=author
    )

    html = as_user(owner).get(reverse("account_detail", args=[account.pk])).content.decode()

    assert "&lt;b&gt;Bea&lt;/b&gt; &amp; co" in html
    assert "&lt;i&gt;Chief&lt;/i&gt;" in html
    assert "Said &lt;script&gt;alert(1)&lt;/script&gt;<br>then left" in html
    assert "logged by &lt;u&gt;Una&lt;/u&gt;" in html
    assert "<script>" not in html and "<b>Bea" not in html and "<u>Una" not in html


def test_a_touchpoint_by_an_author_without_a_name_shows_their_username(as_user, owner, account):
    author = UserFactory(username="night.shift", first_name="", last_name="")
    TouchpointFactory(organization=account, logged_by=author)

    html = as_user(owner).get(reverse("account_detail", args=[account.pk])).content.decode()

    assert "logged by night.shift" in text_of(html)


@pytest.mark.parametrize("touchpoints", [5, 40])
def test_the_account_page_runs_the_same_number_of_queries_however_many_touchpoints(
    as_user, owner, account, journey, touchpoints, django_assert_num_queries
):
    for number in range(touchpoints):
        person = StakeholderFactory(organization=account)
        TouchpointFactory(
            organization=account,
            journey=journey,
            stakeholder=person,
            logged_by=owner,
            summary=f"Contact {number}",
        )
    client = as_user(owner)

    # Session, user with their roles, the account with its summary, a page of the timeline (no count),
    # journeys, people.
    with django_assert_num_queries(6):
        response = client.get(reverse("account_detail", args=[account.pk]))

    assert response.content.decode().count("logged by") == min(touchpoints, 20)


# --- step overview --------------------------------------------------------------------------------


@pytest.mark.parametrize("step", list(JourneyStep))
def test_each_step_overview_lists_the_journeys_in_that_step(as_user, owner, account, step):
    JourneyFactory(organization=account, name="In this step", current_step=step)
    elsewhere = JourneyStep.EXPLORE if step != JourneyStep.EXPLORE else JourneyStep.REALIZE
    JourneyFactory(organization=account, name="In another step", current_step=elsewhere)

    response = as_user(owner).get(reverse("step_overview", args=[step.value]))

    assert response.status_code == 200
    html = response.content.decode()
    assert f"<title>{step.label} · DSV</title>" in html
    assert row_of(html, "In this step")[0] == "Rentwheel Car Hire"
    assert "In another step" not in html


def test_the_step_overview_shows_a_journey_of_an_account_nobody_owns(as_user, analyst):
    JourneyFactory(
        organization=OrganizationFactory(name="Orphan Transport", owner=None), name="Orphan journey"
    )

    response = as_user(analyst).get(reverse("step_overview", args=["engage"]))

    assert response.status_code == 200
    assert row_of(response.content.decode(), "Orphan journey")[-1] == "—"


def test_the_step_overview_leaves_out_journeys_that_ended(as_user, owner, account):
    JourneyFactory(organization=account, name="Cancelled rollout", status=JourneyStatus.LEFT)

    html = as_user(owner).get(reverse("step_overview", args=["engage"])).content.decode()

    assert "Cancelled rollout" not in html
    assert "No active journey is in Engage right now." in html


def test_the_step_overview_hides_journeys_of_other_teams(as_user, outsider, journey):
    html = as_user(outsider).get(reverse("step_overview", args=["engage"])).content.decode()

    assert "Fleet booking platform" not in html


def test_an_unknown_step_is_not_found(as_user, owner):
    assert as_user(owner).get(reverse("step_overview", args=["negotiate"])).status_code == 404


def test_the_step_overview_journeys_fragment_is_only_the_table(as_user, owner, account, journey):
    response = as_user(owner).get(reverse("step_overview", args=["engage"]), **HX)

    html = response.content.decode()
    assert_is_a_fragment(html)
    assert "Fleet booking platform" in html
    assert "touchpoints in this step" not in html, "the headline cards stay outside the fragment"
    assert varies_on_hx_request(response)


def test_the_step_overview_pages_its_journeys(as_user, owner, account):
    start = timezone.now() - timedelta(days=200)
    for number in range(52):
        JourneyFactory(
            organization=account, name=f"Journey {number:02d}", step_entered_at=start + timedelta(days=number)
        )

    first = as_user(owner).get(reverse("step_overview", args=["engage"])).content.decode()
    second = as_user(owner).get(reverse("step_overview", args=["engage"]), {"page": 2}, **HX).content.decode()

    assert "Journey 00" in first, "longest waiting first"
    assert "Journey 50" not in first
    assert 'href="?page=2"' in first
    assert "Journey 50" in second and "Journey 51" in second
    assert "Journey 49" not in second


@pytest.mark.parametrize("journeys", [3, 20])
def test_the_step_overview_runs_the_same_number_of_queries_however_many_journeys(
    as_user, owner, journeys, django_assert_num_queries
):
    for _ in range(journeys):
        organization = OrganizationFactory(owner=owner)
        journey = JourneyFactory(organization=organization)
        TouchpointFactory(organization=organization, journey=journey)
    client = as_user(owner)

    # Session, user with their roles, journey count and page, touchpoint figures.
    with django_assert_num_queries(5):
        response = client.get(reverse("step_overview", args=["engage"]))

    assert response.content.decode().count('href="/accounts/') == journeys


# --- service desk ---------------------------------------------------------------------------------
# The service desk is Co-create's console now (tests/cocreation/test_console.py); its old address and
# the links to it lead there.


def test_the_service_desk_address_leads_to_the_console_keeping_the_search(as_user, desk):
    response = as_user(desk).get(reverse("service_desk"), {"q": "Ravi.Patel@Rentwheel.example"})

    assert response.status_code == 302
    assert response["Location"] == reverse("cocreation:console") + "?q=Ravi.Patel%40Rentwheel.example"


def test_the_service_desk_address_without_a_search_leads_to_the_console(as_user, analyst):
    response = as_user(analyst).get(reverse("service_desk"))

    assert response["Location"] == reverse("cocreation:console")


# --- value ----------------------------------------------------------------------------------------


def test_the_value_page_became_the_value_dashboard(as_user, owner):
    response = as_user(owner).get(reverse("value_overview"))

    assert response.status_code == 302
    assert response["Location"] == reverse("realization:value_dashboard")


def test_the_value_page_keeps_the_query_on_its_way_to_the_value_dashboard(as_user, analyst):
    response = as_user(analyst).get(reverse("value_overview"), {"months": "3"})

    assert response["Location"] == reverse("realization:value_dashboard") + "?months=3"


# --- logging in and out ---------------------------------------------------------------------------


def test_an_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get(reverse("dashboard"))

    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/"


def test_the_login_page_renders_for_an_anonymous_visitor(client):
    response = client.get(reverse("login"), {"next": "/realize/value/"})

    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="username"' in html and 'name="password"' in html
    assert 'name="next" value="/realize/value/"' in html
    assert 'aria-label="Main"' not in html, "no navigation before logging in"


def test_logging_in_with_good_credentials_opens_the_dashboard(client, owner):
    response = client.post(reverse("login"), {"username": "owner", "password": "demo-password"})

    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    assert client.get(reverse("dashboard")).status_code == 200


def test_logging_in_returns_to_the_page_asked_for(client, owner):
    response = client.post(
        reverse("login"), {"username": "owner", "password": "demo-password", "next": "/realize/value/"}
    )

    assert response["Location"] == "/realize/value/"


def test_logging_in_with_a_wrong_password_says_so(client, owner):
    response = client.post(reverse("login"), {"username": "owner", "password": "guess"})

    assert response.status_code == 200
    assert "did not match" in response.content.decode()
    assert client.get(reverse("dashboard")).status_code == 302


def test_logging_in_does_not_follow_a_next_to_another_site(client, owner):
    response = client.post(
        reverse("login"), {"username": "owner", "password": "demo-password", "next": "https://evil.example/"}
    )

    assert response["Location"] == reverse("dashboard")


def test_logout_is_post_only(as_user, owner):
    client = as_user(owner)

    assert client.get(reverse("logout")).status_code == 405
    assert client.get(reverse("dashboard")).status_code == 200, "a GET did not log out"


def test_logging_out_ends_the_session(as_user, owner):
    client = as_user(owner)

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert client.get(reverse("dashboard")).status_code == 302


def test_pages_offer_a_log_out_button_that_posts(as_user, owner):
    html = as_user(owner).get(reverse("dashboard")).content.decode()

    assert f'<form method="post" action="{reverse("logout")}">' in html


def test_a_user_without_a_role_may_not_use_the_pages(as_user):
    nobody = UserFactory(username="nobody")

    assert as_user(nobody).get(reverse("dashboard")).status_code == 403


def test_a_desk_agent_sees_its_roles_in_the_menu(as_user, desk):
    html = as_user(desk).get(reverse("dashboard")).content.decode()

    assert Role.SERVICE_DESK_AGENT.value in html


def test_the_dashboard_lists_the_accounts_longest_without_contact_first(as_user, owner):
    quiet = OrganizationFactory(name="Quiet Harbour", owner=owner)
    busy = OrganizationFactory(name="Busy Depot", owner=owner)
    never = OrganizationFactory(name="Never Called", owner=owner)
    TouchpointFactory(organization=quiet, occurred_at=timezone.now() - timedelta(days=40))
    TouchpointFactory(organization=busy, occurred_at=timezone.now() - timedelta(hours=1))

    html = as_user(owner).get(reverse("dashboard")).content.decode()

    assert html.index(never.name) < html.index(quiet.name) < html.index(busy.name)


def test_the_dashboard_pages_a_large_portfolio_and_serves_the_page_as_a_fragment(as_user, owner):
    for number in range(30):
        OrganizationFactory(name=f"Account {number:02d}", owner=owner)
    client = as_user(owner)

    first = client.get(reverse("dashboard"), {"ordering": "name"}).content.decode()
    second = client.get(reverse("dashboard"), {"ordering": "name", "page": 2}, HTTP_HX_REQUEST="true")

    assert "Account 00" in first and "Account 25" not in first
    assert "Page 1 of 2" in first
    html = second.content.decode()
    assert "Account 25" in html and "Account 29" in html and "Account 00" not in html
    assert "<html" not in html
    assert "HX-Request" in second["Vary"]


def test_the_account_page_shows_the_key_people_and_links_to_everyone(as_user, owner, account):
    for number in range(14):
        influence = 5 if number < 3 else 2
        StakeholderFactory(organization=account, name=f"Person {number:02d}", influence=influence)
    StakeholderFactory(organization=account, name="Former Contact", is_active=False, influence=5)
    client = as_user(owner)

    key_people = client.get(reverse("account_detail", args=[account.pk])).content.decode()
    url = reverse("account_detail", args=[account.pk])
    everyone = client.get(url, {"stakeholders": "all"}).content.decode()

    assert key_people.count("Person ") == 12
    assert "Person 00" in key_people and "Former Contact" not in key_people
    assert "Show all 14 people" in key_people
    assert everyone.count("Person ") == 14 and "Former Contact" in everyone


def test_the_account_timeline_pages_without_counting(as_user, owner, account):
    for number in range(25):
        TouchpointFactory(
            organization=account,
            summary=f"Contact {number:02d}",
            occurred_at=timezone.now() - timedelta(hours=number + 1),
        )
    client = as_user(owner)

    first = client.get(reverse("account_detail", args=[account.pk])).content.decode()
    older = client.get(reverse("account_detail", args=[account.pk]), {"page": 2}, **HX).content.decode()
    last = client.get(reverse("account_detail", args=[account.pk]), {"page": 3}, **HX).content.decode()

    assert "Contact 00" in first and "Contact 19" in first and "Contact 20" not in first
    assert 'href="?page=2"' in first
    assert "Contact 20" in older and "Contact 24" in older and "Contact 19" not in older
    assert "Older touchpoints" not in older
    assert "No older touchpoints" in last


@pytest.mark.parametrize(
    ("step", "pages"),
    [
        (
            "explore",
            [
                "exploration:market_segment_list",
                "exploration:pareto_analysis",
                "exploration:persona_list",
                "exploration:job_list",
                "exploration:analysis_list",
                "exploration:decision_list",
            ],
        ),
        ("engage", ["relationships:relationship_list", "relationships:relationship_types"]),
    ],
)
def test_the_explore_and_engage_step_pages_lead_to_every_tool_of_their_step(as_user, owner, step, pages):
    html = as_user(owner).get(reverse("step_overview", args=[step])).content.decode()

    for name in pages:
        assert f'href="{reverse(name)}"' in html


def test_the_offer_step_overview_leads_to_the_offer_tools(as_user, owner):
    html = as_user(owner).get(reverse("step_overview", args=["offer"])).content.decode()

    names = ("catalogue", "playbook_list", "pipeline", "business_case_list")
    for name in (f"offerings:{name}" for name in names):
        assert f'href="{reverse(name)}"' in html
