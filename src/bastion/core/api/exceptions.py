"""One place that turns domain and model errors into API answers."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler

from bastion.core.api.base import django_errors


def handle(error: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, also for a model's ``ValidationError`` (raised by ``full_clean`` in services)."""
    if isinstance(error, DjangoValidationError):
        error = django_errors(error)
    return exception_handler(error, context)
