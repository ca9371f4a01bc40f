from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "joinedup.portal"
    label = "portal"
    verbose_name = "Joined Up public site"
