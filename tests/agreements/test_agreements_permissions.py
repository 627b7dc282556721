"""Who may open which agreement page, in one table: every page × every persona and an anonymous
visitor, then every form posted by each persona who may not write (nothing changes) and by the owner
(it writes). The same rows belong in tests/dsv/test_permissions.py, which covers the app.

Agreements belong to their account: outsiders get 404 for the account's pages and see none of its
agreements on the list of all accounts; the desk and analysts read; integrators use the API.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.models import Agreement, AgreementReview, ServiceLevelTarget
from journeys.models import JourneyEvent
from tests.factories.agreements import AgreementFactory, ServiceLevelTargetFactory
from tests.permissions import LOGIN, assert_answer, get_cases, post_cases

pytestmark = pytest.mark.django_db


def agree(name, *keys):
    return lambda objects: reverse(f"agreements:{name}", args=[objects[key].pk for key in keys])


PAGES = {
    "agreement_list": agree("agreement_list"),
    "account_agreements": agree("account_agreements", "account"),
    "agreement_create": agree("agreement_create", "account"),
    "agreement_detail": agree("agreement_detail", "agreement"),
    "agreement_edit": agree("agreement_edit", "agreement"),
    "agreement_delete": agree("agreement_delete", "draft"),
    "agreement_transition": agree("agreement_transition", "agreement"),
    "agreement_review_create": agree("agreement_review_create", "agreement"),
}

# What a GET answers (the transition page is the form that asks why an agreement is terminated).
# fmt: off
#                              anonymous owner teammate outsider desk analyst integrator admin
GET_TABLE = {
    "agreement_list":          (LOGIN, 200, 200, 200, 200, 200, 403, 200),
    "account_agreements":      (LOGIN, 200, 200, 404, 200, 200, 403, 200),
    "agreement_create":        (LOGIN, 200, 200, 404, 403, 403, 403, 200),
    "agreement_detail":        (LOGIN, 200, 200, 404, 200, 200, 403, 200),
    "agreement_edit":          (LOGIN, 200, 200, 404, 403, 403, 403, 200),
    "agreement_delete":        (LOGIN, 200, 200, 404, 403, 403, 403, 200),
    "agreement_transition":    (LOGIN, 200, 200, 404, 403, 403, 403, 200),
    "agreement_review_create": (LOGIN, 200, 200, 404, 403, 403, 403, 200),
}
# fmt: on

# Form input each form would accept from someone allowed to use it.
FORMS = {
    "agreement_create": lambda objects: {
        "title": "Kiosk XLA",
        "form": "agreement_based",
        "kind": "experience_based",
        "review_cadence": "quarterly",
    },
    "agreement_edit": lambda objects: {
        "title": "Renamed SLA",
        "form": "agreement_based",
        "kind": "sla",
        "review_cadence": "quarterly",
        "starts_on": objects["agreement"].starts_on.isoformat(),
    },
    "agreement_transition": lambda objects: {"status": "terminated", "reason": "The fleet was sold."},
    "agreement_review_create": lambda objects: {
        "held_on": timezone.localdate().isoformat(),
        "outcome": "continue",
        "summary": "Held up well.",
    },
}

# What a POST answers from each persona who may not write there.
REFUSED = {"anonymous": LOGIN, "outsider": 404, "desk": 403, "analyst": 403, "integrator": 403}
POST_TABLE = dict.fromkeys(FORMS, REFUSED)


@pytest.fixture
def objects(account, other_account):
    today = timezone.localdate()
    agreement = AgreementFactory(
        organization=account, title="Fleet SLA", status="active", ends_on=today + timedelta(days=90)
    )
    ServiceLevelTargetFactory(agreement=agreement)
    return {
        "account": account,
        "agreement": agreement,
        "draft": AgreementFactory(organization=account, title="Draft SLA"),
    }


def everything_written():
    return {
        "agreements": list(Agreement.objects.order_by("pk").values_list("pk", "updated_at")),
        "targets": list(ServiceLevelTarget.objects.order_by("pk").values_list("pk", "updated_at")),
        "reviews": AgreementReview.objects.count(),
        "events": JourneyEvent.objects.count(),
    }


def test_the_table_covers_every_agreement_page():
    from agreements.urls import agreements

    assert {pattern.name for pattern in agreements.urlpatterns} == set(GET_TABLE) == set(PAGES)
    form_pages = {name for name in GET_TABLE if name.endswith(("_create", "_edit", "_transition"))}
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


@pytest.mark.parametrize("persona", ["outsider", "desk", "analyst"])
def test_deleting_is_refused_to_those_who_may_not_write(client_as, objects, persona):
    before = everything_written()

    response = client_as(persona).post(PAGES["agreement_delete"](objects))

    assert response.status_code == (404 if persona == "outsider" else 403)
    assert everything_written() == before


def test_the_list_of_all_accounts_hides_an_outsiders_agreements(client_as, objects):
    response = client_as("outsider").get(PAGES["agreement_list"](objects))

    assert "Fleet SLA" not in response.content.decode()
