"""URLs of the realization app (its pages arrive with its issue; the step overview lives in dsv/)."""

app_name = "realization"
urlpatterns: list = []
