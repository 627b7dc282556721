from django import template

from journeys.models import SENTIMENT_LABELS, GridQuadrant, JourneyStep, grid_quadrant

register = template.Library()


@register.filter
def step_label(value: str) -> str:
    """The book's name of a journey step stored as its value (e.g. "co_create" → "Co-create")."""
    try:
        return JourneyStep(value).label
    except ValueError:
        return ""


@register.filter
def sentiment_label(value) -> str:
    if value is None:
        return ""
    return SENTIMENT_LABELS.get(round(value), "")


@register.filter
def quadrant_label(stakeholder) -> str:
    return GridQuadrant(grid_quadrant(stakeholder.influence, stakeholder.interest)).label
