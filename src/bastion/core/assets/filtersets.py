"""Filters of the asset list."""

import django_filters

from bastion.core.assets.choices import AssetKind, Environment
from bastion.core.assets.models import Asset, Tag


class AssetFilter(django_filters.FilterSet):
    organization = django_filters.CharFilter(field_name="organization__slug")
    kind = django_filters.MultipleChoiceFilter(choices=AssetKind.choices)
    environment = django_filters.MultipleChoiceFilter(choices=Environment.choices)
    tag = django_filters.CharFilter(field_name="tags__name", distinct=True)
    criticality_min = django_filters.NumberFilter(field_name="criticality", lookup_expr="gte")
    name = django_filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Asset
        fields = ["organization", "kind", "environment", "is_internet_facing", "owner", "tag"]


class TagFilter(django_filters.FilterSet):
    organization = django_filters.CharFilter(field_name="organization__slug")

    class Meta:
        model = Tag
        fields = ["organization", "name"]
