from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "headway.notifications"
    label = "notifications"
