from django.urls import path

from journeys import map_views, views

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

# Designed journey maps (journeys/map_views.py).
urlpatterns += [
    path("maps/", map_views.journey_map_list, name="journey_map_list"),
    path("maps/new/", map_views.journey_map_create, name="journey_map_create"),
    path("maps/<int:pk>/", map_views.journey_map_detail, name="journey_map_detail"),
    path("maps/<int:pk>/edit/", map_views.journey_map_edit, name="journey_map_edit"),
    path("maps/<int:pk>/delete/", map_views.journey_map_delete, name="journey_map_delete"),
    path("maps/<int:pk>/to-be/", map_views.journey_map_copy_to_be, name="journey_map_copy_to_be"),
    path("maps/<int:pk>/stages/new/", map_views.map_stage_create, name="map_stage_create"),
    path("maps/<int:pk>/stages/<int:stage_pk>/edit/", map_views.map_stage_edit, name="map_stage_edit"),
    path("maps/<int:pk>/stages/<int:stage_pk>/delete/", map_views.map_stage_delete, name="map_stage_delete"),
    path("maps/<int:pk>/stages/<int:stage_pk>/move/", map_views.map_stage_move, name="map_stage_move"),
]
