"""URLs of Agree: the compliance engine, under /agree/."""

from django.urls import path

from agreements.views import compliance as views

urlpatterns = [
    path(
        "agreements/<int:pk>/compliance/recompute/", views.compliance_recompute, name="compliance_recompute"
    ),
]
