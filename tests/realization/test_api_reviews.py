"""The value review API (/api/v1/realize/value-reviews/): a review's whole round trip — planned,
prepared, realized values entered, analysed, actions, held, signed off — the list with its filters
and incremental sync at a constant number of queries, the error envelope naming the field, 409s for
moves the lifecycle does not allow and for a signed-off review, idempotency, and who may do what."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agreements.models import AgreementReview, AgreementStatus
from realization.models import ReviewAction, ValueReview, ValueReviewStatus
from tests.factories.agreements import AgreementFactory
from tests.factories.journeys import OrganizationFactory, StakeholderFactory
from tests.factories.realization import ReviewActionFactory, ReviewBenefitFactory, ValueReviewFactory
from tests.realization.test_reviews_services import HELD_ON, quarter_scenario

pytestmark = pytest.mark.django_db

LIST = reverse("api_realize_value_reviews")
REVIEW_FIELDS = {
    "id",
    "organization",
    "agreement",
    "business_case",
    "title",
    "period_start",
    "period_end",
    "scheduled_on",
    "held_on",
    "status",
    "allowed_transitions",
    "owner",
    "sponsor",
    "participants",
    "next_review_on",
    "signed_off_at",
    "signed_off_by_name",
    "sign_off_note",
    "sign_off_recorded_by",
    "external_id",
    "expected_total",
    "realized_total",
    "open_actions",
    "created_at",
    "updated_at",
}
DETAIL_FIELDS = REVIEW_FIELDS | {
    "analysis",
    "comments",
    "decisions",
    "figures",
    "totals",
    "benefits",
    "targets",
    "actions",
}


def item(pk: int, part: str = "") -> str:
    return reverse(f"api_realize_value_review{'_' + part if part else ''}", args=[pk])


@pytest.fixture
def scenario(account, sponsor):
    return quarter_scenario(account, sponsor)


def test_a_review_round_trip(token_client, owner, teammate, account, sponsor, scenario):
    api = token_client(owner)

    planned = api.post(
        LIST,
        {"organization": account.pk, "agreement": scenario["agreement"].pk, "external_id": "crm-review-1"},
        format="json",
    )
    assert planned.status_code == 201, planned.json()
    body = planned.json()
    assert set(body) == DETAIL_FIELDS
    assert (body["period_start"], body["period_end"], body["scheduled_on"]) == (
        "2026-07-01",
        "2026-09-30",
        "2026-10-14",
    )
    assert body["status"] == "planned" and body["allowed_transitions"] == ["prepared", "cancelled"]
    assert body["business_case"] == scenario["case"].pk and body["sponsor"] == sponsor.pk
    pk = body["id"]

    prepared = api.post(item(pk, "transition"), {"to_status": "prepared"}, format="json").json()
    assert prepared["status"] == "prepared"
    benefits = {line["description"]: line for line in prepared["benefits"]}
    assert benefits["Fewer hours lost to outages"]["expected"] == "9200.00"
    assert prepared["totals"]["expected"] == "11040.00"
    assert prepared["figures"]["nps"] == "30.0"
    assert [line["name"] for line in prepared["targets"]] == [
        "Bookings without a call",
        "Booking satisfaction",
    ]

    savings = benefits["Fewer hours lost to outages"]["id"]
    entered = api.patch(
        item(pk, "lines"),
        {"benefits": [{"id": savings, "realized": "10120.00", "comment": "Two outages fewer."}]},
        format="json",
    ).json()
    line = next(line for line in entered["benefits"] if line["id"] == savings)
    assert (line["realized"], line["variance"], line["variance_pct"]) == ("10120.00", "920.00", "10.0")
    assert entered["totals"]["realized"] == "10120.00" and entered["totals"]["missing"] == 1

    noted = api.patch(
        item(pk), {"analysis": {"targets_met": "Mostly."}, "decisions": "Keep the targets."}, format="json"
    ).json()
    assert noted["analysis"] == {"targets_met": "Mostly."} and noted["decisions"] == "Keep the targets."

    action = api.post(
        item(pk, "actions"),
        {"description": "Watch the depot move", "owner": teammate.pk, "due_on": "2026-11-30"},
        format="json",
    )
    assert action.status_code == 201 and action.json()["status"] == "open"

    held = api.post(item(pk, "transition"), {"to_status": "held"}, format="json").json()
    assert held["status"] == "held" and held["held_on"] == timezone.localdate().isoformat()
    api.patch(item(pk), {"held_on": HELD_ON.isoformat()}, format="json")

    signed = api.post(
        item(pk, "sign_off"),
        {"signed_off_by_name": "Ana Ferreira", "sign_off_note": "Agreed.", "agreement_outcome": "continue"},
        format="json",
    )
    assert signed.status_code == 200, signed.json()
    signed = signed.json()
    assert signed["status"] == "signed_off" and signed["allowed_transitions"] == []
    assert signed["signed_off_by_name"] == "Ana Ferreira" and signed["sign_off_recorded_by"] == owner.pk
    assert signed["next_review_on"] == "2027-01-14"
    assert AgreementReview.objects.filter(agreement=scenario["agreement"], held_on=HELD_ON).exists()

    done = api.patch(
        reverse("api_realize_value_review_action", args=[pk, action.json()["id"]]),
        {"status": "done"},
        format="json",
    )
    assert done.status_code == 200 and done.json()["done_at"] is not None

    again = api.get(item(pk)).json()
    assert again["open_actions"] == 0 and again["totals"]["variance"] == "920.00"


def test_a_signed_off_review_answers_409(token_client, owner, account):
    review = ValueReviewFactory(
        organization=account, status="signed_off", signed_off_at=timezone.now(), signed_off_by_name="Ana"
    )
    line = ReviewBenefitFactory(review=review)
    api = token_client(owner)

    for response in (
        api.patch(item(review.pk), {"comments": "Changed"}, format="json"),
        api.patch(item(review.pk, "lines"), {"benefits": [{"id": line.pk, "realized": "1"}]}, format="json"),
        api.post(item(review.pk, "actions"), {"description": "More"}, format="json"),
        api.post(item(review.pk, "prepare"), format="json"),
    ):
        assert response.status_code == 409
        assert response.json()["error"]["code"] == "review_closed"
    review.refresh_from_db()
    assert review.comments == ""


def test_a_move_the_lifecycle_does_not_allow_answers_409_naming_to_status(token_client, owner, account):
    review = ValueReviewFactory(organization=account)
    response = token_client(owner).post(item(review.pk, "transition"), {"to_status": "held"}, format="json")

    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "transition_not_allowed"
    assert list(error["fields"]) == ["to_status"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"scheduled_on": "soon"}, "scheduled_on"),
        (
            {"period_start": "2026-09-01", "period_end": "2026-08-01", "scheduled_on": "2026-10-01"},
            "period_end",
        ),
        ({"colour": "blue"}, "colour"),
        ({"sponsor": 999999}, "sponsor"),
        ({"title": "x" * 201}, "title"),
    ],
)
def test_bad_input_names_its_field_and_saves_nothing(token_client, owner, account, payload, field):
    response = token_client(owner).post(LIST, {"organization": account.pk, **payload}, format="json")

    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    assert not ValueReview.objects.exists()


def test_a_person_who_is_not_the_sponsor_is_refused_naming_sponsor(token_client, owner, account):
    person = StakeholderFactory(organization=account, name="Tom Berg", is_sponsor=False)
    review = ValueReviewFactory(organization=account, status="held", held_on=date(2026, 10, 14))

    planned = token_client(owner).post(
        LIST, {"organization": account.pk, "sponsor": person.pk}, format="json"
    )
    signed = token_client(owner).post(
        item(review.pk, "sign_off"), {"sponsor": person.pk, "signed_off_by_name": "Tom Berg"}, format="json"
    )

    for response in (planned, signed):
        assert response.status_code == 400
        assert "Tom Berg is not a sponsor" in response.json()["error"]["fields"]["sponsor"][0]
    review.refresh_from_db()
    assert review.status == ValueReviewStatus.HELD


def test_a_bad_line_is_named_by_its_place(token_client, owner, account):
    review = ValueReviewFactory(organization=account, status="prepared")
    first = ReviewBenefitFactory(review=review)
    second = ReviewBenefitFactory(review=review)
    response = token_client(owner).patch(
        item(review.pk, "lines"),
        {"benefits": [{"id": first.pk, "realized": "1.00"}, {"id": second.pk, "realized": "1.234"}]},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["benefits.1.realized"]
    first.refresh_from_db()
    assert first.realized is None
    unknown = token_client(owner).patch(
        item(review.pk, "lines"), {"benefits": [{"id": 999999, "realized": "1"}]}, format="json"
    )
    assert list(unknown.json()["error"]["fields"]) == ["benefits.0.id"]


def test_planning_twice_with_the_same_idempotency_key_plans_once(token_client, owner, account):
    api = token_client(owner)
    payload = {"organization": account.pk, "scheduled_on": "2026-10-01"}
    first = api.post(LIST, payload, format="json", HTTP_IDEMPOTENCY_KEY="plan-1")
    second = api.post(LIST, payload, format="json", HTTP_IDEMPOTENCY_KEY="plan-1")
    assert first.status_code == second.status_code == 201
    assert second["Idempotent-Replayed"] == "true"
    assert ValueReview.objects.count() == 1


# --- the list ---------------------------------------------------------------------------------------


def test_the_list_filters_and_syncs(token_client, owner, account, other_account):
    today = timezone.localdate()
    late = ValueReviewFactory(organization=account, title="Late", scheduled_on=today - timedelta(days=2))
    held = ValueReviewFactory(organization=account, title="Held", status="held", scheduled_on=today)
    ValueReviewFactory(organization=other_account, title="Not mine")
    api = token_client(owner)

    everything = api.get(LIST).json()
    assert {row["title"] for row in everything["results"]} == {"Late", "Held"}
    assert set(everything["results"][0]) == REVIEW_FIELDS
    assert [row["id"] for row in api.get(LIST, {"due": "overdue"}).json()["results"]] == [late.pk]
    assert [row["id"] for row in api.get(LIST, {"status": "held"}).json()["results"]] == [held.pk]
    assert api.get(LIST, {"organization": other_account.pk}).json()["results"] == []
    ValueReview.objects.filter(pk=late.pk).update(updated_at=timezone.now() - timedelta(days=3))
    since = (timezone.now() - timedelta(days=1)).isoformat()
    assert [row["id"] for row in api.get(LIST, {"updated_since": since}).json()["results"]] == [held.pk]
    bad = api.get(LIST, {"status": "finished"})
    assert bad.status_code == 400 and "status" in bad.json()["error"]["fields"]


def test_the_list_reads_a_constant_number_of_queries(token_client, owner, team):
    api = token_client(owner)

    def add(count):
        for _ in range(count):
            organization = OrganizationFactory(owner=owner, team=team)
            review = ValueReviewFactory(
                organization=organization,
                agreement=AgreementFactory(organization=organization, status=AgreementStatus.ACTIVE),
            )
            ReviewBenefitFactory(review=review, realized=Decimal("5"))
            ReviewActionFactory(review=review)

    add(1)
    with CaptureQueriesContext(connection) as one:
        assert len(api.get(LIST).json()["results"]) == 1
    add(10)
    with CaptureQueriesContext(connection) as many:
        rows = api.get(LIST).json()["results"]
    assert len(rows) == 11 and rows[0]["open_actions"] == 1 and rows[0]["realized_total"] == "5.00"
    assert len(many) == len(one)


# --- who may do what ----------------------------------------------------------------------------------


def test_who_may_read_and_write(token_client, owner, teammate, outsider, analyst, desk, integrator, account):
    review = ValueReviewFactory(organization=account)
    for reader in (owner, teammate, analyst, desk, integrator):
        assert token_client(reader).get(item(review.pk)).status_code == 200
    assert token_client(outsider).get(item(review.pk)).status_code == 404
    assert (
        token_client(outsider)
        .post(item(review.pk, "transition"), {"to_status": "prepared"}, format="json")
        .status_code
        == 404
    )
    assert token_client(outsider).post(LIST, {"organization": account.pk}, format="json").status_code == 400
    for reader in (analyst, desk):
        assert (
            token_client(reader)
            .post(item(review.pk, "transition"), {"to_status": "prepared"}, format="json")
            .status_code
            == 403
        )
        assert token_client(reader).post(LIST, {"organization": account.pk}, format="json").status_code == 403
    assert (
        token_client(integrator)
        .post(item(review.pk, "transition"), {"to_status": "prepared"}, format="json")
        .status_code
        == 200
    )
    assert (
        token_client(teammate)
        .post(item(review.pk, "actions"), {"description": "Send the minutes"}, format="json")
        .status_code
        == 201
    )
    assert ReviewAction.objects.count() == 1


def test_anonymous_callers_are_refused(api_client, account):
    review = ValueReviewFactory(organization=account)
    assert api_client.get(item(review.pk)).status_code == 401
