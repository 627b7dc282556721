from django.apps import AppConfig


class JourneysConfig(AppConfig):
    name = "journeys"
    verbose_name = "Journeys"

    def ready(self) -> None:
        # Connect the receivers that keep the account summaries current.
        from journeys import summaries  # noqa: F401
