from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "headway.insights"
    label = "insights"

    def ready(self) -> None:
        from headway.insights import (
            escalation_scoping,  # noqa: F401  (registers escalation_id)
            scoping,  # noqa: F401  (registers URL parameters)
        )
        from headway.insights.health_triggers import connect as health_triggers_connect

        health_triggers_connect()
