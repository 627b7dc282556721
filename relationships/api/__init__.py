"""REST API of the app (/api/v1/), one module per subject; each module lists its own `urlpatterns`."""
