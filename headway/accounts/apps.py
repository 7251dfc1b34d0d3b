from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "headway.accounts"
    label = "accounts"
