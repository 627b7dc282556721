"""URLs of Co-create: the service desk console."""

from django.urls import path

from cocreation.views import console

urlpatterns: list = [
    path("desk/", console.console, name="console"),
    path("desk/accounts/<int:pk>/panel/", console.console_panel, name="console_panel"),
    path("desk/log/", console.console_log, name="console_log"),
]
