"""Audit event shape for the REST API."""

from rest_framework import serializers

from bastion.core.audit.models import AuditEvent


class AuditEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "organization_slug",
            "actor",
            "actor_email",
            "at",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "changes",
        ]
