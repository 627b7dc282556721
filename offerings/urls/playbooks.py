"""URLs of onboarding playbooks, under /offer/: the list, a new playbook of an offering, one playbook
and its template actions."""

from django.urls import path

from offerings.views import playbooks as views

urlpatterns = [
    path("playbooks/", views.playbook_list, name="playbook_list"),
    path("offerings/<int:pk>/playbooks/new/", views.playbook_create, name="playbook_create"),
    path("playbooks/<int:pk>/", views.playbook_detail, name="playbook_detail"),
    path("playbooks/<int:pk>/edit/", views.playbook_edit, name="playbook_edit"),
    path("playbooks/<int:pk>/delete/", views.playbook_delete, name="playbook_delete"),
    path("playbooks/<int:pk>/actions/", views.playbook_action_add, name="playbook_action_add"),
    path(
        "playbooks/<int:pk>/actions/<int:action_pk>/edit/",
        views.playbook_action_edit,
        name="playbook_action_edit",
    ),
    path(
        "playbooks/<int:pk>/actions/<int:action_pk>/move/",
        views.playbook_action_move,
        name="playbook_action_move",
    ),
    path(
        "playbooks/<int:pk>/actions/<int:action_pk>/remove/",
        views.playbook_action_remove,
        name="playbook_action_remove",
    ),
]
