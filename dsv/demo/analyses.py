"""The demo's SWOT and PESTLE analyses: Larkfield's view of itself and of the market around it, one for a
strained account (whose weaknesses outweigh its strengths, so the balance check warns) and one for a
market segment. Written through the services, so the demo obeys the same rules as the pages."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction

from dsv.demo import accounts
from exploration import services
from exploration.models import AnalysisSubject, MarketSegment, PestleAnalysis, SwotAnalysis
from journeys.models import Organization

PROVIDER_SWOT = "Larkfield: where we stand"
PROVIDER_PESTLE = "The market around Larkfield"
ACCOUNT_SWOT = "Skyport: can we keep the ramp running?"
ACCOUNT = "Skyport Ground Handling"
SEGMENT_SWOT = "Winning public bodies on yearly budgets"
SEGMENT = "Public services on yearly budgets"
DEMO_ANALYSIS_TITLES = (PROVIDER_SWOT, PROVIDER_PESTLE, ACCOUNT_SWOT, SEGMENT_SWOT)

# (quadrant, text, weight)
PROVIDER_ITEMS = (
    ("strength", "Service desk staffed around the clock from Dublin, in five languages", 4),
    ("strength", "Field engineers within two hours of most of our consumers' sites", 3),
    ("strength", "A hosting partnership with Quaystone that has run smoothly for six years", 3),
    ("strength", "Next-business-day device swaps through Fernhill Devices", 2),
    ("weakness", "Little experience of regulated change control outside banking", 3),
    ("weakness", "Monthly service reports are still put together by hand", 2),
    ("weakness", "Mobile device management depends on two senior engineers", 3),
    ("opportunity", "Prospects whose in-house IT person is about to retire", 2),
    ("threat", "Hyperscalers bundling support into their own platform contracts", 3),
)

# (area, factor, description, effect, impact, likelihood)
PROVIDER_FACTORS = (
    (
        "political",
        "Public funding and grants",
        "EU digital programmes give councils and universities money to modernise their workplaces.",
        "opportunity",
        3,
        3,
    ),
    (
        "economic",
        "Inflation",
        "Engineer salaries and energy prices rise faster than our index-linked contract prices.",
        "threat",
        4,
        4,
    ),
    (
        "sociological",
        "Lifestyle",
        "Hybrid work is here to stay: staff expect the same support at home, on site and on the road.",
        "opportunity",
        4,
        5,
    ),
    (
        "technological",
        "Emerging technology",
        "AI-assisted triage can settle routine queries before an agent picks them up.",
        "opportunity",
        4,
        4,
    ),
    (
        "legal",
        "Industry regulation",
        "NIS2 makes essential-service consumers prove their suppliers are secure, ourselves included.",
        "threat",
        4,
        5,
    ),
    (
        "environmental",
        "Energy supply",
        "Grid capacity for data centres around Dublin is scarce and slow to grow.",
        "threat",
        3,
        3,
    ),
    (
        "environmental",
        "Circular economy",
        "Consumers ask for refurbished devices and proof of responsible disposal.",
        "opportunity",
        2,
        3,
    ),
)
# The factors pulled onto the provider's SWOT board (the rest stay for a later look).
PULLED_FACTORS = ("Lifestyle", "Emerging technology", "Inflation", "Industry regulation")

ACCOUNT_ITEMS = (
    ("strength", "The desk answers ramp staff within the agreed times", 2),
    ("strength", "A good working relationship with their IT manager", 2),
    ("weakness", "Rugged tablets fail in cold and wet weather on the apron", 4),
    ("weakness", "No pool of spare devices kept at the airport", 3),
    ("weakness", "Wi-Fi on the far stands is patchy, and the network is not ours to fix", 3),
    ("weakness", "Our reports show green SLAs while ramp staff are unhappy", 2),
    ("opportunity", "The airport operator is tendering a new shared wireless network", 3),
    ("threat", "A rival handler's IT partner offers them devices as a service, all in", 4),
)

SEGMENT_ITEMS = (
    ("strength", "References from Saltmarsh University and Velmont City Council", 3),
    ("strength", "Experience with public tenders and framework agreements", 2),
    ("weakness", "Our pricing assumes multi-year commitments", 2),
    ("opportunity", "Year-end budget left over for digital services", 3),
    ("threat", "Tender rules that weigh price far above service quality", 3),
)


def _days_ago(now: datetime, days: int):
    return (now - timedelta(days=days)).date()


def _items(actor, analysis: SwotAnalysis, items) -> None:
    for quadrant, text, weight in items:
        services.swot_item_add(actor=actor, analysis=analysis, quadrant=quadrant, text=text, weight=weight)


@transaction.atomic
def seed_analyses(*, users: dict, now: datetime) -> int:
    """Create the demo analyses (after the accounts and segments) and return how many."""
    manager = users["manager"]
    pestle = services.pestle_analysis_create(
        actor=manager,
        title=PROVIDER_PESTLE,
        analysed_on=_days_ago(now, 40),
        notes="Prepared for the yearly strategy day; revisit after the budget in October.",
    )
    factors = {}
    for area, factor, description, effect, impact, likelihood in PROVIDER_FACTORS:
        factors[factor] = services.pestle_factor_add(
            actor=manager,
            analysis=pestle,
            area=area,
            factor=factor,
            description=description,
            effect=effect,
            impact=impact,
            likelihood=likelihood,
        )
    swot = services.swot_analysis_create(
        actor=manager,
        title=PROVIDER_SWOT,
        analysed_on=_days_ago(now, 35),
        notes="Should we keep running mobile device management ourselves, or bring in a partner?",
    )
    _items(manager, swot, PROVIDER_ITEMS)
    services.swot_pull_pestle_factors(
        actor=manager, analysis=swot, factors=[factors[name] for name in PULLED_FACTORS]
    )

    account = Organization.objects.get(name=ACCOUNT)
    account_swot = services.swot_analysis_create(
        actor=users[next(plan.owner for plan in accounts.ACCOUNTS if plan.name == ACCOUNT)],
        title=ACCOUNT_SWOT,
        subject=AnalysisSubject.ORGANIZATION,
        organization=account,
        analysed_on=_days_ago(now, 12),
        notes="Ahead of the contract review: what we would have to fix to keep this account.",
    )
    _items(account_swot.owner, account_swot, ACCOUNT_ITEMS)

    segment_swot = services.swot_analysis_create(
        actor=manager,
        title=SEGMENT_SWOT,
        subject=AnalysisSubject.SEGMENT,
        segment=MarketSegment.objects.get(name=SEGMENT),
        analysed_on=_days_ago(now, 60),
    )
    _items(manager, segment_swot, SEGMENT_ITEMS)
    return 4


@transaction.atomic
def reset_analyses() -> None:
    """Remove the demo's analyses (their items and factors go with them)."""
    SwotAnalysis.objects.filter(title__in=DEMO_ANALYSIS_TITLES).delete()
    PestleAnalysis.objects.filter(title__in=DEMO_ANALYSIS_TITLES).delete()
