"""URLs of the agreements app (its pages arrive with its issue; the step overview lives in dsv/)."""

app_name = "agreements"
urlpatterns: list = []
