"""What the Realize API's filter sets share. Each is validated like any filter set (a bad value answers
400 naming it); the rows come from a selector that takes the filters at once, so the declared filters
leave the queryset as it is (`keep`) and each set's `filter_queryset` applies them. The documented
no-op methods give the schema each filter's type and meaning."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions

from journeys.api_base import parse_updated_since
from realization.services.activity import site_zone

__all__ = ["SelectorFilterSet", "SyncSelectorFilterSet", "parse_moment", "parse_month"]


def parse_moment(value: str | None, *, name: str) -> datetime | None:
    """An ISO 8601 moment with its time zone (a plain date is its midnight in the site's time zone)."""
    if not value:
        return None
    try:
        return parse_updated_since(value)
    except exceptions.ValidationError:
        pass
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise exceptions.ValidationError(
            {name: ["Use an ISO 8601 date-time with its time zone (2026-01-31T12:00:00Z) or a date."]}
        ) from None
    return datetime(day.year, day.month, day.day, tzinfo=site_zone())


def parse_month(value: str | None, *, name: str) -> date | None:
    """`YYYY-MM` as the first day of that month."""
    if not value:
        return None
    try:
        year, month = value.split("-")
        if len(year) != 4 or len(month) != 2:
            raise ValueError
        return date(int(year), int(month), 1)
    except ValueError:
        raise exceptions.ValidationError({name: ["Use a month as YYYY-MM, e.g. 2026-03."]}) from None


class SelectorFilterSet(django_filters.FilterSet):
    organization = django_filters.NumberFilter(method="filter_organization")

    def keep(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        return queryset  # filter_queryset applies them all at once

    @extend_schema_field({"type": "integer", "description": "Id of the consumer."})
    def filter_organization(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        return queryset

    def organization_id(self) -> int | None:
        value = self.form.cleaned_data.get("organization")
        if value is None:
            return None
        if value != int(value):
            raise exceptions.ValidationError({"organization": ["Give the id of an organization."]})
        return int(value)


class SyncSelectorFilterSet(SelectorFilterSet):
    """A list that incremental sync reads: `updated_since` as well."""

    updated_since = django_filters.CharFilter(method="filter_updated_since")

    @extend_schema_field(
        {"type": "string", "format": "date-time", "description": "Changed at or after this ISO 8601 moment."}
    )
    def filter_updated_since(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset

    def since(self, rows: QuerySet, field: str = "updated_at") -> QuerySet:
        since = parse_updated_since(self.form.cleaned_data.get("updated_since"))
        return rows if since is None else rows.filter(**{f"{field}__gte": since})
