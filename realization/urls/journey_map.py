"""URLs of the live journey map (/realize/map/)."""

from django.urls import path

from realization.views import journey_map as views

urlpatterns = [
    path("map/", views.journey_map, name="journey_map"),
    path("map/accounts/", views.account_lookup, name="account_lookup"),
]
