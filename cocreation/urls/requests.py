"""URLs of Co-create: requests and user queries."""

from django.urls import path

from cocreation.views import requests

urlpatterns = [
    path("requests/", requests.request_list, name="request_list"),
    path("requests/new/", requests.request_new, name="request_new"),
    path("requests/<int:pk>/", requests.request_detail, name="request_detail"),
    path("requests/<int:pk>/edit/", requests.request_edit, name="request_edit"),
    path("requests/<int:pk>/status/", requests.request_transition, name="request_transition"),
    path("requests/<int:pk>/notes/", requests.request_comment, name="request_comment"),
]
