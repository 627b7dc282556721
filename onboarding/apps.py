from django.apps import AppConfig


class OnboardingConfig(AppConfig):
    name = "onboarding"
    verbose_name = "Onboard"

    def ready(self) -> None:
        # Registers the subscriber that makes an agreement's onboarding plan when it becomes active.
        from onboarding import services  # noqa: F401
