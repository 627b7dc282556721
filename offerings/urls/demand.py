"""URLs of the offerings' patterns of business activity (demand profiles), under /offer/. A profile is
addressed by its source: computed or entered."""

from django.urls import path

from offerings.views import demand as views

urlpatterns = [
    path("offerings/<int:pk>/demand/", views.demand_profile, name="demand_profile"),
    path("offerings/<int:pk>/demand/enter/", views.demand_profile_enter, name="demand_profile_enter"),
    path(
        "offerings/<int:pk>/demand/recompute/",
        views.demand_profile_recompute,
        name="demand_profile_recompute",
    ),
    path(
        "offerings/<int:pk>/demand/<str:source>/describe/",
        views.demand_profile_describe,
        name="demand_profile_describe",
    ),
    path(
        "offerings/<int:pk>/demand/<str:source>/remove/",
        views.demand_profile_remove,
        name="demand_profile_remove",
    ),
]
