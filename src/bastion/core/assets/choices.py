"""Choices for asset fields."""

from django.db import models


class AssetKind(models.TextChoices):
    """What sort of thing an asset is."""

    REPOSITORY = "repository", "Repository"
    HOST = "host", "Host"
    WEB_APPLICATION = "web_application", "Web application"
    CONTAINER_IMAGE = "container_image", "Container image"
    CLOUD_RESOURCE = "cloud_resource", "Cloud resource"
    PACKAGE = "package", "Package"


class Environment(models.TextChoices):
    """Where an asset runs."""

    PRODUCTION = "production", "Production"
    STAGING = "staging", "Staging"
    DEVELOPMENT = "development", "Development"
    TEST = "test", "Test"
    OTHER = "other", "Other"
