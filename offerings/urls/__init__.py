"""URLs of Offer, under /offer/: one module per subject."""

from offerings.urls import business_cases, catalogue, demand, pipeline, playbooks, requirements

app_name = "offerings"
urlpatterns = [
    *catalogue.urlpatterns,
    *playbooks.urlpatterns,
    *requirements.urlpatterns,
    *pipeline.urlpatterns,
    *business_cases.urlpatterns,
    *demand.urlpatterns,
]
