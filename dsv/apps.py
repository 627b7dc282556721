from django.apps import AppConfig


class DsvConfig(AppConfig):
    name = "dsv"
    verbose_name = "DSV shell"
