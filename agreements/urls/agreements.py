"""URLs of Agree: agreements, under /agree/."""

from django.urls import path

from agreements.views import agreements as views

urlpatterns = [
    path("agreements/", views.agreement_list, name="agreement_list"),
    path("accounts/<int:pk>/agreements/", views.account_agreements, name="account_agreements"),
    path("accounts/<int:pk>/agreements/new/", views.agreement_create, name="agreement_create"),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path("agreements/<int:pk>/edit/", views.agreement_edit, name="agreement_edit"),
    path("agreements/<int:pk>/delete/", views.agreement_delete, name="agreement_delete"),
    path("agreements/<int:pk>/transition/", views.agreement_transition, name="agreement_transition"),
    path("agreements/<int:pk>/reviews/new/", views.agreement_review_create, name="agreement_review_create"),
]
