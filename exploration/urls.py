"""URLs of the exploration app (its pages arrive with its issue; the step overview lives in dsv/)."""

app_name = "exploration"
urlpatterns: list = []
