"""Who may open which Onboard page, in one table: every page × every persona and an anonymous visitor,
then every form posted by each persona who may not write (nothing changes) and by the owner (it
writes). The same rows belong in tests/dsv/test_permissions.py, which covers the app.

Plans follow their account: outsiders get 404 for its plans, goals and actions; the desk and analysts
read them but change nothing (unless they own an action, tests/onboarding/test_views.py); integrators
use the API. The board and "my actions" are open to every browser user and show each only theirs.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from journeys.models import JourneyEvent
from onboarding.models import ActionComment, ActionDependency, OnboardingPlan, PlanAction, PlanGoal
from tests.factories.onboarding import OnboardingPlanFactory, PlanActionFactory, PlanGoalFactory
from tests.permissions import LOGIN, assert_answer, get_cases, post_cases

pytestmark = pytest.mark.django_db


def onboard(name, *keys):
    return lambda objects: reverse(f"onboarding:{name}", args=[objects[key].pk for key in keys])


PAGES = {
    "board": onboard("board"),
    "my_actions": onboard("my_actions"),
    "account_plans": onboard("account_plans", "account"),
    "plan_create": onboard("plan_create", "account"),
    "plan_detail": onboard("plan_detail", "plan"),
    "plan_edit": onboard("plan_edit", "plan"),
    "plan_delete": onboard("plan_delete", "draft"),
    "plan_transition": onboard("plan_transition", "plan"),
    "plan_accept": onboard("plan_accept", "in_review"),
    "goal_create": onboard("goal_create", "plan"),
    "goal_edit": onboard("goal_edit", "goal"),
    "goal_delete": onboard("goal_delete", "goal"),
    "goal_evaluate": onboard("goal_evaluate", "goal"),
    "action_create": onboard("action_create", "plan"),
    "action_edit": onboard("action_edit", "action"),
    "action_delete": onboard("action_delete", "action"),
    "action_status": onboard("action_status", "action"),
    "action_comment": onboard("action_comment", "action"),
}

# What a GET answers (the delete pages ask for confirmation; status and comment are POSTs only).
# fmt: off
#                      anonymous owner teammate outsider desk analyst integrator admin
GET_TABLE = {
    "board":           (LOGIN, 200, 200, 200, 200, 200, 403, 200),
    "my_actions":      (LOGIN, 200, 200, 200, 200, 200, 403, 200),
    "account_plans":   (LOGIN, 200, 200, 404, 200, 200, 403, 200),
    "plan_create":     (LOGIN, 200, 200, 404, 403, 403, 403, 200),
    "plan_detail":     (LOGIN, 200, 200, 404, 200, 200, 403, 200),
    "plan_edit":       (LOGIN, 200, 200, 404, 403, 403, 403, 200),
    "plan_delete":     (LOGIN, 200, 200, 404, 403, 403, 403, 200),
    "plan_transition": (LOGIN, 200, 200, 404, 403, 403, 403, 200),
    "plan_accept":     (LOGIN, 200, 200, 404, 403, 403, 403, 200),
    "goal_create":     (LOGIN, 200, 200, 404, 403, 403, 403, 200),
    "goal_edit":       (LOGIN, 200, 200, 404, 403, 403, 403, 200),
    "goal_delete":     (LOGIN, 200, 200, 404, 403, 403, 403, 200),
    "goal_evaluate":   (LOGIN, 200, 200, 404, 403, 403, 403, 200),
    "action_create":   (LOGIN, 200, 200, 404, 403, 403, 403, 200),
    "action_edit":     (LOGIN, 200, 200, 404, 403, 403, 403, 200),
    "action_delete":   (LOGIN, 200, 200, 404, 403, 403, 403, 200),
    "action_status":   (LOGIN, 405, 405, 405, 405, 405, 403, 405),
    "action_comment":  (LOGIN, 405, 405, 405, 405, 405, 403, 405),
}
# fmt: on


def _day(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


# Form input each form would accept from someone allowed to use it.
FORMS = {
    "plan_create": lambda objects: {"title": "Onboarding the depots", "starts_on": _day(0)},
    "plan_edit": lambda objects: {
        "title": "Renamed plan",
        "starts_on": objects["plan"].starts_on.isoformat(),
    },
    "plan_transition": lambda objects: {"to_status": "on_hold", "note": "The customer moves offices."},
    "plan_accept": lambda objects: {"accepted_by": objects["sponsor"].pk},
    "goal_create": lambda objects: {
        "description": "Every depot books online",
        "metric": "Share of bookings made online",
        "target": "90 %",
        "target_date": _day(30),
    },
    "goal_edit": lambda objects: {
        "description": "Renamed goal",
        "metric": "Share of bookings made online",
        "target": "95 %",
        "target_date": _day(30),
    },
    "goal_evaluate": lambda objects: {"evaluation": "partially", "result": "70 %"},
    "action_create": lambda objects: {
        "title": "Train the depot leads",
        "owner_party": "provider",
        "due_on": _day(7),
    },
    "action_edit": lambda objects: {"title": "Renamed action", "owner_party": "provider", "due_on": _day(7)},
    "action_status": lambda objects: {"status": "in_progress"},
    "action_comment": lambda objects: {"body": "The room is booked."},
}

# What a POST answers from each persona who may not write there.
REFUSED = {"anonymous": LOGIN, "outsider": 404, "desk": 403, "analyst": 403, "integrator": 403}
POST_TABLE = dict.fromkeys(FORMS, REFUSED)
DELETES = ("plan_delete", "goal_delete", "action_delete")


@pytest.fixture
def objects(account, other_account, owner, sponsor):
    plan = OnboardingPlanFactory(organization=account, title="Onboarding Rentwheel", owner=owner)
    in_review = OnboardingPlanFactory(
        organization=account, title="Second branch", status="in_review", customer_contact=sponsor
    )
    PlanActionFactory(plan=in_review)
    return {
        "account": account,
        "sponsor": sponsor,
        "plan": plan,
        "in_review": in_review,
        "draft": OnboardingPlanFactory(organization=account, title="A draft", status="draft"),
        "goal": PlanGoalFactory(plan=plan, description="Every branch books online"),
        "action": PlanActionFactory(plan=plan, title="Set up the accounts"),
        "outsiders_plan": OnboardingPlanFactory(organization=other_account, title="Northbank onboarding"),
    }


def everything_written():
    return {
        "plans": list(OnboardingPlan.objects.order_by("pk").values_list("pk", "updated_at")),
        "goals": list(PlanGoal.objects.order_by("pk").values_list("pk", "updated_at")),
        "actions": list(PlanAction.objects.order_by("pk").values_list("pk", "updated_at")),
        "dependencies": ActionDependency.objects.count(),
        "comments": ActionComment.objects.count(),
        "events": JourneyEvent.objects.count(),
    }


def test_the_table_covers_every_onboard_page():
    from onboarding.urls import plans

    assert {pattern.name for pattern in plans.urlpatterns} == set(GET_TABLE) == set(PAGES)
    writes = ("_create", "_edit", "_transition", "_accept", "_evaluate", "_status", "_comment")
    form_pages = {name for name in GET_TABLE if name.endswith(writes)}
    assert form_pages == set(FORMS) == set(POST_TABLE)


@pytest.mark.parametrize(("page", "persona", "expected"), get_cases(GET_TABLE))
def test_who_may_open_which_page(client_as, objects, page, persona, expected):
    url = PAGES[page](objects)

    assert_answer(client_as(persona).get(url), expected, url)


@pytest.mark.parametrize(("page", "persona", "expected"), post_cases(POST_TABLE))
def test_a_persona_who_may_not_write_changes_nothing(client_as, objects, page, persona, expected):
    url = PAGES[page](objects)
    before = everything_written()

    response = client_as(persona).post(url, FORMS[page](objects))

    assert_answer(response, expected, url)
    assert everything_written() == before


@pytest.mark.parametrize("page", sorted(FORMS))
def test_the_same_input_from_the_owner_is_accepted(client_as, objects, page):
    """The refusals above come from the persona, not from the input: the owner's identical POST writes."""
    before = everything_written()

    response = client_as("owner").post(PAGES[page](objects), FORMS[page](objects))

    assert response.status_code == 302
    assert everything_written() != before


@pytest.mark.parametrize("page", DELETES)
@pytest.mark.parametrize(("persona", "expected"), list(REFUSED.items()))
def test_deleting_is_refused_to_those_who_may_not_write(client_as, objects, page, persona, expected):
    url = PAGES[page](objects)
    before = everything_written()

    response = client_as(persona).post(url)

    assert_answer(response, expected, url)
    assert everything_written() == before


@pytest.mark.parametrize("page", DELETES)
def test_deleting_is_open_to_the_owner(client_as, objects, page):
    before = everything_written()

    response = client_as("owner").post(PAGES[page](objects))

    assert response.status_code == 302
    assert everything_written() != before


@pytest.mark.parametrize("page", ["board", "my_actions"])
def test_the_pages_over_every_account_hide_an_outsiders_plans(client_as, objects, page):
    objects["outsiders_plan"].actions.create(
        title="Northbank kick-off", due_on=timezone.localdate(), owner_user=objects["outsiders_plan"].owner
    )

    text = client_as("owner").get(PAGES[page](objects)).content.decode()

    assert "Northbank" not in text
