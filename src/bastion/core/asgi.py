"""ASGI entry point for the Django core alone (the gateway mounts it with the other services)."""

import os

from django.core.asgi import get_asgi_application
from django.urls import get_resolver

from bastion.core import heap

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bastion.core.settings")

application = get_asgi_application()
get_resolver().url_patterns  # noqa: B018 - imports every view now, before the heap is settled
heap.settle()
