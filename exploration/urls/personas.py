"""URLs of personas with their scenarios, and of jobs to be done."""

from django.urls import path

from exploration.views import personas as views

urlpatterns = [
    path("personas/", views.persona_list, name="persona_list"),
    path("personas/new/", views.persona_create, name="persona_create"),
    path("personas/<int:pk>/", views.persona_detail, name="persona_detail"),
    path("personas/<int:pk>/edit/", views.persona_edit, name="persona_edit"),
    path("personas/<int:pk>/delete/", views.persona_delete, name="persona_delete"),
    path("personas/<int:pk>/scenarios/new/", views.scenario_create, name="scenario_create"),
    path("personas/<int:pk>/scenarios/<int:scenario_pk>/edit/", views.scenario_edit, name="scenario_edit"),
    path(
        "personas/<int:pk>/scenarios/<int:scenario_pk>/delete/",
        views.scenario_delete,
        name="scenario_delete",
    ),
    path("jobs/", views.job_list, name="job_list"),
    path("jobs/new/", views.job_create, name="job_create"),
    path("jobs/<int:pk>/edit/", views.job_edit, name="job_edit"),
    path("jobs/<int:pk>/delete/", views.job_delete, name="job_delete"),
]
