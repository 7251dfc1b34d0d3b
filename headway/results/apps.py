from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "headway.results"
    label = "results"

    def ready(self) -> None:
        from headway.results import mapping_scoping  # noqa: F401  (registers URL parameters)
        from headway.results.reviews import scoping  # noqa: F401  (registers URL parameters)
        from headway.results.reviews.receivers import connect as reviews_connect

        reviews_connect()
        from headway.results.rollup_models import connect as rollups_connect

        rollups_connect()
