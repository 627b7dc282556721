"""URLs of Onboard: the signed link a consumer's owner of an action answers through, without an
account (the token is the permission; see onboarding.views.links)."""

from django.urls import path

from onboarding.views import links

urlpatterns = [
    path("link/<str:token>/", links.action_link, name="action_link"),
]
