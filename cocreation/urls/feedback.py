"""URLs of Co-create: feedback and the review of moments of truth."""

from django.urls import path

from cocreation.views import feedback, moments

urlpatterns = [
    path("feedback/", feedback.feedback_list, name="feedback_list"),
    path("feedback/new/", feedback.feedback_new, name="feedback_new"),
    path("feedback/<int:pk>/", feedback.feedback_detail, name="feedback_detail"),
    path("feedback/<int:pk>/status/", feedback.feedback_transition, name="feedback_transition"),
    path("moments/", moments.moment_list, name="moment_list"),
    path("moments/<int:pk>/review/", moments.moment_review, name="moment_review"),
]
