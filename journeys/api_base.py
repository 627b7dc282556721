"""API building blocks shared by every app: the permission every endpoint starts from, the cursor
pagination with `updated_since`, the filter sets of lists that a selector filters, and the one error
envelope.

Every error answers with the same shape::

    {"error": {"code": "invalid", "message": "Sentiment must be ...", "fields": {"sentiment": ["..."]}}}
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.dateparse import parse_datetime
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, permissions, serializers, status
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from journeys import roles
from journeys.base import ApplicationError


class IsDSVUser(permissions.IsAuthenticated):
    """Authenticated users holding at least one DSV role. Writes need a role that may write; the
    objects themselves are scoped by the selectors (outsiders get 404)."""

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            return False
        user_roles = roles.roles_of(request.user)
        if not user_roles:
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        return bool(user_roles - {roles.Role.ANALYST})


class UpdatedCursorPagination(CursorPagination):
    """Stable cursor pagination for incremental sync: ordered by last change, then id."""

    ordering = ("updated_at", "id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


def validated(
    serializer_class: type[serializers.Serializer], request, *, partial: bool = False
) -> dict[str, Any]:
    """The request body checked by an input serializer (400 naming the fields otherwise)."""
    serializer = serializer_class(data=request.data, partial=partial, context={"request": request})
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def parse_updated_since(value: str | None):
    """Parse the `updated_since` query parameter (ISO 8601) or raise a field error."""
    if not value:
        return None
    moment = parse_datetime(value.replace(" ", "+"))
    if moment is None:
        raise exceptions.ValidationError(
            {"updated_since": ["Use an ISO 8601 date-time, e.g. 2026-01-31T12:00:00Z."]}
        )
    if moment.tzinfo is None:
        raise exceptions.ValidationError(
            {"updated_since": ["Include a time zone, e.g. a trailing Z for UTC."]}
        )
    return moment


def _flatten(detail) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        fields: dict[str, list[str]] = {}
        for key, value in detail.items():
            if isinstance(value, dict):
                for sub_key, messages in _flatten(value).items():
                    fields[f"{key}.{sub_key}"] = messages
            elif isinstance(value, list) and value and isinstance(value[0], dict):
                for index, item in enumerate(value):
                    for sub_key, messages in _flatten(item).items():
                        fields[f"{key}[{index}].{sub_key}"] = messages
            else:
                fields[key] = [str(message) for message in (value if isinstance(value, list) else [value])]
        return fields
    if isinstance(detail, list):
        return {"non_field_errors": [str(message) for message in detail]}
    return {}


def error_response(
    *, code: str, message: str, fields: dict | None = None, status_code: int = 400
) -> Response:
    return Response({"error": {"code": code, "message": message, "fields": fields or {}}}, status=status_code)


def error_envelope_handler(exc, context):
    """Turn every error into the one envelope: ApplicationError from services, DRF's own errors
    (validation, authentication, throttling, not found) and Django's 404/403."""
    # Imported here: rest_framework.views reads these very settings when it is first imported.
    from rest_framework.views import exception_handler

    if isinstance(exc, ApplicationError):
        return error_response(code=exc.code, message=exc.message, fields=exc.fields, status_code=exc.status)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        first = next(iter(fields.values()))[0] if fields else "Invalid input."
        message = first if list(fields) == ["non_field_errors"] else f"{next(iter(fields))}: {first}"
        response.data = {"error": {"code": "invalid", "message": message, "fields": fields}}
        response.status_code = status.HTTP_400_BAD_REQUEST
        return response
    detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
    code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
    response.data = {"error": {"code": str(code), "message": str(detail), "fields": {}}}
    return response


class NamedChoiceField(serializers.ChoiceField):
    """A choice field whose choice set is one schema component named after its choices class (e.g.
    `LadderStatusEnum`). Many resources reuse field names (`status`, `kind`, `type`, `quadrant`) for
    different choice sets; components named after the field would collide, named after the class
    they stay stable and unambiguous."""

    def __init__(self, choices_class, **kwargs) -> None:
        self.choices_class = choices_class
        super().__init__(choices=choices_class.choices, **kwargs)


class NamedChoiceFieldExtension(OpenApiSerializerFieldExtension):
    target_class = NamedChoiceField
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        choices_class = self.target.choices_class
        values = list(choices_class.values)
        name = f"{choices_class.__name__}Enum"
        component = ResolvedComponent(
            name=name,
            type=ResolvedComponent.SCHEMA,
            object=name,
            schema={
                "type": "integer" if all(isinstance(value, int) for value in values) else "string",
                "enum": values,
                "description": "\n".join(f"* `{value}` - {label}" for value, label in choices_class.choices),
            },
        )
        auto_schema.registry.register_on_missing(component)
        return component.ref


# --- filter sets of lists a selector filters ----------------------------------------------------------


class SelectorFilterSet(django_filters.FilterSet):
    """Validated like any filter set (a bad value answers 400 naming it), but the rows come from a
    selector that takes every filter at once, so the declared filters leave the queryset as it is
    (`keep`) and the view (or the set's own `filter_queryset`) applies them; the documented no-op
    methods give the schema each filter's type and meaning."""

    organization = django_filters.NumberFilter(method="filter_organization")

    def keep(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        return queryset  # the selector applies them all at once

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
        """The rows changed at or after `updated_since` (all of them without it)."""
        since = parse_updated_since(self.form.cleaned_data.get("updated_since"))
        return rows if since is None else rows.filter(**{f"{field}__gte": since})
