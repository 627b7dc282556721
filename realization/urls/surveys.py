"""URLs of Realize's survey pages (/realize/surveys/, /realize/responses/, /realize/follow-ups/)."""

from django.urls import path

from realization.views import surveys as views

urlpatterns = [
    path("surveys/", views.survey_list, name="survey_list"),
    path("surveys/new/", views.survey_new, name="survey_new"),
    path("surveys/<int:pk>/", views.survey_detail, name="survey_detail"),
    path("surveys/<int:pk>/edit/", views.survey_edit, name="survey_edit"),
    path("surveys/<int:pk>/test/", views.survey_test, name="survey_test"),
    path("surveys/<int:pk>/send/", views.survey_send, name="survey_send"),
    path("responses/", views.response_list, name="response_list"),
    path("follow-ups/", views.follow_up_list, name="follow_up_list"),
    path("follow-ups/<int:pk>/", views.follow_up_detail, name="follow_up_detail"),
    path("follow-ups/<int:pk>/close/", views.follow_up_close, name="follow_up_close"),
]
