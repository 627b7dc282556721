"""The agreements API: statuses, shapes, filters, lifecycle moves, reviews, history, permissions and
the error envelope."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.models import AgreeEventType, Agreement, AgreementReview
from journeys.models import JourneyEvent
from tests.factories.agreements import AgreementFactory, AgreementReviewFactory, ServiceLevelTargetFactory
from tests.factories.offerings import ServiceOfferingFactory

pytestmark = pytest.mark.django_db

AGREEMENT_FIELDS = {
    "id",
    "organization",
    "title",
    "reference",
    "external_id",
    "form",
    "kind",
    "status",
    "status_changed_at",
    "allowed_transitions",
    "offerings",
    "scope",
    "consumer_responsibilities",
    "starts_on",
    "ends_on",
    "review_cadence",
    "next_review_on",
    "agreed_on",
    "termination_reason",
    "owner",
    "customer_contact",
    "created_at",
    "updated_at",
}


def api(name, *args):
    return reverse(name, args=args)


def error_of(response) -> dict:
    assert set(response.json()) == {"error"}
    assert set(response.json()["error"]) == {"code", "message", "fields"}
    return response.json()["error"]


@pytest.fixture
def fleet(account, owner):
    return AgreementFactory(
        organization=account, owner=owner, title="Fleet booking SLA", starts_on=date(2026, 1, 1), ends_on=None
    )


def test_the_list_holds_what_the_caller_may_see(token_client, owner, outsider, other_account, fleet):
    offering = ServiceOfferingFactory(status="published")
    fleet.offerings.set([offering])
    AgreementFactory(organization=other_account, title="Theirs")

    mine = token_client(owner).get(api("api_agreements")).json()
    theirs = token_client(outsider).get(api("api_agreements")).json()

    assert [row["title"] for row in mine["results"]] == ["Fleet booking SLA"]
    assert [row["title"] for row in theirs["results"]] == ["Theirs"]
    row = mine["results"][0]
    assert set(row) == AGREEMENT_FIELDS
    assert (row["status"], row["allowed_transitions"], row["offerings"]) == (
        "draft",
        ["negotiating", "terminated"],
        [offering.pk],
    )


def test_the_list_filters(token_client, administrator, account, other_account, fleet):
    offering = ServiceOfferingFactory(status="published")
    AgreementFactory(
        organization=other_account,
        title="Active XLA",
        status="active",
        kind="experience_based",
        offerings=[offering],
    )
    client = token_client(administrator)

    def titles(**query):
        return sorted(row["title"] for row in client.get(api("api_agreements"), query).json()["results"])

    assert titles(organization=account.pk) == ["Fleet booking SLA"]
    assert titles(status="active") == ["Active XLA"]
    assert titles(kind="sla") == ["Fleet booking SLA"]
    assert titles(offering=offering.pk) == ["Active XLA"]
    assert titles(updated_since=(timezone.now() + timedelta(hours=1)).isoformat()) == []


def test_a_bad_filter_answers_with_the_envelope(token_client, owner):
    response = token_client(owner).get(api("api_agreements"), {"status": "signed"})

    assert response.status_code == 400
    assert set(error_of(response)["fields"]) == {"status"}


def test_drafting_through_the_api(token_client, integrator, account, sponsor):
    offering = ServiceOfferingFactory(status="published")

    response = token_client(integrator).post(
        api("api_agreements"),
        {
            "organization": account.pk,
            "title": "Fleet booking SLA",
            "kind": "sla",
            "offerings": [offering.pk],
            "starts_on": "2026-01-01",
            "customer_contact": sponsor.pk,
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["form"], body["offerings"], body["owner"]) == (
        "draft",
        "agreement_based",
        [offering.pk],
        None,
    )


def test_a_post_with_an_idempotency_key_creates_once(token_client, owner, account):
    client = token_client(owner)
    body = {"organization": account.pk, "title": "Fleet booking SLA"}

    first = client.post(api("api_agreements"), body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = client.post(api("api_agreements"), body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert Agreement.objects.count() == 1


def test_bad_input_names_its_field(token_client, owner, account):
    response = token_client(owner).post(
        api("api_agreements"),
        {"organization": account.pk, "title": "SLA", "starts_on": "2026-06-01", "ends_on": "2026-05-01"},
        format="json",
    )

    assert response.status_code == 400
    assert error_of(response)["fields"] == {
        "ends_on": ["The end date comes before the start date: it must be on or after it."]
    }


def test_an_unknown_field_and_an_invisible_account_are_refused(token_client, owner, other_account):
    unknown = token_client(owner).post(
        api("api_agreements"),
        {"organization": other_account.pk, "title": "x", "colour": "red"},
        format="json",
    )

    assert unknown.status_code == 400
    assert set(error_of(unknown)["fields"]) == {"colour"}
    hidden = token_client(owner).post(
        api("api_agreements"), {"organization": other_account.pk, "title": "x"}, format="json"
    )
    assert hidden.status_code == 400 and set(error_of(hidden)["fields"]) == {"organization"}


def test_get_patch_and_delete_one(token_client, owner, fleet):
    client = token_client(owner)

    assert client.get(api("api_agreement", fleet.pk)).json()["title"] == "Fleet booking SLA"
    patched = client.patch(
        api("api_agreement", fleet.pk), {"review_cadence": "monthly", "scope": "All depots."}, format="json"
    )
    assert patched.status_code == 200 and patched.json()["review_cadence"] == "monthly"

    assert client.delete(api("api_agreement", fleet.pk)).status_code == 204
    assert not Agreement.objects.exists()


def test_a_patched_status_and_a_deleted_live_agreement_are_refused(token_client, owner, account, fleet):
    client = token_client(owner)
    live = AgreementFactory(organization=account, status="active")

    assert (
        client.patch(api("api_agreement", fleet.pk), {"status": "active"}, format="json").status_code == 400
    )
    refused = client.delete(api("api_agreement", live.pk))
    assert refused.status_code == 409 and error_of(refused)["code"] == "not_a_draft"


def test_outsiders_get_404_and_analysts_403(token_client, outsider, analyst, fleet):
    assert token_client(outsider).get(api("api_agreement", fleet.pk)).status_code == 404
    assert token_client(analyst).get(api("api_agreement", fleet.pk)).status_code == 200
    refused = token_client(analyst).patch(api("api_agreement", fleet.pk), {"title": "x"}, format="json")
    assert refused.status_code == 403 and error_of(refused)
    assert token_client(outsider).delete(api("api_agreement", fleet.pk)).status_code == 404
    assert Agreement.objects.filter(title="Fleet booking SLA").exists()


def test_a_move_answers_with_the_agreement(token_client, owner, fleet):
    ServiceLevelTargetFactory(agreement=fleet)
    client = token_client(owner)

    for status in ("negotiating", "agreed", "active"):
        response = client.post(api("api_agreement_transition", fleet.pk), {"status": status}, format="json")
        assert response.status_code == 200, response.json()
    assert response.json()["status"] == "active"
    assert response.json()["allowed_transitions"] == ["expired", "terminated"]
    assert JourneyEvent.objects.filter(event_type=AgreeEventType.AGREEMENT_STATUS_CHANGED).count() == 3


def test_an_illegal_move_answers_409_with_the_envelope(token_client, owner, fleet):
    response = token_client(owner).post(
        api("api_agreement_transition", fleet.pk), {"status": "active"}, format="json"
    )

    assert response.status_code == 409
    error = error_of(response)
    assert error["code"] == "illegal_transition"
    assert error["fields"]["status"] == [
        "A draft agreement cannot become active; from draft it can become negotiating or terminated."
    ]
    fleet.refresh_from_db()
    assert fleet.status == "draft"


def test_a_move_not_ready_names_what_is_missing(token_client, owner, fleet):
    Agreement.objects.filter(pk=fleet.pk).update(status="negotiating")

    response = token_client(owner).post(
        api("api_agreement_transition", fleet.pk), {"status": "agreed"}, format="json"
    )

    assert response.status_code == 409
    assert error_of(response) == {
        "code": "transition_not_ready",
        "message": "Add a target before it can be agreed.",
        "fields": {"targets": ["Add a target before it can be agreed."]},
    }


def test_terminating_needs_a_reason(token_client, owner, fleet):
    client = token_client(owner)

    refused = client.post(api("api_agreement_transition", fleet.pk), {"status": "terminated"}, format="json")
    assert refused.status_code == 400 and set(error_of(refused)["fields"]) == {"reason"}

    done = client.post(
        api("api_agreement_transition", fleet.pk),
        {"status": "terminated", "reason": "Fleet sold."},
        format="json",
    )
    assert done.status_code == 200 and done.json()["termination_reason"] == "Fleet sold."


def test_reviews_are_listed_and_recorded(token_client, owner, fleet):
    Agreement.objects.filter(pk=fleet.pk).update(status="active")
    AgreementReviewFactory(agreement=fleet, held_on=date(2026, 1, 15))
    client = token_client(owner)

    created = client.post(
        api("api_agreement_reviews", fleet.pk),
        {"held_on": timezone.localdate().isoformat(), "summary": "Held up well.", "outcome": "continue"},
        format="json",
    )
    listed = client.get(api("api_agreement_reviews", fleet.pk)).json()

    assert created.status_code == 201
    assert set(created.json()) == {
        "id",
        "agreement",
        "held_on",
        "summary",
        "outcome",
        "compliance_pct",
        "reviewed_by",
        "created_at",
        "updated_at",
    }
    assert [row["summary"] for row in listed] == ["Held up well.", AgreementReview.objects.last().summary]


def test_a_review_of_a_draft_answers_409(token_client, owner, fleet):
    response = token_client(owner).post(
        api("api_agreement_reviews", fleet.pk), {"held_on": "2026-01-01", "summary": "x"}, format="json"
    )

    assert response.status_code == 409 and error_of(response)["code"] == "not_reviewable"


def test_the_history_reads_as_on_the_page(token_client, owner, fleet):
    client = token_client(owner)
    client.patch(api("api_agreement", fleet.pk), {"title": "Fleet SLA 2026"}, format="json")

    history = client.get(api("api_agreement_history", fleet.pk)).json()

    assert history[0]["action"] == "changed" and history[0]["target"] is None
    assert history[0]["changes"] == [{"label": "Title", "old": "Fleet booking SLA", "new": "Fleet SLA 2026"}]
    assert history[0]["who"] == owner.get_full_name()
    assert token_client(owner).get(api("api_agreement_history", fleet.pk + 999)).status_code == 404
