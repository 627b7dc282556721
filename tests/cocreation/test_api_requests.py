"""Co-create's API for requests: the list with its filters and clock states, one request with its
clocks to the second, opening, changing, moving and noting, the error envelope, idempotency and the
query counts. Times are Europe/Berlin office hours (Monday–Friday 09:00–17:00).

Who may do what is in test_api_permissions.py."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.models import AgreementStatus, ClockKind, TargetKind
from cocreation import services
from cocreation.models import RequestClock, RequestStatus, RequestUpdate, ServiceRequest
from journeys.models import JourneyStep
from tests.factories.agreements import AgreementFactory, BusinessCalendarFactory, ServiceLevelTargetFactory
from tests.factories.journeys import JourneyFactory, StakeholderFactory, TouchpointFactory

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
REQUEST_FIELDS = {
    "id",
    "reference",
    "organization",
    "journey",
    "requester",
    "touchpoint",
    "agreement",
    "step",
    "kind",
    "title",
    "description",
    "channel",
    "impact",
    "urgency",
    "priority",
    "status",
    "allowed_transitions",
    "is_open",
    "assignee",
    "opened_at",
    "responded_at",
    "resolved_at",
    "closed_at",
    "reopened_count",
    "resolution",
    "external_id",
    "created_by",
    "clock_state",
    "clocks",
    "created_at",
    "updated_at",
}
CLOCK_FIELDS = {
    "kind",
    "state",
    "label",
    "target",
    "target_name",
    "started_at",
    "warning_at",
    "due_at",
    "stopped_at",
    "breached_at",
    "limit_seconds",
    "elapsed_seconds",
    "remaining_seconds",
    "percent_used",
}
HOUR = 3600


def berlin(*args) -> datetime:
    return datetime(*args, tzinfo=BERLIN)


def api(name, *args):
    return reverse(name, args=args)


def error_of(response) -> dict:
    assert set(response.json()) == {"error"}, response.json()
    assert set(response.json()["error"]) == {"code", "message", "fields"}
    return response.json()["error"]


def moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


@pytest.fixture
def now_is(monkeypatch):
    """Set the server's clock: now_is(berlin(2026, 11, 16, 15, 0))."""

    def set_now(value):
        monkeypatch.setattr(timezone, "now", lambda: value)

    return set_now


@pytest.fixture
def agreement(account, owner):
    """Response within 4 business hours, resolution within 16, in Berlin office hours."""
    calendar = BusinessCalendarFactory(office_hours=True, time_zone="Europe/Berlin", country="DE")
    agreement = AgreementFactory(organization=account, status=AgreementStatus.ACTIVE, owner=owner)
    for clock, hours, name in (
        (ClockKind.RESPONSE, 4, "First response"),
        (ClockKind.RESOLUTION, 16, "Resolution"),
    ):
        ServiceLevelTargetFactory(
            agreement=agreement,
            name=name,
            kind=TargetKind.EXPERIENCE,
            comparator="gte",
            target_value=Decimal("90"),
            warning_threshold=None,
            unit="%",
            clock=clock,
            clock_limit_hours=Decimal(hours),
            calendar=calendar,
        )
    return agreement


@pytest.fixture
def opened(desk, account, agreement, now_is):
    """An incident opened Monday 16 November 2026 at 15:00."""

    def open_at(when=None, **fields):
        when = when or berlin(2026, 11, 16, 15, 0)
        now_is(when)
        return services.request_open(
            actor=desk,
            organization=account,
            title=fields.pop("title", "Depot tablets cannot print"),
            opened_at=when,
            **fields,
        )

    return open_at


def clocks_by_kind(body) -> dict[str, dict]:
    assert all(set(clock) == CLOCK_FIELDS for clock in body["clocks"])
    return {clock["kind"]: clock for clock in body["clocks"]}


def everything_written():
    return {
        "requests": list(ServiceRequest.objects.order_by("pk").values_list("pk", "status", "updated_at")),
        "clocks": list(RequestClock.objects.order_by("pk").values_list("pk", "state", "updated_at")),
        "updates": RequestUpdate.objects.count(),
    }


# --- reading --------------------------------------------------------------------------------------


