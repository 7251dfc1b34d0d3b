from django.apps import AppConfig


class CapacityConfig(AppConfig):
    name = "headway.capacity"
    label = "capacity"
