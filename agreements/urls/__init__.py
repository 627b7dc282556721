"""URLs of Agree, under /agree/: one module per subject."""

from agreements.urls import agreements, calendars, compliance, dashboard, measurements, targets

app_name = "agreements"
urlpatterns = [
    *dashboard.urlpatterns,
    *agreements.urlpatterns,
    *targets.urlpatterns,
    *measurements.urlpatterns,
    *compliance.urlpatterns,
    *calendars.urlpatterns,
]
