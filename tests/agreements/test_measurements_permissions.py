"""Who may open which measurement and compliance page, in one table: every page × every persona and an
anonymous visitor, then every form posted by each persona who may not write (nothing changes) and by
the owner (it writes). The same rows belong in tests/dsv/test_permissions.py, which covers the app.

Measurements belong to their target's account: outsiders get 404; the desk and analysts read the
target's page (and may download the import template) but record nothing; integrators use the API.
"""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agreements.models import AgreementStatus, Measurement, TargetScore
from journeys.models import JourneyEvent
from tests.factories.agreements import AgreementFactory, MeasurementFactory, ServiceLevelTargetFactory
from tests.permissions import LOGIN, assert_answer, get_cases, post_cases

pytestmark = pytest.mark.django_db


def agree(name, key):
    return lambda objects: reverse(f"agreements:{name}", args=[objects[key].pk])


PAGES = {
    "target_detail": agree("target_detail", "target"),
    "measurement_create": agree("measurement_create", "target"),
    "measurement_delete": agree("measurement_delete", "measurement"),
    "measurement_exclude": agree("measurement_exclude", "measurement"),
    "measurement_import": agree("measurement_import", "agreement"),
    "measurement_import_template": agree("measurement_import_template", "agreement"),
    "compliance_recompute": agree("compliance_recompute", "agreement"),
}

# What a GET answers (recomputing is a POST only).
# fmt: off
#                                  anonymous owner teammate outsider desk analyst integrator admin
GET_TABLE = {
    "target_detail":               (LOGIN, 200, 200, 404, 200, 200, 403, 200),
    "measurement_create":          (LOGIN, 200, 200, 404, 403, 403, 403, 200),
    "measurement_delete":          (LOGIN, 200, 200, 404, 403, 403, 403, 200),
    "measurement_exclude":         (LOGIN, 200, 200, 404, 403, 403, 403, 200),
    "measurement_import":          (LOGIN, 200, 200, 404, 403, 403, 403, 200),
    "measurement_import_template": (LOGIN, 200, 200, 404, 200, 200, 403, 200),
    "compliance_recompute":        (LOGIN, 405, 405, 405, 405, 405, 403, 405),
}
# fmt: on

# Input each form would accept from someone allowed to use it.
FORMS = {
    "measurement_create": lambda objects: {"measured_at": "2026-04-02T10:00", "value": "99.8"},
    "measurement_exclude": lambda objects: {"note": "Consumer's planned outage"},
    "measurement_import": lambda objects: {
        "csv_file": SimpleUploadedFile(
            "m.csv", f"target,measured_at,value\n{objects['target'].pk},2026-04-03T10:00:00Z,99.7\n".encode()
        )
    },
    "compliance_recompute": lambda objects: {},
}

# What a POST answers from each persona who may not write there.
REFUSED = {"anonymous": LOGIN, "outsider": 404, "desk": 403, "analyst": 403, "integrator": 403}
POST_TABLE = dict.fromkeys(FORMS, REFUSED)


@pytest.fixture
def objects(account, other_account, owner):
    agreement = AgreementFactory(
        organization=account,
        owner=owner,
        status=AgreementStatus.ACTIVE,
        starts_on=date(2026, 1, 1),
        ends_on=None,
    )
    target = ServiceLevelTargetFactory(agreement=agreement, name="Portal availability")
    measurement = MeasurementFactory(
        target=target, measured_at=datetime(2026, 4, 1, 10, tzinfo=UTC), value=Decimal("99.9")
    )
    return {"agreement": agreement, "target": target, "measurement": measurement}


def everything_written():
    return {
        "measurements": list(Measurement.objects.order_by("pk").values_list("pk", "updated_at", "excluded")),
        "scores": TargetScore.objects.count(),
        "events": JourneyEvent.objects.count(),
    }


def test_the_table_covers_every_measurement_and_compliance_page():
    from agreements.urls import compliance, measurements

    names = {pattern.name for pattern in [*measurements.urlpatterns, *compliance.urlpatterns]}
    assert names == set(GET_TABLE) == set(PAGES)
    form_pages = {name for name in GET_TABLE if name.endswith(("_create", "_edit"))}
    assert form_pages <= set(FORMS) == set(POST_TABLE)


@pytest.mark.parametrize(("page", "persona", "expected"), get_cases(GET_TABLE))
def test_who_may_open_which_page(client_as, objects, page, persona, expected):
    url = PAGES[page](objects)

    assert_answer(client_as(persona).get(url), expected, url)


@pytest.mark.parametrize(("page", "persona", "expected"), post_cases(POST_TABLE))
def test_a_persona_who_may_not_write_changes_nothing(
    client_as, objects, page, persona, expected, django_capture_on_commit_callbacks
):
    url = PAGES[page](objects)
    before = everything_written()

    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(persona).post(url, FORMS[page](objects))

    assert_answer(response, expected, url)
    assert everything_written() == before


@pytest.mark.parametrize("page", sorted(FORMS))
def test_the_same_input_from_the_owner_is_accepted(
    client_as, objects, page, django_capture_on_commit_callbacks
):
    """The refusals above come from the persona, not from the input: the owner's identical POST writes."""
    before = everything_written()

    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("owner").post(PAGES[page](objects), FORMS[page](objects))

    assert response.status_code == 302
    assert everything_written() != before


@pytest.mark.parametrize("persona", ["outsider", "desk", "analyst", "integrator"])
def test_deleting_is_refused_to_those_who_may_not_write(client_as, objects, persona):
    before = everything_written()

    response = client_as(persona).post(PAGES["measurement_delete"](objects))

    assert response.status_code == (404 if persona == "outsider" else 403)
    assert everything_written() == before


def test_the_owner_deletes(client_as, objects):
    response = client_as("owner").post(PAGES["measurement_delete"](objects))

    assert response.status_code == 302
    assert not Measurement.objects.exists()
