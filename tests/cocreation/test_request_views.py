"""The request pages: the desk's queue with its filters and clocks, a new request for an account, the
request's page (clocks, lifecycle moves, notes, history) and its edit form. Who may open which page is
in test_request_permissions.py."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agreements.models import AgreementStatus, ClockKind, TargetKind
from cocreation.models import (
    ClockState,
    RequestClock,
    RequestKind,
    RequestPause,
    RequestStatus,
    RequestUpdate,
    ServiceRequest,
)
from journeys.models import JourneyEvent, JourneyStep
from journeys.roles import Role
from tests.factories.agreements import AgreementFactory, BusinessCalendarFactory, ServiceLevelTargetFactory
from tests.factories.cocreation import RequestClockFactory, RequestUpdateFactory, ServiceRequestFactory
from tests.factories.journeys import OrganizationFactory, StakeholderFactory, TouchpointFactory, UserFactory
from tests.helpers import HX, text_of

pytestmark = pytest.mark.django_db


def url(name, *args) -> str:
    return reverse(f"cocreation:{name}", args=args)


def page_text(response) -> str:
    return text_of(response.content.decode())


def hours(count: float):
    return timezone.now() + timedelta(hours=count)


def breached_clock(request, **fields):
    return RequestClockFactory(
        request=request,
        state=ClockState.BREACHED,
        due_at=hours(-2),
        warning_at=hours(-3),
        breached_at=hours(-2),
        elapsed_seconds=5 * 3600,
        **fields,
    )


def warning_clock(request, **fields):
    return RequestClockFactory(
        request=request, state=ClockState.WARNING, warning_at=hours(-0.5), due_at=hours(1), **fields
    )


def paused_clock(request, **fields):
    return RequestClockFactory(
        request=request, state=ClockState.PAUSED, due_at=None, warning_at=None, **fields
    )


def everything_written():
    return {
        "requests": list(ServiceRequest.objects.order_by("pk").values_list("pk", "status", "updated_at")),
        "updates": RequestUpdate.objects.count(),
        "pauses": RequestPause.objects.count(),
        "events": JourneyEvent.objects.count(),
    }


@pytest.fixture
def clock_agreement(account, owner):
    """An active agreement of the account with a response (4 h) and a resolution (16 h) target, counted
    round the clock."""
    calendar = BusinessCalendarFactory(name="Round the clock", round_the_clock=True)
    agreement = AgreementFactory(
        organization=account, status=AgreementStatus.ACTIVE, owner=owner, title="Fleet desk SLA"
    )
    for clock, limit, name in ((ClockKind.RESPONSE, 4, "First answer"), (ClockKind.RESOLUTION, 16, "Fixed")):
        ServiceLevelTargetFactory(
            agreement=agreement,
            name=name,
            kind=TargetKind.EXPERIENCE,
            comparator="gte",
            target_value=Decimal("90"),
            warning_threshold=None,
            clock=clock,
            clock_limit_hours=Decimal(limit),
            calendar=calendar,
        )
    return agreement


@pytest.fixture
def queue(account, other_account, desk, sponsor):
    """Rentwheel's requests: a P1 incident with a breached clock, a P3 query close to its limit assigned
    to the desk, a P5 request waiting (paused), a closed one; and Northbank's P2 query."""
    incident = ServiceRequestFactory(
        organization=account,
        title="Booking portal down",
        kind=RequestKind.INCIDENT,
        impact=1,
        urgency=1,
        status=RequestStatus.IN_PROGRESS,
        requester=sponsor,
        opened_at=hours(-30),
    )
    breached_clock(incident, kind=ClockKind.RESOLUTION)
    query = ServiceRequestFactory(
        organization=account,
        title="How to add a driver",
        assignee=desk,
        opened_at=hours(-3),
        step=JourneyStep.ONBOARD,
    )
    warning_clock(query)
    waiting = ServiceRequestFactory(
        organization=account,
        title="New depot in Porto",
        kind=RequestKind.SERVICE_REQUEST,
        impact=3,
        urgency=3,
        status=RequestStatus.WAITING,
        opened_at=hours(-50),
    )
    paused_clock(waiting, kind=ClockKind.RESOLUTION)
    closed = ServiceRequestFactory(organization=account, title="Invoice copy", status=RequestStatus.CLOSED)
    northbank = ServiceRequestFactory(organization=other_account, title="Northbank card reader", impact=1)
    return {
        "incident": incident,
        "query": query,
        "waiting": waiting,
        "closed": closed,
        "northbank": northbank,
    }


