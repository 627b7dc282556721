"""URLs of Realize (/realize/): the live journey map, surveys, the value dashboard and value reviews, one
module per subject. The survey pages people reach from their e-mail (no login) are in
`realization.urls.public`, mounted at /s/ by the project."""

from realization.urls import journey_map, reviews, surveys, value

app_name = "realization"
urlpatterns = [
    *journey_map.urlpatterns,
    *surveys.urlpatterns,
    *value.urlpatterns,
    *reviews.urlpatterns,
]
