"""Engagement shapes for the REST API."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from bastion.core.accounts.models import User
from bastion.core.api.base import TenantSerializer
from bastion.core.assets.models import Asset
from bastion.core.engagements.models import Engagement


class EngagementSerializer(TenantSerializer):
    organization: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    asset = serializers.PrimaryKeyRelatedField(queryset=Asset.objects.all())
    lead = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), allow_null=True, required=False)
    scoped_fields = ("asset", "lead")

    class Meta:
        model = Engagement
        fields = [
            "id",
            "organization",
            "asset",
            "kind",
            "name",
            "starts_on",
            "ends_on",
            "status",
            "lead",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
