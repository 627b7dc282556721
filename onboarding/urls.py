"""URLs of the onboarding app (its pages arrive with its issue; the step overview lives in dsv/)."""

app_name = "onboarding"
urlpatterns: list = []