def test_the_list_holds_what_the_caller_may_see_with_clocks_as_they_stand(
    token_client, owner, outsider, other_account, opened, now_is
):
    request = opened(kind="incident", impact=1, urgency=2)
    ServiceRequest.objects.create(
        organization=other_account, title="Theirs", opened_at=timezone.now(), status=RequestStatus.NEW
    )
    # Tuesday 09:30: the response clock has 1 h 30 min left, resolution 13 h 30 min.
    now_is(berlin(2026, 11, 17, 9, 30))

    mine = token_client(owner).get(api("api_cocreate_requests")).json()
    theirs = token_client(outsider).get(api("api_cocreate_requests")).json()

    assert [row["title"] for row in mine["results"]] == ["Depot tablets cannot print"]
    assert [row["title"] for row in theirs["results"]] == ["Theirs"]
    row = mine["results"][0]
    assert set(row) == REQUEST_FIELDS
    assert (row["reference"], row["priority"], row["status"]) == (f"REQ-{request.pk:06d}", 2, "new")
    assert row["allowed_transitions"] == ["in_progress"]
    clocks = clocks_by_kind(row)
    assert set(clocks) == {"response", "resolution"}
    response = clocks["response"]
    assert response["state"] == "running"
    assert moment(response["due_at"]) == berlin(2026, 11, 17, 11, 0)
    assert moment(response["warning_at"]) == berlin(2026, 11, 17, 10, 0)
    assert response["limit_seconds"] == 4 * HOUR
    assert response["target_name"] == "First response"
    assert response["target"] == RequestClock.objects.get(request=request, kind="response").target_id
    # Lists do no business-time arithmetic: a running clock's time left is left to `due_at`.
    assert response["remaining_seconds"] is None


def test_one_request_reads_its_clocks_to_the_business_second(token_client, owner, opened, now_is):
    request = opened()
    now_is(berlin(2026, 11, 17, 9, 30))

    body = token_client(owner).get(api("api_cocreate_request", request.pk)).json()

    assert set(body) == REQUEST_FIELDS | {"pauses", "updates"}
    clocks = clocks_by_kind(body)
    assert clocks["response"]["remaining_seconds"] == 90 * 60
    assert clocks["response"]["elapsed_seconds"] == 4 * HOUR - 90 * 60
    # Tuesday 09:30 → Wednesday 15:00 in office hours: 7 h 30 min + 6 h.
    assert clocks["resolution"]["remaining_seconds"] == int(13.5 * HOUR)
    assert [update["to_status"] for update in body["updates"]] == ["new"]


def test_a_clock_past_its_warning_or_limit_reads_so_before_any_check_ran(token_client, owner, opened, now_is):
    request = opened()
    client = token_client(owner)

    now_is(berlin(2026, 11, 17, 10, 30))
    warned = clocks_by_kind(client.get(api("api_cocreate_request", request.pk)).json())["response"]
    now_is(berlin(2026, 11, 17, 11, 30))
    listed = client.get(api("api_cocreate_requests")).json()["results"][0]

    assert warned["state"] == "warning" and warned["remaining_seconds"] == 30 * 60
    breached = clocks_by_kind(listed)["response"]
    assert (breached["state"], breached["remaining_seconds"]) == ("breached", None)
    assert moment(breached["breached_at"]) == berlin(2026, 11, 17, 11, 0)
    assert listed["clock_state"] == "breached"


def test_waiting_on_the_customer_pauses_the_clock_with_its_time_left(
    token_client, desk, owner, opened, now_is
):
    request = opened()
    now_is(berlin(2026, 11, 16, 15, 30))
    services.request_transition(actor=desk, request=request, to_status=RequestStatus.IN_PROGRESS)
    now_is(berlin(2026, 11, 17, 12, 0))
    services.request_transition(actor=desk, request=request, to_status=RequestStatus.WAITING, note="Model?")
    now_is(berlin(2026, 11, 19, 9, 0))
    client = token_client(owner)

    detail = client.get(api("api_cocreate_request", request.pk)).json()
    listed = client.get(api("api_cocreate_requests")).json()["results"][0]

    for body in (detail, listed):
        clocks = clocks_by_kind(body)
        assert clocks["response"]["state"] == "met"
        assert clocks["response"]["remaining_seconds"] is None
        paused = clocks["resolution"]
        # Monday 15–17 and Tuesday 09–12 used: 5 of 16 hours.
        assert (paused["state"], paused["due_at"], paused["remaining_seconds"]) == ("paused", None, 11 * HOUR)
        assert paused["elapsed_seconds"] == 5 * HOUR
    assert detail["pauses"][0]["reason"] == "waiting_on_customer"
    assert detail["pauses"][0]["ended_at"] is None


