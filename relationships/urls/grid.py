"""URLs of the relationships app (Engage): the stakeholder grid and the moves made on it."""

from django.urls import path

from relationships.views import grid as views

urlpatterns = [
    path("accounts/<int:pk>/grid/", views.stakeholder_grid, name="stakeholder_grid"),
    path("stakeholders/<int:pk>/grid-move/", views.stakeholder_grid_move, name="stakeholder_grid_move"),
]
