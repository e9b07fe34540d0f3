"""Serializers for the caller's own identity."""

from rest_framework import serializers


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
