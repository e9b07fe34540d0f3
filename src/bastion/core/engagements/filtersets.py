"""Filters of the engagement list."""

import django_filters

from bastion.core.engagements.choices import EngagementKind, EngagementStatus
from bastion.core.engagements.models import Engagement


class EngagementFilter(django_filters.FilterSet):
    organization = django_filters.CharFilter(field_name="organization__slug")
    kind = django_filters.MultipleChoiceFilter(choices=EngagementKind.choices)
    status = django_filters.MultipleChoiceFilter(choices=EngagementStatus.choices)
    starts_after = django_filters.DateFilter(field_name="starts_on", lookup_expr="gte")
    starts_before = django_filters.DateFilter(field_name="starts_on", lookup_expr="lte")

    class Meta:
        model = Engagement
        fields = ["organization", "asset", "kind", "status", "lead"]