def test_the_list_filters(token_client, administrator, desk, owner, account, other_account, opened, now_is):
    # Friday 13 November 09:00: both limits pass by Monday evening.
    breached = opened(berlin(2026, 11, 13, 9, 0), title="Breached", kind="incident", impact=1, urgency=1)
    services.request_update(actor=desk, request=breached, assignee=desk)
    theirs = ServiceRequest.objects.create(
        organization=other_account, title="Theirs", opened_at=timezone.now(), status=RequestStatus.RESOLVED
    )
    # Wednesday 18 November 09:00: the response warning comes at 12:00.
    warned = opened(berlin(2026, 11, 18, 9, 0), title="Warned", kind="query")
    ServiceRequest.objects.filter(pk=warned.pk).update(step=JourneyStep.ONBOARD)
    paused = opened(berlin(2026, 11, 18, 9, 0), title="Paused", kind="query")
    now_is(berlin(2026, 11, 18, 9, 30))
    services.request_transition(actor=desk, request=paused, to_status=RequestStatus.IN_PROGRESS)
    services.request_transition(actor=desk, request=paused, to_status=RequestStatus.WAITING, note="?")
    now_is(berlin(2026, 11, 18, 12, 0))
    client = token_client(administrator)

    def titles(**query):
        response = client.get(api("api_cocreate_requests"), query)
        assert response.status_code == 200, response.json()
        return sorted(row["title"] for row in response.json()["results"])

    assert titles(status="open") == ["Breached", "Paused", "Warned"]
    assert titles(status="waiting_on_customer") == ["Paused"]
    assert titles(status="resolved") == ["Theirs"]
    assert titles(kind="incident") == ["Breached"]
    assert titles(priority=1) == ["Breached"]
    assert titles(assignee=desk.pk) == ["Breached"]
    assert titles(assignee="none") == ["Paused", "Theirs", "Warned"]
    assert (
        token_client(desk).get(api("api_cocreate_requests"), {"assignee": "me"}).json()["results"][0]["title"]
        == "Breached"
    )
    assert titles(organization=other_account.pk) == ["Theirs"]
    assert titles(step="onboard") == ["Warned"]
    assert titles(clock="breached") == ["Breached"]
    assert titles(clock="warning") == ["Warned"]
    assert titles(clock="paused") == ["Paused"]
    assert titles(updated_since=(berlin(2026, 11, 18, 9, 15)).isoformat()) == ["Paused"]
    assert theirs.pk not in [
        row["id"] for row in token_client(owner).get(api("api_cocreate_requests")).json()["results"]
    ]


def test_the_list_is_ordered_by_last_change_for_sync(token_client, administrator, opened, now_is):
    first = opened(title="First")
    second = opened(berlin(2026, 11, 16, 15, 5), title="Second")
    now_is(berlin(2026, 11, 16, 15, 10))
    services.request_update(actor=administrator, request=first, title="First, changed")

    body = token_client(administrator).get(api("api_cocreate_requests"), {"page_size": 1}).json()
    following = token_client(administrator).get(body["next"]).json()

    assert [row["id"] for row in body["results"] + following["results"]] == [second.pk, first.pk]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"status": "finished"}, "status"),
        ({"kind": "moan"}, "kind"),
        ({"priority": 7}, "priority"),
        ({"clock": "late"}, "clock"),
        ({"step": "dream"}, "step"),
        ({"assignee": "someone"}, "assignee"),
        ({"organization": "acme"}, "organization"),
        ({"updated_since": "yesterday"}, "updated_since"),
    ],
)
def test_a_bad_filter_answers_with_the_envelope(token_client, owner, query, field):
    response = token_client(owner).get(api("api_cocreate_requests"), query)

    assert response.status_code == 400
    assert set(error_of(response)["fields"]) == {field}


