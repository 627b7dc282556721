"""URLs of the cocreation app (its pages arrive with its issue; the step overview lives in dsv/)."""

app_name = "cocreation"
urlpatterns: list = []
