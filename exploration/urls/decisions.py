"""URLs of the decision matrices (comparing providers or options), under /explore/decisions/."""

from django.urls import path

from exploration.views import decisions as views

urlpatterns = [
    path("decisions/", views.decision_list, name="decision_list"),
    path("decisions/new/", views.decision_create, name="decision_create"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision_detail"),
    path("decisions/<int:pk>/edit/", views.decision_edit, name="decision_edit"),
    path("decisions/<int:pk>/delete/", views.decision_delete, name="decision_delete"),
    path("decisions/<int:pk>/grid/", views.decision_grid_save, name="decision_grid_save"),
    path("decisions/<int:pk>/criteria/", views.decision_criterion_add, name="decision_criterion_add"),
    path(
        "decisions/<int:pk>/criteria/<int:criterion_pk>/remove/",
        views.decision_criterion_remove,
        name="decision_criterion_remove",
    ),
    path("decisions/<int:pk>/options/", views.decision_option_add, name="decision_option_add"),
    path(
        "decisions/<int:pk>/options/<int:option_pk>/remove/",
        views.decision_option_remove,
        name="decision_option_remove",
    ),
]
