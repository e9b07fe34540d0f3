"""The caller's identity, organisations, memberships and SLA policies."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from bastion.contracts.principal import Role
from bastion.core.api.base import TenantViewSet, principal_of
from bastion.core.api.permissions import SUPERUSER, RolePolicy
from bastion.core.findings import selectors as finding_selectors
from bastion.core.findings.api.serializers import SlaPolicySerializer
from bastion.core.findings.models import SlaPolicy
from bastion.core.tenancy import services
from bastion.core.tenancy.api.serializers import (
    MemberSerializer,
    MembershipSerializer,
    OrganizationSerializer,
    PrincipalSerializer,
)
from bastion.core.tenancy.exceptions import LastOwnerRequired, TenancyConflict
from bastion.core.tenancy.models import Membership, Organization


class MeView(APIView):
    """Who the caller is, and their role in each organisation they can reach."""

    permission_classes = [RolePolicy]
    permission_policy = {"get": Role.VIEWER}

    @extend_schema(responses=PrincipalSerializer)
    def get(self, request: Request) -> Response:
        return Response(principal_of(request).model_dump(mode="json"))


class OrganizationViewSet(TenantViewSet):
    """Organisations: members read them and their members, admins rename and set the SLA, owners delete.

    Only superusers create organisations.
    """

    serializer_class = OrganizationSerializer
    permission_policy = {
        "list": Role.VIEWER,
        "retrieve": Role.VIEWER,
        "sla": Role.VIEWER,
        "members": Role.VIEWER,
        "set_sla": Role.ADMIN,
        "create": SUPERUSER,
        "update": Role.ADMIN,
        "partial_update": Role.ADMIN,
        "destroy": Role.OWNER,
    }

    def get_queryset(self) -> QuerySet[Organization]:
        return Organization.objects.for_principal(self.principal())

    def perform_create(self, serializer: serializers.BaseSerializer[Organization]) -> None:
        data = serializer.validated_data
        try:
            organization = services.create_organization(
                slug=data["slug"],
                name=data.get("name", ""),
                actor=self.actor(),
            )
        except TenancyConflict as error:
            raise serializers.ValidationError({"slug": str(error)}) from error
        services.set_membership(
            organization=organization,
            user=self.actor(),
            role=Role.OWNER,
            actor=self.actor(),
        )
        serializer.instance = organization

    def perform_update(self, serializer: serializers.BaseSerializer[Organization]) -> None:
        assert isinstance(serializer.instance, Organization)
        if serializer.validated_data.get("slug", serializer.instance.slug) != serializer.instance.slug:
            raise serializers.ValidationError({"slug": "An organisation's slug never changes."})
        services.update_organization(
            organization=serializer.instance,
            actor=self.actor(),
            name=serializer.validated_data.get("name", serializer.instance.name),
        )

    def perform_destroy(self, instance: Organization) -> None:
        services.delete_organization(organization=instance, actor=self.actor())

    @extend_schema(responses=MemberSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)  # one answer: a team, not a table
    def members(self, request: Request, pk: str | None = None) -> Response:
        """The organisation's members (id, e-mail, name, role) by e-mail: whom to assign or ask to approve."""
        organization = self.get_object()
        memberships = (
            Membership.objects.for_principal(self.principal())
            .in_organization(organization.pk)
            .select_related("user")
            .order_by("user__email")
        )
        return Response(MemberSerializer(memberships, many=True).data)

    @extend_schema(responses=SlaPolicySerializer)
    @action(detail=True, methods=["get"])
    def sla(self, request: Request, pk: str | None = None) -> Response:
        """The organisation's SLA policy (the defaults until it sets one)."""
        organization = self.get_object()
        policy = finding_selectors.sla_policy_for(organization_id=organization.pk)
        policy.organization = organization
        return Response(SlaPolicySerializer(policy).data)

    @extend_schema(request=SlaPolicySerializer, responses=SlaPolicySerializer)
    @sla.mapping.put
    def set_sla(self, request: Request, pk: str | None = None) -> Response:
        """Replace the organisation's SLA policy; findings get new due dates from now on."""
        from bastion.core.findings import services as finding_services

        organization = self.get_object()
        policy = SlaPolicy.objects.filter(organization=organization).first() or SlaPolicy(
            organization=organization
        )
        payload = SlaPolicySerializer(policy, data=request.data)
        payload.is_valid(raise_exception=True)
        saved = finding_services.set_sla_policy(
            actor=self.actor(),
            organization=organization,
            **payload.validated_data,
        )
        return Response(SlaPolicySerializer(saved).data)


