"""URLs of Engage, under /relationships/: one module per subject."""

from relationships.urls import assessments, grid, relationship

app_name = "relationships"
urlpatterns = [*grid.urlpatterns, *relationship.urlpatterns, *assessments.urlpatterns]
