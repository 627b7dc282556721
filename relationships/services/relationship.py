"""Writes of the service relationship: its type and target type, its ladder progress and the
communication plans of its stakeholders."""

from __future__ import annotations

from journeys.base import ApplicationError
from journeys.models import Organization, OrganizationKind
from relationships.models import ServiceRelationship


def service_relationship_for(*, organization: Organization) -> ServiceRelationship:
    """The consumer's relationship record, created (as a basic relationship) the first time anything is
    recorded about it. Callers check the actor's rights first and run inside their own transaction.
    Only service consumers have a service relationship in this sense."""
    if organization.kind != OrganizationKind.CONSUMER:
        raise ApplicationError(
            f"{organization.name} is not a service consumer, so it has no service relationship to record.",
            code="not_a_consumer",
            status=409,
        )
    relationship, _ = ServiceRelationship.objects.get_or_create(organization=organization)
    return relationship
