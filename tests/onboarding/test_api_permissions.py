"""Who may do what through Onboard's API, in two tables: every read × every persona and an anonymous
caller, then every write by each of them (refused ones change nothing, allowed ones write).

Plans belong to their account: relationship managers of other teams get 404 (they learn nothing);
the desk and analysts read every account and write nothing (the desk 403 from the services, analysts
from the permission); integrators and administrators read and write every account.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from onboarding.api import actions as actions_api
from onboarding.api import goals as goals_api
from onboarding.api import plans as plans_api
from onboarding.models import (
    ActionComment,
    ActionDependency,
    OnboardingPlan,
    PlanAction,
    PlanGoal,
    PlanStatus,
)
from tests.factories.journeys import StakeholderFactory
from tests.factories.onboarding import (
    ActionCommentFactory,
    OnboardingPlanFactory,
    PlanActionFactory,
    PlanGoalFactory,
)
from tests.permissions import PERSONAS

pytestmark = pytest.mark.django_db


def onboard(name, key=None):
    """The route's URL for the objects (`key` names the one in the path); the route's name rides along."""

    def url(objects):
        return reverse(f"api_onboard_{name}", args=[objects[key].pk] if key else [])

    url.route = name
    return url


READS = {
    "plans": onboard("plans"),
    "plan": onboard("plan", "plan"),
    "plan_goals": onboard("plan_goals", "plan"),
    "goal": onboard("goal", "goal"),
    "plan_actions": onboard("plan_actions", "plan"),
    "actions": onboard("actions"),
    "action": onboard("action", "action"),
    "action_comments": onboard("action_comments", "action"),
}

# What a GET answers (lists answer 200 to everyone with a role, holding only what they may see).
# fmt: off
#                      anonymous owner teammate outsider desk analyst integrator admin
GET_TABLE = {
    "plans":           (401, 200, 200, 200, 200, 200, 200, 200),
    "plan":            (401, 200, 200, 404, 200, 200, 200, 200),
    "plan_goals":      (401, 200, 200, 404, 200, 200, 200, 200),
    "goal":            (401, 200, 200, 404, 200, 200, 200, 200),
    "plan_actions":    (401, 200, 200, 404, 200, 200, 200, 200),
    "actions":         (401, 200, 200, 200, 200, 200, 200, 200),
    "action":          (401, 200, 200, 404, 200, 200, 200, 200),
    "action_comments": (401, 200, 200, 404, 200, 200, 200, 200),
}
# fmt: on


def _due(objects) -> str:
    return (objects["plan"].starts_on + timedelta(days=7)).isoformat()


# name → (method, url, body, answer when allowed)
WRITES = {
    "plan_create": (
        "post",
        onboard("plans"),
        lambda objects: {
            "organization": objects["account"].pk,
            "title": "Onboarding",
            "starts_on": "2026-03-02",
        },
        201,
    ),
    "plan_update": ("patch", onboard("plan", "plan"), lambda objects: {"title": "Renamed"}, 200),
    "plan_delete": ("delete", onboard("plan", "plan"), lambda objects: None, 204),
    "plan_transition": (
        "post",
        onboard("plan_transition", "plan"),
        lambda objects: {"to_status": "cancelled", "note": "Not needed."},
        200,
    ),
    "plan_accept": (
        "post",
        onboard("plan_accept", "in_review"),
        lambda objects: {"accepted_by": objects["contact"].pk},
        200,
    ),
    "goal_create": (
        "post",
        onboard("plan_goals", "plan"),
        lambda objects: {
            "description": "Online",
            "metric": "Bookings",
            "target": "90 %",
            "target_date": _due(objects),
        },
        201,
    ),
    "goal_update": ("patch", onboard("goal", "goal"), lambda objects: {"target": "95 %"}, 200),
    "goal_delete": ("delete", onboard("goal", "goal"), lambda objects: None, 204),
    "goal_evaluate": (
        "post",
        onboard("goal_evaluate", "goal"),
        lambda objects: {"evaluation": "partially", "result": "70 %"},
        200,
    ),
    "action_create": (
        "post",
        onboard("plan_actions", "plan"),
        lambda objects: {"title": "Order badges", "due_on": _due(objects)},
        201,
    ),
    "action_update": ("patch", onboard("action", "action"), lambda objects: {"owner_role": "Trainer"}, 200),
    "action_delete": ("delete", onboard("action", "action"), lambda objects: None, 204),
    "action_status": (
        "post",
        onboard("action_status", "action"),
        lambda objects: {"status": "in_progress"},
        200,
    ),
    "action_comment": ("post", onboard("action_comments", "action"), lambda objects: {"body": "On it."}, 201),
}
# What a write answers to those who may not make it; the others get the answer of WRITES.
REFUSED = {"anonymous": 401, "outsider": 404, "desk": 403, "analyst": 403}
# An account the caller may not see is an unknown id in the body, not a missing URL.
REFUSED_BY_WRITE = {"plan_create": {**REFUSED, "outsider": 400}}
ALLOWED = ("owner", "teammate", "integrator", "administrator")


@pytest.fixture
def objects(account, owner):
    plan = OnboardingPlanFactory(organization=account, owner=owner, status=PlanStatus.DRAFT)
    action = PlanActionFactory(plan=plan)
    ActionCommentFactory(action=action)
    return {
        "account": account,
        "plan": plan,
        "in_review": OnboardingPlanFactory(organization=account, owner=owner, status=PlanStatus.IN_REVIEW),
        "contact": StakeholderFactory(organization=account, is_customer=True),
        "goal": PlanGoalFactory(plan=plan),
        "action": action,
    }


@pytest.fixture
def api_as(request, token_client, api_client):
    def make(persona):
        if persona == "anonymous":
            return api_client
        return token_client(request.getfixturevalue(persona))

    return make


def everything_written():
    return {
        "plans": list(OnboardingPlan.objects.order_by("pk").values_list("pk", "status", "updated_at")),
        "goals": list(PlanGoal.objects.order_by("pk").values_list("pk", "evaluation", "updated_at")),
        "actions": list(PlanAction.objects.order_by("pk").values_list("pk", "status", "updated_at")),
        "dependencies": ActionDependency.objects.count(),
        "comments": ActionComment.objects.count(),
    }


def test_the_tables_cover_every_onboard_route():
    routes = {
        pattern.name.removeprefix("api_onboard_")
        for module in (plans_api, goals_api, actions_api)
        for pattern in module.urlpatterns
    }

    assert set(GET_TABLE) == set(READS)
    assert routes == {url.route for url in READS.values()} | {url.route for _, url, *_ in WRITES.values()}


@pytest.mark.parametrize(
    ("read", "persona", "expected"),
    [
        pytest.param(read, persona, expected, id=f"{read}-{persona}")
        for read, row in GET_TABLE.items()
        for persona, expected in zip(PERSONAS, row, strict=True)
    ],
)
def test_who_may_read_what(api_as, objects, read, persona, expected):
    response = api_as(persona).get(READS[read](objects))

    assert response.status_code == expected
    if expected != 200:
        assert set(response.json()) == {"error"}


def test_lists_hold_nothing_of_an_account_the_caller_may_not_see(api_as, objects):
    client = api_as("outsider")

    assert client.get(READS["plans"](objects)).json()["results"] == []
    assert client.get(READS["actions"](objects)).json()["results"] == []


@pytest.mark.parametrize(
    ("write", "persona", "expected"),
    [
        pytest.param(write, persona, expected, id=f"{write}-{persona}")
        for write in WRITES
        for persona, expected in REFUSED_BY_WRITE.get(write, REFUSED).items()
    ],
)
def test_a_persona_who_may_not_write_changes_nothing(api_as, objects, write, persona, expected):
    method, url, body, _answer = WRITES[write]
    before = everything_written()

    response = getattr(api_as(persona), method)(url(objects), body(objects), format="json")

    assert response.status_code == expected
    assert set(response.json()) == {"error"}
    assert everything_written() == before


@pytest.mark.parametrize(
    ("write", "persona"),
    [pytest.param(write, persona, id=f"{write}-{persona}") for write in WRITES for persona in ALLOWED],
)
def test_the_same_write_from_those_who_may_is_made(api_as, objects, write, persona):
    """The refusals above come from the persona, not from the input: the same request writes."""
    method, url, body, answer = WRITES[write]
    before = everything_written()

    response = getattr(api_as(persona), method)(url(objects), body(objects), format="json")

    assert response.status_code == answer, response.content
    assert everything_written() != before


def test_the_desk_may_move_an_action_it_owns_but_nothing_else(api_as, desk, objects):
    mine = PlanActionFactory(plan=objects["plan"], owner_user=desk, due_on=timezone.localdate())
    client = api_as("desk")

    moved = client.post(
        reverse("api_onboard_action_status", args=[mine.pk]), {"status": "done"}, format="json"
    )
    renamed = client.patch(reverse("api_onboard_action", args=[mine.pk]), {"title": "x"}, format="json")

    assert moved.status_code == 200 and moved.json()["status"] == "done"
    assert renamed.status_code == 403
