"""Finding, comment and SLA endpoints."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.request import Request
from rest_framework.response import Response

from bastion.contracts.principal import Role
from bastion.core.accounts.models import User
from bastion.core.api.base import TenantViewSet
from bastion.core.findings import selectors, services
from bastion.core.findings.api.serializers import (
    BulkRequestSerializer,
    BulkResultSerializer,
    CommentSerializer,
    FindingSerializer,
    FindingTransitionSerializer,
    TransitionRequestSerializer,
)
from bastion.core.findings.choices import Status
from bastion.core.findings.exceptions import AssigneeNotMember, FindingError, FindingsNotFound
from bastion.core.findings.filtersets import FindingFilter
from bastion.core.findings.models import Comment, Finding, FindingAdvisory, FindingCwe
from bastion.core.tenancy.models import Organization

#: The fields an analyst may change by editing a finding (the rest needs an admin).
ANALYST_EDITABLE = frozenset({"assignee"})

FINDING_ORDERINGS = {
    "severity": "severity_rank",
    "first_seen": "first_seen",
    "last_seen": "last_seen",
    "sla_due_on": "sla_due_on",
    "updated_at": "updated_at",
    "id": "id",
}
#: The order of a search's best matches first (``q`` on PostgreSQL).
RELEVANCE = "relevance"


class FindingOrdering(OrderingFilter):
    """Order by a public name (``severity`` means the numeric rank)."""

    ordering_fields = [*FINDING_ORDERINGS, RELEVANCE]

    def get_ordering(self, request: Request, queryset: QuerySet[Any], view: Any) -> list[str]:
        if request.query_params.get(self.ordering_param, "").lstrip("-") == RELEVANCE:
            # A search's best matches first: it ranks every match before the page (not an index's
            # order), so it is asked for; without ``q`` (or on SQLite) the newest first.
            return ["-" + selectors.SEARCH_RANK, "-id"] if selectors.is_ranked(queryset) else ["-id"]
        ordering = super().get_ordering(request, queryset, view) or []
        terms = [
            ("-" if term.startswith("-") else "") + FINDING_ORDERINGS[term.lstrip("-")] for term in ordering
        ]
        if terms and terms[-1].lstrip("-") != "id":  # ties in the order they were recorded
            terms.append("-id" if terms[0].startswith("-") else "id")
        return terms


def _domain_error(error: FindingError) -> exceptions.APIException:
    if isinstance(error, AssigneeNotMember):
        return exceptions.ValidationError({"assignee": [str(error)]})
    if isinstance(error, FindingsNotFound):
        return exceptions.NotFound(str(error))
    return exceptions.ValidationError({"detail": str(error)})


def _acceptance(data: dict[str, Any], caller: User) -> services.RiskAcceptance:
    return services.RiskAcceptance(
        justification=data.get("justification", ""),
        approver=data.get("approver") or caller,
        expires_on=data.get("expires_on"),
    )


class FindingViewSet(TenantViewSet):
    """Findings: viewers read, analysts triage and assign, admins create, edit and delete."""

    serializer_class = FindingSerializer
    filterset_class = FindingFilter
    ordering = ["-id"]
    permission_policy = {
        "list": Role.VIEWER,
        "retrieve": Role.VIEWER,
        "showcase": Role.VIEWER,
        "transitions": Role.VIEWER,
        "create": Role.ADMIN,
        "update": Role.ADMIN,
        # An analyst's PATCH may change the assignee only (perform_update asks admin for the rest).
        "partial_update": Role.ANALYST,
        "destroy": Role.ADMIN,
        "transition": Role.ANALYST,
        "bulk": Role.ANALYST,
    }

    @property
    def filter_backends(self) -> list[Any]:  # type: ignore[override]
        from django_filters.rest_framework import DjangoFilterBackend

        return [DjangoFilterBackend, FindingOrdering]

    def get_queryset(self) -> QuerySet[Finding]:
        findings = selectors.findings_for(principal=self.principal())
        return selectors.with_days_open(
            findings.select_related("organization")
            .prefetch_related(Prefetch("advisories", queryset=FindingAdvisory.objects.order_by("identifier")))
            .prefetch_related(Prefetch("cwes", queryset=FindingCwe.objects.order_by("cwe_id")), "tags")
        )

    def perform_create(self, serializer: serializers.BaseSerializer[Finding]) -> None:
        data = dict(serializer.validated_data)
        asset = data["asset"]
        self.check_role_in(asset.organization_id, Role.ADMIN)
        data.setdefault("fingerprint", services.manual_fingerprint(data))
        if Finding.objects.filter(asset=asset, fingerprint=data["fingerprint"]).exists():
            raise serializers.ValidationError({"fingerprint": ["The asset already has a finding with it."]})
        serializer.instance = services.create_finding(
            actor=self.actor(),
            organization=asset.organization,
            advisory_ids=data.pop("advisory_ids", []),
            cwe_ids=data.pop("cwe_ids", []),
            tag_names=data.pop("tags", []),
            **data,
        )

    def perform_update(self, serializer: serializers.BaseSerializer[Finding]) -> None:
        finding = serializer.instance
        assert isinstance(finding, Finding)
        data = dict(serializer.validated_data)
        if set(data) - ANALYST_EDITABLE:
            self.check_role_in(finding.organization_id, Role.ADMIN)
        for key in ("asset", "engagement"):
            if key in data and data[key] is not None and data[key].organization_id != finding.organization_id:
                raise serializers.ValidationError({key: "It belongs to another organisation."})
        services.update_finding(actor=self.actor(), finding=finding, tag_names=data.pop("tags", None), **data)

    def perform_destroy(self, instance: Finding) -> None:
        services.delete_finding(actor=self.actor(), finding=instance)

    @extend_schema(request=TransitionRequestSerializer, responses=FindingSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, pk: str | None = None) -> Response:
        """Move the finding to another status; accepting a risk needs why, who and until when."""
        finding = self.get_object()
        payload = TransitionRequestSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        try:
            services.transition(
                actor=self.actor(),
                finding=finding,
                to_status=Status(data["status"]),
                reason=data["reason"],
                acceptance=_acceptance(data, self.actor()),
            )
        except FindingError as error:
            raise _domain_error(error) from error
        return Response(self.get_serializer(self.get_queryset().get(pk=finding.pk)).data)

    @extend_schema(responses=FindingTransitionSerializer(many=True))
    @action(detail=True, methods=["get"])
    def transitions(self, request: Request, pk: str | None = None) -> Response:
        """The finding's status history, oldest first."""
        finding = self.get_object()
        return Response(FindingTransitionSerializer(finding.transitions.all(), many=True).data)

    @extend_schema(request=BulkRequestSerializer, responses=BulkResultSerializer)
    @action(detail=False, methods=["post"])
    def bulk(self, request: Request) -> Response:
        """Change status, assignee or tags of up to 10,000 findings at once, all or none."""
        payload = BulkRequestSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        kind = data["action"]
        try:
            result = services.bulk_action(
                principal=self.principal(),
                actor=self.actor(),
                finding_ids=data["ids"],
                to_status=Status(data["status"]) if kind == "transition" else None,
                reason=data["reason"],
                acceptance=_acceptance(data, self.actor()) if kind == "transition" else None,
                assignee=data.get("assignee") if kind == "assign" else None,
                unassign=kind == "assign" and data.get("assignee") is None,
                add_tags=data.get("tags", []) if kind == "tag" else [],
            )
        except FindingError as error:
            raise _domain_error(error) from error
        return Response(BulkResultSerializer({"changed": result.changed}).data)

    @extend_schema(
        parameters=[OpenApiParameter("organization", str, required=True, description="organisation slug")],
        responses=FindingSerializer(many=True),
    )
    @action(detail=False, methods=["get"])
    def showcase(self, request: Request) -> Response:
        """High and critical findings of one organisation, worst first, then longest open."""
        slug = request.query_params.get("organization", "")
        organization = Organization.objects.for_principal(self.principal()).filter(slug=slug).first()
        if organization is None:
            raise exceptions.NotFound("No such organisation.")
        findings = selectors.showcase(principal=self.principal(), organization_id=organization.pk)
        findings = findings.prefetch_related("advisories", "cwes")
        page = list(findings[:50])
        return Response(self.get_serializer(page, many=True).data)


