"""Who may open which value review page, in one table: every page × every persona and an anonymous
visitor; then every form posted by each persona who may not write there (nothing changes), and the
same input from an administrator (it changes).

Reviews follow their account: outsiders get 404 (planning one for an account they do not see shows
the account search again, 400); analysts and desk agents read everything and change nothing (403);
integrators use the API. The forms are posted, so a GET of their address answers 405.
"""

from datetime import date

import pytest
from django.urls import reverse

from agreements.models import AgreementReview
from journeys.models import JourneyEvent
from realization.models import ReviewAction, ReviewBenefit, ValueReview
from tests.factories.realization import ReviewActionFactory, ReviewBenefitFactory, ValueReviewFactory
from tests.permissions import LOGIN, assert_answer, get_cases, post_cases

pytestmark = pytest.mark.django_db


def page(name, key=None, *, extra=None, query=""):
    def url(objects):
        args = [objects[key].pk] if key else []
        if extra:
            args.append(objects[extra].pk)
        path = reverse(f"realization:{name}", args=args)
        return f"{path}?{query(objects) if callable(query) else query}" if query else path

    return url


PAGES = {
    "review_list": page("review_list"),
    "review_new": page("review_new", query=lambda objects: f"organization={objects['account'].pk}"),
    "review_new_of_another_team": page(
        "review_new", query=lambda objects: f"organization={objects['other_account'].pk}"
    ),
    "review_detail": page("review_detail", "review"),
    "review_detail_of_another_team": page("review_detail", "other_review"),
    "review_edit": page("review_edit", "review"),
    "review_lines": page("review_lines", "prepared"),
    "review_notes": page("review_notes", "review"),
    "review_prepare": page("review_prepare", "review"),
    "review_transition": page("review_transition", "review"),
    "review_sign_off": page("review_sign_off", "held"),
    "review_action_add": page("review_action_add", "review"),
    "review_action_update": page("review_action_update", "held", extra="action"),
    "review_pack": page("review_pack", "review"),
    "review_pack_csv": page("review_pack_csv", "review"),
}

# fmt: off
#                                     anonymous owner teammate outsider desk analyst integrator admin
GET_TABLE = {
    "review_list":                       (LOGIN, 200, 200, 200, 200, 200, 403, 200),
    "review_new":                        (LOGIN, 200, 200, 400, 403, 403, 403, 200),
    "review_new_of_another_team":        (LOGIN, 400, 400, 200, 403, 403, 403, 200),
    "review_detail":                     (LOGIN, 200, 200, 404, 200, 200, 403, 200),
    "review_detail_of_another_team":     (LOGIN, 404, 404, 200, 200, 200, 403, 200),
    "review_edit":                       (LOGIN, 200, 200, 404, 403, 403, 403, 200),
    "review_lines":                      (LOGIN, 405, 405, 405, 405, 405, 403, 405),
    "review_notes":                      (LOGIN, 405, 405, 405, 405, 405, 403, 405),
    "review_prepare":                    (LOGIN, 405, 405, 405, 405, 405, 403, 405),
    "review_transition":                 (LOGIN, 405, 405, 405, 405, 405, 403, 405),
    "review_sign_off":                   (LOGIN, 405, 405, 405, 405, 405, 403, 405),
    "review_action_add":                 (LOGIN, 405, 405, 405, 405, 405, 403, 405),
    "review_action_update":              (LOGIN, 405, 405, 405, 405, 405, 403, 405),
    "review_pack":                       (LOGIN, 200, 200, 404, 200, 200, 403, 200),
    "review_pack_csv":                   (LOGIN, 200, 200, 404, 200, 200, 403, 200),
}
# fmt: on

FORMS = {
    "review_new": lambda objects: {"organization": objects["account"].pk, "scheduled_on": "2026-10-14"},
    "review_edit": lambda objects: {
        "title": "Renamed",
        "scheduled_on": "2026-10-20",
        "period_start": "2026-07-01",
        "period_end": "2026-09-30",
    },
    "review_lines": lambda objects: {f"benefit_{objects['line'].pk}_realized": "900"},
    "review_notes": lambda objects: {"decisions": "Keep the targets."},
    "review_prepare": lambda objects: {},
    "review_transition": lambda objects: {"to_status": "cancelled", "note": "Not needed."},
    "review_sign_off": lambda objects: {
        "sponsor": objects["sponsor"].pk,
        "signed_off_by_name": "Ana Ferreira",
    },
    "review_action_add": lambda objects: {"description": "Send the minutes"},
    "review_action_update": lambda objects: {"status": "done"},
}
REFUSED = {"anonymous": LOGIN, "outsider": 404, "desk": 403, "analyst": 403, "integrator": 403}
POST_TABLE = {name: REFUSED for name in FORMS} | {"review_new": {**REFUSED, "outsider": 400}}


@pytest.fixture
def objects(account, other_account, sponsor):
    planned = ValueReviewFactory(
        organization=account,
        period_start=date(2026, 7, 1),
        period_end=date(2026, 9, 30),
        scheduled_on=date(2026, 10, 14),
    )
    prepared = ValueReviewFactory(organization=account, status="prepared")
    held = ValueReviewFactory(
        organization=account, status="held", held_on=date(2026, 10, 14), sponsor=sponsor
    )
    return {
        "account": account,
        "other_account": other_account,
        "sponsor": sponsor,
        "review": planned,
        "prepared": prepared,
        "line": ReviewBenefitFactory(review=prepared, expected=1000),
        "held": held,
        "action": ReviewActionFactory(review=held),
        "other_review": ValueReviewFactory(organization=other_account),
    }


def everything_written():
    return {
        "reviews": list(
            ValueReview.objects.order_by("pk").values_list("pk", "updated_at", "status", "title")
        ),
        "lines": list(ReviewBenefit.objects.order_by("pk").values_list("pk", "realized")),
        "actions": list(ReviewAction.objects.order_by("pk").values_list("pk", "status")),
        "agreement reviews": AgreementReview.objects.count(),
        "events": JourneyEvent.objects.count(),
    }


def test_the_table_covers_every_page():
    from realization.urls import reviews

    assert {pattern.name for pattern in reviews.urlpatterns} == {
        name for name in GET_TABLE if not name.endswith("_of_another_team")
    }
    assert set(GET_TABLE) == set(PAGES)


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
def test_the_same_input_from_an_administrator_is_accepted(client_as, objects, page):
    before = everything_written()

    response = client_as("administrator").post(PAGES[page](objects), FORMS[page](objects))

    assert response.status_code == 302, response.content.decode()[:2000]
    assert everything_written() != before