def test_the_list_costs_the_same_queries_at_any_size(
    token_client, owner, desk, opened, now_is, django_assert_num_queries
):
    client = token_client(owner)

    def add(count):
        for index in range(count):
            opened(berlin(2026, 11, 16, 10, index), assignee=desk, requester=None)

    add(2)
    now_is(berlin(2026, 11, 17, 9, 0))
    # The token with the user, the requests with their accounts and people, their clocks and targets.
    with django_assert_num_queries(3):
        assert len(client.get(api("api_cocreate_requests")).json()["results"]) == 2
    add(6)
    now_is(berlin(2026, 11, 17, 9, 0))
    with django_assert_num_queries(3):
        assert len(client.get(api("api_cocreate_requests")).json()["results"]) == 8


def test_a_request_of_an_account_the_caller_may_not_see_is_404(token_client, outsider, owner, opened):
    request = opened()

    hidden = token_client(outsider).get(api("api_cocreate_request", request.pk))

    assert hidden.status_code == 404 and error_of(hidden)["code"] == "not_found"
    assert token_client(owner).get(api("api_cocreate_request", request.pk + 999)).status_code == 404


# --- writing --------------------------------------------------------------------------------------


def test_a_request_is_opened_with_its_priority_and_clocks(
    token_client, desk, account, agreement, journey, now_is
):
    requester = StakeholderFactory(organization=account, name="Ana Ferreira")
    touchpoint = TouchpointFactory(organization=account, step=JourneyStep.ONBOARD)
    now_is(berlin(2026, 11, 16, 15, 0))

    response = token_client(desk).post(
        api("api_cocreate_requests"),
        {
            "organization": account.pk,
            "title": "Depot tablets cannot print",
            "kind": "incident",
            "impact": 1,
            "urgency": 3,
            "channel": "email",
            "requester": requester.pk,
            "touchpoint": touchpoint.pk,
            "assignee": desk.pk,
        },
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(body) == REQUEST_FIELDS | {"pauses", "updates"}
    assert (body["priority"], body["status"], body["step"]) == (3, "new", "onboard")
    assert (body["agreement"], body["requester"], body["assignee"]) == (agreement.pk, requester.pk, desk.pk)
    clocks = clocks_by_kind(body)
    assert moment(clocks["resolution"]["due_at"]) == berlin(2026, 11, 18, 15, 0)
    assert clocks["resolution"]["remaining_seconds"] == 16 * HOUR
    assert body["updates"][0]["note"] == "Opened."


def test_opening_with_an_idempotency_key_creates_once(token_client, desk, account):
    client = token_client(desk)
    body = {"organization": account.pk, "title": "Portal down", "kind": "incident"}

    first = client.post(api("api_cocreate_requests"), body, HTTP_IDEMPOTENCY_KEY="req-1")
    again = client.post(api("api_cocreate_requests"), body, HTTP_IDEMPOTENCY_KEY="req-1")
    other = client.post(
        api("api_cocreate_requests"), {**body, "title": "Other"}, HTTP_IDEMPOTENCY_KEY="req-1"
    )

    assert (first.status_code, again.status_code, other.status_code) == (201, 201, 422)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert first.json()["id"] == again.json()["id"]
    assert ServiceRequest.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"impact": 7}, "impact"),
        ({"urgency": 0}, "urgency"),
        ({"kind": "moan"}, "kind"),
        ({"channel": "pigeon"}, "channel"),
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"organization": 999_999}, "organization"),
        ({"step": "dream"}, "step"),
        ({"assignee": 999_999}, "assignee"),
        ({"opened_at": "last Tuesday"}, "opened_at"),
        ({"opened_at": "2099-01-01T09:00:00Z"}, "opened_at"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_input_names_its_field_and_saves_nothing(token_client, desk, account, agreement, body, field):
    response = token_client(desk).post(
        api("api_cocreate_requests"), {"organization": account.pk, "title": "Portal down", **body}
    )

    assert response.status_code == 400
    assert set(error_of(response)["fields"]) == {field}
    assert not ServiceRequest.objects.exists()
    assert not RequestClock.objects.exists()


def test_people_and_records_of_another_account_are_refused(token_client, desk, owner, account, other_account):
    stranger = StakeholderFactory(organization=other_account)
    elsewhere = JourneyFactory(organization=other_account)

    person = token_client(desk).post(
        api("api_cocreate_requests"),
        {"organization": account.pk, "title": "x", "requester": stranger.pk},
    )
    journey = token_client(desk).post(
        api("api_cocreate_requests"),
        {"organization": account.pk, "title": "x", "journey": elsewhere.pk},
    )
    hidden = token_client(owner).post(
        api("api_cocreate_requests"), {"organization": other_account.pk, "title": "x"}
    )

    assert person.status_code == 400 and set(error_of(person)["fields"]) == {"requester"}
    assert journey.status_code == 400 and set(error_of(journey)["fields"]) == {"journey"}
    assert hidden.status_code == 400
    assert error_of(hidden)["fields"] == {
        "organization": [f"No organization with the id {other_account.pk}."]
    }
    assert not ServiceRequest.objects.exists()


def test_an_agreement_that_is_not_active_does_not_time_a_request(token_client, desk, account):
    draft = AgreementFactory(organization=account, status=AgreementStatus.DRAFT)

    response = token_client(desk).post(
        api("api_cocreate_requests"), {"organization": account.pk, "title": "x", "agreement": draft.pk}
    )

    assert response.status_code == 400 and set(error_of(response)["fields"]) == {"agreement"}
    assert not ServiceRequest.objects.exists()


def test_a_request_is_changed_and_its_priority_follows(token_client, desk, owner, opened):
    request = opened()
    client = token_client(owner)

    response = client.patch(
        api("api_cocreate_request", request.pk), {"impact": 1, "urgency": 1, "assignee": desk.pk}
    )
    cleared = client.patch(api("api_cocreate_request", request.pk), {"assignee": None})

    assert response.status_code == 200, response.json()
    assert (response.json()["priority"], response.json()["assignee"]) == (1, desk.pk)
    assert response.json()["updates"][-1]["note"].startswith("Changed")
    assert cleared.json()["assignee"] is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"impact": 7}, "impact"),
        ({"status": "closed"}, "status"),
        ({"organization": 1}, "organization"),
        ({"title": ""}, "title"),
    ],
)
def test_a_bad_change_names_its_field_and_changes_nothing(token_client, owner, opened, body, field):
    request = opened()
    before = everything_written()

    response = token_client(owner).patch(api("api_cocreate_request", request.pk), body)

    assert response.status_code == 400
    assert set(error_of(response)["fields"]) == {field}
    assert everything_written() == before


