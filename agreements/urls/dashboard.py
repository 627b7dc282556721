"""URLs of the SLA dashboard, under /agree/."""

from django.urls import path

from agreements.views import dashboard as views

urlpatterns = [
    path("", views.sla_dashboard, name="sla_dashboard"),
    path("accounts/<int:pk>/sla/", views.account_sla_dashboard, name="account_sla_dashboard"),
    path("sla/export.csv", views.sla_dashboard_export, name="sla_dashboard_export"),
]
