"""URLs of value reviews (/realize/reviews/)."""

from django.urls import path

from realization.views import reviews as views

urlpatterns = [
    path("reviews/", views.review_list, name="review_list"),
    path("reviews/new/", views.review_new, name="review_new"),
    path("reviews/<int:pk>/", views.review_detail, name="review_detail"),
    path("reviews/<int:pk>/edit/", views.review_edit, name="review_edit"),
    path("reviews/<int:pk>/lines/", views.review_lines, name="review_lines"),
    path("reviews/<int:pk>/notes/", views.review_notes, name="review_notes"),
    path("reviews/<int:pk>/prepare/", views.review_prepare, name="review_prepare"),
    path("reviews/<int:pk>/transition/", views.review_transition, name="review_transition"),
    path("reviews/<int:pk>/sign-off/", views.review_sign_off, name="review_sign_off"),
    path("reviews/<int:pk>/actions/", views.review_action_add, name="review_action_add"),
    path(
        "reviews/<int:pk>/actions/<int:action_pk>/", views.review_action_update, name="review_action_update"
    ),
    path("reviews/<int:pk>/pack/", views.review_pack, name="review_pack"),
    path("reviews/<int:pk>/pack.csv", views.review_pack_csv, name="review_pack_csv"),
]
