"""The service desk console: finding the caller, the context panel, logging a touchpoint (once per form),
bad input, the agent's list, and the queries each costs. The keyboard itself is tested in a browser
(tests/e2e/test_console_keyboard.py)."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agreements.models import AgreementStatus, ClockKind, TargetKind
from cocreation import selectors
from cocreation.models import ClockState, RequestStatus
from journeys import roles
from journeys.models import IdempotencyKey, JourneyEvent, JourneyStep, Touchpoint
from relationships.models import RelationshipType, ServiceRelationship
from tests.factories.agreements import AgreementFactory, ServiceLevelTargetFactory
from tests.factories.cocreation import RequestClockFactory, ServiceRequestFactory
from tests.factories.journeys import (
    JourneyFactory,
    OrganizationFactory,
    StakeholderFactory,
    TouchpointFactory,
)
from tests.helpers import HX, text_of

pytestmark = pytest.mark.django_db

CONSOLE = reverse("cocreation:console")
LOG = reverse("cocreation:console_log")


def panel_url(organization, **query) -> str:
    url = reverse("cocreation:console_panel", args=[organization.pk])
    return f"{url}?{'&'.join(f'{key}={value}' for key, value in query.items())}" if query else url


def token_of(html: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', html).group(1)


def selected(html: str, name: str) -> str | None:
    """The value of the option selected (or the radio button checked) for field `name`."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    if select:
        found = re.search(r'<option value="([^"]*)" selected', select.group(1))
        return found.group(1) if found else None
    found = re.search(rf'<input type="radio" name="{name}" value="([^"]*)"[^>]*checked', html)
    return found.group(1) if found else None


def varies_on_hx_request(response) -> bool:
    return "hx-request" in [part.strip().lower() for part in response.headers.get("Vary", "").split(",")]


@pytest.fixture
def ravi(other_account):
    return StakeholderFactory(
        organization=other_account, name="Ravi Patel", email="ravi.patel@northbank.example", job_title="CFO"
    )


@pytest.fixture
def form_for(as_user):
    """The console's form for `organization`, as the agent sees it after picking the caller: its
    fields with their preset values, and the one-time token."""

    def make(user, organization, /, **changes):
        html = as_user(user).get(panel_url(organization), **HX).content.decode()
        data = {
            "token": token_of(html),
            "organization": organization.pk,
            "person": "",
            "channel": selected(html, "channel"),
            "kind": selected(html, "kind"),
            "step": selected(html, "step"),
            "sentiment": selected(html, "sentiment"),
            "summary": "Asked for a second depot login",
        }
        data.update(changes)
        return data

    return make


# --- search ---------------------------------------------------------------------------------------


def test_the_search_finds_an_organization_by_the_start_of_its_name_or_of_a_later_word(desk, account):
    OrganizationFactory(name="Rent-a-Crane")

    by_start = selectors.console_search(user=desk, query="RENTW")
    by_word = selectors.console_search(user=desk, query="car h")

    assert [match.organization_name for match in by_start] == ["Rentwheel Car Hire"]
    assert [match.organization_name for match in by_word] == ["Rentwheel Car Hire"]


def test_the_search_finds_a_person_by_name_or_email_with_their_organization(desk, ravi):
    by_name = selectors.console_search(user=desk, query="patel")
    by_email = selectors.console_search(user=desk, query="Ravi.Patel@North")

    for matches in (by_name, by_email):
        assert [(m.person_name, m.organization_name, m.is_person) for m in matches] == [
            ("Ravi Patel", "Northbank Savings", True)
        ]


def test_the_search_lists_the_names_that_start_with_the_text_first(desk):
    OrganizationFactory(name="Old Harbour Ferries")
    OrganizationFactory(name="Harbour Logistics")

    matches = selectors.console_search(user=desk, query="harbour")

    assert [match.organization_name for match in matches] == ["Harbour Logistics", "Old Harbour Ferries"]


