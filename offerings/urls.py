"""URLs of the offerings app (its pages arrive with its issue; the step overview lives in dsv/)."""

app_name = "offerings"
urlpatterns: list = []