class CommentViewSet(TenantViewSet):
    """Comments: viewers read, analysts write; only the author (or an admin) edits or deletes."""

    serializer_class = CommentSerializer
    filterset_fields = ["finding", "author"]
    permission_policy = {
        "list": Role.VIEWER,
        "retrieve": Role.VIEWER,
        "create": Role.ANALYST,
        "update": Role.ANALYST,
        "partial_update": Role.ANALYST,
        "destroy": Role.ANALYST,
    }

    def get_queryset(self) -> QuerySet[Comment]:
        return Comment.objects.for_principal(self.principal()).select_related("finding")

    def _check_author(self, comment: Comment) -> None:
        if comment.author_id != self.actor().pk:
            self.check_role_in(comment.finding.organization_id, Role.ADMIN)

    def perform_create(self, serializer: serializers.BaseSerializer[Comment]) -> None:
        finding = serializer.validated_data["finding"]
        self.check_role_in(finding.organization_id, Role.ANALYST)
        serializer.instance = services.add_comment(
            actor=self.actor(),
            finding=finding,
            body=serializer.validated_data["body"],
        )

    def perform_update(self, serializer: serializers.BaseSerializer[Comment]) -> None:
        comment = serializer.instance
        assert isinstance(comment, Comment)
        self._check_author(comment)
        if serializer.validated_data.get("finding", comment.finding) != comment.finding:
            raise serializers.ValidationError({"finding": "A comment cannot move to another finding."})
        services.edit_comment(
            actor=self.actor(),
            comment=comment,
            body=serializer.validated_data.get("body", comment.body),
        )

    def perform_destroy(self, instance: Comment) -> None:
        self._check_author(instance)
        services.delete_comment(actor=self.actor(), comment=instance)
