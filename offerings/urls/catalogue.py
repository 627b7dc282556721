"""URLs of the service catalogue, under /offer/: the catalogue, services, offerings with their
components, tiers, value propositions and linked journeys."""

from django.urls import path

from offerings.views import catalogue as views

urlpatterns = [
    path("catalogue/", views.catalogue, name="catalogue"),
    path("services/new/", views.service_create, name="service_create"),
    path("services/<int:pk>/", views.service_detail, name="service_detail"),
    path("services/<int:pk>/edit/", views.service_edit, name="service_edit"),
    path("services/<int:pk>/delete/", views.service_delete, name="service_delete"),
    path("offerings/new/", views.offering_create, name="offering_create"),
    path("offerings/<int:pk>/", views.offering_detail, name="offering_detail"),
    path("offerings/<int:pk>/edit/", views.offering_edit, name="offering_edit"),
    path("offerings/<int:pk>/delete/", views.offering_delete, name="offering_delete"),
    path("offerings/<int:pk>/publish/", views.offering_publish, name="offering_publish"),
    path("offerings/<int:pk>/retire/", views.offering_retire, name="offering_retire"),
    path("offerings/<int:pk>/components/", views.offering_component_add, name="offering_component_add"),
    path(
        "offerings/<int:pk>/components/<int:component_pk>/edit/",
        views.offering_component_edit,
        name="offering_component_edit",
    ),
    path(
        "offerings/<int:pk>/components/<int:component_pk>/remove/",
        views.offering_component_remove,
        name="offering_component_remove",
    ),
    path("offerings/<int:pk>/tiers/", views.engagement_tier_add, name="engagement_tier_add"),
    path(
        "offerings/<int:pk>/tiers/<int:tier_pk>/edit/",
        views.engagement_tier_edit,
        name="engagement_tier_edit",
    ),
    path(
        "offerings/<int:pk>/tiers/<int:tier_pk>/move/",
        views.engagement_tier_move,
        name="engagement_tier_move",
    ),
    path(
        "offerings/<int:pk>/tiers/<int:tier_pk>/remove/",
        views.engagement_tier_remove,
        name="engagement_tier_remove",
    ),
    path(
        "offerings/<int:pk>/propositions/new/",
        views.value_proposition_create,
        name="value_proposition_create",
    ),
    path(
        "offerings/<int:pk>/propositions/<int:proposition_pk>/edit/",
        views.value_proposition_edit,
        name="value_proposition_edit",
    ),
    path(
        "offerings/<int:pk>/propositions/<int:proposition_pk>/delete/",
        views.value_proposition_delete,
        name="value_proposition_delete",
    ),
    path("offerings/<int:pk>/journeys/", views.offering_journey_link, name="offering_journey_link"),
    path(
        "offerings/<int:pk>/journeys/candidates/",
        views.offering_journey_candidates,
        name="offering_journey_candidates",
    ),
    path(
        "offerings/<int:pk>/journeys/<int:journey_pk>/unlink/",
        views.offering_journey_unlink,
        name="offering_journey_unlink",
    ),
]
