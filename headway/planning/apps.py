from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "headway.planning"
    label = "planning"

    def ready(self) -> None:
        from headway.planning import scoping  # noqa: F401  (registers URL parameters)
        from headway.planning.receivers import workspace_defaults_create
        from headway.workspaces.signals import workspace_created

        workspace_created.connect(workspace_defaults_create, dispatch_uid="planning-defaults")
