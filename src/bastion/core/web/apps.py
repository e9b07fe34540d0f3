from django.apps import AppConfig


class WebConfig(AppConfig):
    """The web application: server-rendered pages over the core's selectors and services."""

    name = "bastion.core.web"
    label = "web"
