"""Realize's survey API: survey definitions, the invitation log, answers (read, pushed by a CRM, upserted
by its id) and follow-ups: shapes, filters, scoping (an outsider learns nothing), the error envelope
naming the field with nothing saved, and lists that cost the same queries at any size.

Who may do what, route by route, is in test_api_surveys_permissions.py."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from journeys.models import JourneyStep
from realization.models import (
    FollowUp,
    FollowUpStatus,
    InvitationReason,
    InvitationStatus,
    Survey,
    SurveyResponse,
    SurveyTrigger,
    SurveyType,
)
from tests.factories.journeys import StakeholderFactory
from tests.factories.realization import (
    FollowUpFactory,
    SurveyFactory,
    SurveyInvitationFactory,
    SurveyResponseFactory,
)

pytestmark = pytest.mark.django_db

SURVEY_KEYS = {
    "id",
    "name",
    "survey_type",
    "scale",
    "question",
    "to_customers",
    "to_users",
    "to_sponsors",
    "audience",
    "trigger",
    "is_active",
    "sampling_percent",
    "send_delay_hours",
    "expiry_days",
    "reminder_after_days",
    "period_months",
    "step",
    "owner",
    "tested_at",
    "created_at",
    "updated_at",
}
INVITATION_KEYS = {
    "id",
    "survey",
    "survey_name",
    "survey_type",
    "organization",
    "stakeholder",
    "stakeholder_name",
    "trigger_key",
    "subject",
    "step",
    "triggered_at",
    "status",
    "reason",
    "reason_label",
    "reason_detail",
    "handled_by",
    "send_after",
    "sent_at",
    "reminder_sent_at",
    "expires_at",
    "responded_at",
    "attempts",
    "created_at",
    "updated_at",
}
RESPONSE_KEYS = {
    "id",
    "survey",
    "survey_type",
    "invitation",
    "organization",
    "stakeholder",
    "step",
    "score",
    "nps_group",
    "comment",
    "commented_at",
    "answered_at",
    "source",
    "external_id",
    "follow_up",
    "created_at",
    "updated_at",
}
FOLLOW_UP_KEYS = {
    "id",
    "organization",
    "owner",
    "reason",
    "status",
    "due_on",
    "is_overdue",
    "response",
    "outcome",
    "closed_at",
    "closed_by",
    "created_at",
    "updated_at",
}


def api(name, *args):
    return reverse(name, args=args)


def error_of(response) -> dict:
    assert set(response.json()) == {"error"}, response.json()
    assert set(response.json()["error"]) == {"code", "message", "fields"}
    return response.json()["error"]


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def all_pages(client, url, query=None) -> list[dict]:
    rows, page = [], client.get(url, query or {})
    while True:
        assert page.status_code == 200, page.content
        rows += page.json()["results"]
        if not page.json()["next"]:
            return rows
        page = client.get(page.json()["next"])


def everything_written():
    return {
        "surveys": list(Survey.objects.order_by("pk").values_list("pk", "updated_at")),
        "responses": list(SurveyResponse.objects.order_by("pk").values_list("pk", "score", "updated_at")),
        "follow_ups": list(FollowUp.objects.order_by("pk").values_list("pk", "status", "updated_at")),
    }


@pytest.fixture
def person(account):
    return StakeholderFactory(
        organization=account,
        name="Joris Bakker",
        is_user=True,
        survey_consent=True,
        email="joris@example.com",
    )


@pytest.fixture
def stranger(other_account):
    """A person of an account of another team."""
    return StakeholderFactory(organization=other_account, name="Mira Okafor", survey_consent=True)


@pytest.fixture
def csat():
    return SurveyFactory(name="After a request is closed", survey_type=SurveyType.CSAT)


@pytest.fixture
def nps():
    return SurveyFactory(
        name="Relationship NPS", survey_type=SurveyType.NPS, trigger=SurveyTrigger.PERIODIC, period_months=6
    )


# --- the schema -----------------------------------------------------------------------------------


def test_the_openapi_schema_validates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))

    schema = (tmp_path / "schema.yaml").read_text()
    for route in (
        "/api/v1/realize/surveys/",
        "/api/v1/realize/survey-invitations/",
        "/api/v1/realize/survey-responses/",
        "/api/v1/realize/survey-responses/external/{external_id}/",
        "/api/v1/realize/follow-ups/{id}/close/",
        "/api/v1/realize/metric-snapshots/",
        "/api/v1/realize/health-policy/",
    ):
        assert f"{route}:" in schema, route


# --- surveys --------------------------------------------------------------------------------------


def test_a_survey_reads_with_its_scale_and_audience(token_client, integrator, nps, csat):
    response = token_client(integrator).get(api("api_realize_survey", nps.pk))

    assert response.status_code == 200
    body = response.json()
    assert set(body) == SURVEY_KEYS
    assert body["survey_type"] == "nps"
    assert body["scale"] == {"min": 0, "max": 10}
    assert body["audience"] == ["customer", "user"]
    assert body["trigger"] == "periodic" and body["period_months"] == 6


def test_every_role_lists_every_survey_and_filters_them(token_client, outsider, analyst, nps, csat):
    assert set(ids(token_client(outsider).get(api("api_realize_surveys")))) == {nps.pk, csat.pk}
    client = token_client(analyst)
    assert ids(client.get(api("api_realize_surveys"), {"survey_type": "nps"})) == [nps.pk]
    assert ids(client.get(api("api_realize_surveys"), {"trigger": "request_closed"})) == [csat.pk]
    Survey.objects.filter(pk=nps.pk).update(is_active=False)
    assert ids(client.get(api("api_realize_surveys"), {"is_active": "false"})) == [nps.pk]


def test_the_survey_list_costs_the_same_queries_at_any_size(token_client, owner, django_assert_num_queries):
    client = token_client(owner)
    SurveyFactory()
    with django_assert_num_queries(2):
        assert len(client.get(api("api_realize_surveys")).json()["results"]) == 1
    SurveyFactory.create_batch(6, owner=owner)
    with django_assert_num_queries(2):
        assert len(client.get(api("api_realize_surveys")).json()["results"]) == 7


def test_a_survey_that_does_not_exist_is_404(token_client, integrator):
    response = token_client(integrator).get(api("api_realize_survey", 999999))

    assert response.status_code == 404 and error_of(response)["code"] == "not_found"


# --- invitations ----------------------------------------------------------------------------------


def test_the_invitation_log_shows_who_was_invited_and_why_the_others_were_not(
    token_client, integrator, account, person, csat
):
    invited = SurveyInvitationFactory(survey=csat, organization=account, stakeholder=person)
    left_out = SurveyInvitationFactory(
        survey=csat,
        organization=account,
        stakeholder=StakeholderFactory(organization=account, survey_consent=False),
        status=InvitationStatus.NOT_INVITED,
        reason=InvitationReason.NO_CONSENT,
        send_after=None,
        sent_at=None,
        expires_at=None,
    )
    client = token_client(integrator)

    rows = {row["id"]: row for row in client.get(api("api_realize_invitations")).json()["results"]}

    assert set(rows) == {invited.pk, left_out.pk}
    assert set(rows[invited.pk]) == INVITATION_KEYS
    assert rows[invited.pk]["reason"] == "invited" and rows[invited.pk]["status"] == "sent"
    assert rows[invited.pk]["stakeholder_name"] == "Joris Bakker"
    assert rows[invited.pk]["survey_name"] == "After a request is closed"
    assert rows[left_out.pk]["reason"] == "no_consent"
    assert rows[left_out.pk]["reason_label"] == "Has not agreed to receive surveys"
    assert rows[left_out.pk]["sent_at"] is None
    assert "nonce" not in rows[invited.pk]
    one = client.get(api("api_realize_invitation", left_out.pk))
    assert one.status_code == 200 and one.json()["reason"] == "no_consent"


def test_the_invitation_log_filters(token_client, integrator, account, other_account, person, csat, nps):
    sent = SurveyInvitationFactory(survey=csat, organization=account, stakeholder=person)
    cooled = SurveyInvitationFactory(
        survey=nps,
        organization=account,
        stakeholder=person,
        status=InvitationStatus.NOT_INVITED,
        reason=InvitationReason.COOLDOWN,
    )
    elsewhere = SurveyInvitationFactory(survey=csat, organization=other_account)
    client = token_client(integrator)

    def listed(**query):
        return set(ids(client.get(api("api_realize_invitations"), query)))

    assert listed(survey=csat.pk) == {sent.pk, elsewhere.pk}
    assert listed(reason="cooldown") == {cooled.pk}
    assert listed(reason="not_invited") == {cooled.pk}
    assert listed(status="sent") == {sent.pk, elsewhere.pk}
    assert listed(organization=other_account.pk) == {elsewhere.pk}
    assert listed(stakeholder=person.pk) == {sent.pk, cooled.pk}
    later = timezone.now() + timedelta(seconds=1)
    SurveyInvitationFactory._meta.model.objects.filter(pk=cooled.pk).update(updated_at=later)
    assert listed(updated_since=later.isoformat()) == {cooled.pk}


def test_an_outsider_sees_no_invitation_of_another_team(token_client, outsider, owner, account, person, csat):
    invitation = SurveyInvitationFactory(survey=csat, organization=account, stakeholder=person)

    assert ids(token_client(outsider).get(api("api_realize_invitations"))) == []
    hidden = token_client(outsider).get(api("api_realize_invitation", invitation.pk))
    assert hidden.status_code == 404 and error_of(hidden)["code"] == "not_found"
    assert ids(token_client(owner).get(api("api_realize_invitations"))) == [invitation.pk]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"reason": "bored"}, "reason"),
        ({"status": "lost"}, "status"),
        ({"survey": "three"}, "survey"),
        ({"organization": "x"}, "organization"),
        ({"updated_since": "2026-11-01T00:00:00"}, "updated_since"),
        ({"updated_since": "yesterday"}, "updated_since"),
    ],
)
def test_a_bad_invitation_filter_answers_with_the_envelope(token_client, owner, query, field):
    response = token_client(owner).get(api("api_realize_invitations"), query)

    assert response.status_code == 400
    assert set(error_of(response)["fields"]) == {field}


def test_the_invitation_log_costs_the_same_queries_at_any_size(
    token_client, owner, account, csat, django_assert_num_queries
):
    client = token_client(owner)
    SurveyInvitationFactory.create_batch(2, survey=csat, organization=account)
    # The token with the user and its roles, then the page of invitations with survey and person.
    with django_assert_num_queries(2):
        assert len(client.get(api("api_realize_invitations")).json()["results"]) == 2
    SurveyInvitationFactory.create_batch(7, survey=csat, organization=account)
    with django_assert_num_queries(2):
        assert len(client.get(api("api_realize_invitations")).json()["results"]) == 9


# --- answers: reading -----------------------------------------------------------------------------


def test_an_answer_reads_with_its_nps_group_and_follow_up(token_client, integrator, account, person, nps):
    detractor = SurveyResponseFactory(
        survey=nps, organization=account, stakeholder=person, score=4, comment="Slow answers."
    )
    follow_up = FollowUpFactory(response=detractor, reason="detractor")
    promoter = SurveyResponseFactory(survey=nps, organization=account, stakeholder=person, score=10)

    client = token_client(integrator)
    body = client.get(api("api_realize_response", detractor.pk)).json()

    assert set(body) == RESPONSE_KEYS
    assert body["nps_group"] == "detractor" and body["follow_up"] == follow_up.pk
    assert body["comment"] == "Slow answers." and body["score"] == 4
    assert "comment_key" not in body
    other = client.get(api("api_realize_response", promoter.pk)).json()
    assert other["nps_group"] == "promoter" and other["follow_up"] is None


def test_answers_filter_by_survey_type_account_and_when_they_were_given(
    token_client, integrator, account, other_account, person, csat, nps
):
    moment = datetime(2026, 10, 15, 12, 0, tzinfo=UTC)
    october = SurveyResponseFactory(survey=csat, organization=account, stakeholder=person, answered_at=moment)
    november = SurveyResponseFactory(
        survey=nps, organization=account, stakeholder=person, score=9, answered_at=moment + timedelta(days=30)
    )
    elsewhere = SurveyResponseFactory(survey=csat, organization=other_account, answered_at=moment)
    client = token_client(integrator)

    def listed(**query):
        return set(ids(client.get(api("api_realize_responses"), query)))

    assert listed() == {october.pk, november.pk, elsewhere.pk}
    assert listed(survey=nps.pk) == {november.pk}
    assert listed(survey_type="csat") == {october.pk, elsewhere.pk}
    assert listed(organization=account.pk) == {october.pk, november.pk}
    assert listed(stakeholder=person.pk) == {october.pk, november.pk}
    assert listed(answered_since="2026-11-01T00:00:00Z") == {november.pk}
    assert listed(answered_until="2026-11-01") == {october.pk, elsewhere.pk}
    assert listed(answered_since="2026-10-15T12:00:00Z", answered_until="2026-10-15T12:00:01Z") == {
        october.pk,
        elsewhere.pk,
    }
    assert listed(band="positive") == {october.pk, november.pk, elsewhere.pk}
    assert listed(step=JourneyStep.CO_CREATE) == {october.pk, november.pk, elsewhere.pk}
    assert listed(source="api") == set()


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"survey_type": "mood"}, "survey_type"),
        ({"answered_since": "last week"}, "answered_since"),
        ({"answered_until": "2026-13-01"}, "answered_until"),
        ({"answered_since": "2026-11-01T00:00:00"}, "answered_since"),
    ],
)
def test_a_bad_answer_filter_answers_with_the_envelope(token_client, owner, query, field):
    response = token_client(owner).get(api("api_realize_responses"), query)

    assert response.status_code == 400
    assert set(error_of(response)["fields"]) == {field}


def test_an_outsider_sees_no_answer_of_another_team(token_client, outsider, account, person, csat):
    answer = SurveyResponseFactory(survey=csat, organization=account, stakeholder=person)

    assert ids(token_client(outsider).get(api("api_realize_responses"))) == []
    assert token_client(outsider).get(api("api_realize_response", answer.pk)).status_code == 404


def test_the_answer_list_pages_with_a_stable_cursor(token_client, integrator, account, person, csat):
    made = {SurveyResponseFactory(survey=csat, organization=account, stakeholder=person).pk for _ in range(5)}

    rows = all_pages(token_client(integrator), api("api_realize_responses"), {"page_size": 2})

    assert [row["id"] for row in rows] == sorted(made)


def test_the_answer_list_costs_the_same_queries_at_any_size(
    token_client, owner, account, person, csat, django_assert_num_queries
):
    client = token_client(owner)
    for score in (1, 5):
        FollowUpFactory(response=SurveyResponseFactory(survey=csat, organization=account, score=score))
    with django_assert_num_queries(2):
        assert len(client.get(api("api_realize_responses")).json()["results"]) == 2
    for score in (1, 2, 3, 4, 5, 1):
        FollowUpFactory(response=SurveyResponseFactory(survey=csat, organization=account, score=score))
    with django_assert_num_queries(2):
        assert len(client.get(api("api_realize_responses")).json()["results"]) == 8


# --- follow-ups: reading --------------------------------------------------------------------------


def test_follow_ups_list_the_open_ones_with_the_answer_behind_them(
    token_client, owner, account, person, csat
):
    answer = SurveyResponseFactory(
        survey=csat, organization=account, stakeholder=person, score=1, comment="Nobody called back."
    )
    late = FollowUpFactory(response=answer, owner=owner, due_on=timezone.localdate() - timedelta(days=1))
    done = FollowUpFactory(
        response=SurveyResponseFactory(survey=csat, organization=account, score=2),
        status=FollowUpStatus.DONE,
        outcome="Called.",
    )
    client = token_client(owner)

    rows = client.get(api("api_realize_follow_ups")).json()["results"]

    assert [row["id"] for row in rows] == [late.pk]
    row = rows[0]
    assert set(row) == FOLLOW_UP_KEYS
    assert row["is_overdue"] is True and row["reason"] == "dissatisfied" and row["owner"] == owner.pk
    assert row["response"]["comment"] == "Nobody called back."
    assert row["response"]["stakeholder_name"] == "Joris Bakker"
    assert row["response"]["survey_name"] == "After a request is closed"
    assert ids(client.get(api("api_realize_follow_ups"), {"status": "done"})) == [done.pk]
    assert set(ids(client.get(api("api_realize_follow_ups"), {"status": "all"}))) == {late.pk, done.pk}


def test_follow_ups_filter_by_owner_and_account(
    token_client, integrator, owner, teammate, account, other_account, csat
):
    mine = FollowUpFactory(
        response=SurveyResponseFactory(survey=csat, organization=account, score=1), owner=owner
    )
    theirs = FollowUpFactory(
        response=SurveyResponseFactory(survey=csat, organization=account, score=1), owner=teammate
    )
    nobody = FollowUpFactory(response=SurveyResponseFactory(survey=csat, organization=other_account, score=2))

    def listed(client, **query):
        return set(ids(client.get(api("api_realize_follow_ups"), query)))

    assert listed(token_client(owner), owner="me") == {mine.pk}
    assert listed(token_client(integrator), owner=teammate.pk) == {theirs.pk}
    assert listed(token_client(integrator), owner="none") == {nobody.pk}
    assert listed(token_client(integrator), organization=account.pk) == {mine.pk, theirs.pk}
    assert listed(token_client(owner)) == {mine.pk, theirs.pk}
    response = token_client(owner).get(api("api_realize_follow_ups"), {"owner": "boss"})
    assert response.status_code == 400 and set(error_of(response)["fields"]) == {"owner"}


def test_an_outsider_sees_no_follow_up_of_another_team(token_client, outsider, account, csat):
    follow_up = FollowUpFactory(response=SurveyResponseFactory(survey=csat, organization=account, score=1))

    assert ids(token_client(outsider).get(api("api_realize_follow_ups"), {"status": "all"})) == []
    assert token_client(outsider).get(api("api_realize_follow_up", follow_up.pk)).status_code == 404


def test_the_follow_up_list_costs_the_same_queries_at_any_size(
    token_client, owner, account, csat, django_assert_num_queries
):
    client = token_client(owner)

    def add(count):
        for _ in range(count):
            FollowUpFactory(
                response=SurveyResponseFactory(
                    survey=csat, organization=account, stakeholder=StakeholderFactory(organization=account)
                ),
                owner=owner,
            )

    add(1)
    with django_assert_num_queries(2):
        assert len(client.get(api("api_realize_follow_ups")).json()["results"]) == 1
    add(6)
    with django_assert_num_queries(2):
        assert len(client.get(api("api_realize_follow_ups")).json()["results"]) == 7


# --- surveys: writing -----------------------------------------------------------------------------

NEW_SURVEY = {
    "name": "Relationship NPS",
    "survey_type": "nps",
    "question": "How likely are you to recommend us to a colleague?",
    "to_customers": True,
    "to_users": False,
    "to_sponsors": True,
    "trigger": "periodic",
    "period_months": 6,
    "sampling_percent": 50,
    "reminder_after_days": 4,
    "expiry_days": 10,
}


def test_a_relationship_manager_defines_a_survey_in_a_browser_session(client, owner):
    client.force_login(owner)

    response = client.post(api("api_realize_surveys"), NEW_SURVEY, content_type="application/json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == SURVEY_KEYS
    assert body["audience"] == ["customer", "sponsor"] and body["scale"] == {"min": 0, "max": 10}
    assert body["owner"] == owner.pk
    survey = Survey.objects.get(pk=body["id"])
    assert (survey.trigger, survey.period_months, survey.sampling_percent) == ("periodic", 6, 50)


def test_the_audience_may_be_given_as_a_list_of_roles(token_client, owner, csat):
    client = token_client(owner)

    changed = client.patch(api("api_realize_survey", csat.pk), {"audience": ["sponsor"]})
    empty = client.patch(api("api_realize_survey", csat.pk), {"audience": []})
    unknown = client.patch(api("api_realize_survey", csat.pk), {"audience": ["cat"]})

    assert changed.status_code == 200 and changed.json()["audience"] == ["sponsor"]
    assert empty.status_code == 400 and set(error_of(empty)["fields"]) == {"audience"}
    assert unknown.status_code == 400 and set(error_of(unknown)["fields"]) == {"audience.0"}
    csat.refresh_from_db()
    assert (csat.to_customers, csat.to_users, csat.to_sponsors) == (False, False, True)


def test_an_administrator_changes_a_survey(token_client, administrator, csat):
    response = token_client(administrator).patch(
        api("api_realize_survey", csat.pk), {"sampling_percent": 25, "is_active": False}
    )

    assert response.status_code == 200, response.content
    assert response.json()["sampling_percent"] == 25 and response.json()["is_active"] is False
    csat.refresh_from_db()
    assert (csat.sampling_percent, csat.is_active) == (25, False)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"reminder_after_days": 10}, "reminder_after_days"),  # not before the expiry (10 days)
        ({"period_months": None}, "period_months"),  # a periodic survey without its period
        ({"to_customers": False, "to_sponsors": False}, "audience"),
        ({"sampling_percent": 0}, "sampling_percent"),
        ({"survey_type": "mood"}, "survey_type"),
        ({"question": ""}, "question"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_a_bad_survey_names_its_field_and_saves_nothing(token_client, owner, change, field):
    before = everything_written()

    response = token_client(owner).post(api("api_realize_surveys"), {**NEW_SURVEY, **change})

    assert response.status_code == 400, response.content
    assert field in error_of(response)["fields"]
    assert everything_written() == before


def test_a_survey_name_is_unique(token_client, owner, csat):
    response = token_client(owner).post(api("api_realize_surveys"), {**NEW_SURVEY, "name": csat.name.upper()})

    assert response.status_code == 400
    assert set(error_of(response)["fields"]) == {"name"}
    assert Survey.objects.count() == 1


def test_a_survey_with_answers_keeps_its_scale(token_client, owner, account, csat):
    SurveyResponseFactory(survey=csat, organization=account)

    response = token_client(owner).patch(api("api_realize_survey", csat.pk), {"survey_type": "nps"})

    assert response.status_code == 400 and set(error_of(response)["fields"]) == {"survey_type"}
    csat.refresh_from_db()
    assert csat.survey_type == "csat"


# --- answers: writing -----------------------------------------------------------------------------


def test_a_crm_records_an_answer_and_a_poor_one_opens_a_follow_up(
    token_client, integrator, owner, account, person, csat
):
    answered = datetime(2026, 11, 18, 8, 40, tzinfo=UTC)

    response = token_client(integrator).post(
        api("api_realize_responses"),
        {
            "survey": csat.pk,
            "stakeholder": person.pk,
            "score": 2,
            "comment": "Took three calls before anyone picked it up.",
            "answered_at": answered.isoformat(),
            "external_id": "crm-answer-5521",
        },
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == RESPONSE_KEYS
    assert body["source"] == "api" and body["organization"] == account.pk and body["score"] == 2
    answer = SurveyResponse.objects.get()
    assert answer.answered_at == answered and answer.survey_type == "csat"
    follow_up = FollowUp.objects.get()
    assert body["follow_up"] == follow_up.pk
    assert (follow_up.response, follow_up.owner, follow_up.reason) == (answer, owner, "dissatisfied")


def test_an_answer_sent_again_with_its_external_id_updates_the_same_answer(
    token_client, integrator, account, person, nps
):
    client = token_client(integrator)
    first = {"survey": nps.pk, "stakeholder": person.pk, "score": 7, "external_id": "crm-1"}

    created = client.post(api("api_realize_responses"), first)
    again = client.post(api("api_realize_responses"), first)
    changed = client.post(api("api_realize_responses"), {**first, "score": 9, "comment": "Better now."})

    assert (created.status_code, again.status_code, changed.status_code) == (201, 200, 200)
    assert created.json()["id"] == again.json()["id"] == changed.json()["id"]
    answer = SurveyResponse.objects.get()
    assert (answer.score, answer.comment, answer.external_id) == (9, "Better now.", "crm-1")
    assert changed.json()["nps_group"] == "promoter"
    assert FollowUp.objects.count() == 0


def test_an_answer_upserts_by_its_external_id_in_the_path(token_client, integrator, account, person, nps):
    client = token_client(integrator)
    url = api("api_realize_response_upsert", "crm-77")
    body = {"survey": nps.pk, "stakeholder": person.pk, "score": 3}

    created = client.put(url, body)
    updated = client.put(url, {**body, "score": 8})

    assert (created.status_code, updated.status_code) == (201, 200), updated.content
    answer = SurveyResponse.objects.get()
    assert (answer.external_id, answer.score) == ("crm-77", 8)
    # The follow-up the detractor opened stays: a changed mind is still worth a call.
    assert FollowUp.objects.filter(response=answer).count() == 1


def test_an_answer_to_an_invitation_takes_its_survey_and_person(
    token_client, integrator, account, person, csat
):
    invitation = SurveyInvitationFactory(survey=csat, organization=account, stakeholder=person)

    response = token_client(integrator).post(
        api("api_realize_responses"), {"invitation": invitation.pk, "score": 5}
    )

    assert response.status_code == 201, response.content
    assert response.json()["survey"] == csat.pk and response.json()["stakeholder"] == person.pk
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.RESPONDED


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (lambda s, p, o: {"survey": s.pk, "stakeholder": p.pk, "score": 6}, "score"),  # CSAT is 1–5
        (lambda s, p, o: {"survey": s.pk, "stakeholder": p.pk, "score": 0}, "score"),
        (lambda s, p, o: {"survey": s.pk, "stakeholder": p.pk, "score": "ten"}, "score"),
        (lambda s, p, o: {"survey": 999999, "stakeholder": p.pk, "score": 4}, "survey"),
        (lambda s, p, o: {"stakeholder": p.pk, "score": 4}, "survey"),
        (lambda s, p, o: {"survey": s.pk, "stakeholder": 999999, "score": 4}, "stakeholder"),
        (
            lambda s, p, o: {"survey": s.pk, "stakeholder": p.pk, "organization": o.pk, "score": 4},
            "stakeholder",
        ),
        (lambda s, p, o: {"survey": s.pk, "score": 4}, "organization"),
        (lambda s, p, o: {"survey": s.pk, "stakeholder": p.pk, "score": 4, "mood": "sunny"}, "mood"),
        (
            lambda s, p, o: {
                "survey": s.pk,
                "stakeholder": p.pk,
                "score": 4,
                "answered_at": "2999-01-01T00:00Z",
            },
            "answered_at",
        ),
    ],
)
def test_a_bad_answer_names_its_field_and_saves_nothing(
    token_client, integrator, account, other_account, person, csat, body, field
):
    before = everything_written()

    response = token_client(integrator).post(api("api_realize_responses"), body(csat, person, other_account))

    assert response.status_code == 400, response.content
    assert field in error_of(response)["fields"]
    assert everything_written() == before


def test_a_person_of_an_account_the_caller_may_not_see_is_an_unknown_person(
    token_client, owner, stranger, csat
):
    response = token_client(owner).post(
        api("api_realize_responses"), {"survey": csat.pk, "stakeholder": stranger.pk, "score": 4}
    )

    assert response.status_code == 400
    assert set(error_of(response)["fields"]) == {"stakeholder"}
    assert SurveyResponse.objects.count() == 0


def test_an_invitation_of_another_person_is_refused(
    token_client, integrator, account, person, stranger, csat
):
    invitation = SurveyInvitationFactory(survey=csat, organization=account, stakeholder=person)

    response = token_client(integrator).post(
        api("api_realize_responses"), {"invitation": invitation.pk, "stakeholder": stranger.pk, "score": 4}
    )

    assert response.status_code == 400
    assert "stakeholder" in error_of(response)["fields"]
    assert SurveyResponse.objects.count() == 0


def test_an_external_id_of_another_persons_answer_is_a_conflict(
    token_client, integrator, account, person, csat
):
    SurveyResponseFactory(survey=csat, organization=account, external_id="crm-9")
    before = everything_written()

    response = token_client(integrator).post(
        api("api_realize_responses"),
        {"survey": csat.pk, "stakeholder": person.pk, "score": 4, "external_id": "crm-9"},
    )

    assert response.status_code == 409
    assert set(error_of(response)["fields"]) == {"external_id"}
    assert everything_written() == before


def test_a_retried_answer_with_its_idempotency_key_is_recorded_once(token_client, integrator, person, csat):
    client = token_client(integrator)
    body = {"survey": csat.pk, "stakeholder": person.pk, "score": 1}

    first = client.post(api("api_realize_responses"), body, HTTP_IDEMPOTENCY_KEY="answer-1")
    again = client.post(api("api_realize_responses"), body, HTTP_IDEMPOTENCY_KEY="answer-1")

    assert (first.status_code, again.status_code) == (201, 201)
    assert again["Idempotent-Replayed"] == "true"
    assert SurveyResponse.objects.count() == 1 and FollowUp.objects.count() == 1


# --- follow-ups: closing --------------------------------------------------------------------------


def test_the_owner_closes_a_follow_up_with_its_outcome(token_client, owner, account, csat):
    follow_up = FollowUpFactory(
        response=SurveyResponseFactory(survey=csat, organization=account), owner=owner
    )

    response = token_client(owner).post(
        api("api_realize_follow_up_close", follow_up.pk),
        {"outcome": "Called her; a backup now covers the desk."},
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "done" and body["closed_by"] == owner.pk and body["closed_at"]
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.DONE
    assert follow_up.outcome == "Called her; a backup now covers the desk."
    again = token_client(owner).post(api("api_realize_follow_up_close", follow_up.pk), {"outcome": "Again."})
    assert again.status_code == 409


@pytest.mark.parametrize("body", [{}, {"outcome": ""}, {"outcome": "   "}])
def test_a_follow_up_is_not_closed_without_its_outcome(token_client, owner, account, csat, body):
    follow_up = FollowUpFactory(
        response=SurveyResponseFactory(survey=csat, organization=account), owner=owner
    )

    response = token_client(owner).post(api("api_realize_follow_up_close", follow_up.pk), body)

    assert response.status_code == 400
    assert set(error_of(response)["fields"]) == {"outcome"}
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.OPEN
