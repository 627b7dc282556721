"""URLs of the value metrics (/realize/value/): the portfolio's dashboard, the accounts of a health
band, one account's value page, and the health policy."""

from django.urls import path

from realization.views import value as views

urlpatterns = [
    path("value/", views.value_dashboard, name="value_dashboard"),
    path("value/accounts/", views.value_accounts, name="value_accounts"),
    path("value/accounts/<int:pk>/", views.account_value, name="account_value"),
    path("value/policy/", views.health_policy, name="health_policy"),
]
