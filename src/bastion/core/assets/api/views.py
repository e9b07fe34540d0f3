"""Asset and tag endpoints."""

from __future__ import annotations

from django.db.models import QuerySet
from rest_framework import serializers

from bastion.contracts.principal import Role
from bastion.core.api.base import TenantViewSet
from bastion.core.assets import services
from bastion.core.assets.api.serializers import AssetSerializer, TagSerializer
from bastion.core.assets.filtersets import AssetFilter, TagFilter
from bastion.core.assets.models import Asset, Tag

READ = {"list": Role.VIEWER, "retrieve": Role.VIEWER}


class AssetViewSet(TenantViewSet):
    """Assets: viewers read, admins manage."""

    serializer_class = AssetSerializer
    filterset_class = AssetFilter
    permission_policy = {
        **READ,
        "create": Role.ADMIN,
        "update": Role.ADMIN,
        "partial_update": Role.ADMIN,
        "destroy": Role.ADMIN,
    }

    def get_queryset(self) -> QuerySet[Asset]:
        return (
            Asset.objects.for_principal(self.principal())
            .select_related("organization")
            .prefetch_related("tags")
        )

    def perform_create(self, serializer: serializers.BaseSerializer[Asset]) -> None:
        data = dict(serializer.validated_data)
        self.check_role_in(data["organization"], Role.ADMIN)
        serializer.instance = services.create_asset(actor=self.actor(), **data)

    def perform_update(self, serializer: serializers.BaseSerializer[Asset]) -> None:
        assert isinstance(serializer.instance, Asset)
        services.update_asset(actor=self.actor(), asset=serializer.instance, **serializer.validated_data)

    def perform_destroy(self, instance: Asset) -> None:
        services.delete_asset(actor=self.actor(), asset=instance)


class TagViewSet(TenantViewSet):
    """Tags: viewers read, analysts add, admins rename and delete."""

    serializer_class = TagSerializer
    filterset_class = TagFilter
    permission_policy = {
        **READ,
        "create": Role.ANALYST,
        "update": Role.ADMIN,
        "partial_update": Role.ADMIN,
        "destroy": Role.ADMIN,
    }

    def get_queryset(self) -> QuerySet[Tag]:
        return Tag.objects.for_principal(self.principal())

    def perform_create(self, serializer: serializers.BaseSerializer[Tag]) -> None:
        data = dict(serializer.validated_data)
        self.check_role_in(data["organization"], Role.ANALYST)
        serializer.instance = services.create_tag(actor=self.actor(), **data)

    def perform_update(self, serializer: serializers.BaseSerializer[Tag]) -> None:
        assert isinstance(serializer.instance, Tag)
        services.update_tag(actor=self.actor(), tag=serializer.instance, **serializer.validated_data)

    def perform_destroy(self, instance: Tag) -> None:
        services.delete_tag(actor=self.actor(), tag=instance)
