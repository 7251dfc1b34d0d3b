from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "headway.publishing"
    label = "publishing"

    def ready(self) -> None:
        from headway.publishing import scoping  # noqa: F401  (registers URL parameters)
