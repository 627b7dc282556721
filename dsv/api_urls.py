"""/api/v1/: the versioned REST API and its OpenAPI schema and documentation (readable by anyone: the
source is public, so the schema reveals nothing the code does not)."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.permissions import AllowAny

from agreements.api import agreements as agreements_agreements_api
from agreements.api import calendars as agreements_calendars_api
from agreements.api import compliance as agreements_compliance_api
from agreements.api import dashboard as agreements_dashboard_api
from agreements.api import measurements as agreements_measurements_api
from agreements.api import targets as agreements_targets_api
from cocreation.api import communities as cocreation_communities_api
from cocreation.api import feedback as cocreation_feedback_api
from cocreation.api import requests as cocreation_requests_api
from exploration.api import analyses as exploration_analyses_api
from exploration.api import decisions as exploration_decisions_api
from exploration.api import personas as exploration_personas_api
from exploration.api import segments as exploration_segments_api
from journeys import api as journeys_api
from journeys import api_maps as journeys_maps_api
from offerings.api import business_cases as offerings_business_cases_api
from offerings.api import catalogue as offerings_catalogue_api
from offerings.api import demand as offerings_demand_api
from offerings.api import pipeline as offerings_pipeline_api
from offerings.api import playbooks as offerings_playbooks_api
from offerings.api import requirements as offerings_requirements_api
from onboarding.api import actions as onboarding_actions_api
from onboarding.api import goals as onboarding_goals_api
from onboarding.api import plans as onboarding_plans_api
from realization.api import metrics as realization_metrics_api
from realization.api import reviews as realization_reviews_api
from realization.api import surveys as realization_surveys_api
from relationships.api import assessments as relationships_assessments_api
from relationships.api import grid as relationships_grid_api
from relationships.api import relationship as relationships_relationship_api

public = {"permission_classes": [AllowAny], "authentication_classes": []}

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(**public), name="api_schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api_schema", **public), name="api_docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api_schema", **public), name="api_redoc"),
    # The journey spine.
    path("organizations/", journeys_api.OrganizationCollectionApi.as_view(), name="api_organizations"),
    path("organizations/<int:pk>/", journeys_api.OrganizationItemApi.as_view(), name="api_organization"),
    path(
        "organizations/external/<str:external_id>/",
        journeys_api.OrganizationUpsertApi.as_view(),
        name="api_organization_upsert",
    ),
    path("stakeholders/", journeys_api.StakeholderCollectionApi.as_view(), name="api_stakeholders"),
    path("stakeholders/<int:pk>/", journeys_api.StakeholderItemApi.as_view(), name="api_stakeholder"),
    path(
        "stakeholders/external/<str:external_id>/",
        journeys_api.StakeholderUpsertApi.as_view(),
        name="api_stakeholder_upsert",
    ),
    path("journeys/", journeys_api.JourneyCollectionApi.as_view(), name="api_journeys"),
    path("journeys/<int:pk>/", journeys_api.JourneyItemApi.as_view(), name="api_journey"),
    path("journeys/<int:pk>/move/", journeys_api.JourneyMoveApi.as_view(), name="api_journey_move"),
    path(
        "journeys/external/<str:external_id>/",
        journeys_api.JourneyUpsertApi.as_view(),
        name="api_journey_upsert",
    ),
    path("touchpoints/", journeys_api.TouchpointCollectionApi.as_view(), name="api_touchpoints"),
    path("touchpoints/<int:pk>/", journeys_api.TouchpointItemApi.as_view(), name="api_touchpoint"),
    path(
        "touchpoints/external/<str:external_id>/",
        journeys_api.TouchpointUpsertApi.as_view(),
        name="api_touchpoint_upsert",
    ),
    *journeys_maps_api.urlpatterns,
]
# Explore, Engage, Offer, Agree and Onboard: each module lists its own routes.
urlpatterns += [
    *exploration_segments_api.urlpatterns,
    *exploration_personas_api.urlpatterns,
    *exploration_analyses_api.urlpatterns,
    *exploration_decisions_api.urlpatterns,
    *relationships_grid_api.urlpatterns,
    *relationships_relationship_api.urlpatterns,
    *relationships_assessments_api.urlpatterns,
    *offerings_catalogue_api.urlpatterns,
    *offerings_playbooks_api.urlpatterns,
    *offerings_requirements_api.urlpatterns,
    *offerings_pipeline_api.urlpatterns,
    *offerings_business_cases_api.urlpatterns,
    *offerings_demand_api.urlpatterns,
    *agreements_agreements_api.urlpatterns,
    *agreements_targets_api.urlpatterns,
    *agreements_measurements_api.urlpatterns,
    *agreements_compliance_api.urlpatterns,
    *agreements_dashboard_api.urlpatterns,
    *agreements_calendars_api.urlpatterns,
    *onboarding_plans_api.urlpatterns,
    *onboarding_goals_api.urlpatterns,
    *onboarding_actions_api.urlpatterns,
    # Co-create.
    *cocreation_requests_api.urlpatterns,
    *cocreation_feedback_api.urlpatterns,
    *cocreation_communities_api.urlpatterns,
    # Realize.
    *realization_surveys_api.urlpatterns,
    *realization_metrics_api.urlpatterns,
    *realization_reviews_api.urlpatterns,
]
