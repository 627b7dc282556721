"""URLs of the opportunity pipeline, under /offer/."""

from django.urls import path

from offerings.views import pipeline as views

urlpatterns = [
    path("pipeline/", views.pipeline, name="pipeline"),
    path("accounts/<int:pk>/pipeline/", views.account_pipeline, name="account_pipeline"),
    path("accounts/<int:pk>/opportunities/new/", views.opportunity_create, name="opportunity_create"),
    path("opportunities/<int:pk>/", views.opportunity_detail, name="opportunity_detail"),
    path("opportunities/<int:pk>/edit/", views.opportunity_edit, name="opportunity_edit"),
    path("opportunities/<int:pk>/delete/", views.opportunity_delete, name="opportunity_delete"),
    path("opportunities/<int:pk>/move/", views.opportunity_move, name="opportunity_move"),
]
