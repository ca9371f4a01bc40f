from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "joinedup.api"
    label = "api"
    verbose_name = "Joined Up API"