# --- the list ---------------------------------------------------------------------------------------


def test_the_list_shows_the_open_requests_most_urgent_first_with_their_worst_clock(as_user, desk, queue):
    response = as_user(desk).get(url("request_list"))
    text = page_text(response)

    assert response.status_code == 200
    assert text.index("Booking portal down") < text.index("Northbank card reader")
    assert text.index("Northbank card reader") < text.index("How to add a driver")
    assert text.index("How to add a driver") < text.index("New depot in Porto")
    assert "Invoice copy" not in text
    assert queue["incident"].reference in text
    assert "P1 – Critical" in text and "Incident" in text and "Rentwheel Car Hire" in text
    # The clock's state in words as well as colour.
    html = response.content.decode()
    assert '<span class="clock-badge clock-breached">Breached</span>' in html
    assert '<span class="clock-badge clock-warning">Close to limit</span>' in html
    assert '<span class="clock-badge clock-paused">Paused</span>' in html
    assert "Resolution time: Breached 2 h ago" in text
    assert reverse("account_detail", args=[queue["incident"].organization_id]) in html


def test_the_figures_count_open_unassigned_breached_and_waiting_requests(as_user, owner, queue):
    text = page_text(as_user(owner).get(url("request_list")))

    # The owner sees Rentwheel's only: three open, two of them unassigned, one breached, one waiting.
    assert "3 open" in text
    assert "2 unassigned" in text
    assert "1 with a breached clock" in text
    assert "1 waiting on the customer" in text
    assert "Northbank" not in text


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ({"status": "all"}, ["Invoice copy", "Booking portal down"], []),
        ({"status": "closed"}, ["Invoice copy"], ["Booking portal down"]),
        ({"kind": "incident"}, ["Booking portal down"], ["How to add a driver"]),
        ({"priority": "5"}, ["New depot in Porto"], ["Booking portal down"]),
        ({"assignee": "me"}, ["How to add a driver"], ["Booking portal down"]),
        ({"assignee": "unassigned"}, ["Booking portal down", "New depot in Porto"], ["How to add a driver"]),
        ({"clock": "breached"}, ["Booking portal down"], ["How to add a driver", "New depot in Porto"]),
        ({"clock": "warning"}, ["How to add a driver"], ["Booking portal down"]),
        ({"clock": "paused"}, ["New depot in Porto"], ["Booking portal down"]),
        ({"step": "onboard"}, ["How to add a driver"], ["Booking portal down"]),
        ({"q": "porto"}, ["New depot in Porto"], ["Booking portal down"]),
        ({"q": "northbank"}, ["Northbank card reader"], ["Booking portal down"]),
    ],
)
def test_the_filters_narrow_the_queue(as_user, desk, queue, query, shown, hidden):
    text = page_text(as_user(desk).get(url("request_list"), query))

    for title in shown:
        assert title in text
    for title in hidden:
        assert title not in text


def test_the_search_finds_a_request_by_its_reference(as_user, desk, queue):
    waiting = queue["waiting"]

    text = page_text(as_user(desk).get(url("request_list"), {"q": waiting.reference.lower()}))

    assert "New depot in Porto" in text
    assert "Booking portal down" not in text


def test_an_unknown_filter_value_is_ignored(as_user, desk, queue):
    response = as_user(desk).get(url("request_list"), {"status": "lost", "priority": "9", "clock": "odd"})

    assert response.status_code == 200
    assert "Booking portal down" in page_text(response)
    assert "Invoice copy" not in page_text(response)


def test_htmx_filtering_answers_the_results_alone(as_user, desk, queue):
    response = as_user(desk).get(url("request_list"), {"kind": "incident"}, **HX)
    html = response.content.decode()

    assert response.status_code == 200
    assert "<html" not in html and "request-figures" not in html
    assert "Booking portal down" in html and "How to add a driver" not in html
    assert "HX-Request" in response["Vary"]


def test_the_list_says_when_no_request_matches(as_user, desk, queue):
    text = page_text(as_user(desk).get(url("request_list"), {"q": "nothing like this"}))

    assert "No request matches these filters." in text