def test_the_search_waits_for_two_letters_and_skips_people_who_left(desk, account):
    StakeholderFactory(organization=account, name="Rita Gone", is_active=False)

    assert selectors.console_search(user=desk, query="r") == []
    assert selectors.console_search(user=desk, query="rita") == []


def test_the_search_finds_nothing_outside_a_managers_accounts(outsider, owner, account, ravi):
    assert selectors.console_search(user=outsider, query="rentwheel") == []
    assert [m.organization_name for m in selectors.console_search(user=owner, query="ravi")] == []
    assert [m.person_name for m in selectors.console_search(user=outsider, query="ravi")] == ["Ravi Patel"]


def test_the_search_takes_wildcards_literally(desk):
    OrganizationFactory(name="A_B Rentals")
    OrganizationFactory(name="AxB Rentals")

    matches = selectors.console_search(user=desk, query="a_b")

    assert [match.organization_name for match in matches] == ["A_B Rentals"]


def test_the_search_takes_two_queries_however_many_match(desk, django_assert_num_queries):
    for number in range(12):
        organization = OrganizationFactory(name=f"Rentals {number}")
        StakeholderFactory(organization=organization, name=f"Renata {number}")
    roles.roles_of(desk)  # loaded with the user on a request (journeys.auth)

    with django_assert_num_queries(2):
        matches = selectors.console_search(user=desk, query="ren")

    assert len(matches) == 2 * selectors.CONSOLE_SEARCH_LIMIT


def test_the_matches_come_alone_for_htmx_as_a_list_box_of_links(as_user, desk, account, ravi):
    response = as_user(desk).get(CONSOLE, {"q": "ravi"}, **HX)

    html = response.content.decode()
    assert "<html" not in html
    assert 'role="listbox"' in html
    assert 'role="option"' in html
    assert f'href="{CONSOLE}?organization={ravi.organization_id}&amp;person={ravi.pk}"' in html
    assert "Ravi Patel" in html and "Northbank Savings" in html
    assert "Rentwheel" not in html
    assert varies_on_hx_request(response)


def test_the_matches_say_when_nothing_matches(as_user, desk, account):
    html = as_user(desk).get(CONSOLE, {"q": "zeppelin"}, **HX).content.decode()

    assert "No organization or person matches “zeppelin”." in html


# --- the page -------------------------------------------------------------------------------------


def test_the_console_opens_on_the_search_box_with_an_empty_form(as_user, desk, account):
    response = as_user(desk).get(CONSOLE)

    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'<input type="search" id="console-search"[^>]*autofocus', html)
    assert 'id="console-log-form"' in html
    assert "No caller picked yet" in html
    assert "js/console.js" in html and "css/cocreation-console.css" in html


def test_without_javascript_a_match_opens_the_console_with_the_caller_picked(as_user, desk, ravi):
    html = (
        as_user(desk).get(CONSOLE, {"organization": ravi.organization_id, "person": ravi.pk}).content.decode()
    )

    assert "Log the contact with Northbank Savings" in html
    assert selected(html, "person") == str(ravi.pk)
    assert 'id="console-panel-heading"' in html


def test_the_console_hides_an_account_the_manager_may_not_see(as_user, outsider, account):
    assert as_user(outsider).get(CONSOLE, {"organization": account.pk}).status_code == 404


def test_an_analyst_reads_the_console_without_the_form(as_user, analyst, account):
    TouchpointFactory(organization=account, summary="Called about invoices")

    html = as_user(analyst).get(CONSOLE, {"organization": account.pk}).content.decode()

    assert 'id="console-log-form"' not in html
    assert "Rentwheel Car Hire" in html
    assert "Latest touchpoints" in html and "Called about invoices" in html


def test_the_old_service_desk_address_leads_to_the_console_with_its_search(as_user, desk):
    response = as_user(desk).get(reverse("service_desk"), {"q": "rentwheel"})

    assert response.status_code == 302
    assert response["Location"] == f"{CONSOLE}?q=rentwheel"


# --- the context panel ----------------------------------------------------------------------------


