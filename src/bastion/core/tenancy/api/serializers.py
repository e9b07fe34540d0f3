"""Shapes of the caller's identity, organisations and memberships."""

from __future__ import annotations

from rest_framework import serializers

from bastion.contracts.principal import Principal
from bastion.core.accounts.models import User
from bastion.core.api.base import TenantSerializer
from bastion.core.tenancy.models import Membership, Organization


class MembershipGrantSerializer(serializers.Serializer):
    organization_id = serializers.IntegerField()
    organization_slug = serializers.CharField()
    role = serializers.CharField()


class PrincipalSerializer(serializers.Serializer):
    user_id = serializers.IntegerField()
    email = serializers.EmailField()
    is_superuser = serializers.BooleanField()
    auth_method = serializers.ChoiceField(choices=["session", "token"])
    token_id = serializers.IntegerField(allow_null=True)
    memberships = MembershipGrantSerializer(many=True)


class OrganizationSerializer(serializers.ModelSerializer):
    role = serializers.SerializerMethodField(help_text="The caller's role in the organisation.")

    class Meta:
        model = Organization
        fields = ["id", "slug", "name", "created_at", "role"]
        read_only_fields = ["created_at"]

    def get_role(self, organization: Organization) -> str | None:
        request = self.context.get("request")
        principal = getattr(request, "auth", None)
        if not isinstance(principal, Principal):
            return None
        role = principal.role_in(organization.pk)
        return role.value if role else None


class MembershipSerializer(TenantSerializer):
    organization = serializers.SlugRelatedField(slug_field="slug", queryset=Organization.objects.all())
    user = serializers.SlugRelatedField(slug_field="email", queryset=User.objects.all())
    scoped_fields = ("organization",)

    class Meta:
        model = Membership
        fields = ["id", "organization", "user", "role", "created_at"]
        read_only_fields = ["created_at"]
        validators: list[object] = []


class MemberSerializer(serializers.Serializer):
    """A member of an organisation, as the people who work with them see them."""

    id = serializers.IntegerField(source="user_id", help_text="The user's id (an assignee or approver).")
    email = serializers.EmailField(source="user.email")
    full_name = serializers.CharField(source="user.full_name")
    role = serializers.CharField()
