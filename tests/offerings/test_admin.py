"""Every Offer model registered in the admin opens: its list (with a row) and its add form."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.factories.journeys import UserFactory
from tests.factories.offerings import (
    AssumptionFactory,
    BenefitLineFactory,
    BusinessCaseRiskFactory,
    CostLineFactory,
    DemandProfileCellFactory,
    EngagementTierFactory,
    OfferingComponentFactory,
    OfferingJourneyFactory,
    OpportunityFactory,
    PlaybookActionDependencyFactory,
    RequirementFactory,
    ValuePropositionFactory,
)

pytestmark = pytest.mark.django_db

OFFER_MODELS = [model for model in admin.site._registry if model._meta.app_label == "offerings"]


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(username="superuser", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def rows():
    for factory in (
        OfferingComponentFactory,
        EngagementTierFactory,
        ValuePropositionFactory,
        OfferingJourneyFactory,
        RequirementFactory,
        DemandProfileCellFactory,
        OpportunityFactory,
        CostLineFactory,
        BenefitLineFactory,
        BusinessCaseRiskFactory,
        AssumptionFactory,
        PlaybookActionDependencyFactory,
    ):
        factory()


def test_the_main_offer_models_are_registered_and_the_rest_edited_inline():
    assert {model.__name__ for model in OFFER_MODELS} == {
        "Service",
        "ServiceOffering",
        "ValueProposition",
        "Requirement",
        "DemandProfile",
        "Opportunity",
        "BusinessCase",
        "OnboardingPlaybook",
        "PlaybookAction",
    }


@pytest.mark.parametrize("model", OFFER_MODELS, ids=lambda model: model.__name__)
def test_the_admin_list_change_and_add_pages_open(staff_client, rows, model):
    name = f"admin:offerings_{model._meta.model_name}"
    row = model.objects.first()

    assert staff_client.get(reverse(f"{name}_changelist")).status_code == 200
    assert staff_client.get(reverse(f"{name}_add")).status_code == 200
    assert staff_client.get(reverse(f"{name}_change", args=[row.pk])).status_code == 200
