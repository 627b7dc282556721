"""Demo assessments: trust rated both ways over the last year (so the trends tell each account's story),
relationship maturity with one account whose two sides have grown apart, and readiness assessments for
the accounts heading towards a partnership.

Every assessment goes through `assessment_record`, so the stored results are the computed ones. Run
after `seed_relationships` (the relationship types come from there); an account that has assessments
already is left alone, so seeding twice adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from journeys.models import Organization
from relationships.models import Assessment, AssessmentDirection, AssessmentKind
from relationships.questionnaires import MATURITY, questionnaire_for
from relationships.services import assessment_record

TRUST, MATURITY_KIND = AssessmentKind.TRUST, AssessmentKind.MATURITY
COLLABORATION, CHANGE = AssessmentKind.COLLABORATION_READINESS, AssessmentKind.CHANGE_READINESS
OF_US, OF_THEM = AssessmentDirection.PROVIDER_BY_CONSUMER, AssessmentDirection.CONSUMER_BY_PROVIDER


@dataclass(frozen=True)
class Rated:
    """A rated assessment: the mean wanted for each factor, in questionnaire order."""

    kind: str
    days_ago: int
    factors: tuple[float, ...]
    direction: str | None = None
    respondent: str = ""
    notes: str = ""


@dataclass(frozen=True)
class Maturity:
    """A maturity checklist: each side's level, with the first characteristic of the next level met
    too (maturity rarely stops neatly at a level boundary)."""

    days_ago: int
    consumer: int
    provider: int
    respondent: str = ""
    notes: str = ""


OUR_TEAM = "Our account team"

DEMO_ASSESSMENTS: dict[str, tuple[Rated | Maturity, ...]] = {
    "Rovena Car Rental": (
        Rated(TRUST, 330, (3.0, 3.2, 2.7), OF_US, "Their head of branch operations"),
        Rated(TRUST, 190, (3.7, 3.6, 3.3), OF_US, "Their head of branch operations"),
        Rated(
            TRUST,
            45,
            (4.3, 4.0, 4.0),
            OF_US,
            "Their head of branch operations",
            "Kiosk advice before their hardware choice made the difference.",
        ),
        Rated(TRUST, 300, (3.0, 3.5, 3.5), OF_THEM, OUR_TEAM),
        Rated(TRUST, 50, (4.0, 4.0, 4.5), OF_THEM, OUR_TEAM),
        Maturity(120, 2, 2, "Their IT manager and our account team"),
        Rated(
            COLLABORATION,
            60,
            (4.3, 4.0, 3.8),
            respondent="Their IT manager with our account team",
            notes="Risk tolerance for peak season still to be written down.",
        ),
    ),
    "Meridian Freight Lines": (
        Rated(TRUST, 350, (4.0, 4.2, 3.7), OF_US, "Their depot operations director"),
        Rated(TRUST, 170, (4.3, 4.4, 4.0), OF_US, "Their depot operations director"),
        Rated(TRUST, 30, (4.7, 4.6, 4.3), OF_US, "Their depot operations director"),
        Rated(TRUST, 320, (4.0, 4.0, 3.5), OF_THEM, OUR_TEAM),
        Rated(TRUST, 35, (5.0, 4.5, 4.5), OF_THEM, OUR_TEAM),
        Maturity(
            90,
            3,
            2,
            "Their CIO and our service owner",
            "They want analytics that sharpen their market position; our supply side is not there yet.",
        ),
        Rated(COLLABORATION, 25, (4.7, 4.3, 4.2), respondent="Their CIO with our service owner"),
        Rated(CHANGE, 25, (4.5, 4.3, 4.0, 3.8), respondent="Their CIO"),
    ),
    "Skyport Ground Handling": (
        Rated(TRUST, 300, (3.7, 3.6, 3.3), OF_US, "Their ramp operations manager"),
        Rated(
            TRUST,
            160,
            (3.0, 3.2, 2.7),
            OF_US,
            "Their ramp operations manager",
            "Tablet outages during the Easter peak weigh on every answer.",
        ),
        Rated(TRUST, 40, (2.3, 3.0, 2.3), OF_US, "Their ramp operations manager"),
        Rated(TRUST, 150, (3.0, 3.3, 3.0), OF_THEM, OUR_TEAM),
        Rated(TRUST, 45, (3.0, 3.0, 2.5), OF_THEM, OUR_TEAM, "Turnaround changes reach us after the fact."),
    ),
    "Harbourview Hospital Group": (
        Rated(TRUST, 210, (3.7, 3.8, 3.3), OF_US, "Their clinical systems lead"),
        Rated(TRUST, 30, (4.0, 3.8, 3.7), OF_US, "Their new CIO"),
        Rated(TRUST, 60, (4.0, 3.8, 3.0), OF_THEM, OUR_TEAM),
        Maturity(200, 2, 2, "Their clinical systems lead and our service owner"),
        Rated(
            CHANGE,
            20,
            (4.0, 2.7, 3.5, 3.3),
            respondent="Their new CIO",
            notes="Ward managers wait to see whether the new leadership lasts.",
        ),
    ),
    "Velmont City Council": (
        Rated(TRUST, 280, (3.7, 4.0, 4.0), OF_US, "Their digital services manager"),
        Rated(TRUST, 70, (4.0, 4.2, 4.3), OF_US, "Their digital services manager"),
        Rated(TRUST, 250, (4.0, 3.8, 4.0), OF_THEM, OUR_TEAM),
        Maturity(
            400, 2, 2, "Their digital services manager", "Due for a fresh look since the portal upgrade."
        ),
    ),
    "Lindqvist Bike Share": (Maturity(150, 1, 1, "Their operations lead"),),
    "Cobalt Trust Bank": (
        Rated(TRUST, 340, (4.0, 3.4, 4.0), OF_US, "Their head of IT service management"),
        Rated(TRUST, 180, (4.3, 3.8, 4.3), OF_US, "Their head of IT service management"),
        Rated(TRUST, 40, (4.3, 4.2, 4.7), OF_US, "Their head of IT service management"),
        Rated(TRUST, 200, (3.0, 3.8, 4.0), OF_THEM, OUR_TEAM),
        Rated(TRUST, 45, (4.0, 4.0, 4.5), OF_THEM, OUR_TEAM),
        Maturity(100, 2, 2, "Their head of architecture and our service owner"),
        Rated(
            COLLABORATION,
            30,
            (4.3, 4.0, 3.4),
            respondent="Their product director with our account team",
            notes="Shared risk needs their regulator's view first; integrations not yet checked.",
        ),
        Rated(
            CHANGE,
            30,
            (4.0, 4.3, 3.5, 3.0),
            respondent="Their head of IT service management",
            notes="The change board already runs at full stretch.",
        ),
    ),
    "Peregrine Mutual Insurance": (
        Rated(TRUST, 50, (3.3, 3.0, 2.5), OF_US, "Their COO"),
        Rated(
            COLLABORATION,
            20,
            (2.7, 3.7, 2.8),
            respondent="Their COO with our account team",
            notes="Too early for a partnership: trust is still being built.",
        ),
    ),
}


def _spread(mean: float, count: int) -> list[int]:
    """Whole-number ratings 1–5 for `count` items whose mean comes as close to `mean` as whole numbers
    allow: the higher values first."""
    total = max(count, min(5 * count, round(mean * count)))
    low, extra = divmod(total, count)
    return [low + 1 if index < extra else low for index in range(count)]


def _rated_answers(plan: Rated) -> dict[str, int]:
    questionnaire = questionnaire_for(plan.kind, plan.direction)
    answers: dict[str, int] = {}
    for factor, mean in zip(questionnaire.factors, plan.factors, strict=True):
        for item, value in zip(factor.items, _spread(mean, len(factor.items)), strict=True):
            answers[item.code] = value
    return answers


def _maturity_answers(plan: Maturity) -> dict[str, int]:
    answers: dict[str, int] = {}
    for factor in MATURITY.factors:
        reached = plan.consumer if factor.side == "consumer" else plan.provider
        for index, item in enumerate(factor.items):
            answers[item.code] = int(factor.level <= reached or (factor.level == reached + 1 and index == 0))
    return answers


def seed_assessments(*, users: dict, now: datetime) -> int:
    """Record the demo assessments of the accounts in DEMO_ASSESSMENTS that have none yet, each by the
    account's owner; returns how many were recorded."""
    today = timezone.localdate(now)
    organizations = Organization.objects.filter(name__in=DEMO_ASSESSMENTS).select_related("owner")
    assessed = set(
        Assessment.objects.filter(relationship__organization__in=organizations).values_list(
            "relationship__organization_id", flat=True
        )
    )
    count = 0
    for organization in organizations:
        if organization.pk in assessed:
            continue
        actor = organization.owner or users["manager"]
        for plan in DEMO_ASSESSMENTS[organization.name]:
            rated = isinstance(plan, Rated)
            assessment_record(
                actor=actor,
                organization=organization,
                kind=plan.kind if rated else MATURITY_KIND,
                direction=plan.direction if rated else None,
                assessed_on=today - timedelta(days=plan.days_ago),
                respondent=plan.respondent,
                notes=plan.notes,
                answers=_rated_answers(plan) if rated else _maturity_answers(plan),
            )
            count += 1
    return count


def reset_assessments() -> None:
    """Nothing to do: assessments belong to the demo consumers' relationships and go with them when
    `demo_reset` deletes those organizations (cascade)."""
