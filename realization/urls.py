"""URLs of Realize (/realize/): the live journey map."""

from django.urls import path

from realization import views

app_name = "realization"
urlpatterns = [
    path("map/", views.journey_map, name="journey_map"),
    path("map/accounts/", views.account_lookup, name="account_lookup"),
]
