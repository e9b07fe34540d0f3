"""Engagement endpoints."""

from __future__ import annotations

from django.db.models import QuerySet
from rest_framework import serializers

from bastion.contracts.principal import Role
from bastion.core.api.base import TenantViewSet
from bastion.core.engagements import services
from bastion.core.engagements.api.serializers import EngagementSerializer
from bastion.core.engagements.filtersets import EngagementFilter
from bastion.core.engagements.models import Engagement


class EngagementViewSet(TenantViewSet):
    """Engagements: viewers read, admins manage."""

    serializer_class = EngagementSerializer
    filterset_class = EngagementFilter
    permission_policy = {
        "list": Role.VIEWER,
        "retrieve": Role.VIEWER,
        "create": Role.ADMIN,
        "update": Role.ADMIN,
        "partial_update": Role.ADMIN,
        "destroy": Role.ADMIN,
    }

    def get_queryset(self) -> QuerySet[Engagement]:
        return Engagement.objects.for_principal(self.principal()).select_related("organization")

    def perform_create(self, serializer: serializers.BaseSerializer[Engagement]) -> None:
        data = dict(serializer.validated_data)
        self.check_role_in(data["asset"].organization_id, Role.ADMIN)
        serializer.instance = services.create_engagement(actor=self.actor(), **data)

    def perform_update(self, serializer: serializers.BaseSerializer[Engagement]) -> None:
        assert isinstance(serializer.instance, Engagement)
        data = dict(serializer.validated_data)
        if "asset" in data and data["asset"].organization_id != serializer.instance.organization_id:
            raise serializers.ValidationError({"asset": "The asset belongs to another organisation."})
        services.update_engagement(actor=self.actor(), engagement=serializer.instance, **data)

    def perform_destroy(self, instance: Engagement) -> None:
        services.delete_engagement(actor=self.actor(), engagement=instance)
