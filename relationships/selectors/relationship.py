"""Reads of the service relationship: its type, the type's profile, its ladder progress and the
communication plans of its stakeholders."""

from __future__ import annotations

from journeys.models import Organization
from relationships.models import ServiceRelationship


def service_relationship_of(*, organization: Organization) -> ServiceRelationship | None:
    """The consumer's relationship record, or None while nothing has been recorded about it (it then
    counts as a basic relationship). The caller has checked that the user may see the organization."""
    return ServiceRelationship.objects.filter(organization=organization).first()
