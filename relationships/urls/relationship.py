"""URLs of the service relationship pages (Engage), under /relationships/. The portfolio of
relationships at the root is Engage's landing page."""

from django.urls import path

from relationships.views import relationship as views

urlpatterns = [
    path("", views.relationship_list, name="relationship_list"),
    path("types/", views.relationship_types, name="relationship_types"),
    path("accounts/<int:pk>/", views.relationship_detail, name="relationship_detail"),
    path("accounts/<int:pk>/types/", views.relationship_set_types, name="relationship_set_types"),
    path("accounts/<int:pk>/ladder/<str:step>/", views.ladder_step_update, name="ladder_step_update"),
    path("accounts/<int:pk>/communication/", views.communication_plans, name="communication_plans"),
    path(
        "stakeholders/<int:pk>/communication-plan/",
        views.communication_plan_set,
        name="communication_plan_set",
    ),
    path(
        "stakeholders/<int:pk>/communication-plan/remove/",
        views.communication_plan_remove,
        name="communication_plan_remove",
    ),
]