@pytest.fixture
def context_of_account(account, owner, journey, sponsor):
    """Rentwheel as a cooperative relationship, with an active SLA (an availability target and a
    response clock target, one target retired), a draft agreement, an open incident with a breached
    response clock, a resolved request, and six touchpoints."""
    ServiceRelationship.objects.create(
        organization=account,
        current_type=RelationshipType.COOPERATIVE,
        target_type=RelationshipType.PARTNERSHIP,
    )
    sla = AgreementFactory(organization=account, title="Fleet booking SLA", status=AgreementStatus.ACTIVE)
    ServiceLevelTargetFactory(agreement=sla, name="Booking portal availability")
    ServiceLevelTargetFactory(
        agreement=sla,
        name="First response",
        kind=TargetKind.EXPERIENCE,
        warning_threshold=None,
        target_value=Decimal("90"),
        clock=ClockKind.RESPONSE,
        clock_limit_hours=Decimal("4"),
    )
    ServiceLevelTargetFactory(agreement=sla, name="Retired target", is_active=False)
    AgreementFactory(organization=account, title="Draft renewal", status=AgreementStatus.DRAFT)
    incident = ServiceRequestFactory(organization=account, title="Depot app down", kind="incident")
    RequestClockFactory(
        request=incident,
        due_at=timezone.now() - timedelta(minutes=40),
        breached_at=timezone.now() - timedelta(minutes=40),
        state=ClockState.BREACHED,
    )
    ServiceRequestFactory(organization=account, title="Old question", status=RequestStatus.RESOLVED)
    for number in range(6):
        TouchpointFactory(
            organization=account,
            summary=f"Contact number {number}",
            sentiment=-1 if number == 5 else 1,
            occurred_at=timezone.now() - timedelta(hours=10 - number),
        )
    return account


def test_the_panel_shows_the_callers_account_in_context(as_user, desk, context_of_account):
    response = as_user(desk).get(panel_url(context_of_account), **HX)

    text = text_of(response.content.decode())
    assert response.status_code == 200
    assert "Rentwheel Car Hire" in text
    assert "Relationship Cooperative" in text
    assert "Engage Fleet booking platform" in text
    assert "Fleet booking SLA" in text and "Draft renewal" not in text
    assert "Booking portal availability: ≥ 99.5 %" in text
    assert "First response: response time within 4 business hours" in text
    assert "Retired target" not in text
    assert "Depot app down" in text and "Old question" not in text
    assert "Response time: Breached 40 min ago" in text
    assert [f"Contact number {n}" in text for n in range(6)] == [False, True, True, True, True, True]
    assert text.index("Contact number 5") < text.index("Contact number 1"), "newest first"


def test_the_panel_links_the_account_page(as_user, desk, account):
    html = as_user(desk).get(panel_url(account), **HX).content.decode()

    assert f'href="{reverse("account_detail", args=[account.pk])}"' in html


def test_picking_a_caller_fills_the_form_and_closes_the_matches(as_user, desk, account, journey, sponsor):
    response = as_user(desk).get(
        panel_url(account, person=sponsor.pk, channel="email", kind="complaint"), **HX
    )

    html = response.content.decode()
    assert "<html" not in html
    assert '<div id="console-form" hx-swap-oob="innerHTML">' in html
    assert '<div id="console-results" hx-swap-oob="innerHTML"></div>' in html
    assert f'name="organization" value="{account.pk}"' in html
    assert selected(html, "person") == str(sponsor.pk)
    assert (selected(html, "channel"), selected(html, "kind")) == ("email", "complaint"), "kept as they were"
    assert selected(html, "step") == JourneyStep.ENGAGE, "the journey's current step is proposed"
    assert "Engage (current)" in html
    assert selected(html, "sentiment") == "0"
    assert "Caller: Ana Ferreira, Rentwheel Car Hire." in html


def test_an_account_without_a_journey_proposes_co_create(as_user, desk, account):
    html = as_user(desk).get(panel_url(account), **HX).content.decode()

    assert selected(html, "step") == JourneyStep.CO_CREATE


