"""The demo's personas: the typical people Larkfield Managed Services designs its services for, each with
a few scenarios along the journey and the jobs they hire an IT provider to do, linked to the demo's
market segments. Every name is invented; the text is ours.

`seed_personas` runs after the segments exist (dsv.demo.accounts.DEMO_SEGMENTS); `reset_personas`
removes exactly what it made, by name, so a re-seed starts clean.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from dsv.demo import accounts
from exploration.models import JobToBeDone, MarketSegment
from journeys.models import JourneyMap, Persona, Scenario

MOBILITY, PUBLIC, AUDIT = accounts.DEMO_SEGMENTS


@dataclass(frozen=True)
class PersonaPlan:
    name: str
    job_title: str
    consumer_role: str
    preferred_channel: str
    summary: str
    goals: str
    pain_points: str
    needs: str
    quote: str
    segments: tuple[str, ...]
    # (title, journey step, situation, goal, narrative, expected outcome)
    scenarios: tuple[tuple[str, str, str, str, str, str], ...]
    # (job, situation, desired outcome, importance, satisfaction)
    jobs: tuple[tuple[str, str, str, int, int], ...]


PERSONAS: tuple[PersonaPlan, ...] = (
    PersonaPlan(
        name="Fleet operations lead Ciarán",
        job_title="Head of fleet operations",
        consumer_role="customer",
        preferred_channel="telephone",
        summary="Runs 400 vehicles from three depots. Starts at six, spends the morning on the phone with "
        "drivers and the afternoon on costs.",
        goals="Every vehicle out on time; no driver stuck waiting for a system to come back.",
        pain_points="Outages found out about from drivers, not from the provider. Reports that arrive "
        "a month late.",
        needs="Early warning when something breaks, and one person who knows his depots.",
        quote="If the tablets in the cabs are down, I have 400 people guessing.",
        segments=(MOBILITY,),
        scenarios=(
            (
                "Tablets down before the morning run",
                "co_create",
                "At 05:40 the driver app will not sync; the first vans leave at 06:00.",
                "Get the vans out with their routes, fix or no fix.",
                "He rings the service desk, which already knows of the fault, gives him a workaround "
                "(paper manifests by e-mail to each depot) and an estimate.",
                "Vans leave no more than fifteen minutes late; he hears about the fix before his drivers do.",
            ),
            (
                "Looking for a provider after a bad winter",
                "explore",
                "Three long outages in one winter; the board asks whether the current supplier can cope.",
                "Find a provider that understands depots and shifts, not just offices.",
                "He asks peers at other operators, reads case studies and shortlists providers that "
                "offer round-the-clock support.",
                "A shortlist of two he would trust with a night shift.",
            ),
        ),
        jobs=(
            (
                "Keep every vehicle on the road when systems fail",
                "A depot system or the driver app stops working during a shift.",
                "Drivers keep driving; nobody waits more than a few minutes for an answer.",
                5,
                2,
            ),
            (
                "Know what IT costs per vehicle each month",
                "Budget reviews with the finance director.",
                "One figure per vehicle he can explain without a spreadsheet.",
                3,
                2,
            ),
        ),
    ),
    PersonaPlan(
        name="Depot supervisor Marta",
        job_title="Shift supervisor at a parcel depot",
        consumer_role="user",
        preferred_channel="chat",
        summary="Leads a night shift of 40 sorters. Uses the handheld scanners and the depot PCs all "
        "night, with no IT staff on site.",
        goals="Finish the sort before the first trucks leave.",
        pain_points="Waiting on hold at 3 a.m.; being asked to reboot things she already rebooted.",
        needs="Quick answers in a chat she can keep open while she works.",
        quote="I don't need it explained, I need it back.",
        segments=(MOBILITY,),
        scenarios=(
            (
                "Scanner will not pair at 02:00",
                "co_create",
                "A batch of new handheld scanners will not connect to the depot network.",
                "Get the scanners working before the sort falls behind.",
                "She opens the chat from the depot PC, sends a photo of the error, and the agent pushes "
                "a fix to the scanners remotely.",
                "Scanners working within twenty minutes, without a call-back in the morning.",
            ),
        ),
        jobs=(
            (
                "Get a broken device working again during a night shift",
                "A scanner, printer or depot PC fails with nobody from IT on site.",
                "Back in use within half an hour, without leaving the floor.",
                5,
                3,
            ),
        ),
    ),
    PersonaPlan(
        name="IT procurement officer Gráinne",
        job_title="Procurement officer, ICT services",
        consumer_role="customer",
        preferred_channel="email",
        summary="Buys ICT services for a public body through framework agreements and open tenders. "
        "Everything she signs must survive an audit and fit next year's budget.",
        goals="Contracts that are easy to compare, easy to justify and hard to dispute.",
        pain_points="Offers that hide costs in options; service levels nobody reports on.",
        needs="Clear prices per service, monthly reports she can pass on as they are.",
        quote="Show me what we get for the money, in a form I can put in front of a committee.",
        segments=(PUBLIC,),
        scenarios=(
            (
                "Renewing the service desk contract",
                "agree",
                "The three-year service desk contract ends in six months; a tender is required.",
                "Award a contract that keeps what works and fixes the reporting.",
                "She writes the tender with the service owners, compares three bids on a weighted "
                "matrix and negotiates the service levels with the preferred bidder.",
                "A signed contract with monthly reports she can forward to the finance committee.",
            ),
            (
                "Year-end budget check",
                "realize",
                "The finance committee asks whether ICT services delivered what was budgeted.",
                "Answer with figures, not impressions.",
                "She gathers the provider's reports for the year and sets them against the targets in "
                "the contract.",
                "A two-page summary the committee accepts without follow-up questions.",
            ),
        ),
        jobs=(
            (
                "Justify each service we buy to the finance committee",
                "Budget round and audits.",
                "Every euro linked to a service and a measured result.",
                4,
                2,
            ),
            (
                "Compare offers like for like",
                "A tender or a renewal.",
                "Prices and service levels laid out the same way for every bidder.",
                4,
                3,
            ),
        ),
    ),
    PersonaPlan(
        name="Ward systems coordinator Deepak",
        job_title="Clinical systems coordinator",
        consumer_role="user",
        preferred_channel="telephone",
        summary="The link between the wards and IT in a hospital group. Knows every clinical system by "
        "heart and which ward will ring first when one is slow.",
        goals="Clinical staff never have to think about IT.",
        pain_points="Planned changes announced too late for the wards to prepare.",
        needs="Maintenance windows agreed with him, and a direct line when patients are affected.",
        quote="Give me a week's notice and I can make any change painless for the wards.",
        segments=(PUBLIC,),
        scenarios=(
            (
                "Planning an upgrade around the wards",
                "onboard",
                "The patient record system needs an upgrade that takes two hours.",
                "Choose a window when the fewest wards are busy and tell everyone in time.",
                "He agrees the window with the provider's change manager, briefs the ward managers and "
                "arranges paper fallback for the two hours.",
                "Upgrade done overnight; no ward surprised, no patient delayed.",
            ),
        ),
        jobs=(
            (
                "Make IT changes invisible to clinical staff",
                "Upgrades, patches and moves of clinical systems.",
                "Wards warned in time; nothing clinical interrupted without a fallback.",
                5,
                3,
            ),
        ),
    ),
    PersonaPlan(
        name="Compliance manager Helen",
        job_title="Head of IT risk and compliance",
        consumer_role="sponsor",
        preferred_channel="email",
        summary="Answers to the regulator for how a financial institution runs its IT, including what "
        "its providers do on its behalf.",
        goals="Pass every inspection with evidence ready before it is asked for.",
        pain_points="Chasing providers for change records; logs that stop at the provider's edge.",
        needs="Who changed what, when and why, on request, for every system the provider runs.",
        quote="If I can't show it to the regulator, it didn't happen.",
        segments=(AUDIT,),
        scenarios=(
            (
                "Regulator asks for a year of change records",
                "co_create",
                "A supervisory review asks for all changes to payment systems over twelve months.",
                "Hand over complete evidence within the deadline.",
                "She requests the records through the portal; the provider exports them with approvals "
                "and test results attached.",
                "Evidence delivered in two days, no finding raised.",
            ),
            (
                "Checking a new provider before signing",
                "engage",
                "The bank considers moving hosting to a new provider.",
                "Be sure the provider can meet the bank's audit duties.",
                "She sends a due-diligence questionnaire, reviews the provider's certifications and "
                "audits a sample of its change records.",
                "A go decision with the audit rights written into the agreement.",
            ),
        ),
        jobs=(
            (
                "Show the regulator complete evidence of every change",
                "Inspections, audits and incident reviews.",
                "Records complete, signed off, and handed over within days.",
                5,
                2,
            ),
            (
                "Keep duties separated across our staff and the provider's",
                "Access reviews each quarter.",
                "Nobody can both make and approve a change.",
                4,
                4,
            ),
        ),
    ),
)

# Jobs that belong to a segment as a whole, not to one persona.
SEGMENT_JOBS: tuple[tuple[str, str, str, str, int, int], ...] = (
    (
        MOBILITY,
        "Support that follows our shifts, not office hours",
        "Work runs at night, at weekends and on bank holidays.",
        "The same level of help at 3 a.m. as at 3 p.m.",
        5,
        2,
    ),
    (
        PUBLIC,
        "Spend the budget in the year it was given",
        "Money not committed by year end is lost.",
        "Changes and purchases planned so they land inside the budget year.",
        3,
        3,
    ),
    (
        AUDIT,
        "Prove where our data is kept",
        "Customers and regulators ask where personal data is stored and who can reach it.",
        "A current answer, per system, ready to send.",
        4,
        3,
    ),
)


def demo_persona_names() -> list[str]:
    return [plan.name for plan in PERSONAS]


@transaction.atomic
def reset_personas() -> None:
    """Remove the demo's personas (their scenarios and jobs go with them, their journey maps first)
    and its segment jobs."""
    JourneyMap.objects.filter(persona__name__in=demo_persona_names()).delete()
    Persona.objects.filter(name__in=demo_persona_names()).delete()
    JobToBeDone.objects.filter(persona__isnull=True, job__in=[job[1] for job in SEGMENT_JOBS]).delete()


@transaction.atomic
def seed_personas(*, users: dict, now: datetime) -> int:
    """Create the demo personas with their scenarios and jobs, linked to the demo segments, and return
    how many personas there are. Seeding again replaces them. `now` is accepted like the builder's
    other steps; nothing here depends on the clock."""
    reset_personas()
    owner = users.get("manager")
    segments = {
        segment.name: segment for segment in MarketSegment.objects.filter(name__in=accounts.DEMO_SEGMENTS)
    }
    scenarios: list[Scenario] = []
    jobs: list[JobToBeDone] = []
    for plan in PERSONAS:
        persona = Persona.objects.create(
            name=plan.name,
            job_title=plan.job_title,
            consumer_role=plan.consumer_role,
            preferred_channel=plan.preferred_channel,
            summary=plan.summary,
            goals=plan.goals,
            pain_points=plan.pain_points,
            needs=plan.needs,
            quote=plan.quote,
            owner=owner,
        )
        linked = [segments[name] for name in plan.segments if name in segments]
        for segment in linked:
            segment.personas.add(persona)
        scenarios.extend(
            Scenario(
                persona=persona,
                title=title,
                journey_step=step,
                situation=situation,
                goal=goal,
                narrative=narrative,
                expected_outcome=outcome,
            )
            for title, step, situation, goal, narrative, outcome in plan.scenarios
        )
        jobs.extend(
            JobToBeDone(
                persona=persona,
                segment=linked[0] if linked else None,
                job=job,
                situation=situation,
                desired_outcome=outcome,
                importance=importance,
                satisfaction=satisfaction,
                owner=owner,
            )
            for job, situation, outcome, importance, satisfaction in plan.jobs
        )
    jobs.extend(
        JobToBeDone(
            segment=segments[name],
            job=job,
            situation=situation,
            desired_outcome=outcome,
            importance=importance,
            satisfaction=satisfaction,
            owner=owner,
        )
        for name, job, situation, outcome, importance, satisfaction in SEGMENT_JOBS
        if name in segments
    )
    Scenario.objects.bulk_create(scenarios)
    JobToBeDone.objects.bulk_create(jobs)
    return len(PERSONAS)