def test_an_assignee_without_a_desk_role_is_refused(token_client, owner, analyst, opened):
    request = opened()

    response = token_client(owner).patch(api("api_cocreate_request", request.pk), {"assignee": analyst.pk})

    assert response.status_code == 400 and set(error_of(response)["fields"]) == {"assignee"}
    assert ServiceRequest.objects.get(pk=request.pk).assignee is None


def test_a_request_moves_along_its_lifecycle_and_stops_its_clocks(token_client, desk, opened, now_is):
    request = opened()
    client = token_client(desk)
    url = api("api_cocreate_request_transition", request.pk)

    now_is(berlin(2026, 11, 16, 16, 0))
    answered = client.post(url, {"to_status": "in_progress", "note": "Reproduced."})
    now_is(berlin(2026, 11, 17, 10, 0))
    resolved = client.post(
        url, {"to_status": "resolved", "note": "Driver rolled back.", "at": "2026-11-17T08:30:00Z"}
    )

    assert answered.status_code == 200, answered.json()
    assert clocks_by_kind(answered.json())["response"]["state"] == "met"
    assert resolved.status_code == 200, resolved.json()
    body = resolved.json()
    assert (body["status"], body["resolution"]) == ("resolved", "Driver rolled back.")
    assert moment(body["resolved_at"]) == berlin(2026, 11, 17, 9, 30)
    assert body["allowed_transitions"] == ["closed", "in_progress"]
    resolution = clocks_by_kind(body)["resolution"]
    assert resolution["state"] == "met"
    assert resolution["elapsed_seconds"] == int(2.5 * HOUR)
    assert [update["to_status"] for update in body["updates"]] == ["new", "in_progress", "resolved"]


