from django.urls import path

from journeys import views

urlpatterns = [
    path("organizations/", views.organization_list, name="organization_list"),
    path("organizations/new/", views.organization_create, name="organization_create"),
    path("organizations/<int:pk>/edit/", views.organization_edit, name="organization_edit"),
    path(
        "organizations/<int:organization_pk>/stakeholders/new/",
        views.stakeholder_create,
        name="stakeholder_create",
    ),
    path("stakeholders/<int:pk>/edit/", views.stakeholder_edit, name="stakeholder_edit"),
    path(
        "organizations/<int:organization_pk>/touchpoints/new/",
        views.touchpoint_create,
        name="touchpoint_create",
    ),
    path("organizations/<int:organization_pk>/journeys/new/", views.journey_start, name="journey_start"),
    path("journeys/<int:pk>/move/", views.journey_move, name="journey_move"),
]
