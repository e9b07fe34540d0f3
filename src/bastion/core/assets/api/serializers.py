"""Asset and tag shapes for the REST API, read from the models."""

from __future__ import annotations

from rest_framework import serializers

from bastion.core.accounts.models import User
from bastion.core.api.base import TenantSerializer
from bastion.core.assets.models import Asset, Tag
from bastion.core.tenancy.models import Organization


class TagSerializer(TenantSerializer):
    organization = serializers.SlugRelatedField(slug_field="slug", queryset=Organization.objects.all())
    scoped_fields = ("organization",)

    class Meta:
        model = Tag
        fields = ["id", "organization", "name"]


class AssetSerializer(TenantSerializer):
    organization = serializers.SlugRelatedField(slug_field="slug", queryset=Organization.objects.all())
    owner = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), allow_null=True, required=False)
    tags = serializers.PrimaryKeyRelatedField(queryset=Tag.objects.all(), many=True, required=False)
    scoped_fields = ("organization", "tags", "owner")

    class Meta:
        model = Asset
        fields = [
            "id",
            "organization",
            "kind",
            "name",
            "identifier",
            "criticality",
            "owner",
            "environment",
            "is_internet_facing",
            "tags",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        validators: list[object] = []  # uniqueness is checked by the model's clean()
