"""Demo decision matrices (Explore): Larkfield choosing where to host a consumer's portal among three
candidates, and Larkfield deciding the future of its own service desk tool among four ways forward.

Built through the services, so the demo obeys the same rules as a user. Every name is invented.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction

from exploration import services
from exploration.models import DecisionMatrix
from journeys.models import Organization

HOSTING = "Hosting partner for the Velmont resident portal"
SERVICE_DESK_TOOL = "Future of our service desk tool"
DEMO_MATRICES = (HOSTING, SERVICE_DESK_TOOL)

# The fourteen default criteria, by their place in the default list → (weight, intangible).
HOSTING_WEIGHTS = {
    1: (10, False),  # products and services, functional coverage
    2: (12, False),  # delivery models, warranties, fit, integration
    3: (12, False),  # price
    4: (10, False),  # geography and languages: Dutch and French support, data kept in the EU
    5: (8, True),  # service attitude: judged after the workshops, not scored
    6: (8, False),  # competencies
    7: (4, False),  # resources and partners
    8: (15, False),  # governance: security, GDPR, the council's audit rules
    9: (2, False),  # size
    10: (8, False),  # flexibility and scalability: election nights and tax-return weeks
    11: (5, False),  # financial situation
    12: (4, False),  # brand, credentials, references
    13: (6, True),  # trust and existing relationship: discussed with the council, not scored
    14: (6, False),  # charges: exit, egress and change fees
}
# option → {criterion place: (rating, note)}; a place left out is not rated yet.
HOSTING_RATINGS = {
    "Quaystone Cloud Hosting": {
        1: (4, "Managed Kubernetes and database tiers; no managed search."),
        2: (4, "Runs two of our platforms already; same deployment pipeline."),
        3: (3, "Mid-range quote for three years."),
        4: (3, "Amsterdam and Frankfurt sites; support in English and Dutch only."),
        5: (4, "Answered every workshop question within a day."),
        6: (4, ""),
        7: (4, ""),
        8: (4, "ISO 27001 and SOC 2; council auditors may visit."),
        9: (3, ""),
        10: (4, "Burst capacity contracted per month."),
        11: (4, ""),
        12: (3, ""),
        13: (5, "Four years of joint planning with us."),
        14: (3, "Egress charged above 5 TB a month."),
    },
    "Scheldt Data Centres": {
        1: (3, "Colocation with managed virtual servers; containers on request."),
        2: (3, "New integration work for our monitoring."),
        3: (4, "Cheapest hardware-based quote."),
        4: (5, "Antwerp site; support in Dutch, French and English."),
        5: (3, "Slow to send the security annex."),
        6: (3, ""),
        7: (2, "Small team; one engineer on call at night."),
        8: (4, "Belgian public sector references; ISO 27001."),
        9: (2, ""),
        10: (2, "Capacity added by ordering hardware, weeks ahead."),
        11: (3, ""),
        12: (3, ""),
        13: (2, "No history with us or with the council."),
        14: (4, "No egress fees."),
    },
    "Public cloud, EU West region": {
        1: (5, "Every managed service the portal could want."),
        2: (4, ""),
        3: (2, "Cheap to start, dearest over three years at the portal's load."),
        4: (3, "EU regions; support in English, French by arrangement."),
        5: (2, "Support through a ticket queue unless we buy the top tier."),
        6: (4, ""),
        8: (3, "Strong certifications; council lawyers uneasy about the data-access clauses."),
        9: (5, ""),
        10: (5, ""),
        11: (5, ""),
        12: (4, ""),
        13: (3, "We run a few small workloads there."),
        14: (1, "Egress and support charges hard to predict."),
    },
}

# The service desk tool: criteria of our own, (name, weight, intangible).
TOOL_CRITERIA = (
    ("Security and compliance risk left over", 25, False),
    ("Cost over three years", 20, False),
    ("Time until it helps the desk", 15, False),
    ("Fit with how the desk works", 15, False),
    ("Skills we have to run and change it", 10, False),
    ("Staying in control of the roadmap", 5, False),
    ("The desk team's appetite for change", 5, True),
)
TOOL_RATINGS = {
    "Keep the current tool as it is": (
        (0, "Unsupported since last year; two critical patches missing."),
        (4, "No new licences; rising effort for workarounds."),
        (5, "Nothing to wait for."),
        (3, "Known to everyone, but the customer portal is clumsy."),
        (2, "One administrator still knows its internals."),
        (3, ""),
        (2, "Agents ask for something better at every retrospective."),
    ),
    "Keep it and harden it": (
        (2, "Network isolation and extra monitoring; the unsupported core stays."),
        (3, "A contractor for six months."),
        (4, "Three months."),
        (3, ""),
        (2, "Depends on the same administrator."),
        (3, ""),
        (2, ""),
    ),
    "Build a replacement ourselves": (
        (4, "Only as good as our own secure development practice."),
        (1, "Two developers for a year, then upkeep."),
        (1, "A year at least; competes with consumer projects."),
        (5, "Made to measure."),
        (2, "We would need to hire."),
        (5, ""),
        (3, "Some excitement, some worry about the workload."),
    ),
    "Buy a hosted service desk platform": (
        (4, "Supplier certified; we must learn to manage the supplier."),
        (3, "Subscription per agent; migration once."),
        (4, "Four months including migration."),
        (4, "Configurable; some of our habits must change."),
        (4, "Configuration skills, which the team has."),
        (2, "The supplier decides what comes next."),
        (4, "Most agents tried it in a demo and liked it."),
    ),
}


@transaction.atomic
def reset_decisions() -> None:
    DecisionMatrix.objects.filter(title__in=DEMO_MATRICES).delete()


@transaction.atomic
def seed_decisions(*, users: dict, now: datetime) -> int:
    """Create the demo's decision matrices (replacing earlier ones of the same titles); returns how
    many. `users` maps demo usernames to users: the relationship manager of the council shapes the
    hosting decision, the administrator links the partner record and looks after the tool decision."""
    reset_decisions()
    manager, admin = users["manager"], users["admin"]
    _hosting(manager, admin, now)
    _service_desk_tool(admin, now)
    return len(DEMO_MATRICES)


def _grid(actor, matrix, criteria: dict, options: dict, ratings: dict, weights: dict) -> None:
    """Save weights, intangible marks and ratings (with notes) in one go, as the page does."""
    cells, notes = {}, {}
    for option_name, rated in ratings.items():
        for place, (rating, note) in rated.items():
            cells[(options[option_name].pk, criteria[place].pk)] = rating
            notes[(options[option_name].pk, criteria[place].pk)] = note
    services.decision_matrix_save_grid(
        actor=actor,
        matrix=matrix,
        weights={criteria[place].pk: weight for place, (weight, _) in weights.items()},
        intangible={criteria[place].pk: intangible for place, (_, intangible) in weights.items()},
        ratings=cells,
        notes=notes,
    )


def _hosting(manager, admin, now: datetime) -> None:
    council = Organization.objects.get(name="Velmont City Council")
    matrix = services.decision_matrix_create(
        actor=manager,
        title=HOSTING,
        organization=council,
        purpose="The portal's hosting contract ends next spring. We compare three places to run it, "
        "with the council's digital lead and its data protection officer; a choice is due by "
        f"{(now + timedelta(weeks=6)):%d %B %Y}. Trust and service attitude are talked through in the "
        "steering meeting rather than scored.",
    )
    criteria = {criterion.position: criterion for criterion in matrix.criteria.all()}
    quaystone = Organization.objects.filter(name="Quaystone Cloud Hosting").first()
    options = {
        # The partner record is company-wide: the administrator links it.
        "Quaystone Cloud Hosting": services.decision_option_add(
            actor=admin,
            matrix=matrix,
            name="Quaystone Cloud Hosting",
            organization=quaystone,
            notes="Our hosting partner; would run it from Amsterdam.",
        ),
        "Scheldt Data Centres": services.decision_option_add(
            actor=manager, matrix=matrix, name="Scheldt Data Centres", notes="Regional colocation, Antwerp."
        ),
        "Public cloud, EU West region": services.decision_option_add(
            actor=manager,
            matrix=matrix,
            name="Public cloud, EU West region",
            notes="We would build and run the landing zone ourselves.",
        ),
    }
    _grid(manager, matrix, criteria, options, HOSTING_RATINGS, HOSTING_WEIGHTS)


def _service_desk_tool(admin, now: datetime) -> None:
    matrix = services.decision_matrix_create(
        actor=admin,
        title=SERVICE_DESK_TOOL,
        with_default_criteria=False,
        purpose="Our service desk tool is out of support and fails more security checks each quarter. "
        "Four ways forward, each with the risk it still leaves us; the desk leads and the security "
        f"officer rated them in the workshop of {(now - timedelta(days=9)):%d %B %Y}.",
    )
    criteria = {
        place: services.decision_criterion_add(
            actor=admin, matrix=matrix, name=name, weight=weight, is_intangible=intangible
        )
        for place, (name, weight, intangible) in enumerate(TOOL_CRITERIA, start=1)
    }
    options = {
        name: services.decision_option_add(actor=admin, matrix=matrix, name=name) for name in TOOL_RATINGS
    }
    ratings = {
        name: {place: rated for place, rated in enumerate(row, start=1)} for name, row in TOOL_RATINGS.items()
    }
    weights = {
        place: (weight, intangible) for place, (_, weight, intangible) in enumerate(TOOL_CRITERIA, start=1)
    }
    _grid(admin, matrix, criteria, options, ratings, weights)