def test_the_list_shows_fifty_requests_a_page(as_user, desk, account):
    ServiceRequestFactory.create_batch(50, organization=account, title="Printer jam", impact=1)
    ServiceRequestFactory(organization=account, title="Last of the queue", impact=3, urgency=3)

    first = page_text(as_user(desk).get(url("request_list")))
    second = page_text(as_user(desk).get(url("request_list"), {"page": 2}))

    assert "51 requests open" in first and "Last of the queue" not in first and "Page 1 of 2" in first
    assert "Last of the queue" in second and "Printer jam" not in second


def test_a_page_past_the_last_shows_the_last_page(as_user, desk, account):
    ServiceRequestFactory.create_batch(50, organization=account, title="Printer jam", impact=1)
    ServiceRequestFactory(organization=account, title="Last of the queue", impact=3, urgency=3)

    text = page_text(as_user(desk).get(url("request_list"), {"page": 9}))

    assert "Last of the queue" in text and "Printer jam" not in text and "Page 2 of 2" in text


def test_filtered_pages_count_what_matches_and_htmx_pages_on(as_user, desk, account):
    ServiceRequestFactory.create_batch(
        51, organization=account, title="Printer jam", kind=RequestKind.INCIDENT
    )
    ServiceRequestFactory(organization=account, title="How to add a driver", kind=RequestKind.QUERY)

    filtered = page_text(as_user(desk).get(url("request_list"), {"kind": "incident"}))
    second = as_user(desk).get(url("request_list"), {"page": 2}, **HX).content.decode()

    assert "51 requests match these filters" in filtered and "Page 1 of 2" in filtered
    assert "<html" not in second and "Page 2 of 2" in text_of(second)


def test_the_search_takes_wildcards_literally(as_user, desk, account):
    ServiceRequestFactory(organization=account, title="Discount of 100% refused")
    ServiceRequestFactory(organization=account, title="Discount of 100 euros")

    text = page_text(as_user(desk).get(url("request_list"), {"q": "100%"}))

    assert "Discount of 100% refused" in text and "Discount of 100 euros" not in text


def test_the_list_keeps_the_same_queries_for_3_requests_and_30(as_user, desk, team, owner):
    client = as_user(desk)
    counts = []
    for size in (3, 30):
        ServiceRequest.objects.all().delete()
        for number in range(size):
            account = OrganizationFactory(owner=owner, team=team)
            request = ServiceRequestFactory(
                organization=account,
                requester=StakeholderFactory(organization=account),
                assignee=desk if number % 2 else None,
            )
            breached_clock(request, kind=ClockKind.RESPONSE)
            warning_clock(request, kind=ClockKind.RESOLUTION)
        client.get(url("request_list"))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url("request_list"))
        assert response.status_code == 200
        assert page_text(response).count("Breached") >= size
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 10


# --- a new request ----------------------------------------------------------------------------------


def test_without_an_account_the_new_request_page_asks_for_one_as_you_type(as_user, desk, account):
    page = as_user(desk).get(url("request_new"))
    found = as_user(desk).get(url("request_new"), {"q": "rentw"}, **HX)

    assert page.status_code == 200
    assert 'id="account-search"' in page.content.decode()
    assert "<html" not in found.content.decode()
    assert f"{url('request_new')}?organization={account.pk}" in found.content.decode()
    assert "Rentwheel Car Hire" in page_text(found)


def test_the_form_names_the_account_and_offers_its_people_and_agreements(
    as_user, desk, account, sponsor, clock_agreement, other_account
):
    StakeholderFactory(organization=other_account, name="Olaf Northbank")

    response = as_user(desk).get(url("request_new"), {"organization": account.pk})
    text = page_text(response)

    assert response.status_code == 200
    assert "For Rentwheel Car Hire" in text
    assert "Ana Ferreira" in text and "Olaf Northbank" not in text
    assert "Fleet desk SLA" in text
    assert "P1 – Critical" in text and "P5 – Planning" in text  # the priority matrix


def test_opening_a_request_starts_its_clocks_and_shows_its_page(
    as_user, desk, account, sponsor, clock_agreement
):
    response = as_user(desk).post(
        url("request_new"),
        {
            "organization": account.pk,
            "title": "Cannot print the rental contract",
            "kind": RequestKind.INCIDENT,
            "description": "The printer at the airport desk says offline.",
            "requester": sponsor.pk,
            "channel": "telephone",
            "impact": "1",
            "urgency": "2",
            "assignee": desk.pk,
            "agreement": "",
        },
    )

    created = ServiceRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("request_detail", created.pk)
    assert created.priority == 2 and created.requester == sponsor and created.assignee == desk
    assert created.agreement == clock_agreement
    assert set(created.clocks.values_list("kind", flat=True)) == {"response", "resolution"}
    text = page_text(as_user(desk).get(response["Location"]))
    assert (
        f"{created.reference} opened for Rentwheel Car Hire. 2 clocks started from “Fleet desk SLA”." in text
    )
    assert "First answer" in text and "Fixed" in text


