"""Moments of truth: reviewing one (once, updated afterwards), the list with those to review first and
its filters, the figures above it, and the page with its inline review form (HTMX and plain POST)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cocreation import selectors, services
from cocreation.models import MomentReview
from journeys.base import ApplicationError
from tests.factories.cocreation_feedback import MomentOfTruthFactory, MomentReviewFactory
from tests.factories.journeys import TouchpointFactory

pytestmark = pytest.mark.django_db

LIST = reverse("cocreation:moment_list")


def ago(days: int = 0, hours: int = 0):
    return timezone.now() - timedelta(days=days, hours=hours)


# --- the review -------------------------------------------------------------------------------------


def test_a_review_records_the_verdict_and_who_gave_it(desk, account):
    moment = MomentOfTruthFactory(organization=account)

    review = services.moment_review_save(
        actor=desk,
        touchpoint=moment,
        polarity="negative",
        recovered=True,
        notes="  Called back within the hour.  ",
        follow_up="Send a voucher",
    )

    assert review.touchpoint == moment
    assert review.polarity == "negative"
    assert review.recovered is True
    assert review.notes == "Called back within the hour."
    assert review.reviewed_by == desk


def test_reviewing_again_updates_the_one_review(owner, account):
    moment = MomentOfTruthFactory(organization=account)
    services.moment_review_save(actor=owner, touchpoint=moment, polarity="negative", recovered=False)

    services.moment_review_save(actor=owner, touchpoint=moment, polarity="negative", recovered=True)

    assert MomentReview.objects.filter(touchpoint=moment).count() == 1
    assert MomentReview.objects.get(touchpoint=moment).recovered is True


def test_a_positive_moment_cannot_be_recovered(owner, account):
    moment = MomentOfTruthFactory(organization=account, sentiment=2)

    with pytest.raises(ApplicationError) as error:
        services.moment_review_save(actor=owner, touchpoint=moment, polarity="positive", recovered=False)

    assert "recovered" in error.value.fields
    assert not MomentReview.objects.exists()


def test_a_touchpoint_that_is_no_moment_of_truth_has_nothing_to_review(owner, account):
    plain = TouchpointFactory(organization=account)

    with pytest.raises(ApplicationError) as error:
        services.moment_review_save(actor=owner, touchpoint=plain, polarity="positive")

    assert "touchpoint" in error.value.fields
    assert not MomentReview.objects.exists()


def test_an_unknown_polarity_is_refused(owner, account):
    with pytest.raises(ApplicationError) as error:
        services.moment_review_save(
            actor=owner, touchpoint=MomentOfTruthFactory(organization=account), polarity="meh"
        )

    assert "polarity" in error.value.fields


def test_an_analyst_may_not_review_and_an_outsider_learns_nothing(analyst, outsider, account):
    moment = MomentOfTruthFactory(organization=account)

    with pytest.raises(PermissionDenied):
        services.moment_review_save(actor=analyst, touchpoint=moment, polarity="negative")
    with pytest.raises(Http404):
        services.moment_review_save(actor=outsider, touchpoint=moment, polarity="negative")
    assert not MomentReview.objects.exists()


# --- the selector -----------------------------------------------------------------------------------


@pytest.fixture
def moments(account, other_account):
    reviewed = MomentOfTruthFactory(organization=account, occurred_at=ago(hours=1), step="co_create")
    MomentReviewFactory(touchpoint=reviewed, polarity="negative", recovered=True)
    happy = MomentOfTruthFactory(organization=account, occurred_at=ago(days=2), sentiment=2, step="onboard")
    MomentReviewFactory(touchpoint=happy, polarity="positive")
    to_review = MomentOfTruthFactory(
        organization=account, occurred_at=ago(days=3), sentiment=-1, step="co_create"
    )
    old = MomentOfTruthFactory(organization=account, occurred_at=ago(days=200), sentiment=1)
    TouchpointFactory(organization=account, occurred_at=ago(hours=2))  # not a moment of truth
    elsewhere = MomentOfTruthFactory(organization=other_account, occurred_at=ago(hours=1))
    return {"reviewed": reviewed, "happy": happy, "to_review": to_review, "old": old, "elsewhere": elsewhere}


def test_moments_are_those_of_visible_accounts_newest_first(owner, moments):
    rows = list(selectors.moments_of_truth(user=owner))

    assert rows == [moments["reviewed"], moments["happy"], moments["to_review"], moments["old"]]


def test_those_to_review_come_first_when_asked(owner, moments):
    rows = list(selectors.moments_of_truth(user=owner, to_review_first=True))

    assert rows == [moments["to_review"], moments["old"], moments["reviewed"], moments["happy"]]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"reviewed": "no"}, ["to_review", "old"]),
        ({"reviewed": "yes"}, ["reviewed", "happy"]),
        ({"polarity": "negative"}, ["reviewed", "to_review"]),
        ({"polarity": "positive"}, ["happy", "old"]),
        ({"step": "co_create"}, ["reviewed", "to_review"]),
        ({"days": 30}, ["reviewed", "happy", "to_review"]),
    ],
)
def test_the_filters(owner, moments, filters, expected):
    rows = list(selectors.moments_of_truth(user=owner, **filters))

    assert rows == [moments[name] for name in expected]


def test_the_figures_count_in_the_database(owner, moments):
    counts = selectors.moment_counts(user=owner)

    assert counts == {
        "total": 4,
        "to_review": 2,
        "positive": 1,
        "negative": 1,
        "recovered": 1,
        "recovery_pct": 100,
    }


def test_an_outsider_sees_none_of_the_accounts_moments(outsider, moments):
    assert list(selectors.moments_of_truth(user=outsider)) == [moments["elsewhere"]]


# --- the pages --------------------------------------------------------------------------------------


def test_the_list_shows_the_moments_and_their_review(client_as, moments):
    response = client_as("desk").get(LIST)

    text = response.content.decode()
    assert response.status_code == 200
    assert "To review" in text
    assert "recovered" in text
    assert "Northbank Savings" in text  # the desk sees every account
    assert text.index(f'id="moment-{moments["to_review"].pk}"') < text.index(
        f'id="moment-{moments["reviewed"].pk}"'
    )


def test_the_journey_map_link_by_step_filters_the_list(client_as, moments):
    response = client_as("owner").get(LIST, {"step": "onboard"})

    text = response.content.decode()
    assert f'id="moment-{moments["happy"].pk}"' in text
    assert f'id="moment-{moments["reviewed"].pk}"' not in text


def test_the_list_of_one_account(client_as, account, moments):
    response = client_as("desk").get(LIST, {"organization": account.pk})

    text = response.content.decode()
    assert "Moments of truth of Rentwheel Car Hire" in text
    assert "Northbank Savings" not in text


def test_the_filters_swap_only_the_results_with_htmx(client_as, moments):
    response = client_as("owner").get(LIST, {"reviewed": "no"}, HTTP_HX_REQUEST="true")

    text = response.content.decode()
    assert "<html" not in text
    assert f'id="moment-{moments["to_review"].pk}"' in text
    assert f'id="moment-{moments["happy"].pk}"' not in text


def test_the_list_reads_a_constant_number_of_queries(client_as, account, moments):
    client = client_as("desk")
    client.get(LIST)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    for index in range(12):
        moment = MomentOfTruthFactory(organization=account, occurred_at=ago(hours=5 + index))
        if index % 2:
            MomentReviewFactory(touchpoint=moment)

    with CaptureQueriesContext(connection) as many:
        response = client.get(LIST)

    assert response.status_code == 200
    assert len(many) == len(few)


def test_the_inline_review_form_swaps_its_row(client_as, moments):
    moment = moments["to_review"]

    response = client_as("owner").post(
        reverse("cocreation:moment_review", args=[moment.pk]),
        {"polarity": "negative", "recovered": "yes", "notes": "Apologised", "next": LIST},
        HTTP_HX_REQUEST="true",
    )

    text = response.content.decode()
    assert response.status_code == 200
    assert text.startswith(f'<tr id="moment-{moment.pk}">')
    assert "Review saved." in text
    assert MomentReview.objects.get(touchpoint=moment).recovered is True


def test_the_inline_review_form_with_errors_keeps_the_input(client_as, moments):
    moment = moments["happy"]

    response = client_as("owner").post(
        reverse("cocreation:moment_review", args=[moment.pk]),
        {"polarity": "positive", "recovered": "no", "notes": "Lovely call"},
        HTTP_HX_REQUEST="true",
    )

    text = response.content.decode()
    assert response.status_code == 400
    assert "Only a negative moment can be recovered" in text
    assert "Lovely call" in text
    assert MomentReview.objects.get(touchpoint=moment).polarity == "positive"
    assert MomentReview.objects.get(touchpoint=moment).recovered is None


def test_without_javascript_the_review_comes_back_to_the_list(client_as, moments):
    moment = moments["to_review"]
    back = f"{LIST}?reviewed=no"

    response = client_as("desk").post(
        reverse("cocreation:moment_review", args=[moment.pk]), {"polarity": "negative", "next": back}
    )

    assert response.status_code == 302
    assert response["Location"] == back
    assert MomentReview.objects.get(touchpoint=moment).reviewed_by.username == "desk"


def test_without_javascript_a_review_with_errors_shows_its_page(client_as, moments):
    response = client_as("desk").post(reverse("cocreation:moment_review", args=[moments["to_review"].pk]), {})

    assert response.status_code == 400
    assert "Say whether the moment was positive or negative." in response.content.decode()
    assert not MomentReview.objects.filter(touchpoint=moments["to_review"]).exists()


def test_a_review_never_sends_the_browser_to_another_site(client_as, moments):
    response = client_as("desk").post(
        reverse("cocreation:moment_review", args=[moments["to_review"].pk]),
        {"polarity": "negative", "next": "https://elsewhere.example/"},
    )

    assert response["Location"] == LIST


def test_a_touchpoint_that_is_no_moment_of_truth_has_no_review_page(client_as, account):
    plain = TouchpointFactory(organization=account)

    response = client_as("owner").get(reverse("cocreation:moment_review", args=[plain.pk]))

    assert response.status_code == 404
