"""URLs of the relationship assessments: an account's assessments, the questionnaire of each kind, one
assessment's results and its deletion."""

from django.urls import path

from relationships.views import assessments as views

urlpatterns = [
    path("accounts/<int:pk>/assessments/", views.assessment_list, name="assessment_list"),
    path("accounts/<int:pk>/assessments/new/<str:kind>/", views.assessment_create, name="assessment_create"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment_detail"),
    path("assessments/<int:pk>/delete/", views.assessment_delete, name="assessment_delete"),
]
