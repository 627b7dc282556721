"""URLs of the relationships app (its pages arrive with its issue; the step overview lives in dsv/)."""

app_name = "relationships"
urlpatterns: list = []