def test_a_request_from_a_contact_is_linked_to_it(as_user, desk, account, sponsor):
    contact = TouchpointFactory(
        organization=account, stakeholder=sponsor, channel="chat", summary="Portal slow"
    )

    form = page_text(
        as_user(desk).get(url("request_new"), {"organization": account.pk, "touchpoint": contact.pk})
    )
    response = as_user(desk).post(
        url("request_new"),
        {
            "organization": account.pk,
            "touchpoint": contact.pk,
            "title": "Portal slow at peak hours",
            "kind": "query",
            "channel": "chat",
            "impact": "2",
            "urgency": "2",
        },
    )

    assert "It came with the contact of" in form and "Portal slow" in form
    assert response.status_code == 302
    assert ServiceRequest.objects.get().touchpoint == contact


def test_a_contact_of_another_account_is_an_error_and_saves_nothing(as_user, desk, account, other_account):
    foreign = TouchpointFactory(organization=other_account, summary="Card reader broken")

    response = as_user(desk).post(
        url("request_new"),
        {
            "organization": account.pk,
            "touchpoint": foreign.pk,
            "title": "Portal slow",
            "kind": "query",
            "channel": "chat",
            "impact": "2",
            "urgency": "2",
        },
    )

    assert response.status_code == 400
    expected = f"Contact: No contact number “{foreign.pk}” is logged for Rentwheel Car Hire."
    assert expected in page_text(response)
    assert "Card reader broken" not in page_text(response)
    assert not ServiceRequest.objects.exists()


@pytest.mark.parametrize("organization", ["987654", "rentwheel"])
def test_an_unknown_account_is_an_error_on_the_account_field_and_saves_nothing(as_user, desk, organization):
    before = everything_written()

    shown = as_user(desk).get(url("request_new"), {"organization": organization})
    posted = as_user(desk).post(
        url("request_new"),
        {
            "organization": organization,
            "title": "Lost",
            "kind": "query",
            "channel": "email",
            "impact": 2,
            "urgency": 2,
        },
    )

    assert shown.status_code == 400
    assert f"No account you may see has the number “{organization}”" in page_text(shown)
    assert posted.status_code == 400
    assert f"Account: No account you may see has the number “{organization}”" in page_text(posted)
    assert everything_written() == before


def test_an_account_the_user_may_not_see_is_unknown_to_the_form(as_user, owner, other_account):
    response = as_user(owner).post(
        url("request_new"),
        {
            "organization": other_account.pk,
            "title": "Peek",
            "kind": "query",
            "channel": "email",
            "impact": 2,
            "urgency": 2,
        },
    )

    assert response.status_code == 400
    assert "No account you may see has the number" in page_text(response)
    assert "Northbank" not in page_text(response)
    assert not ServiceRequest.objects.exists()


def test_a_new_request_without_a_title_or_with_another_accounts_person_says_which_field(
    as_user, desk, account, other_account
):
    stranger = StakeholderFactory(organization=other_account)

    response = as_user(desk).post(
        url("request_new"),
        {
            "organization": account.pk,
            "title": "  ",
            "kind": "query",
            "channel": "email",
            "impact": "2",
            "urgency": "7",
            "requester": stranger.pk,
        },
    )
    html = response.content.decode()

    assert response.status_code == 400
    assert 'id="id_title_error"' in html and "Give the request a title" in html
    assert 'id="id_urgency_error"' in html and "Pick high, medium or low." in html
    assert 'id="id_requester_error"' in html and "Pick one of the account" in html
    assert not ServiceRequest.objects.exists()


def test_a_service_refusal_lands_on_its_field(as_user, desk, account, monkeypatch):
    from cocreation import services
    from journeys.base import ApplicationError

    def refuse(**kwargs):
        raise ApplicationError.for_field("channel", "That channel is closed for this account.")

    monkeypatch.setattr(services, "request_open", refuse)
    response = as_user(desk).post(
        url("request_new"),
        {
            "organization": account.pk,
            "title": "Help",
            "kind": "query",
            "channel": "email",
            "impact": 2,
            "urgency": 2,
        },
    )

    assert response.status_code == 400
    assert 'id="id_channel_error"' in response.content.decode()
    assert "That channel is closed for this account." in page_text(response)


