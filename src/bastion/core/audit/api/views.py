"""The audit log, read-only, for admins and owners."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from rest_framework import viewsets

from bastion.contracts.principal import Role
from bastion.core.api.base import principal_of
from bastion.core.api.filters import UtcDateTimeFilter
from bastion.core.api.permissions import RolePolicy
from bastion.core.audit.api.serializers import AuditEventSerializer
from bastion.core.audit.models import AuditAction, AuditEvent


class AuditEventFilter(django_filters.FilterSet):
    organization = django_filters.CharFilter(field_name="organization_slug")
    action = django_filters.MultipleChoiceFilter(choices=AuditAction.choices)
    after = UtcDateTimeFilter(field_name="at", lookup_expr="gte")
    before = UtcDateTimeFilter(field_name="at", lookup_expr="lt")

    class Meta:
        model = AuditEvent
        fields = ["organization", "actor", "object_type", "object_id", "action"]


class AuditEventViewSet(viewsets.ReadOnlyModelViewSet):
    """Every change to the organisation's data: who, when, what, before and after."""

    serializer_class = AuditEventSerializer
    filterset_class = AuditEventFilter
    permission_classes = [RolePolicy]
    permission_policy = {"list": Role.ADMIN, "retrieve": Role.ADMIN}

    def get_queryset(self) -> QuerySet[AuditEvent]:
        if getattr(self, "swagger_fake_view", False):
            return AuditEvent.objects.none()
        # One event: 404 outside the caller's organisations, 403 below admin (RolePolicy).
        at_least = Role.ADMIN if self.action == "list" else Role.VIEWER
        return AuditEvent.objects.for_principal(principal_of(self.request), at_least=at_least)
