"""URLs of a consumer's requirements and their board, under /offer/."""

from django.urls import path

from offerings.views import requirements as views

urlpatterns = [
    path("accounts/<int:pk>/requirements/", views.requirement_board, name="requirement_board"),
    path("accounts/<int:pk>/requirements/new/", views.requirement_create, name="requirement_create"),
    path("accounts/<int:pk>/requirements/move/", views.requirement_board_move, name="requirement_board_move"),
    path(
        "accounts/<int:pk>/requirements/rank-by-wsjf/",
        views.requirement_rank_by_wsjf,
        name="requirement_rank_by_wsjf",
    ),
    path("requirements/<int:pk>/", views.requirement_detail, name="requirement_detail"),
    path("requirements/<int:pk>/edit/", views.requirement_edit, name="requirement_edit"),
    path("requirements/<int:pk>/delete/", views.requirement_delete, name="requirement_delete"),
]
