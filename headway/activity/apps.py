from django.apps import AppConfig


class ActivityConfig(AppConfig):
    name = "headway.activity"
    label = "activity"
