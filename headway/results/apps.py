from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "headway.results"
    label = "results"
