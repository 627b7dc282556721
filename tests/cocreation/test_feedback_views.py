"""The feedback pages: the list with its figures and filters (HTMX swaps the results), recording
feedback from an account (about a touchpoint when opened from one), and handling it on its page (HTMX
swaps the status region; without it the browser comes back). Bad input comes back on the form naming
the field, with nothing saved."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cocreation.models import Feedback
from journeys.models import JourneyEvent, Touchpoint
from tests.factories.cocreation_feedback import FeedbackFactory
from tests.factories.journeys import StakeholderFactory, TouchpointFactory

pytestmark = pytest.mark.django_db

LIST = reverse("cocreation:feedback_list")
NEW = reverse("cocreation:feedback_new")


def nothing_written():
    return (Feedback.objects.count(), Touchpoint.objects.count(), JourneyEvent.objects.count())


@pytest.fixture
def feedback(account, other_account, sponsor):
    return {
        "complaint": FeedbackFactory(
            organization=account,
            kind="complaint",
            sentiment=-2,
            stakeholder=sponsor,
            text="Invoices are wrong.",
        ),
        "compliment": FeedbackFactory(
            organization=account,
            kind="compliment",
            sentiment=2,
            status="closed",
            anonymous=True,
            text="The new app is a joy.",
            received_at=timezone.now() - timedelta(days=2),
        ),
        "elsewhere": FeedbackFactory(organization=other_account, text="Northbank wants paper statements."),
    }


# --- the list ---------------------------------------------------------------------------------------


def test_the_list_shows_feedback_with_its_figures(client_as, feedback):
    response = client_as("owner").get(LIST)

    text = response.content.decode()
    assert response.status_code == 200
    assert "Invoices are wrong." in text
    assert "Anonymous" in text
    assert "Ana Ferreira" in text
    assert "Northbank" not in text
    assert response.context["counts"] == {
        "open": 1,
        "unacknowledged": 1,
        "complaints_open": 1,
        "compliments_recent": 1,
    }


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ({"status": "open"}, "Invoices are wrong.", "The new app is a joy."),
        ({"status": "closed"}, "The new app is a joy.", "Invoices are wrong."),
        ({"kind": "compliment"}, "The new app is a joy.", "Invoices are wrong."),
        ({"unacknowledged": "on"}, "Invoices are wrong.", "The new app is a joy."),
    ],
)
def test_the_filters(client_as, feedback, query, shown, hidden):
    text = client_as("desk").get(LIST, query).content.decode()

    assert shown in text
    assert hidden not in text


def test_the_list_of_one_account(client_as, account, feedback):
    text = client_as("desk").get(LIST, {"organization": account.pk}).content.decode()

    assert "Feedback from Rentwheel Car Hire" in text
    assert "Northbank" not in text


def test_the_filters_swap_only_the_results_with_htmx(client_as, feedback):
    response = client_as("desk").get(LIST, {"kind": "complaint"}, HTTP_HX_REQUEST="true")

    text = response.content.decode()
    assert "<html" not in text
    assert "Invoices are wrong." in text
    assert "Northbank" not in text


def test_the_list_reads_a_constant_number_of_queries(client_as, account, feedback):
    client = client_as("desk")
    client.get(LIST)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    for index in range(15):
        FeedbackFactory(
            organization=account,
            stakeholder=StakeholderFactory(organization=account),
            status="acknowledged" if index % 2 else "received",
        )

    with CaptureQueriesContext(connection) as many:
        response = client.get(LIST)

    assert response.status_code == 200
    assert len(many) == len(few)


# --- recording feedback -----------------------------------------------------------------------------


def test_without_an_account_the_page_finds_one(client_as, account):
    response = client_as("desk").get(NEW, {"q": "rentw"})

    text = response.content.decode()
    assert response.status_code == 200
    assert f"{NEW}?organization={account.pk}" in text


def test_feedback_is_recorded_with_a_new_touchpoint(client_as, account, sponsor):
    response = client_as("desk").post(
        f"{NEW}?organization={account.pk}",
        {
            "kind": "suggestion",
            "text": "Let us download all invoices at once.",
            "sentiment": "1",
            "source": "customer",
            "stakeholder": sponsor.pk,
            "channel": "email",
        },
    )

    recorded = Feedback.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cocreation:feedback_detail", args=[recorded.pk])
    assert recorded.stakeholder == sponsor
    assert recorded.touchpoint.kind == "feedback"
    assert recorded.touchpoint.channel == "email"
    assert recorded.created_by.username == "desk"


def test_feedback_about_a_touchpoint_is_linked_to_it(client_as, account):
    touchpoint = TouchpointFactory(organization=account, summary="Called about the outage")
    url = f"{NEW}?organization={account.pk}&touchpoint={touchpoint.pk}"

    page = client_as("owner").get(url).content.decode()
    response = client_as("owner").post(
        url,
        {
            "kind": "complaint",
            "text": "Third time.",
            "sentiment": "-2",
            "source": "user",
            "touchpoint": touchpoint.pk,
        },
    )

    assert "Called about the outage" in page
    assert 'name="channel"' not in page
    assert response.status_code == 302
    assert Feedback.objects.get().touchpoint == touchpoint
    assert Touchpoint.objects.count() == 1


def test_a_sentiment_out_of_range_comes_back_on_the_form(client_as, account):
    before = nothing_written()

    response = client_as("desk").post(
        f"{NEW}?organization={account.pk}",
        {"kind": "complaint", "text": "Slow.", "sentiment": "5", "source": "user", "channel": "email"},
    )

    assert response.status_code == 400
    assert response.context["form"].errors["sentiment"] == [
        "Pick a whole number from −2 (very negative) to +2 (very positive)."
    ]
    assert nothing_written() == before


def test_a_touchpoint_of_another_account_comes_back_on_the_form(client_as, account, other_account):
    elsewhere = TouchpointFactory(organization=other_account)
    before = nothing_written()

    response = client_as("desk").post(
        f"{NEW}?organization={account.pk}&touchpoint={elsewhere.pk}",
        {"kind": "comment", "text": "Fine.", "sentiment": "0", "source": "user", "touchpoint": elsewhere.pk},
    )

    assert response.status_code == 400
    assert response.context["form"].errors["touchpoint"] == [
        "This touchpoint belongs to another organization."
    ]
    assert "This touchpoint belongs to another organization." in response.content.decode()
    assert nothing_written() == before


def test_anonymous_feedback_with_a_person_comes_back_on_the_form(client_as, account, sponsor):
    before = nothing_written()

    response = client_as("owner").post(
        f"{NEW}?organization={account.pk}",
        {
            "kind": "complaint",
            "text": "Keep my name out.",
            "sentiment": "-1",
            "source": "user",
            "stakeholder": sponsor.pk,
            "anonymous": "on",
            "channel": "email",
        },
    )

    assert response.status_code == 400
    assert response.context["form"].errors["stakeholder"] == [
        "Anonymous feedback records no person: leave the person out, or do not mark it anonymous."
    ]
    assert nothing_written() == before


def test_feedback_needs_a_channel_when_no_touchpoint_is_given(client_as, account):
    response = client_as("owner").post(
        f"{NEW}?organization={account.pk}",
        {"kind": "comment", "text": "Hi.", "sentiment": "0", "source": "user"},
    )

    assert response.status_code == 400
    assert "channel" in response.context["form"].errors
    assert not Feedback.objects.exists()


# --- handling ---------------------------------------------------------------------------------------


def test_the_page_shows_the_feedback_and_what_can_be_done(client_as, feedback):
    response = client_as("desk").get(reverse("cocreation:feedback_detail", args=[feedback["complaint"].pk]))

    text = response.content.decode()
    assert "Invoices are wrong." in text
    assert "Acknowledge: I take it on" in text
    assert "Record the answer" not in text


def test_an_analyst_reads_the_page_without_its_forms(client_as, feedback):
    text = (
        client_as("analyst")
        .get(reverse("cocreation:feedback_detail", args=[feedback["complaint"].pk]))
        .content
    )

    assert b"Invoices are wrong." in text
    assert b"Acknowledge: I take it on" not in text


def test_acknowledging_with_htmx_swaps_the_status_region(client_as, feedback):
    item = feedback["complaint"]

    response = client_as("teammate").post(
        reverse("cocreation:feedback_transition", args=[item.pk]),
        {"to_status": "acknowledged"},
        HTTP_HX_REQUEST="true",
    )

    text = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in text
    assert "Acknowledged: it is yours to answer." in text
    assert "Record the answer" in text
    assert Feedback.objects.get(pk=item.pk).acknowledged_by.username == "teammate"


def test_without_javascript_the_browser_comes_back_to_the_page(client_as, feedback):
    item = feedback["complaint"]

    response = client_as("desk").post(
        reverse("cocreation:feedback_transition", args=[item.pk]), {"to_status": "acknowledged"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("cocreation:feedback_detail", args=[item.pk])


def test_an_answer_without_text_is_refused_next_to_the_form(client_as, feedback):
    item = feedback["complaint"]
    Feedback.objects.filter(pk=item.pk).update(status="acknowledged")

    response = client_as("desk").post(
        reverse("cocreation:feedback_transition", args=[item.pk]),
        {"to_status": "responded", "response": " "},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 400
    assert "Our answer: This is needed" in response.content.decode()
    assert Feedback.objects.get(pk=item.pk).status == "acknowledged"


def test_a_move_that_skips_a_step_is_refused_with_409(client_as, feedback):
    item = feedback["complaint"]

    response = client_as("desk").post(
        reverse("cocreation:feedback_transition", args=[item.pk]), {"to_status": "closed"}
    )

    assert response.status_code == 409
    assert "cannot move to “closed”" in response.content.decode()
    assert Feedback.objects.get(pk=item.pk).status == "received"


def test_answering_then_closing(client_as, feedback):
    item = feedback["complaint"]
    client = client_as("owner")
    url = reverse("cocreation:feedback_transition", args=[item.pk])

    client.post(url, {"to_status": "acknowledged"})
    client.post(url, {"to_status": "responded", "response": "We corrected the invoices and credited you."})
    client.post(url, {"to_status": "closed"})

    closed = Feedback.objects.get(pk=item.pk)
    assert closed.status == "closed"
    assert closed.response == "We corrected the invoices and credited you."
    page = client.get(reverse("cocreation:feedback_detail", args=[item.pk])).content.decode()
    assert "We corrected the invoices" in page
    assert "Closed: nothing more to do." in page