def test_a_move_that_skips_the_lifecycle_answers_409_naming_to_status(token_client, desk, opened):
    request = opened()
    before = everything_written()

    response = token_client(desk).post(
        api("api_cocreate_request_transition", request.pk), {"to_status": "resolved", "note": "Done."}
    )

    assert response.status_code == 409
    error = error_of(response)
    assert error["code"] == "transition_not_allowed"
    assert set(error["fields"]) == {"to_status"}
    assert "resolved" in error["message"]
    assert everything_written() == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"to_status": "finished"}, "to_status"),
        ({}, "to_status"),
        ({"to_status": "in_progress", "at": "2099-01-01T09:00:00Z"}, "at"),
        ({"to_status": "in_progress", "at": "2026-11-16T08:00:00Z"}, "at"),
    ],
)
def test_a_bad_move_names_its_field_and_changes_nothing(token_client, desk, opened, now_is, body, field):
    request = opened()
    now_is(berlin(2026, 11, 16, 16, 0))
    before = everything_written()

    response = token_client(desk).post(api("api_cocreate_request_transition", request.pk), body)

    assert response.status_code == 400
    assert set(error_of(response)["fields"]) == {field}
    assert everything_written() == before


def test_resolving_needs_the_resolution(token_client, desk, opened):
    request = opened()
    client = token_client(desk)
    client.post(api("api_cocreate_request_transition", request.pk), {"to_status": "in_progress"})

    response = client.post(api("api_cocreate_request_transition", request.pk), {"to_status": "resolved"})

    assert response.status_code == 400 and set(error_of(response)["fields"]) == {"note"}
    assert ServiceRequest.objects.get(pk=request.pk).status == RequestStatus.IN_PROGRESS


def test_a_move_with_an_idempotency_key_acts_once(token_client, desk, opened):
    request = opened()
    client = token_client(desk)
    url = api("api_cocreate_request_transition", request.pk)

    first = client.post(url, {"to_status": "in_progress"}, HTTP_IDEMPOTENCY_KEY="move-1")
    again = client.post(url, {"to_status": "in_progress"}, HTTP_IDEMPOTENCY_KEY="move-1")

    assert (first.status_code, again.status_code) == (200, 200)
    assert RequestUpdate.objects.filter(request=request, to_status="in_progress").count() == 1


def test_notes_are_added_to_the_history(token_client, desk, owner, opened):
    request = opened()

    added = token_client(desk).post(api("api_cocreate_request_notes", request.pk), {"note": "Called back."})
    empty = token_client(desk).post(api("api_cocreate_request_notes", request.pk), {"note": ""})
    detail = token_client(owner).get(api("api_cocreate_request", request.pk)).json()

    assert added.status_code == 201
    assert (added.json()["note"], added.json()["author"], added.json()["to_status"]) == (
        "Called back.",
        desk.pk,
        "",
    )
    assert empty.status_code == 400 and set(error_of(empty)["fields"]) == {"note"}
    assert [update["note"] for update in detail["updates"]] == ["Opened.", "Called back."]


def test_a_request_without_an_agreement_has_no_clocks(token_client, desk, account):
    response = token_client(desk).post(
        api("api_cocreate_requests"), {"organization": account.pk, "title": "x"}
    )

    assert response.status_code == 201
    assert (response.json()["clocks"], response.json()["clock_state"]) == ([], None)


def test_the_schema_lists_the_request_routes(api_client):
    schema = api_client.get(api("api_schema")).content.decode()

    for route in (
        "/api/v1/co-create/requests/",
        "/api/v1/co-create/requests/{id}/",
        "/api/v1/co-create/requests/{id}/transition/",
        "/api/v1/co-create/requests/{id}/notes/",
    ):
        assert route in schema


def test_a_session_works_as_well_as_a_token(client, desk, opened):
    request = opened()
    client.force_login(desk)

    response = client.get(api("api_cocreate_request", request.pk))

    assert response.status_code == 200
    assert response.json()["id"] == request.pk


def test_long_ago_the_list_still_answers(token_client, owner, opened, now_is):
    opened()
    now_is(berlin(2026, 11, 16, 15, 0) + timedelta(days=400))

    rows = token_client(owner).get(api("api_cocreate_requests")).json()["results"]

    assert {clock["state"] for clock in rows[0]["clocks"]} == {"breached"}
