"""URLs of Co-create (/co-create/): the service desk console, requests, feedback, moments of truth and
user communities, one module per subject."""

from cocreation.urls import communities, console, feedback, requests

app_name = "cocreation"
urlpatterns = [
    *console.urlpatterns,
    *requests.urlpatterns,
    *feedback.urlpatterns,
    *communities.urlpatterns,
]
