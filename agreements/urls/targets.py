"""URLs of Agree: service level targets, under /agree/ (a target's own page is with the measurements)."""

from django.urls import path

from agreements.views import targets as views

urlpatterns = [
    path("agreements/<int:pk>/targets/new/", views.target_create, name="target_create"),
    path("targets/<int:pk>/edit/", views.target_edit, name="target_edit"),
    path("targets/<int:pk>/toggle/", views.target_toggle, name="target_toggle"),
]