def test_the_panel_of_an_account_out_of_sight_is_not_found(as_user, outsider, account):
    assert as_user(outsider).get(panel_url(account), **HX).status_code == 404
    assert as_user(outsider).get(reverse("cocreation:console_panel", args=[999_999])).status_code == 404


def test_the_panel_without_htmx_is_the_whole_console(as_user, desk, account):
    html = as_user(desk).get(panel_url(account)).content.decode()

    assert "<html" in html
    assert "Log the contact with Rentwheel Car Hire" in html


def _add_context(account, number: int) -> None:
    for index in range(number):
        agreement = AgreementFactory(organization=account, status=AgreementStatus.ACTIVE)
        ServiceLevelTargetFactory(agreement=agreement)
        ServiceLevelTargetFactory(agreement=agreement)
        request = ServiceRequestFactory(organization=account)
        RequestClockFactory(request=request)
        RequestClockFactory(request=request, kind=ClockKind.RESOLUTION)
        TouchpointFactory(organization=account, stakeholder=StakeholderFactory(organization=account))
        JourneyFactory(organization=account, name=f"Journey {index}")


@pytest.mark.parametrize("number", [1, 6])
def test_the_panel_runs_the_same_queries_however_much_the_account_holds(
    as_user, desk, account, number, django_assert_num_queries
):
    _add_context(account, number)
    client = as_user(desk)

    # Session, user with roles; account with relationship and summary; journeys; agreements; targets;
    # open requests; their clocks; latest touchpoints; people.
    with django_assert_num_queries(10):
        response = client.get(panel_url(account), **HX)

    assert response.status_code == 200


@pytest.mark.parametrize("number", [1, 6])
def test_the_console_page_runs_the_same_queries_however_many_touchpoints(
    as_user, desk, account, number, django_assert_num_queries
):
    _add_context(account, number)
    for _ in range(number * 3):
        TouchpointFactory(organization=account, logged_by=desk)
    client = as_user(desk)

    # Session, user; the search (organizations, people); the panel (8); the agent's list.
    with django_assert_num_queries(13):
        response = client.get(CONSOLE, {"q": "rent", "organization": account.pk})

    assert response.status_code == 200


# --- logging --------------------------------------------------------------------------------------


def test_a_desk_agent_logs_a_touchpoint_and_gets_a_fresh_form_for_the_next(
    as_user, desk, account, journey, sponsor, form_for
):
    data = form_for(desk, account, person=sponsor.pk, channel="email", kind="complaint", sentiment="-2")
    data["moment_of_truth"] = "on"

    response = as_user(desk).post(LOG, data, **HX)

    touchpoint = Touchpoint.objects.get()
    assert (touchpoint.organization, touchpoint.stakeholder, touchpoint.journey) == (
        account,
        sponsor,
        journey,
    )
    assert (touchpoint.channel, touchpoint.kind, touchpoint.step) == ("email", "complaint", "engage")
    assert (touchpoint.sentiment, touchpoint.moment_of_truth, touchpoint.logged_by) == (-2, True, desk)
    assert touchpoint.summary == "Asked for a second depot login"
    assert JourneyEvent.objects.filter(event_type="touchpoint.created").count() == 1, "logged by the service"
    html = response.content.decode()
    assert response.status_code == 200
    assert response["HX-Trigger-After-Settle"] == "console-logged"
    assert "Logged: Complaint (E-mail) for Rentwheel Car Hire, Ana Ferreira." in html
    opened_from_it = f"?organization={account.pk}&amp;touchpoint={touchpoint.pk}"
    assert f'{reverse("cocreation:request_new")}{opened_from_it}">Open a request from it</a>' in html
    assert f'{reverse("cocreation:feedback_new")}{opened_from_it}">Record it as feedback</a>' in html
    assert (selected(html, "channel"), selected(html, "kind")) == ("email", "complaint"), "kept for the next"
    assert selected(html, "sentiment") == "0"
    assert 'name="moment_of_truth" id="id_moment_of_truth">' in html, "unticked"
    assert re.search(r"<textarea[^>]*>\s*</textarea>", html), "the summary is empty"
    assert token_of(html) != data["token"], "a new form, a new token"
    assert '<div id="console-recent" hx-swap-oob="innerHTML">' in html
    assert '<div id="console-panel-touchpoints" hx-swap-oob="innerHTML">' in html
    assert html.count("Asked for a second depot login") == 2, "in the agent's list and the panel"


