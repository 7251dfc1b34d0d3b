from django.apps import AppConfig


class ApprovalsConfig(AppConfig):
    name = "headway.approvals"
    label = "approvals"

    def ready(self) -> None:
        from headway.approvals import scoping  # noqa: F401  (registers URL parameters)
        from headway.approvals.selectors import approval_finish_bounds
        from headway.planning.scheduling import register_finish_bounds

        register_finish_bounds(approval_finish_bounds)
