"""URLs of business cases, under /offer/. A version's rows are addressed by their kind: costs,
benefits, risks or assumptions."""

from django.urls import path

from offerings.views import business_cases as views

urlpatterns = [
    path("business-cases/", views.business_case_list, name="business_case_list"),
    path("business-cases/new/", views.business_case_create, name="business_case_create"),
    path(
        "accounts/<int:pk>/business-cases/",
        views.business_case_account_list,
        name="business_case_account_list",
    ),
    path("business-cases/<int:pk>/", views.business_case_detail, name="business_case_detail"),
    path("business-cases/<int:pk>/edit/", views.business_case_edit, name="business_case_edit"),
    path("business-cases/<int:pk>/delete/", views.business_case_delete, name="business_case_delete"),
    path(
        "business-cases/<int:pk>/new-version/",
        views.business_case_new_version,
        name="business_case_new_version",
    ),
    path("business-cases/<int:pk>/submit/", views.business_case_submit, name="business_case_submit"),
    path("business-cases/<int:pk>/withdraw/", views.business_case_withdraw, name="business_case_withdraw"),
    path("business-cases/<int:pk>/approve/", views.business_case_approve, name="business_case_approve"),
    path("business-cases/<int:pk>/reject/", views.business_case_reject, name="business_case_reject"),
    path(
        "business-cases/<int:pk>/<str:kind>/add/", views.business_case_line_add, name="business_case_line_add"
    ),
    path(
        "business-cases/<int:pk>/<str:kind>/<int:line_pk>/edit/",
        views.business_case_line_edit,
        name="business_case_line_edit",
    ),
    path(
        "business-cases/<int:pk>/<str:kind>/<int:line_pk>/remove/",
        views.business_case_line_remove,
        name="business_case_line_remove",
    ),
]
