from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from dsv import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("accounts/<int:pk>/", views.account_detail, name="account_detail"),
    path("accounts/<int:pk>/panels/<str:panel>/", views.account_panel, name="account_panel"),
    path("steps/<str:step>/", views.step_overview, name="step_overview"),
    path("service-desk/", views.service_desk, name="service_desk"),
    path("value/", views.value_overview, name="value_overview"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("journeys.urls")),
    path("explore/", include("exploration.urls")),
    path("relationships/", include("relationships.urls")),
    path("offer/", include("offerings.urls")),
    path("agree/", include("agreements.urls")),
    path("onboard/", include("onboarding.urls")),
    path("co-create/", include("cocreation.urls")),
    path("realize/", include("realization.urls")),
    path("s/", include(("realization.urls.public", "survey"))),
    path("api/v1/", include("dsv.api_urls")),
    path("admin/", admin.site.urls),
]
