"""The page a consumer's owner reaches from their reminder: opened without an account, it shows the
action and lets them mark it done or comment, once. A used, expired, handed-over or tampered link, or
a done refused because the action still waits for another, gets a clear page and changes nothing."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from onboarding.models import ActionComment, ActionStatus
from onboarding.services import action_reminders_send, link_issue
from tests.factories.journeys import StakeholderFactory
from tests.factories.onboarding import (
    ActionDependencyFactory,
    ConsumerActionFactory,
    OnboardingPlanFactory,
    PlanActionFactory,
)

pytestmark = pytest.mark.django_db

BASE = "https://dsv.example.com"


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.DSV_BASE_URL = BASE


@pytest.fixture
def person(account):
    return StakeholderFactory(organization=account, name="Iris Baker", email="iris@rentwheel.example")


@pytest.fixture
def plan(account):
    return OnboardingPlanFactory(organization=account, title="Fleet booking roll-out")


@pytest.fixture
def action(plan, person):
    return ConsumerActionFactory(
        plan=plan,
        owner_stakeholder=person,
        title="Name the branch super-users",
        description="One per branch, with their e-mail address.",
        due_on=timezone.localdate() + timedelta(days=1),
    )


def address(action) -> str:
    """The path of a fresh link for the action's owner."""
    return reverse("onboarding:action_link", args=[link_issue(action=action)[1]])


def mailed_path() -> str:
    """The path of the link in the one e-mail sent."""
    [message] = mail.outbox
    url = re.search(rf"{re.escape(BASE)}(/onboard/link/\S+)", message.body).group(1)
    html = message.alternatives[0][0]
    assert f'href="{BASE}{url}"' in html
    return url


def test_the_link_in_the_reminder_lets_the_owner_mark_the_action_done(client, action, person):
    action_reminders_send()
    path = mailed_path()

    page = client.get(path)

    assert page.status_code == 200
    text = page.content.decode()
    for expected in (
        "Name the branch super-users",
        "Fleet booking roll-out",
        "Rentwheel Car Hire",
        "One per branch, with their e-mail address.",
        f"{action.due_on:%-d %B %Y}",
        "Planned",
        "Mark as done",
        "Send comment",
    ):
        assert expected in text

    done = client.post(path, {"action": "done", "evidence": "List sent to the service desk."})

    assert done.status_code == 200
    assert "Thank you" in done.content.decode()
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    assert action.completed_by_stakeholder == person
    assert action.completed_by is None
    assert action.evidence == "List sent to the service desk."
    link = action.links.get()
    assert (link.used_for, link.used_at is not None) == ("done", True)


def test_a_used_link_is_refused_and_changes_nothing(client, action):
    path = address(action)
    client.post(path, {"action": "done"})
    action.refresh_from_db()
    completed_at = action.completed_at

    again = client.get(path)
    posted = client.post(path, {"action": "comment", "body": "One more thing."})

    assert again.status_code == posted.status_code == 410
    assert "already used" in posted.content.decode()
    assert "Nothing was changed." in posted.content.decode()
    action.refresh_from_db()
    assert action.completed_at == completed_at
    assert not ActionComment.objects.exists()


def test_an_expired_link_is_refused(client, action):
    link, token = link_issue(action=action)
    link.expires_at = timezone.now() - timedelta(minutes=1)
    link.save()
    path = reverse("onboarding:action_link", args=[token])

    page = client.get(path)
    posted = client.post(path, {"action": "done"})

    assert page.status_code == posted.status_code == 410
    assert "expired" in page.content.decode()
    action.refresh_from_db()
    assert action.status == ActionStatus.PLANNED


def test_a_tampered_link_is_not_found(client, action):
    token = link_issue(action=action)[1]
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")

    page = client.get(reverse("onboarding:action_link", args=[forged]))
    posted = client.post(reverse("onboarding:action_link", args=[forged]), {"action": "done"})

    assert page.status_code == posted.status_code == 404
    assert "not valid" in page.content.decode()
    assert "Name the branch super-users" not in page.content.decode()
    action.refresh_from_db()
    assert action.status == ActionStatus.PLANNED


def test_a_link_for_a_handed_over_action_is_refused(client, action, account):
    path = address(action)
    action.owner_stakeholder = StakeholderFactory(organization=account)
    action.save()

    page = client.get(path)

    assert page.status_code == 410
    assert "someone else" in page.content.decode()


def test_done_is_refused_while_a_dependency_is_open(client, action, plan):
    ActionDependencyFactory(
        action=action, depends_on=PlanActionFactory(plan=plan, title="Create the VPN accounts")
    )
    path = address(action)

    page = client.get(path)
    assert page.status_code == 200
    assert "It waits for" in page.content.decode() and "Create the VPN accounts" in page.content.decode()
    assert 'value="done"' not in page.content.decode()

    posted = client.post(path, {"action": "done", "evidence": "Done, I think."})

    assert posted.status_code == 409
    text = posted.content.decode()
    assert "Create the VPN accounts" in text and "still open" in text
    action.refresh_from_db()
    assert (action.status, action.evidence) == (ActionStatus.PLANNED, "")
    assert action.links.get().used_at is None


def test_the_owner_may_comment_through_the_link(client, action, person):
    path = address(action)

    posted = client.post(path, {"action": "comment", "body": "Two branches still need a name."})

    assert posted.status_code == 200
    assert "Your comment" in posted.content.decode()
    comment = ActionComment.objects.get()
    assert (comment.action, comment.author_stakeholder, comment.body) == (
        action,
        person,
        "Two branches still need a name.",
    )
    assert action.links.get().used_for == "comment"


def test_an_empty_comment_is_refused_next_to_its_field(client, action):
    path = address(action)

    posted = client.post(path, {"action": "comment", "body": "  "})

    assert posted.status_code == 400
    assert 'id="id_body_error"' in posted.content.decode()
    assert not ActionComment.objects.exists()
    assert action.links.get().used_at is None


def test_an_unknown_answer_is_refused(client, action):
    posted = client.post(address(action), {"action": "delete"})

    assert posted.status_code == 400
    assert action.links.get().used_at is None


def test_a_done_action_offers_only_a_comment(client, action):
    action.status = ActionStatus.DONE
    action.save()

    page = client.get(address(action))

    assert page.status_code == 200
    assert "already marked done" in page.content.decode()
    assert 'value="done"' not in page.content.decode()


def test_the_page_opens_for_a_logged_out_visitor_without_the_app_navigation(client, action):
    page = client.get(address(action))

    assert page.status_code == 200
    assert "site-header" not in page.content.decode()
    assert reverse("service_desk") not in page.content.decode()
    assert page["Cache-Control"].startswith("max-age=0")


def test_csrf_protects_the_answers_of_anonymous_visitors(action):
    browser = Client(enforce_csrf_checks=True)
    path = address(action)

    forged = browser.post(path, {"action": "comment", "body": "From elsewhere."})
    assert forged.status_code == 403

    page = browser.get(path)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    posted = browser.post(path, {"action": "comment", "body": "From the page.", "csrfmiddlewaretoken": token})

    assert posted.status_code == 200
    assert list(ActionComment.objects.values_list("body", flat=True)) == ["From the page."]


def test_the_form_fields_are_labelled(client, action):
    text = client.get(address(action)).content.decode()

    assert '<label for="id_evidence">' in text and 'id="id_evidence"' in text
    assert '<label for="id_body">' in text and 'id="id_body"' in text
