"""Every Agree model registered in the admin opens: its list (with a row), its change page and its
add form."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.factories.agreements import (
    AgreementReviewFactory,
    BreachFactory,
    BusinessCalendarFactory,
    CalendarClosureFactory,
    MeasurementFactory,
    ScorecardFactory,
    ServiceLevelTargetFactory,
    TargetScoreFactory,
)
from tests.factories.journeys import UserFactory

pytestmark = pytest.mark.django_db

AGREE_MODELS = [model for model in admin.site._registry if model._meta.app_label == "agreements"]


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(username="superuser", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def rows():
    calendar = BusinessCalendarFactory(office_hours=True)
    CalendarClosureFactory(calendar=calendar)
    target = ServiceLevelTargetFactory(calendar=calendar)
    AgreementReviewFactory(agreement=target.agreement)
    MeasurementFactory(target=target)
    TargetScoreFactory(target=target)
    ScorecardFactory(agreement=target.agreement)
    BreachFactory(target=target)


def test_the_main_agree_models_are_registered_and_the_rest_edited_inline():
    assert {model.__name__ for model in AGREE_MODELS} == {
        "BusinessCalendar",
        "Agreement",
        "AgreementReview",
        "ServiceLevelTarget",
        "Measurement",
        "TargetScore",
        "Scorecard",
        "Breach",
    }


@pytest.mark.parametrize("model", AGREE_MODELS, ids=lambda model: model.__name__)
def test_the_admin_list_change_and_add_pages_open(staff_client, rows, model):
    name = f"admin:agreements_{model._meta.model_name}"
    row = model.objects.first()

    assert staff_client.get(reverse(f"{name}_changelist")).status_code == 200
    assert staff_client.get(reverse(f"{name}_add")).status_code == 200
    assert staff_client.get(reverse(f"{name}_change", args=[row.pk])).status_code == 200
