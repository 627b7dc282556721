"""What the Co-create API's filter sets share. Each is validated like any filter set (a bad value
answers 400 naming it), but the rows come from a selector that takes every filter at once, so the
filters themselves leave the queryset as it is; the documented no-op methods give the schema each
filter's type and meaning."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema_field

__all__ = ["SelectorFilterSet", "SyncSelectorFilterSet"]


class SelectorFilterSet(django_filters.FilterSet):
    organization = django_filters.NumberFilter(method="filter_organization")

    def keep(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        return queryset  # filter_queryset applies them all at once

    @extend_schema_field({"type": "integer", "description": "Id of the consumer."})
    def filter_organization(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        return queryset


class SyncSelectorFilterSet(SelectorFilterSet):
    """A list that incremental sync reads: `updated_since` as well."""

    updated_since = django_filters.CharFilter(method="filter_updated_since")

    @extend_schema_field(
        {"type": "string", "format": "date-time", "description": "Changed at or after this ISO 8601 moment."}
    )
    def filter_updated_since(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset
