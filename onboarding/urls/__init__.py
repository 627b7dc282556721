"""URLs of Onboard under /onboard/ (namespace "onboarding"): each subject's module lists its own."""

from onboarding.urls import links, plans

app_name = "onboarding"
urlpatterns = [*plans.urlpatterns, *links.urlpatterns]
