from django.apps import AppConfig


class ApprovalsConfig(AppConfig):
    name = "headway.approvals"
    label = "approvals"

    def ready(self) -> None:
        from headway.approvals import scoping  # noqa: F401  (registers URL parameters)