def test_a_touchpoint_without_a_step_takes_the_accounts_current_one(
    as_user, desk, account, journey, form_for
):
    as_user(desk).post(LOG, form_for(desk, account, step=""), **HX)

    assert Touchpoint.objects.get().step == JourneyStep.ENGAGE


def test_without_javascript_logging_comes_back_to_the_console_for_the_same_caller(
    as_user, desk, account, sponsor, form_for
):
    data = form_for(desk, account, person=sponsor.pk, channel="chat")

    response = as_user(desk).post(LOG, data)

    assert response.status_code == 302
    assert (
        response["Location"]
        == f"{CONSOLE}?organization={account.pk}&channel=chat&kind=query&person={sponsor.pk}"
    )
    page = as_user(desk).get(response["Location"]).content.decode()
    assert "Logged: Query (Chat) for Rentwheel Car Hire, Ana Ferreira." in page
    assert selected(page, "channel") == "chat"


def test_logging_runs_the_same_queries_however_many_touchpoints(as_user, desk, account, form_for):
    for _ in range(15):
        TouchpointFactory(organization=account, logged_by=desk)
    data = form_for(desk, account)
    client = as_user(desk)

    with CaptureQueriesContext(connection) as queries:
        client.post(LOG, data, **HX)
    data = form_for(desk, account, summary="Another one")
    for _ in range(15):
        TouchpointFactory(organization=account, logged_by=desk)
    with CaptureQueriesContext(connection) as again:
        client.post(LOG, data, **HX)

    assert Touchpoint.objects.filter(logged_by=desk).count() == 32
    assert len(again) == len(queries)


def test_the_agents_list_shows_their_own_touchpoints_newest_first(as_user, desk, account, other_account):
    TouchpointFactory(organization=account, logged_by=desk, summary="Mine, earlier")
    TouchpointFactory(
        organization=other_account, logged_by=desk, summary="Mine, later", occurred_at=timezone.now()
    )
    TouchpointFactory(organization=account, summary="Someone else's")

    recent = list(selectors.console_recent(user=desk))

    assert [touchpoint.summary for touchpoint in recent] == ["Mine, later", "Mine, earlier"]


def test_the_agents_list_keeps_the_last_ten(desk, account):
    for number in range(12):
        TouchpointFactory(
            organization=account, logged_by=desk, occurred_at=timezone.now() - timedelta(minutes=number)
        )

    assert len(selectors.console_recent(user=desk)) == 10


# --- once per form --------------------------------------------------------------------------------


def test_the_same_form_posted_twice_logs_one_touchpoint(as_user, desk, account, form_for):
    data = form_for(desk, account)
    client = as_user(desk)

    first = client.post(LOG, data, **HX)
    second = client.post(LOG, data, **HX)

    assert Touchpoint.objects.count() == 1
    assert first.status_code == second.status_code == 200
    assert "nothing was logged twice" in second.content.decode()
    assert IdempotencyKey.objects.get().response_body == {"touchpoint_id": Touchpoint.objects.get().pk}


def test_a_used_token_with_other_input_logs_nothing_and_says_so(as_user, desk, account, form_for):
    data = form_for(desk, account)
    client = as_user(desk)
    client.post(LOG, data, **HX)

    response = client.post(LOG, {**data, "summary": "Something else"}, **HX)

    assert response.status_code == 400
    assert "This form was saved already with other input" in response.content.decode()
    assert Touchpoint.objects.count() == 1


