"""Finding, comment, transition and SLA shapes for the REST API."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from bastion.core.api.base import TenantSerializer
from bastion.core.api.fields import MemberField
from bastion.core.assets.models import Asset
from bastion.core.engagements.models import Engagement
from bastion.core.findings.choices import REASON_MAX_LENGTH, Status
from bastion.core.findings.models import Comment, Finding, FindingTransition, SlaPolicy

ADVISORY_MAX = 100


class FindingSerializer(TenantSerializer):
    organization: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    asset = serializers.PrimaryKeyRelatedField(queryset=Asset.objects.all())
    engagement = serializers.PrimaryKeyRelatedField(
        queryset=Engagement.objects.all(), allow_null=True, required=False
    )
    assignee = MemberField(allow_null=True, required=False)
    # Written as plain lists, read back from the related rows in to_representation.
    advisory_ids = serializers.ListField(
        child=serializers.CharField(max_length=ADVISORY_MAX),
        required=False,
        max_length=200,
        write_only=True,
    )
    cwe_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, max_length=100, write_only=True
    )
    tags = serializers.ListField(
        child=serializers.CharField(max_length=64), required=False, max_length=100, write_only=True
    )
    days_open = serializers.SerializerMethodField()
    is_sla_breached = serializers.BooleanField(read_only=True)
    fingerprint = serializers.CharField(max_length=128, required=False)
    scoped_fields = ("asset", "engagement")

    class Meta:
        model = Finding
        exclude = ["severity_rank", "risk_approved_by"]
        read_only_fields = [
            "status",
            "first_seen",
            "last_seen",
            "resolved_at",
            "sla_due_on",
            "risk_accepted_until",
            "risk_justification",
            "created_at",
            "updated_at",
        ]
        # (asset, fingerprint) is unique; the view computes a missing fingerprint and checks it.
        validators: list[object] = []

    def get_days_open(self, finding: Finding) -> int | None:
        days_open = getattr(finding, "days_open", None)
        return None if days_open is None else int(days_open.days)

    def to_representation(self, instance: Finding) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        data["advisory_ids"] = [advisory.identifier for advisory in instance.advisories.all()]
        data["cwe_ids"] = [cwe.cwe_id for cwe in instance.cwes.all()]
        data["tags"] = [tag.name for tag in instance.tags.all()]
        data["risk_approved_by"] = instance.risk_approved_by_id
        return data


class TransitionRequestSerializer(serializers.Serializer):
    """Move one finding (or, in bulk, many) to another status."""

    status = serializers.ChoiceField(choices=Status.choices)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=REASON_MAX_LENGTH, default="")
    justification = serializers.CharField(
        required=False, allow_blank=True, max_length=REASON_MAX_LENGTH, default=""
    )
    approver = MemberField(required=False, allow_null=True)
    expires_on = serializers.DateField(required=False, allow_null=True)


class BulkRequestSerializer(serializers.Serializer):
    """Change up to 10,000 findings at once, all or none."""

    ids = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1, max_length=10_000)
    action = serializers.ChoiceField(choices=["transition", "assign", "tag"])
    status = serializers.ChoiceField(choices=Status.choices, required=False)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=REASON_MAX_LENGTH, default="")
    justification = serializers.CharField(
        required=False, allow_blank=True, max_length=REASON_MAX_LENGTH, default=""
    )
    approver = MemberField(required=False, allow_null=True)
    expires_on = serializers.DateField(required=False, allow_null=True)
    assignee = MemberField(required=False, allow_null=True)
    tags = serializers.ListField(child=serializers.CharField(max_length=64), required=False, max_length=100)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        action = attrs["action"]
        if action == "transition" and "status" not in attrs:
            raise serializers.ValidationError({"status": "A transition needs a status."})
        if action == "assign" and "assignee" not in attrs:
            raise serializers.ValidationError(
                {"assignee": "Give a member's id or e-mail address, or null to unassign."}
            )
        if action == "tag" and not attrs.get("tags"):
            raise serializers.ValidationError({"tags": "Give at least one tag."})
        return attrs


class BulkResultSerializer(serializers.Serializer):
    changed = serializers.IntegerField()


class FindingTransitionSerializer(serializers.ModelSerializer):
    class Meta:
        model = FindingTransition
        fields = ["id", "actor", "at", "from_status", "to_status", "reason"]


class CommentSerializer(TenantSerializer):
    finding = serializers.PrimaryKeyRelatedField(queryset=Finding.objects.all())
    author: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(read_only=True)
    scoped_fields = ("finding",)

    class Meta:
        model = Comment
        fields = ["id", "finding", "author", "body", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]


class SlaPolicySerializer(serializers.ModelSerializer):
    organization: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )

    class Meta:
        model = SlaPolicy
        fields = [
            "organization",
            "critical_days",
            "high_days",
            "medium_days",
            "low_days",
            "info_days",
            "critical_asset_percent",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]
