"""URLs of Agree: a target's page and its measurements, under /agree/."""

from django.urls import path

from agreements.views import measurements as views

urlpatterns = [
    path("targets/<int:pk>/", views.target_detail, name="target_detail"),
    path("targets/<int:pk>/measurements/new/", views.measurement_create, name="measurement_create"),
    path("measurements/<int:pk>/delete/", views.measurement_delete, name="measurement_delete"),
    path("measurements/<int:pk>/exclude/", views.measurement_exclude, name="measurement_exclude"),
    path("agreements/<int:pk>/measurements/import/", views.measurement_import, name="measurement_import"),
    path(
        "agreements/<int:pk>/measurements/template.csv",
        views.measurement_import_template,
        name="measurement_import_template",
    ),
]
