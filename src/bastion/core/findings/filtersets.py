"""Filters of the finding list; each has an index behind it."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet

from bastion.core.api.filters import UtcDateTimeFilter
from bastion.core.assets.choices import AssetKind
from bastion.core.findings import selectors
from bastion.core.findings.choices import SEARCH_MAX_LENGTH, SEVERITY_CHOICES, Status
from bastion.core.findings.models import SEVERITY_RANKS, Finding, FindingAdvisory, FindingCwe

FindingTag = Finding.tags.through


class FindingFilter(django_filters.FilterSet):
    organization = django_filters.CharFilter(field_name="organization__slug")
    severity = django_filters.MultipleChoiceFilter(choices=SEVERITY_CHOICES, method="filter_severity")
    # No DISTINCT (django-filter's default for several values): neither a column nor a foreign key
    # can repeat a row, and DISTINCT makes PostgreSQL build every match before the page's LIMIT.
    status = django_filters.MultipleChoiceFilter(choices=Status.choices, distinct=False)
    asset_kind = django_filters.MultipleChoiceFilter(
        field_name="asset__kind", choices=AssetKind.choices, distinct=False
    )
    rule_id = django_filters.CharFilter(lookup_expr="iexact", label="Rule id (any case)")
    tag = django_filters.CharFilter(method="filter_tag", label="Tag")
    cwe = django_filters.CharFilter(method="filter_cwe", label="CWE")
    cve = django_filters.CharFilter(method="filter_advisory", label="CVE, GHSA or other advisory id")
    sla_breached = django_filters.BooleanFilter(method="filter_sla_breached", label="SLA breached")
    # Every range is "after" inclusive, "before" exclusive: consecutive ranges never count a row twice.
    first_seen_after = UtcDateTimeFilter(field_name="first_seen", lookup_expr="gte", label="First seen from")
    first_seen_before = UtcDateTimeFilter(
        field_name="first_seen", lookup_expr="lt", label="First seen before"
    )
    last_seen_after = UtcDateTimeFilter(field_name="last_seen", lookup_expr="gte", label="Last seen from")
    last_seen_before = UtcDateTimeFilter(field_name="last_seen", lookup_expr="lt", label="Last seen before")
    sla_due_after = django_filters.DateFilter(
        field_name="sla_due_on", lookup_expr="gte", label="SLA due from"
    )
    sla_due_before = django_filters.DateFilter(
        field_name="sla_due_on", lookup_expr="lt", label="SLA due before"
    )
    resolved_after = UtcDateTimeFilter(field_name="resolved_at", lookup_expr="gte", label="Resolved from")
    resolved_before = UtcDateTimeFilter(field_name="resolved_at", lookup_expr="lt", label="Resolved before")
    q = django_filters.CharFilter(
        method="filter_text", label="free text over title, description and ids", max_length=SEARCH_MAX_LENGTH
    )

    class Meta:
        model = Finding
        fields = ["organization", "asset", "engagement", "tool", "assignee"]

    def filter_severity(self, queryset: QuerySet[Finding], name: str, value: list[str]) -> QuerySet[Finding]:
        # The numeric rank is what the indexes hold.
        return (
            queryset.filter(severity_rank__in=[SEVERITY_RANKS[severity] for severity in value])
            if value
            else queryset
        )

    def filter_tag(self, queryset: QuerySet[Finding], name: str, value: str) -> QuerySet[Finding]:
        return queryset.filter(id__in=FindingTag.objects.filter(tag__name=value).values("finding_id"))

    def filter_cwe(self, queryset: QuerySet[Finding], name: str, value: str) -> QuerySet[Finding]:
        cwe_id = selectors.cwe_number(value.upper().removeprefix("CWE-"))
        if cwe_id is None:
            return queryset.none()
        return queryset.filter(id__in=FindingCwe.objects.filter(cwe_id=cwe_id).values("finding_id"))

    def filter_advisory(self, queryset: QuerySet[Finding], name: str, value: str) -> QuerySet[Finding]:
        identifier = value.strip().upper() if value.upper().startswith("CVE-") else value.strip()
        return queryset.filter(
            id__in=FindingAdvisory.objects.filter(identifier=identifier).values("finding_id")
        )

    def filter_sla_breached(
        self, queryset: QuerySet[Finding], name: str, value: bool | None
    ) -> QuerySet[Finding]:
        return queryset if value is None else selectors.sla_breached(queryset, value)

    def filter_text(self, queryset: QuerySet[Finding], name: str, value: str) -> QuerySet[Finding]:
        return selectors.search(queryset, value)
