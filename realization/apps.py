from django.apps import AppConfig


class RealizationConfig(AppConfig):
    name = "realization"
    verbose_name = "Realize"
