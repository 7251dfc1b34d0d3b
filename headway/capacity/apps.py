from django.apps import AppConfig


class CapacityConfig(AppConfig):
    name = "headway.capacity"
    label = "capacity"

    def ready(self) -> None:
        from headway.capacity import scenarios_scoping  # noqa: F401  (registers URL parameters)
