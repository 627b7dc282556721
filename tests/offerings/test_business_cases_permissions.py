"""Who may open which business case page, in one table: every page × every persona and an anonymous
visitor; then every write posted by each persona who may not write (nothing changes) and by the owner
(it writes). The rows of the pages belong in tests/dsv/test_permissions.py too, which covers the app.

A business case follows its account: outsiders get 404, as for a case that does not exist; the desk
and analysts read but may not write (403); integrators use the API, never the pages.
"""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from journeys.models import JourneyEvent
from offerings.models import (
    Assumption,
    BenefitLine,
    BusinessCase,
    BusinessCaseRisk,
    BusinessCaseStatus,
    CostLine,
)
from tests.factories.offerings import BenefitLineFactory, BusinessCaseFactory, CostLineFactory
from tests.permissions import LOGIN, assert_answer, get_cases, post_cases

pytestmark = pytest.mark.django_db


def offer(name, *keys, extra=()):
    return lambda objects: reverse(f"offerings:{name}", args=[*(objects[key].pk for key in keys), *extra])


PAGES = {
    "business_case_list": offer("business_case_list"),
    "business_case_create": offer("business_case_create"),
    "business_case_account_list": offer("business_case_account_list", "account"),
    "business_case_detail": offer("business_case_detail", "draft"),
    "business_case_edit": offer("business_case_edit", "draft"),
    "business_case_delete": offer("business_case_delete", "draft"),
    "business_case_new_version": offer("business_case_new_version", "approved"),
    "business_case_submit": offer("business_case_submit", "draft"),
    "business_case_withdraw": offer("business_case_withdraw", "submitted"),
    "business_case_approve": offer("business_case_approve", "submitted"),
    "business_case_reject": offer("business_case_reject", "submitted"),
    "business_case_line_add": offer("business_case_line_add", "draft", extra=["costs"]),
    "business_case_line_edit": lambda objects: reverse(
        "offerings:business_case_line_edit", args=[objects["draft"].pk, "costs", objects["cost"].pk]
    ),
    "business_case_line_remove": lambda objects: reverse(
        "offerings:business_case_line_remove", args=[objects["draft"].pk, "costs", objects["cost"].pk]
    ),
}

# fmt: off
#                                   anonymous owner teammate outsider desk analyst integrator admin
GET_TABLE = {
    "business_case_list":           (LOGIN, 200, 200, 200, 200, 200, 403, 200),
    "business_case_create":         (LOGIN, 200, 200, 200, 403, 403, 403, 200),
    "business_case_account_list":   (LOGIN, 200, 200, 404, 200, 200, 403, 200),
    "business_case_detail":         (LOGIN, 200, 200, 404, 200, 200, 403, 200),
    "business_case_edit":           (LOGIN, 200, 200, 404, 403, 403, 403, 200),
    "business_case_delete":         (LOGIN, 200, 200, 404, 403, 403, 403, 200),
    "business_case_new_version":    (LOGIN, 405, 405, 405, 405, 405, 403, 405),
    "business_case_submit":         (LOGIN, 405, 405, 405, 405, 405, 403, 405),
    "business_case_withdraw":       (LOGIN, 405, 405, 405, 405, 405, 403, 405),
    "business_case_approve":        (LOGIN, 405, 405, 405, 405, 405, 403, 405),
    "business_case_reject":         (LOGIN, 405, 405, 405, 405, 405, 403, 405),
    "business_case_line_add":       (LOGIN, 200, 200, 404, 403, 403, 403, 200),
    "business_case_line_edit":      (LOGIN, 200, 200, 404, 403, 403, 403, 200),
    "business_case_line_remove":    (LOGIN, 405, 405, 405, 405, 405, 403, 405),
}
# fmt: on

# Input each write would accept from someone allowed to make it.
FORMS = {
    "business_case_create": lambda objects: {
        "organization": objects["account"].pk,
        "title": "Print service",
        "perspective": "consumer",
        "discount_rate": "8",
        "horizon_years": "3",
    },
    "business_case_edit": lambda objects: {
        "title": "Renamed case",
        "perspective": "consumer",
        "discount_rate": "8",
        "horizon_years": "3",
    },
    "business_case_delete": lambda objects: {},
    "business_case_new_version": lambda objects: {},
    "business_case_submit": lambda objects: {},
    "business_case_withdraw": lambda objects: {},
    "business_case_approve": lambda objects: {"decision_note": "Agreed"},
    "business_case_reject": lambda objects: {"decision_note": "Too expensive"},
    "business_case_line_add": lambda objects: {
        "description": "Licences",
        "category": "usage",
        "expense_type": "opex",
        "recurrence": "one_off",
        "year": "1",
        "amount": "100",
    },
    "business_case_line_edit": lambda objects: {
        "description": "Renamed cost",
        "category": "investment",
        "expense_type": "capex",
        "recurrence": "one_off",
        "year": "0",
        "amount": "900",
    },
    "business_case_line_remove": lambda objects: {},
}

# What a write answers from each persona who may not make it. An outsider may start a case for an
# account of their own, but not for this one: the form refuses the account (400).
REFUSED = {"anonymous": LOGIN, "outsider": 404, "desk": 403, "analyst": 403, "integrator": 403}
POST_TABLE = {name: REFUSED for name in FORMS} | {"business_case_create": REFUSED | {"outsider": 400}}


@pytest.fixture
def objects(account, other_account):
    draft = BusinessCaseFactory(organization=account, title="Managed laptops")
    cost = CostLineFactory(business_case=draft, amount=Decimal("1000.00"))
    BenefitLineFactory(business_case=draft)
    approved = BusinessCaseFactory(
        organization=account, status=BusinessCaseStatus.APPROVED, approved_at=timezone.now(), is_baseline=True
    )
    submitted = BusinessCaseFactory(organization=account, status=BusinessCaseStatus.SUBMITTED)
    BenefitLineFactory(business_case=submitted)
    return {"account": account, "draft": draft, "cost": cost, "approved": approved, "submitted": submitted}


def everything_written():
    return {
        model.__name__: list(model.objects.order_by("pk").values_list("pk", "updated_at"))
        for model in (BusinessCase, CostLine, BenefitLine, BusinessCaseRisk, Assumption)
    } | {"events": JourneyEvent.objects.count()}


def test_the_table_covers_every_business_case_page():
    from offerings.urls import business_cases

    assert {pattern.name for pattern in business_cases.urlpatterns} == set(GET_TABLE) == set(PAGES)
    assert (
        set(POST_TABLE)
        == set(FORMS)
        == {name for name, row in GET_TABLE.items() if row[1] in (200, 405)}
        - {
            "business_case_list",
            "business_case_account_list",
            "business_case_detail",
        }
    )


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