# --- a request's page -------------------------------------------------------------------------------


@pytest.fixture
def opened(as_user, desk, account, sponsor, clock_agreement):
    """A request opened through the page (its clocks running, its history started)."""
    as_user(desk).post(
        url("request_new"),
        {
            "organization": account.pk,
            "title": "Cannot print the rental contract",
            "kind": "incident",
            "requester": sponsor.pk,
            "channel": "telephone",
            "impact": "1",
            "urgency": "1",
        },
    )
    return ServiceRequest.objects.get()


def test_the_page_shows_the_request_its_clocks_and_only_the_moves_open_from_its_status(as_user, desk, opened):
    response = as_user(desk).get(url("request_detail", opened.pk))
    html = response.content.decode()
    text = page_text(response)

    assert response.status_code == 200
    assert opened.reference in text and "Cannot print the rental contract" in text
    assert "P1 – Critical" in text and "New" in text and "Ana Ferreira" in text
    # Both clocks: state in words, the time left, the bar, the target and its limit.
    assert text.count("Running") >= 2
    assert "of business time left" in text
    assert "First answer" in text and "4 h of business time" in text and "16 h of business time" in text
    assert 'max="100"' in html and "% of the limit used" in text
    assert reverse("agreements:agreement_detail", args=[opened.agreement_id]) in html
    # New → in progress only.
    assert 'name="to_status" value="in_progress"' in html
    assert 'value="closed"' not in html and 'value="resolved"' not in html
    assert "Start work" in text
    assert "Opened." in text


def test_starting_work_moves_it_on_records_it_and_stops_the_response_clock(as_user, desk, opened):
    response = as_user(desk).post(url("request_transition", opened.pk), {"to_status": "in_progress"})

    opened.refresh_from_db()
    assert response.status_code == 302
    assert opened.status == RequestStatus.IN_PROGRESS
    text = page_text(as_user(desk).get(url("request_detail", opened.pk)))
    assert f"{opened.reference} is now in progress." in text
    assert "New → In progress" in text
    assert "Met" in text
    assert RequestClock.objects.get(request=opened, kind="response").stopped_at is not None


def test_skipping_the_lifecycle_is_refused_with_409_and_changes_nothing(as_user, desk, opened):
    before = everything_written()

    response = as_user(desk).post(url("request_transition", opened.pk), {"to_status": "closed"})

    assert response.status_code == 409
    assert "A request that is new cannot move to “closed”; it can move to “in progress”." in page_text(
        response
    )
    assert 'id="move-error"' in response.content.decode()
    assert everything_written() == before


def test_an_unknown_status_is_refused_with_400(as_user, desk, opened):
    before = everything_written()

    response = as_user(desk).post(url("request_transition", opened.pk), {"to_status": "done"})

    assert response.status_code == 400
    assert "“done” is not a request status." in page_text(response)
    assert everything_written() == before


def test_resolving_without_a_note_is_an_error_on_the_note(as_user, desk, opened):
    client = as_user(desk)
    client.post(url("request_transition", opened.pk), {"to_status": "in_progress"})
    before = everything_written()

    response = client.post(url("request_transition", opened.pk), {"to_status": "resolved", "note": "  "})
    html = response.content.decode()

    assert response.status_code == 400
    assert 'id="move-note-resolved-error"' in html
    assert "Say how it was resolved" in page_text(response)
    assert everything_written() == before


def test_resolving_with_htmx_swaps_the_summary_and_the_history(as_user, desk, opened):
    client = as_user(desk)
    client.post(url("request_transition", opened.pk), {"to_status": "in_progress"})

    response = client.post(
        url("request_transition", opened.pk),
        {"to_status": "resolved", "note": "Printer driver reinstalled."},
        **HX,
    )
    html = response.content.decode()

    assert response.status_code == 200
    assert "<html" not in html
    assert 'id="request-summary"' in html
    assert (
        'id="request-history" aria-labelledby="history-title" class="request-history" hx-swap-oob="true"'
        in html
    )
    assert "is now resolved" in page_text(response)
    assert "Printer driver reinstalled." in page_text(response)
    # From resolved: close or reopen.
    assert 'value="closed"' in html and 'value="in_progress"' in html
    assert "Reopen" in page_text(response)


