"""ASGI entry point for the Django core alone (the gateway mounts it with the other services)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bastion.core.settings")

application = get_asgi_application()
