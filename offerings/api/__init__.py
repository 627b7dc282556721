"""REST API of Offer (/api/v1/), one module per subject; each module lists its own `urlpatterns`."""