def test_a_refused_move_with_htmx_answers_the_summary_with_its_reason(as_user, desk, opened):
    response = as_user(desk).post(url("request_transition", opened.pk), {"to_status": "resolved"}, **HX)

    assert response.status_code == 409
    assert "<html" not in response.content.decode()
    assert "cannot move to “resolved”" in page_text(response)


def test_waiting_on_the_customer_pauses_the_clocks(as_user, desk, opened):
    client = as_user(desk)
    client.post(url("request_transition", opened.pk), {"to_status": "in_progress"})

    client.post(
        url("request_transition", opened.pk),
        {"to_status": "waiting_on_customer", "note": "Asked for the model."},
    )
    text = page_text(client.get(url("request_detail", opened.pk)))

    assert "Waiting on customer: from" in text and "still paused" in text
    assert "Paused" in text
    assert "Asked for the model." in text
    assert "Customer answered: resume" in text


def test_a_note_is_added_to_the_history(as_user, desk, opened):
    response = as_user(desk).post(url("request_comment", opened.pk), {"note": "Called back, no answer."})

    assert response.status_code == 302
    assert "Called back, no answer." in page_text(as_user(desk).get(url("request_detail", opened.pk)))


def test_a_note_with_htmx_swaps_the_history_alone(as_user, desk, opened):
    response = as_user(desk).post(url("request_comment", opened.pk), {"note": "Left a voicemail."}, **HX)
    html = response.content.decode()

    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="request-history"')
    assert "Left a voicemail." in html and "Note added." in html


def test_an_empty_note_says_so_and_adds_nothing(as_user, desk, opened):
    before = everything_written()

    response = as_user(desk).post(url("request_comment", opened.pk), {"note": " "}, **HX)

    assert response.status_code == 400
    assert "Write the note first" in page_text(response)
    assert everything_written() == before


def test_an_analyst_reads_the_request_without_any_form(as_user, analyst, opened):
    html = as_user(analyst).get(url("request_detail", opened.pk)).content.decode()

    assert "Cannot print the rental contract" in html
    for page in ("request_transition", "request_comment", "request_edit"):
        assert url(page, opened.pk) not in html
    assert "Start work" not in html and "Add a note" not in html


def test_the_page_keeps_the_same_queries_for_a_short_history_and_a_long_one(
    as_user, desk, account, clock_agreement
):
    client = as_user(desk)
    counts = []
    for size in (3, 30):
        request = ServiceRequestFactory(organization=account, agreement=clock_agreement)
        breached_clock(request, kind=ClockKind.RESPONSE, target=clock_agreement.targets.first())
        for number in range(size):
            RequestUpdateFactory(request=request, author=desk, note=f"Note {number}")
        client.get(url("request_detail", request.pk))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("request_detail", request.pk)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --- editing ----------------------------------------------------------------------------------------


def test_editing_changes_the_priority_and_records_it(as_user, desk, opened):
    agent = UserFactory(
        username="second-agent", first_name="Sam", last_name="Desk", roles=[Role.SERVICE_DESK_AGENT]
    )

    response = as_user(desk).post(
        url("request_edit", opened.pk),
        {
            "title": "Cannot print contracts at the airport",
            "kind": "incident",
            "channel": "telephone",
            "impact": "3",
            "urgency": "3",
            "requester": opened.requester_id,
            "assignee": agent.pk,
        },
    )

    opened.refresh_from_db()
    assert response.status_code == 302
    assert opened.priority == 5 and opened.assignee == agent
    text = page_text(as_user(desk).get(url("request_detail", opened.pk)))
    assert "P5 – Planning" in text and "Sam Desk" in text and "Changed" in text


def test_the_edit_form_offers_no_integrator_and_refuses_a_made_up_assignee(as_user, desk, opened, integrator):
    page = page_text(as_user(desk).get(url("request_edit", opened.pk)))
    response = as_user(desk).post(
        url("request_edit", opened.pk),
        {
            "title": "x",
            "kind": "incident",
            "channel": "telephone",
            "impact": "1",
            "urgency": "1",
            "assignee": integrator.pk,
        },
    )

    assert "integrator" not in page
    assert response.status_code == 400
    assert "Pick a desk agent, relationship manager or administrator." in page_text(response)
    opened.refresh_from_db()
    assert opened.assignee is None and opened.title == "Cannot print the rental contract"
