"""Template helpers of Engage."""

from django import template

from relationships.models import RelationshipType

register = template.Library()
_TYPE_LABELS = dict(RelationshipType.choices)


@register.filter
def relationship_type_label(value: str | None) -> str:
    """The type's name; an account with nothing recorded counts as a basic relationship."""
    return _TYPE_LABELS.get(value or RelationshipType.BASIC, value)