class LastOwnerConflict(exceptions.APIException):
    """409: the change would leave an organisation without an owner."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = LastOwnerRequired.public_message
    default_code = "last_owner"


LAST_OWNER_RESPONSE = OpenApiResponse(
    description="the organisation's only owner cannot be demoted or removed"
)


@extend_schema_view(
    partial_update=extend_schema(responses={200: MembershipSerializer, 409: LAST_OWNER_RESPONSE}),
    destroy=extend_schema(responses={204: None, 409: LAST_OWNER_RESPONSE}),
)
class MembershipViewSet(TenantViewSet):
    """Memberships: admins and owners manage them; only owners grant or change the owner role."""

    serializer_class = MembershipSerializer
    filterset_fields = ["role"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    permission_policy = {
        "list": Role.ADMIN,
        "retrieve": Role.ADMIN,
        "create": Role.ADMIN,
        "partial_update": Role.ADMIN,
        "destroy": Role.ADMIN,
    }

    def get_queryset(self) -> QuerySet[Membership]:
        # A list shows the organisations the caller manages; one membership elsewhere in the
        # caller's organisations answers 403 (RolePolicy), not 404.
        at_least = Role.ADMIN if self.action == "list" else Role.VIEWER
        return Membership.objects.for_principal(self.principal(), at_least=at_least).select_related(
            "organization", "user"
        )

    def _check_owner_rule(self, organization_id: int, *roles: Any) -> None:
        if Role.OWNER.value in roles and not self.holds_role_in(organization_id, Role.OWNER):
            raise exceptions.PermissionDenied("Only an owner may grant, change or remove the owner role.")

    def perform_create(self, serializer: serializers.BaseSerializer[Membership]) -> None:
        data = serializer.validated_data
        organization = data["organization"]
        self.check_role_in(organization, Role.ADMIN)
        self._check_owner_rule(organization.pk, data["role"])
        if Membership.objects.filter(organization=organization, user=data["user"]).exists():
            raise serializers.ValidationError({"user": "Already a member; change their role instead."})
        serializer.instance = services.set_membership(
            organization=organization,
            user=data["user"],
            role=Role(data["role"]),
            actor=self.actor(),
        )

    def perform_update(self, serializer: serializers.BaseSerializer[Membership]) -> None:
        membership = serializer.instance
        assert isinstance(membership, Membership)
        data = serializer.validated_data
        if (
            data.get("organization", membership.organization) != membership.organization
            or data.get("user", membership.user) != membership.user
        ):
            raise serializers.ValidationError({"role": "Only the role of a membership can change."})
        role = data.get("role", membership.role)
        self._check_owner_rule(membership.organization_id, role, membership.role)
        try:
            serializer.instance = services.set_membership(
                organization=membership.organization,
                user=membership.user,
                role=Role(role),
                actor=self.actor(),
            )
        except LastOwnerRequired as error:
            raise LastOwnerConflict(str(error)) from error

    def perform_destroy(self, instance: Membership) -> None:
        self._check_owner_rule(instance.organization_id, instance.role)
        try:
            services.remove_membership(membership=instance, actor=self.actor())
        except LastOwnerRequired as error:
            raise LastOwnerConflict(str(error)) from error
