from django.apps import AppConfig


class CocreationConfig(AppConfig):
    name = "cocreation"
    verbose_name = "Co-create"
