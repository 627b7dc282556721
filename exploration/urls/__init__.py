"""URLs of Explore, under /explore/ (the step's overview page itself lives in dsv/): one module per
subject."""

from exploration.urls import analyses, decisions, personas, segments

app_name = "exploration"
urlpatterns = [
    *segments.urlpatterns,
    *personas.urlpatterns,
    *analyses.urlpatterns,
    *decisions.urlpatterns,
]
