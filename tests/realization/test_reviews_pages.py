"""The value review pages: the list (open ones first, overdue marked, agreements due without a review,
a constant number of queries), planning a review for an account, a review's page through its whole
life — prepared, realized values entered, analysis, actions, held, signed off, read-only — the review
pack to print and its CSV, and who may see and do what."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agreements.models import AgreementStatus
from realization import services
from realization.models import ReviewAction, ValueReview, ValueReviewStatus
from tests.factories.agreements import AgreementFactory
from tests.factories.journeys import OrganizationFactory, StakeholderFactory
from tests.factories.realization import (
    ReviewActionFactory,
    ReviewBenefitFactory,
    ReviewTargetFactory,
    ValueReviewFactory,
)
from tests.realization.test_reviews_services import HELD_ON, quarter_scenario

pytestmark = pytest.mark.django_db

LIST_URL = reverse("realization:review_list")
NEW_URL = reverse("realization:review_new")


def url(name: str, review, *args) -> str:
    return reverse(f"realization:{name}", args=[review.pk, *args])


@pytest.fixture
def scenario(account, sponsor):
    return quarter_scenario(account, sponsor)


@pytest.fixture
def prepared(owner, account, scenario):
    review = services.review_plan(
        actor=owner, organization=account, agreement=scenario["agreement"], today=date(2026, 10, 1)
    )
    return services.review_prepare(actor=owner, review=review)


# --- the list ---------------------------------------------------------------------------------------


def test_the_list_shows_open_reviews_first_and_marks_the_overdue_ones(as_user, owner, account):
    today = timezone.localdate()
    ValueReviewFactory(
        organization=account,
        title="Signed last year",
        status="signed_off",
        scheduled_on=today - timedelta(days=300),
        signed_off_at=timezone.now(),
        signed_off_by_name="Ana",
    )
    ValueReviewFactory(organization=account, title="Next month", scheduled_on=today + timedelta(days=30))
    ValueReviewFactory(organization=account, title="Last week", scheduled_on=today - timedelta(days=7))

    response = as_user(owner).get(LIST_URL)

    assert response.status_code == 200
    body = response.content.decode()
    assert body.index("Last week") < body.index("Next month") < body.index("Signed last year")
    assert body.count("review-row-overdue") == 1
    assert "overdue</span>" in body


def test_the_list_filters_by_status_and_due_and_swaps_its_results_with_htmx(as_user, owner, account):
    today = timezone.localdate()
    ValueReviewFactory(organization=account, title="Late one", scheduled_on=today - timedelta(days=3))
    ValueReviewFactory(organization=account, title="Held one", status="held", scheduled_on=today)

    overdue = as_user(owner).get(LIST_URL, {"due": "overdue"})
    held = as_user(owner).get(LIST_URL, {"status": "held"}, HTTP_HX_REQUEST="true")

    assert "Late one" in overdue.content.decode() and "Held one" not in overdue.content.decode()
    assert "Held one" in held.content.decode() and "Late one" not in held.content.decode()
    assert "<html" not in held.content.decode()


def test_the_list_names_agreements_due_for_a_review_with_none_planned(as_user, owner, account):
    agreement = AgreementFactory(
        organization=account,
        title="Fleet SLA",
        status=AgreementStatus.ACTIVE,
        next_review_on=timezone.localdate() + timedelta(days=10),
    )
    body = as_user(owner).get(LIST_URL).content.decode()

    assert "Fleet SLA" in body
    assert f"{NEW_URL}?organization={account.pk}&amp;agreement={agreement.pk}" in body


def _reviews(count: int, owner, team) -> None:
    for number in range(count):
        organization = OrganizationFactory(owner=owner, team=team)
        review = ValueReviewFactory(
            organization=organization,
            agreement=AgreementFactory(organization=organization, status=AgreementStatus.ACTIVE),
            sponsor=StakeholderFactory(organization=organization, is_sponsor=True),
            owner=owner,
            scheduled_on=timezone.localdate() + timedelta(days=number - 2),
        )
        ReviewBenefitFactory(review=review, realized=Decimal("100"))
        ReviewActionFactory(review=review)


def test_the_list_reads_a_constant_number_of_queries(client, owner, team):
    client.force_login(owner)
    _reviews(1, owner, team)
    with CaptureQueriesContext(connection) as one:
        assert client.get(LIST_URL).status_code == 200
    _reviews(12, owner, team)
    with CaptureQueriesContext(connection) as many:
        response = client.get(LIST_URL)
    assert response.content.decode().count("/realize/reviews/") >= 13
    assert len(many) == len(one)
    assert len(many) <= 12


# --- planning ---------------------------------------------------------------------------------------


def test_planning_starts_by_finding_the_account(as_user, owner, account):
    page = as_user(owner).get(NEW_URL, {"q": "Rentw"})
    assert page.status_code == 200
    assert f"{NEW_URL}?organization={account.pk}" in page.content.decode()


def test_a_review_is_planned_from_the_form_with_the_agreements_defaults(
    as_user, owner, account, sponsor, scenario
):
    client = as_user(owner)
    form = client.get(NEW_URL, {"organization": account.pk, "agreement": scenario["agreement"].pk})
    body = form.content.decode()
    assert form.status_code == 200
    assert f'<option value="{scenario["case"].pk}" selected>' in body
    assert f'value="{HELD_ON.isoformat()}"' in body

    response = client.post(
        NEW_URL,
        {
            "organization": account.pk,
            "agreement": scenario["agreement"].pk,
            "business_case": scenario["case"].pk,
            "sponsor": sponsor.pk,
            "scheduled_on": HELD_ON.isoformat(),
            "title": "",
            "participants": "Ana Ferreira, Tom Berg",
        },
    )

    review = ValueReview.objects.get()
    assert response.status_code == 302 and response.url == url("review_detail", review)
    assert (review.period_start, review.period_end) == (date(2026, 7, 1), date(2026, 9, 30))
    assert review.participants == "Ana Ferreira, Tom Berg"


def test_a_bad_plan_comes_back_with_the_error_beside_its_field(as_user, owner, account):
    colleague = StakeholderFactory(organization=account, is_sponsor=False)
    response = as_user(owner).post(
        NEW_URL,
        {
            "organization": account.pk,
            "sponsor": colleague.pk,
            "period_start": "2026-09-01",
            "period_end": "2026-08-01",
            "scheduled_on": "2026-10-01",
        },
    )

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "sponsor" in errors  # not offered: only sponsors are
    assert not ValueReview.objects.exists()


# --- a review's life on its page ----------------------------------------------------------------------


def test_a_review_is_completed_signed_off_and_printed(as_user, owner, teammate, account, sponsor, scenario):
    client = as_user(owner)
    review = services.review_plan(
        actor=owner, organization=account, agreement=scenario["agreement"], today=date(2026, 10, 1)
    )

    assert client.post(url("review_transition", review), {"to_status": "prepared"}).status_code == 302
    review.refresh_from_db()
    savings = review.benefits.get(description="Fewer hours lost to outages")
    overtime = review.benefits.get(description="Less overtime at the depots")
    outcome = review.targets.get(name="Bookings without a call")
    page = client.get(url("review_detail", review)).content.decode()
    assert "9,200.00" in page and "1,840.00" in page and "11,040.00" in page
    assert "30.0" in page  # the period's NPS

    saved = client.post(
        url("review_lines", review),
        {
            f"benefit_{savings.pk}_realized": "10120.00",
            f"benefit_{savings.pk}_comment": "Two outages fewer than planned.",
            f"benefit_{overtime.pk}_realized": "1500",
            f"benefit_{overtime.pk}_comment": "",
            f"target_{outcome.pk}_achieved": outcome.achieved,
            f"target_{outcome.pk}_status": outcome.status,
            f"target_{outcome.pk}_comment": "The July dip was the depot move.",
        },
    )
    assert saved.status_code == 302
    notes = {
        f"analysis_{key}": ""
        for key in (
            "dynamics",
            "trends",
            "trend_direction",
            "structural",
            "improvements",
            "unforeseen",
            "new_information",
        )
    }
    client.post(
        url("review_notes", review),
        {
            **notes,
            "analysis_targets_met": "The outcome target slipped in July only.",
            "comments": "Ahead of the case overall.",
            "decisions": "Keep the targets.",
        },
    )
    client.post(
        url("review_action_add", review),
        {"description": "Watch the depot move", "owner": teammate.pk, "due_on": "2026-11-30"},
    )
    client.post(url("review_transition", review), {"to_status": "held"})
    review.refresh_from_db()
    assert review.status == ValueReviewStatus.HELD and review.held_on == timezone.localdate()
    review.held_on = HELD_ON  # held in October; the agreement's next review counts from that day
    review.save()

    signed = client.post(
        url("review_sign_off", review),
        {
            "sponsor": sponsor.pk,
            "signed_off_by_name": "Ana Ferreira",
            "sign_off_note": "Agreed.",
            "agreement_outcome": "continue",
        },
    )

    assert signed.status_code == 302
    review.refresh_from_db()
    assert review.status == ValueReviewStatus.SIGNED_OFF
    assert review.next_review_on == date(2027, 1, 14)
    detail = client.get(url("review_detail", review)).content.decode()
    assert "Signed off" in detail and "Ana Ferreira" in detail
    assert 'name="benefit_' not in detail  # read-only: no more inputs
    assert url("review_lines", review) not in detail

    pack = client.get(url("review_pack", review))
    body = pack.content.decode()
    assert pack.status_code == 200
    assert "@media print" in body and ".site-header" in body
    for text in (
        "Value review pack",
        "Rentwheel Car Hire",
        "1 Jul 2026 – 30 Sep 2026",
        "Signed off by Ana Ferreira",
        "10,120.00",
        "+920.00",
        "10.0 %",
        "11,620.00",
        "+580.00",
        "Bookings without a call",
        "≥ 60 %",
        "The outcome target slipped in July only.",
        "Keep the targets.",
        "Watch the depot move",
        "NPS",
        "30.0",
        "75.0 % satisfied",
        "87.5 %",
    ):
        assert text in body, text

    exported = client.get(url("review_pack_csv", review))
    assert exported.status_code == 200
    assert exported["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(exported.content.decode())))
    assert rows[0][:10] == [
        "section",
        "name",
        "type",
        "indicator or rule",
        "unit",
        "baseline",
        "expected or target",
        "realized or achieved",
        "variance",
        "variance %",
    ]
    by_name = {row[1]: row for row in rows[1:]}
    assert by_name["Fewer hours lost to outages"][6:10] == ["9200.00", "10120.00", "920.00", "10.0"]
    assert by_name["Less overtime at the depots"][6:10] == ["1840.00", "1500.00", "-340.00", "-18.5"]
    total = next(row for row in rows if row[0] == "benefit total")
    assert total[6:10] == ["11040.00", "11620.00", "580.00", "5.3"]
    outcome_row = by_name["Bookings without a call"]
    assert outcome_row[0] == "target"
    assert outcome_row[5:11] == ["40", "60", "60.6667", "0.6667", "", "Breached"]
    assert by_name["NPS"][7] == "30.0" and by_name["SLA compliance"][7] == "87.5"


def test_a_signed_off_review_refuses_changes_from_its_forms(as_user, owner, account):
    review = ValueReviewFactory(
        organization=account, status="signed_off", signed_off_at=timezone.now(), signed_off_by_name="Ana"
    )
    line = ReviewBenefitFactory(review=review)
    client = as_user(owner)

    lines = client.post(url("review_lines", review), {f"benefit_{line.pk}_realized": "5"})
    moved = client.post(url("review_transition", review), {"to_status": "prepared"})
    edit = client.get(url("review_edit", review))

    assert lines.status_code == 302  # back to the page, with the reason as a message
    line.refresh_from_db()
    assert line.realized is None
    assert moved.status_code == 409
    assert "no longer changes" in moved.content.decode()
    assert edit.status_code == 302


def test_a_move_the_lifecycle_does_not_allow_is_refused_on_the_page(as_user, owner, account):
    review = ValueReviewFactory(organization=account)
    response = as_user(owner).post(url("review_transition", review), {"to_status": "held"})
    assert response.status_code == 409
    assert "cannot move to “held”" in response.content.decode()


def test_a_bad_realized_value_is_shown_beside_its_line_and_nothing_is_saved(as_user, owner, prepared):
    savings = prepared.benefits.get(description="Fewer hours lost to outages")
    overtime = prepared.benefits.get(description="Less overtime at the depots")
    response = as_user(owner).post(
        url("review_lines", prepared),
        {f"benefit_{overtime.pk}_realized": "100", f"benefit_{savings.pk}_realized": "12.345"},
    )
    assert response.status_code == 400
    assert f"benefit_{savings.pk}_realized" in response.context["lines_form"].errors
    overtime.refresh_from_db()
    assert overtime.realized is None


def test_the_sign_off_needs_the_signed_name(as_user, owner, account, sponsor):
    review = ValueReviewFactory(
        organization=account, status="held", held_on=date(2026, 10, 14), sponsor=sponsor
    )
    response = as_user(owner).post(
        url("review_sign_off", review), {"sponsor": sponsor.pk, "signed_off_by_name": ""}
    )
    assert response.status_code == 400
    assert "signed_off_by_name" in response.context["sign_off_form"].errors
    review.refresh_from_db()
    assert review.status == ValueReviewStatus.HELD


def test_actions_are_ticked_off_in_place_with_htmx(as_user, owner, account):
    review = ValueReviewFactory(organization=account, status="held", held_on=date(2026, 10, 14))
    action = ReviewActionFactory(review=review, description="Send the minutes")
    response = as_user(owner).post(
        url("review_action_update", review, action.pk), {"status": "done"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="review-actions"' in body and "<html" not in body and "Reopen" in body
    action.refresh_from_db()
    assert action.status == "done"


def test_an_action_without_a_description_is_refused(as_user, owner, account):
    review = ValueReviewFactory(organization=account, status="prepared")
    response = as_user(owner).post(url("review_action_add", review), {"description": ""})
    assert response.status_code == 400
    assert not ReviewAction.objects.exists()


# --- who may see and do what --------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["owner", "teammate", "analyst", "desk", "administrator"])
def test_who_may_read_a_review_and_its_pack(client_as, persona, account):
    review = ValueReviewFactory(organization=account)
    ReviewTargetFactory(review=review)
    client = client_as(persona)
    for address in (
        url("review_detail", review),
        url("review_pack", review),
        url("review_pack_csv", review),
        LIST_URL,
    ):
        assert client.get(address).status_code == 200


def test_an_outsider_learns_nothing(client_as, account):
    review = ValueReviewFactory(organization=account, title="Secret review")
    client = client_as("outsider")
    for address in (url("review_detail", review), url("review_pack", review), url("review_pack_csv", review)):
        assert client.get(address).status_code == 404
    assert client.post(url("review_transition", review), {"to_status": "prepared"}).status_code == 404
    assert "Secret review" not in client.get(LIST_URL).content.decode()
    assert client.get(NEW_URL, {"organization": account.pk}).status_code == 400


@pytest.mark.parametrize("persona", ["analyst", "desk"])
def test_read_only_roles_may_not_plan_or_change(client_as, persona, account):
    review = ValueReviewFactory(organization=account)
    client = client_as(persona)
    assert client.get(NEW_URL, {"organization": account.pk}).status_code == 403
    assert client.post(url("review_transition", review), {"to_status": "prepared"}).status_code == 403
    assert client.post(url("review_action_add", review), {"description": "x"}).status_code == 403
    page = client.get(url("review_detail", review)).content.decode()
    assert url("review_transition", review) not in page
    review.refresh_from_db()
    assert review.status == ValueReviewStatus.PLANNED


def test_the_teammate_may_change_a_review_of_the_teams_account(client_as, account):
    review = ValueReviewFactory(organization=account)
    response = client_as("teammate").post(url("review_transition", review), {"to_status": "prepared"})
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == ValueReviewStatus.PREPARED


def test_an_integrator_uses_the_api_not_the_pages(client_as, account):
    review = ValueReviewFactory(organization=account)
    assert client_as("integrator").get(url("review_detail", review)).status_code == 403


# --- the details and notes forms ----------------------------------------------------------------------


def test_the_details_are_edited_and_a_bad_day_is_named(as_user, owner, prepared, sponsor):
    client = as_user(owner)
    form = client.get(url("review_edit", prepared))
    assert form.status_code == 200
    data = {
        "agreement": prepared.agreement_id,
        "business_case": prepared.business_case_id,
        "title": "Q3 review with the fleet team",
        "scheduled_on": "2026-10-20",
        "period_start": "2026-07-01",
        "period_end": "2026-09-30",
        "sponsor": sponsor.pk,
        "owner": owner.pk,
        "participants": "Ana, Tom",
    }
    assert client.post(url("review_edit", prepared), data).status_code == 302
    prepared.refresh_from_db()
    assert (prepared.title, prepared.scheduled_on) == ("Q3 review with the fleet team", date(2026, 10, 20))

    refused = client.post(url("review_edit", prepared), {**data, "scheduled_on": "2026-06-01"})
    assert refused.status_code == 400
    assert "scheduled_on" in refused.context["form"].errors


def test_a_next_review_before_this_one_is_named_on_the_notes_form(as_user, owner, prepared):
    response = as_user(owner).post(
        url("review_notes", prepared), {"next_review_on": "2026-10-01", "decisions": "x"}
    )
    assert response.status_code == 400
    assert "next_review_on" in response.context["notes_form"].errors
    prepared.refresh_from_db()
    assert prepared.decisions == ""


def test_a_prepared_review_is_prepared_again_from_its_page(as_user, owner, prepared, scenario):
    scenario["first_year"].amount = Decimal("14600.00")
    scenario["first_year"].save()
    assert as_user(owner).post(url("review_prepare", prepared)).status_code == 302
    assert prepared.benefits.get(description="Less overtime at the depots").expected == Decimal("3680.00")


def test_the_review_page_reads_a_bounded_number_of_queries(client, owner, prepared):
    client.force_login(owner)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url("review_detail", prepared)).status_code == 200
    assert len(queries) <= 12