def test_a_refused_form_keeps_its_token_for_the_corrected_post(as_user, desk, account, form_for):
    data = form_for(desk, account, summary="  ")
    client = as_user(desk)

    refused = client.post(LOG, data, **HX)
    accepted = client.post(LOG, {**data, "summary": "Now it says something"}, **HX)

    assert (refused.status_code, accepted.status_code) == (400, 200)
    assert list(Touchpoint.objects.values_list("summary", flat=True)) == ["Now it says something"]


def test_the_token_belongs_to_the_agent_who_got_the_form(as_user, desk, administrator, account, form_for):
    data = form_for(desk, account)
    as_user(desk).post(LOG, data, **HX)

    as_user(administrator).post(LOG, data, **HX)

    assert Touchpoint.objects.count() == 2


# --- bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message", "invalid"),
    [
        ({"organization": "999999"}, "Organization: No organization you may see has this number", None),
        (
            {"organization": ""},
            "Organization: Find the caller above and pick their organization first.",
            None,
        ),
        ({"organization": "abc"}, "Organization: Find the caller above and pick their organization.", None),
        (
            {"sentiment": "3"},
            "Sentiment: Pick a whole number from −2 (very negative) to +2",
            "id_sentiment_0",
        ),
        ({"sentiment": "-7"}, "Sentiment: Pick a whole number from −2", "id_sentiment_0"),
        ({"channel": "fax"}, "Channel: “fax” is not a channel; pick one from the list.", "id_channel"),
        ({"kind": "gossip"}, "Kind: “gossip” is not a kind of touchpoint", "id_kind"),
        ({"step": "negotiate"}, "Journey step: “negotiate” is not a journey step.", "id_step"),
        ({"summary": ""}, "Summary: Say in a few words what happened.", "id_summary"),
        ({"person": "999999"}, "Person: Pick one of the organization's people, or nobody.", "id_person"),
    ],
)
def test_bad_input_is_refused_with_a_message_naming_the_field(
    as_user, desk, account, form_for, changes, message, invalid
):
    data = form_for(desk, account, **changes)

    response = as_user(desk).post(LOG, data, **HX)

    html = response.content.decode()
    assert response.status_code == 400
    assert message in text_of(html)
    assert 'role="alert"' in html
    if invalid:
        assert re.search(
            rf'id="{invalid}"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="{invalid}"', html
        )
    assert Touchpoint.objects.count() == 0
    assert IdempotencyKey.objects.count() == 0


def test_a_person_of_another_organization_is_refused(as_user, desk, account, ravi, form_for):
    response = as_user(desk).post(LOG, form_for(desk, account, person=ravi.pk), **HX)

    assert response.status_code == 400
    assert "Person: Pick one of the organization's people" in text_of(response.content.decode())
    assert Touchpoint.objects.count() == 0


def test_a_manager_cannot_log_for_an_account_out_of_sight(as_user, outsider, desk, account, form_for):
    data = form_for(desk, account)

    response = as_user(outsider).post(LOG, data, **HX)

    assert response.status_code == 400
    assert "Organization: No organization you may see has this number" in text_of(response.content.decode())
    assert "Rentwheel" not in response.content.decode()
    assert Touchpoint.objects.count() == 0


def test_bad_input_without_javascript_comes_back_as_the_console_with_the_errors(
    as_user, desk, account, form_for
):
    response = as_user(desk).post(LOG, form_for(desk, account, sentiment="9"))

    html = response.content.decode()
    assert response.status_code == 400
    assert "<html" in html
    assert "Sentiment: Pick a whole number" in text_of(html)
    assert "Log the contact with Rentwheel Car Hire" in html
    assert Touchpoint.objects.count() == 0


def test_an_analyst_may_not_log(as_user, analyst, desk, account, form_for):
    data = form_for(desk, account)

    response = as_user(analyst).post(LOG, data, **HX)

    assert response.status_code == 403
    assert Touchpoint.objects.count() == 0
