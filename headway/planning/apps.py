from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "headway.planning"
    label = "planning"

    def ready(self) -> None:
        from headway.planning import scoping  # noqa: F401  (registers URL parameters)
