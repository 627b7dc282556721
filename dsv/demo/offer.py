"""Demo data of Offer: Larkfield's service catalogue, the demand of the demo consumers and the business
cases and playbooks around it.

- **Catalogue.** Five services with twelve offerings: most published, two drafts still being shaped
  for an account (kiosk care for Rovena, regulated platform hosting for Cobalt), one retired (the
  office-hours desk, replaced by the round-the-clock one). Each bundles goods, access to resources and
  service actions, comes in user engagement tiers, targets the demo's segments and personas, and has
  value propositions written for them. "Connected site gateways" is published for public bodies too,
  but nobody has written that proposition yet: the offering page shows the gap. Every demo journey is
  linked to the offering it is about.
- **Demand.** Requirement boards for every consumer past Explore; the large ones are Harbourview's
  (the bench's big board), Cobalt's and Rovena's, with stories all along the lifecycle, every MoSCoW
  column, WSJF scores (not for everything) and a few stories that fail INVEST the way real ones do.
  Entered patterns of business activity for three offerings: kiosk pickups (weekends and summer),
  term starts at the university, shift handovers on the wards. Profiles computed from touchpoints are
  left to the product.
- **Pipeline.** Opportunities for every consumer, in all four stages; the lost ones say why.
- **Business cases.** Harbourview: baseline v1 approved, v2 in draft for two more sites. Peregrine: v1
  rejected by a new sponsor, v2 approved and the baseline. Saltmarsh: submitted, awaiting the finance
  committee. Rovena's kiosks: a draft whose return is marginal. Cobalt's mortgage platform: Larkfield's
  own (provider) case, which does not pay yet.
- **Playbooks.** Onboarding playbooks for most published offerings, two for the round-the-clock desk.

Deterministic: no randomness, only dates move with `now` (business case lineages are name-based
UUIDs). Written with the ORM, with history rows where the models keep history (dated when the record's
story says, not today); every record passes the model's own validation first. `seed_offer` starts with
`reset_offer`, so seeding twice leaves the same data.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from dsv.demo import accounts, personas
from exploration.models import MarketSegment
from journeys.models import ConsumerRole, Journey, Organization, Persona
from offerings.dependencies import find_cycle
from offerings.models import (
    BUCKET_RANGES,
    WSJF_FIELDS,
    Assumption,
    BenefitLine,
    BenefitType,
    BusinessCase,
    BusinessCasePerspective,
    BusinessCaseRisk,
    BusinessCaseStatus,
    Confidence,
    CostCategory,
    CostLine,
    DemandDimension,
    DemandProfile,
    DemandProfileCell,
    DemandProfileSource,
    DemandTrend,
    EngagementTier,
    ExpenseType,
    MoscowCategory,
    NonFunctionalCategory,
    OfferingComponent,
    OfferingComponentKind,
    OfferingJourney,
    OfferingStatus,
    OnboardingPlaybook,
    Opportunity,
    OpportunityStage,
    OwnerParty,
    PlaybookAction,
    PlaybookActionDependency,
    Recurrence,
    Requirement,
    RequirementKind,
    RequirementStatus,
    Service,
    ServiceOffering,
    UncertaintyArea,
    ValueProposition,
)

MOBILITY, PUBLIC, AUDIT = accounts.DEMO_SEGMENTS
GOODS, ACCESS, ACTIONS = OfferingComponentKind
DRAFT, PUBLISHED, RETIRED = OfferingStatus
CUSTOMER, USER, SPONSOR = ConsumerRole

# The demo personas (dsv.demo.personas), by name: seeding fails loudly if one is renamed.
CIARAN = "Fleet operations lead Ciarán"
MARTA = "Depot supervisor Marta"
GRAINNE = "IT procurement officer Gráinne"
DEEPAK = "Ward systems coordinator Deepak"
HELEN = "Compliance manager Helen"

# The demo accounts (dsv.demo.accounts), by name, and their journeys: an account renamed there
# fails loudly here.
ROVENA = "Rovena Car Rental"
MERIDIAN = "Meridian Freight Lines"
SKYPORT = "Skyport Ground Handling"
ALDER = "Alder Coach Travel"
KESTREL = "Kestrel Parcel Couriers"
BRENNA = "Brenna Rail Maintenance"
LINDQVIST = "Lindqvist Bike Share"
SALTMARSH = "Saltmarsh University"
HARBOURVIEW = "Harbourview Hospital Group"
VELMONT = "Velmont City Council"
COBALT = "Cobalt Trust Bank"
PEREGRINE = "Peregrine Mutual Insurance"
ORCHARD = "Orchard Lane Credit Union"
JOURNEYS = {plan.name: tuple(journey.name for journey in plan.journeys) for plan in accounts.ACCOUNTS}


def _journey(account: str, index: int = 0) -> tuple[str, str]:
    return account, JOURNEYS[account][index]


# --- the catalogue --------------------------------------------------------------------------------

WORKPLACE = "Managed workplace"
DESK = "Service desk"
FIELD = "Field engineering"
DEVICES = "Mobile and connected devices"
HOSTING = "Application hosting"

# name → (description, scope, owner's username)
SERVICES: dict[str, tuple[str, str, str]] = {
    WORKPLACE: (
        "Laptops, desktops, sign-in and everyday apps for a consumer's staff, looked after from the "
        "first login to the day a device is wiped.",
        "In: the devices we supply or adopt, their operating system and standard apps, identity and "
        "access, patching and the self-service portal. Out: line-of-business applications (we pass "
        "those to their owners) and printers leased from others.",
        "manager",
    ),
    DESK: (
        "One point of contact for users: calls, chats and portal requests taken, solved or passed on "
        "with the whole story, around the clock where the consumer works around the clock.",
        "In: first- and second-line support for the systems on the consumer's entitlement list, in "
        "the languages agreed. Out: third-line fixes to software we do not run, and visits on site "
        "(field engineering does those).",
        "manager",
    ),
    FIELD: (
        "Engineers at depots, branches, wards and stations: installs, moves, repairs and swaps, "
        "planned ahead or at short notice.",
        "In: hardware and cabling on the consumer's sites, spares we hold for them, site projects at a "
        "fixed price. Out: building works, and hardware we neither supplied nor adopted.",
        "manager",
    ),
    DEVICES: (
        "Rugged handhelds, tablets, kiosks and site gateways, supplied, enrolled, kept secure and "
        "swapped when they fail.",
        "In: the devices, their management platform, swaps through Fernhill Devices and the mobile "
        "data they use. Out: the apps on them, unless the consumer adds those to the entitlement list.",
        "manager",
    ),
    HOSTING: (
        "Consumer-facing and internal platforms run in EU data centres of our partner Quaystone Cloud "
        "Hosting, with monitoring, backups, patching and capacity that follows the consumer's calendar.",
        "In: servers, storage, managed databases, the network in front of them and their operation. "
        "Out: the application's own code and its functional support.",
        "manager2",
    ),
}


@dataclass(frozen=True)
class Proposition:
    segment: str | None
    persona: str | None
    headline: str
    solves: str  # how it takes away the consumer's problems
    expect: str  # what the consumer can count on
    why_us: str  # why us rather than another provider
    role: ConsumerRole  # of the person who decides
    title: str  # their usual job title


@dataclass(frozen=True)
class OfferingPlan:
    service: str
    name: str
    summary: str
    status: OfferingStatus
    segments: tuple[str, ...]
    personas: tuple[str, ...]
    components: tuple[tuple[OfferingComponentKind, str, str], ...]  # (kind, name, description)
    tiers: tuple[tuple[str, str], ...]  # (name, what users get), the lightest first
    propositions: tuple[Proposition, ...]
    journeys: tuple[tuple[str, str], ...] = ()  # (account, journey name)
    published_days_ago: int | None = None
    retired_days_ago: int | None = None


ESSENTIALS = "Managed workplace Essentials"
CLINICAL = "Clinical workstation service"
BRANCH = "Regulated branch workplace"
ROUND_THE_CLOCK = "Round-the-clock service desk"
OFFICE_HOURS = "Office-hours service desk"
DEPOT_FIELD = "Depot and branch field engineering"
NETWORK_REFRESH = "Site network refresh"
RUGGED = "Rugged devices as a service"
GATEWAYS = "Connected site gateways"
KIOSK_CARE = "Self-service kiosk care"
APP_HOSTING = "Managed application hosting"
REGULATED_HOSTING = "Regulated platform hosting"

OFFERINGS: tuple[OfferingPlan, ...] = (
    OfferingPlan(
        WORKPLACE,
        ESSENTIALS,
        "Standard laptops and desktops with sign-in, patching and a self-service portal, for "
        "organizations that want their staff's devices simply to work.",
        PUBLISHED,
        segments=(PUBLIC, AUDIT),
        personas=(GRAINNE,),
        components=(
            (
                GOODS,
                "Standard laptop or desktop",
                "Picked from a short list renewed every year; replaced after four years, or sooner if "
                "it fails twice.",
            ),
            (
                ACCESS,
                "Identity and single sign-on",
                "One account per person for mail, files and the consumer's cloud apps, with a second "
                "factor at sign-in.",
            ),
            (
                ACCESS,
                "Self-service portal",
                "Order software, reset a password or follow a request without phoning anyone.",
            ),
            (
                ACTIONS,
                "Monthly patching and health checks",
                "Updates go out in rings, a pilot group first; devices that fall behind are chased.",
            ),
            (
                ACTIONS,
                "Joiners, movers and leavers",
                "Device and access ready on a new starter's first morning, and gone on a leaver's last day.",
            ),
        ),
        tiers=(
            (
                "Self-service",
                "Portal and knowledge base at any hour; requests picked up within one working day.",
            ),
            ("Standard", "Phone and chat in office hours, and a named service manager."),
            ("Priority", "Critical roles called back within 15 minutes, any day of the week."),
        ),
        propositions=(
            Proposition(
                PUBLIC,
                GRAINNE,
                "A workplace you can explain to a finance committee",
                "Device purchases, support contracts and licence renewals bought at different times "
                "become one price per person per month, reported the same way every month.",
                "A fixed monthly cost per user, a report per service level that can be forwarded as it "
                "is, and new starters working from their first morning.",
                "We already run the workplace of a university and a city council under public framework "
                "agreements; our reports are written for committees, not engineers.",
                CUSTOMER,
                "Procurement officer",
            ),
            Proposition(
                AUDIT,
                None,
                "Every device change on the record",
                "Patches and access changes are logged with who approved them, so an auditor's question "
                "is answered from the record instead of from memory.",
                "An export of device and access changes within two working days of asking, and access "
                "removed on the day a person leaves.",
                "Our change records already satisfy a bank's change board; smaller firms get the same "
                "discipline without building it themselves.",
                SPONSOR,
                "Head of risk and compliance",
            ),
        ),
        journeys=(_journey(SALTMARSH), _journey(ORCHARD)),
        published_days_ago=420,
    ),
    OfferingPlan(
        WORKPLACE,
        CLINICAL,
        "Shared workstations on wards and in clinics with tap-and-go badge sign-in, so clinicians reach "
        "the patient record in seconds, and a desk line that puts faults affecting patients first.",
        PUBLISHED,
        segments=(PUBLIC,),
        personas=(DEEPAK,),
        components=(
            (
                GOODS,
                "Ward workstations and badge readers",
                "Wall-mounted or on carts, made to be wiped down, each with a contactless badge reader.",
            ),
            (
                ACCESS,
                "Roaming clinical sessions",
                "A clinician's session follows the badge from one workstation to the next without a "
                "second sign-in.",
            ),
            (
                ACTIONS,
                "Ward-by-ward roll-out",
                "One ward at a time, away from its busiest hours, with a floor walker on the first two "
                "shifts.",
            ),
            (
                ACTIONS,
                "Clinical priority desk line",
                "Faults that hold up care are handled first, day or night.",
            ),
        ),
        tiers=(
            ("Ward", "Support through the clinical desk line at any hour."),
            (
                "Theatre and emergency",
                "An engineer on the unit within one hour and a spare workstation kept there.",
            ),
        ),
        propositions=(
            Proposition(
                PUBLIC,
                DEEPAK,
                "Clinicians at the record in seconds, not minutes",
                "Typing passwords on shared machines eats minutes out of every shift. A badge tap and a "
                "session that follows the clinician take that away, and changes are planned with the "
                "wards rather than announced to them.",
                "Sign-in in under ten seconds, maintenance windows agreed a week ahead, and faults that "
                "affect patients dealt with before anything else.",
                "Our roll-out method was shaped with ward managers: we plan around clinical peaks and "
                "leave a floor walker behind, not just a ticket number.",
                USER,
                "Clinical systems coordinator",
            ),
            Proposition(
                PUBLIC,
                None,
                "Clinical workstations a hospital board can follow",
                "The board sees what workstations cost per ward and how much clinician time they give "
                "back, instead of hardware spread over a dozen budgets.",
                "A quarterly value review with sign-in times, incidents and cost per ward set against "
                "the approved business case.",
                "We review realized value against the agreed baseline every quarter, and we say so when "
                "it falls short.",
                SPONSOR,
                "Chief information officer",
            ),
        ),
        journeys=(_journey(HARBOURVIEW),),
        published_days_ago=330,
    ),
    OfferingPlan(
        WORKPLACE,
        BRANCH,
        "Hardened teller, adviser and back-office workstations for banks and insurers, changed only "
        "through the consumer's change board, with an audit trail for every device.",
        PUBLISHED,
        segments=(AUDIT,),
        personas=(HELEN,),
        components=(
            (
                GOODS,
                "Hardened workstations and document scanners",
                "Locked-down builds with encrypted disks; branch scanners included.",
            ),
            (
                ACCESS,
                "Privileged access vault",
                "Administrator rights granted per task, for a limited time, and recorded.",
            ),
            (
                ACTIONS,
                "Change board preparation",
                "Each change written up with its risk, test evidence and way back before the consumer's "
                "change board meets.",
            ),
            (
                ACTIONS,
                "Quarterly access review",
                "We list who can reach what; the consumer's managers confirm or withdraw it.",
            ),
        ),
        tiers=(
            ("Branch", "Support during branch opening hours, with visits the next morning."),
            (
                "Trading and claims floors",
                "An engineer on the floor within 30 minutes while markets or the claims centre are open.",
            ),
        ),
        propositions=(
            Proposition(
                AUDIT,
                HELEN,
                "Evidence ready before the regulator asks for it",
                "Change and access records do not stop at our edge: everything done to a workstation is "
                "approved, logged and can be exported.",
                "Change records for any period handed over within two working days, with approvals and "
                "test results attached.",
                "We already work under a bank's change board and went through its supervisor's "
                "outsourcing review without a finding.",
                SPONSOR,
                "Head of IT risk and compliance",
            ),
        ),
        journeys=(_journey(COBALT, 0), _journey(PEREGRINE)),
        published_days_ago=380,
    ),
    OfferingPlan(
        DESK,
        ROUND_THE_CLOCK,
        "One number, one chat and one portal for every user, staffed day and night from Dublin in five "
        "languages.",
        PUBLISHED,
        segments=(MOBILITY, AUDIT),
        personas=(MARTA, CIARAN),
        components=(
            (
                GOODS,
                "Depot help-point tablets",
                "A rugged tablet at each depot entrance that opens a chat with the desk, for staff "
                "without a PC of their own.",
            ),
            (
                ACCESS,
                "Chat, phone and portal",
                "The same agents and the same records behind every channel; users pick whatever suits "
                "their shift.",
            ),
            (
                ACCESS,
                "Knowledge base for users",
                "Short fixes for the consumer's own systems, kept current by the agents who use them.",
            ),
            (
                ACTIONS,
                "Incident and request handling",
                "Solved at first contact where possible, otherwise passed on with everything already known.",
            ),
            (
                ACTIONS,
                "Monthly service review",
                "Trends, repeat faults and user feedback gone through with the consumer's service owner.",
            ),
        ),
        tiers=(
            ("Self-service", "Portal and knowledge base; requests picked up within four hours."),
            ("Assisted", "Chat and phone at any hour, answered within a minute on average."),
            (
                "Dedicated",
                "A named team that knows the consumer's sites and systems, with a shift lead on call.",
            ),
        ),
        propositions=(
            Proposition(
                MOBILITY,
                MARTA,
                "Help at 3 a.m. from someone who knows your depot",
                "Night and weekend shifts get the answers the office gets: an agent who sees what is "
                "already known about the fault and can push a fix without a call-back.",
                "Chats answered in about a minute, routine faults fixed while you wait, and nobody "
                "asking you to restart what you already restarted.",
                "Our own staff run the desk around the clock, not an overflow call centre, and it "
                "already serves freight depots and car rental branches.",
                USER,
                "Shift supervisor",
            ),
            Proposition(
                MOBILITY,
                CIARAN,
                "Hear about an outage from us, not from your drivers",
                "A fault that hits several sites is recognised from the pattern of calls and announced "
                "to the operations lead before the drivers start ringing.",
                "A message within 15 minutes of a wide outage, with a workaround and the time of the "
                "next update.",
                "We watch the calls of all of an account's depots together, so a fleet-wide problem is "
                "spotted on the second call rather than the twentieth.",
                CUSTOMER,
                "Head of fleet operations",
            ),
            Proposition(
                AUDIT,
                None,
                "A service desk your auditors can follow",
                "Each ticket records who asked, who acted and what changed, so support needs no extra "
                "paperwork when internal audit samples it.",
                "A monthly extract of tickets in the consumer's audit format, and the people who request "
                "access kept apart from those who approve it.",
                "Our ticket records already pass a Luxembourg bank's internal audit every quarter.",
                SPONSOR,
                "Head of IT risk and compliance",
            ),
        ),
        journeys=(_journey(ROVENA, 0), _journey(MERIDIAN), _journey(ALDER), _journey(COBALT, 0)),
        published_days_ago=520,
    ),
    OfferingPlan(
        DESK,
        OFFICE_HOURS,
        "Phone and e-mail support on working days from 08:00 to 18:00. Replaced by the round-the-clock "
        "desk; agreements made on it stay valid until they end.",
        RETIRED,
        segments=(PUBLIC,),
        personas=(GRAINNE,),
        components=(
            (GOODS, "Loan laptops", "A small pool of spare laptops at the consumer's main site."),
            (ACCESS, "Phone and e-mail", "Working days only; messages left overnight answered from 08:00."),
            (ACTIONS, "Incident and request handling", "First-line fixes and hand-over to second line."),
        ),
        tiers=(("Standard", "Calls answered within two minutes during office hours."),),
        propositions=(
            Proposition(
                PUBLIC,
                GRAINNE,
                "Support at a price that never moves",
                "Replaced ad hoc calls to whichever supplier was at hand with one desk and one price.",
                "A fixed yearly fee and a call answered within two minutes on working days.",
                "A single desk for every system on the entitlement list, at a lower price than "
                "round-the-clock cover.",
                CUSTOMER,
                "Procurement officer",
            ),
        ),
        published_days_ago=900,
        retired_days_ago=150,
    ),
    OfferingPlan(
        FIELD,
        DEPOT_FIELD,
        "Engineers at depots, branches and stations within four hours, with spares kept close to the "
        "consumer's busiest sites.",
        PUBLISHED,
        segments=(MOBILITY,),
        personas=(CIARAN,),
        components=(
            (
                GOODS,
                "Spares pool",
                "Scanners, printers, switches and access points held at regional hubs and swapped on the "
                "spot.",
            ),
            (
                ACCESS,
                "Engineer booking calendar",
                "Site managers book planned visits at a time that suits their shifts.",
            ),
            (
                ACTIONS,
                "Break-fix visits",
                "On site within four hours at the main sites, eight at the others.",
            ),
            (
                ACTIONS,
                "Planned moves and installs",
                "New counters, re-cabled bays and seasonal branches set up on a date agreed two weeks ahead.",
            ),
        ),
        tiers=(
            ("Standard", "Visits on working days from 07:00 to 19:00."),
            ("Extended", "Visits any day from 05:00 to 23:00, with a standby engineer in peak season."),
        ),
        propositions=(
            Proposition(
                MOBILITY,
                CIARAN,
                "Every vehicle out on time, even when a depot system breaks",
                "A broken scanner or switch in a depot is repaired or swapped before it holds up the "
                "morning dispatch.",
                "Four-hour fixes at the main sites, spares already in the region, and planned visits "
                "fitted around shift changes.",
                "Our engineers are within two hours of most of the depots and branches we serve, and "
                "they carry the consumer's own spares.",
                CUSTOMER,
                "Head of fleet operations",
            ),
        ),
        journeys=(_journey(ROVENA, 0), _journey(MERIDIAN)),
        published_days_ago=600,
    ),
    OfferingPlan(
        FIELD,
        NETWORK_REFRESH,
        "A fixed-price project to survey, re-cable and replace a site's network and Wi-Fi, one site at a "
        "time, without stopping work.",
        PUBLISHED,
        segments=(MOBILITY, PUBLIC),
        personas=(GRAINNE,),
        components=(
            (
                GOODS,
                "Switches and access points",
                "Supplied through Fernhill Devices, with five years of firmware support.",
            ),
            (
                ACCESS,
                "Network monitoring for 90 days",
                "We watch the new network until it has proved itself.",
            ),
            (
                ACTIONS,
                "Site survey and design",
                "Wi-Fi coverage maps and a design agreed with the site manager.",
            ),
            (
                ACTIONS,
                "Out-of-hours cut-over",
                "Each site switched over in one night or weekend, the old equipment kept ready as a "
                "fallback.",
            ),
        ),
        tiers=(("Project", "A project manager and a fixed schedule per site."),),
        propositions=(
            Proposition(
                MOBILITY,
                None,
                "A new depot network without losing a shift",
                "Old switches and patchy Wi-Fi stall scanners and yard systems. The refresh replaces "
                "them site by site, cutting over when the depot is quiet.",
                "A fixed price per site, a cut-over that fits into one night, and coverage maps to show "
                "the difference.",
                "We survey with the people who work the yard, not only from the floor plan.",
                CUSTOMER,
                "Operations director",
            ),
            Proposition(
                PUBLIC,
                GRAINNE,
                "A network refresh that lands inside the budget year",
                "Sites are refreshed in an order that matches the money available this year, each at a "
                "price fixed before work starts.",
                "One quote per site, invoices that match the quotes, and sites handed over in the order "
                "agreed.",
                "Public bodies have bought this from us under framework agreements; no site has gone "
                "over its quote.",
                CUSTOMER,
                "Procurement officer",
            ),
        ),
        journeys=(_journey(BRENNA),),
        published_days_ago=450,
    ),
    OfferingPlan(
        DEVICES,
        RUGGED,
        "Handhelds and tablets built for aprons, yards and vans, supplied, enrolled and swapped the next "
        "business day, for one monthly price per device.",
        PUBLISHED,
        segments=(MOBILITY,),
        personas=(MARTA, CIARAN),
        components=(
            (
                GOODS,
                "Rugged handhelds and tablets",
                "Drop- and rain-proof, with spare batteries and vehicle cradles.",
            ),
            (
                ACCESS,
                "Mobile device management",
                "Devices enrolled, locked down and updated over the air; a lost one is wiped remotely.",
            ),
            (
                ACTIONS,
                "Next-business-day swap",
                "A failed device is replaced the next working day through Fernhill Devices; a small "
                "stock stays at the busiest sites.",
            ),
            (
                ACTIONS,
                "Battery checks",
                "Batteries tested every quarter and replaced before they fail mid-shift.",
            ),
        ),
        tiers=(
            ("Standard", "Swap the next business day; support through the desk."),
            ("Site stock", "Spare devices kept on site and swapped by the supervisor straight away."),
        ),
        propositions=(
            Proposition(
                MOBILITY,
                MARTA,
                "A working scanner in minutes, not tomorrow",
                "When a handheld dies mid-shift the supervisor takes a spare from the site stock; it is "
                "already enrolled and ready.",
                "A spare in hand within minutes where stock is kept, the stock topped up the next "
                "business day, and batteries that last the whole shift.",
                "We price per device per month, everything included, and keep spares on site instead "
                "of in a warehouse two countries away.",
                USER,
                "Shift supervisor",
            ),
            Proposition(
                MOBILITY,
                CIARAN,
                "One price per device, whatever happens to it",
                "Repairs, swaps, batteries and lost devices no longer show up as surprise invoices.",
                "One monthly figure per device that the finance director can check against the fleet.",
                "The price includes breakage: our interest is the same as yours, devices that survive.",
                CUSTOMER,
                "Head of fleet operations",
            ),
        ),
        journeys=(_journey(SKYPORT), _journey(KESTREL)),
        published_days_ago=420,
    ),
    OfferingPlan(
        DEVICES,
        GATEWAYS,
        "Mobile-data gateways for unattended sites such as docking stations, ticket machines and parking "
        "meters, watched from our desk so a silent site is noticed before its users notice.",
        PUBLISHED,
        # Public bodies are a target too (parking meters, library kiosks); their proposition is still to
        # be written, which the offering page points out.
        segments=(MOBILITY, PUBLIC),
        personas=(),
        components=(
            (
                GOODS,
                "Industrial mobile gateways",
                "Weather-sealed routers with two SIM cards from different networks.",
            ),
            (
                ACCESS,
                "Private mobile network",
                "Sites reach the consumer's systems over a private connection, never the open internet.",
            ),
            (
                ACTIONS,
                "Silent site monitoring",
                "A site that stops reporting for 15 minutes opens a ticket by itself.",
            ),
        ),
        tiers=(
            ("Monitored", "Alerts handled on working days."),
            (
                "Monitored around the clock",
                "Alerts handled at any hour; an engineer goes out if a remote restart fails.",
            ),
        ),
        propositions=(
            Proposition(
                MOBILITY,
                None,
                "Unattended sites that speak up when they go quiet",
                "Stations that depend on mobile data drop off without anyone knowing until a rider "
                "complains. The gateway falls back to a second network, and we hear about a quiet site "
                "at once.",
                "Most sites back within the hour, and a monthly list of the sites that dropped out most.",
                "We already keep a bike-share scheme's docking stations online, so the monitoring and "
                "the spares are in place.",
                CUSTOMER,
                "Operations manager",
            ),
        ),
        journeys=(_journey(LINDQVIST),),
        published_days_ago=260,
    ),
    OfferingPlan(
        DEVICES,
        KIOSK_CARE,
        "Care for self-service kiosks at rental counters and stations: monitoring, remote fixes, visits on "
        "site, and paper and card readers kept in supply.",
        DRAFT,
        segments=(MOBILITY,),
        personas=(CIARAN,),
        components=(
            (
                GOODS,
                "Consumables and spare card readers",
                "Receipt paper, key tags and a spare card reader per branch.",
            ),
            (ACCESS, "Kiosk status console", "Every kiosk's state at a glance for the branch managers."),
            (
                ACTIONS,
                "Remote fixes",
                "Restarts and software fixes done from our desk, most within 15 minutes.",
            ),
            (ACTIONS, "Kiosk visits", "An engineer on site when a remote fix is not enough."),
        ),
        tiers=(
            ("Business hours", "Remote fixes at any hour, visits on working days."),
            ("Peak season", "An engineer on call at the airport branches from June to September."),
        ),
        propositions=(
            Proposition(
                MOBILITY,
                None,
                "Kiosks that keep the pickup queue moving",
                "A kiosk that stops in the middle of a Saturday sends every customer back to the "
                "counter. We see it stop and fix most faults remotely before a queue builds.",
                "Kiosks available through the peak hours, and an engineer on call at the airports in summer.",
                "We already look after the branches' other systems, so one desk sees the whole counter.",
                CUSTOMER,
                "Head of branch operations",
            ),
        ),
        journeys=(_journey(ROVENA, 1),),
    ),
    OfferingPlan(
        HOSTING,
        APP_HOSTING,
        "Resident- and customer-facing platforms run in Quaystone's EU data centres, with monitoring, "
        "backups, security patches and capacity raised for known peaks.",
        PUBLISHED,
        segments=(PUBLIC,),
        personas=(GRAINNE,),
        components=(
            (
                GOODS,
                "Encrypted archive drives",
                "A yearly archive copy on encrypted drives, handed to the consumer's records office.",
            ),
            (
                ACCESS,
                "EU hosting capacity",
                "Servers, storage and managed databases in Amsterdam and Frankfurt, provided by our "
                "partner Quaystone Cloud Hosting.",
            ),
            (
                ACTIONS,
                "Monitoring and patching",
                "Availability and response times watched day and night; security patches applied in "
                "agreed windows.",
            ),
            (
                ACTIONS,
                "Peak capacity planning",
                "Capacity raised ahead of known peaks: election nights, tax deadlines, enrolment week.",
            ),
        ),
        tiers=(
            ("Business", "Incidents handled on working days, within four hours."),
            ("Critical public service", "A 15-minute response at any hour, and known peak days staffed."),
        ),
        propositions=(
            Proposition(
                PUBLIC,
                GRAINNE,
                "A portal that stays up on election night",
                "Public portals have a handful of enormous days a year. Capacity is planned for them "
                "from the council's calendar, while the cost stays fixed the rest of the year.",
                "Availability reported each month against the agreed target, peak days prepared a month "
                "ahead, and data kept in the EU.",
                "We have hosted a city council's resident portal through two elections and a tax "
                "deadline week without an outage.",
                CUSTOMER,
                "Procurement officer",
            ),
        ),
        journeys=(_journey(VELMONT),),
        published_days_ago=540,
    ),
    OfferingPlan(
        HOSTING,
        REGULATED_HOSTING,
        "A dedicated, audited hosting environment for banking platforms, built and run with the "
        "consumer's supervisor's outsourcing rules in mind.",
        DRAFT,
        segments=(AUDIT,),
        personas=(HELEN,),
        components=(
            (
                GOODS,
                "Hardware security modules",
                "Bought for the consumer and owned by them, installed in our partner's data centre.",
            ),
            (
                ACCESS,
                "Dedicated regulated environment",
                "Isolated servers and storage in two EU sites, with the keys held by the consumer.",
            ),
            (
                ACTIONS,
                "Audit evidence packs",
                "Evidence for supervisory reviews and internal audit, produced on request.",
            ),
            (
                ACTIONS,
                "Joint continuity tests",
                "Failover tested twice a year with the consumer's team watching.",
            ),
        ),
        tiers=(
            (
                "Dedicated",
                "Named engineers, a response at any hour, and a quarterly risk review with the consumer.",
            ),
        ),
        # Still being shaped with the bank's product team: no value proposition yet.
        propositions=(),
        journeys=(_journey(COBALT, 1),),
    ),
)


# --- onboarding playbooks -------------------------------------------------------------------------

US, THEM = OwnerParty.PROVIDER, OwnerParty.CONSUMER


@dataclass(frozen=True)
class PlaybookPlan:
    offering: str
    name: str
    vision: str
    scope: str
    goals: str
    controls: str
    # (title, owner party, owner role, due after days, positions of the actions it waits for)
    actions: tuple[tuple[str, OwnerParty, str, int, tuple[int, ...]], ...]


PLAYBOOKS: tuple[PlaybookPlan, ...] = (
    PlaybookPlan(
        ESSENTIALS,
        "Standard workplace onboarding",
        "Every user working on a managed device and signing in once, six weeks after the start.",
        "Consumers usually start with devices bought at different times and a user directory nobody "
        "fully trusts. In scope: devices, identity, standard apps and the portal; business applications "
        "stay with their owners.",
        "All users enrolled, the old support contracts ended, most requests coming in through the portal.",
        "Weekly count of enrolled users against the user list; first-month ticket volume against the "
        "baseline taken at kick-off; the portal's share of requests.",
        (
            ("Kick-off with the customer and the service owner", US, "Our transition manager", 0, ()),
            ("Name the onboarding lead and a pilot group", THEM, "The customer's IT lead", 3, (0,)),
            ("Hand over the user list and device inventory", THEM, "The customer's IT lead", 7, (1,)),
            ("Clean up and connect the user directory", US, "Our identity engineer", 14, (2,)),
            ("Enrol the pilot group's devices", US, "Our workplace engineer", 18, (3,)),
            ("Confirm the pilot works for real work", THEM, "The pilot group's team leads", 25, (4,)),
            ("Enrol everyone else, a department a week", US, "Our workplace engineer", 40, (5,)),
            ("Introduce the self-service portal to staff", US, "Our service manager", 40, (5,)),
            ("End the old support contracts", THEM, "The customer's procurement officer", 45, (6,)),
            ("Review onboarding against the baseline", US, "Our service manager", 50, (6, 7)),
        ),
    ),
    PlaybookPlan(
        CLINICAL,
        "Ward-by-ward roll-out",
        "Every ward signing in with a badge, without a single shift disrupted by the change.",
        "Wards start from shared passwords on ageing PCs. In scope: workstations, badge sign-in and the "
        "clinical desk line for the wards named in the agreement; clinical applications stay with the "
        "hospital's own teams.",
        "Badge sign-in on every ward in the agreed order; sign-in under ten seconds at shift handover.",
        "Sign-in times and incidents per ward against the baseline measured before each go-live; ward "
        "manager sign-off after the first week.",
        (
            ("Agree the ward order with the chief nursing officer", US, "Our transition manager", 0, ()),
            ("Name a ward systems coordinator", THEM, "The hospital's clinical systems lead", 2, (0,)),
            ("Survey workstation positions and power on each ward", US, "Our field engineer", 10, (1,)),
            ("Enrol staff badges for tap-and-go sign-in", THEM, "The hospital's security office", 14, (1,)),
            ("Test roaming sessions with the patient records viewer", US, "Our workplace engineer", 18, (3,)),
            ("Brief each ward manager a week ahead", THEM, "The ward systems coordinator", 21, (2, 4)),
            ("Install the first ward outside its busy hours", US, "Our field engineer", 28, (5,)),
            ("Floor walker on the first two shifts", US, "Our floor walker", 29, (6,)),
            ("Ward sign-off after the first week", THEM, "The ward manager", 35, (7,)),
            ("Review sign-in times and incidents against the baseline", US, "Our service manager", 42, (8,)),
        ),
    ),
    PlaybookPlan(
        BRANCH,
        "Branch estate transition under change control",
        "Every branch and back-office desk on hardened workstations, with a complete audit trail of the "
        "transition itself.",
        "Regulated consumers start with their own change board, an outsourcing register and often a "
        "notice period towards their supervisor. In scope: branch and back-office workstations, "
        "scanners and privileged access.",
        "A pilot branch approved by the change board, then the rest of the estate, with no change made "
        "outside the board.",
        "Every change of the transition traceable to an approval; access review of each branch signed by "
        "its manager; no audit finding about the move.",
        (
            ("Send the due-diligence pack to the risk office", US, "Our compliance lead", 0, ()),
            ("Agree the change board calendar", THEM, "The consumer's change manager", 7, (0,)),
            ("Notify the supervisor of the outsourcing", THEM, "The consumer's head of IT risk", 10, (0,)),
            ("Build and test the hardened workstation image", US, "Our workplace engineer", 21, ()),
            ("Change board approval for the pilot branch", THEM, "The consumer's change board", 28, (1, 3)),
            ("Switch the pilot branch over on a closing day", US, "Our field engineer", 35, (2, 4)),
            ("Access review of the pilot branch", THEM, "The branch manager", 42, (5,)),
            ("Roll out to the remaining branches", US, "Our transition manager", 70, (6,)),
            ("Hand over the audit trail of the transition", US, "Our compliance lead", 75, (7,)),
        ),
    ),
    PlaybookPlan(
        ROUND_THE_CLOCK,
        "Switch-over to the desk",
        "Users calling, chatting and using the portal of our desk, and the old channels closed, within a "
        "month.",
        "Consumers usually have a desk already (their own or another provider's). In scope: the "
        "channels, the knowledge for the top issues and the routes to the consumer's own third-line "
        "teams.",
        "Top issues solved at first contact from the first week; the old number forwarding for two "
        "weeks, then closed.",
        "First-contact resolution and user satisfaction in the first month against the old desk's figures.",
        (
            ("Kick-off with the service owner", US, "Our service manager", 0, ()),
            ("Share the systems, sites and key users", THEM, "The customer's service owner", 5, (0,)),
            ("Write first-contact fixes for the top twenty issues", US, "Our knowledge manager", 14, (1,)),
            ("Set up routes to the consumer's third-line teams", US, "Our desk team lead", 14, (1,)),
            ("Tell users about the new channels", THEM, "The customer's communications team", 18, (2, 3)),
            ("Go live, with the old number forwarding for two weeks", US, "Our desk team lead", 21, (4,)),
            ("First monthly service review", US, "Our service manager", 50, (5,)),
        ),
    ),
    PlaybookPlan(
        ROUND_THE_CLOCK,
        "Taking over from an in-house IT person",
        "Nothing the leaving IT person knew is lost; users notice only longer opening hours.",
        "Small consumers whose IT rests on one person about to retire or leave. In scope: the knowledge "
        "in that person's head, admin accounts, suppliers and contracts.",
        "Every admin account in our vault, every supplier contact written down, users on the desk before "
        "the person's last day.",
        "The list of open questions closed at the farewell session; no request in the first month that "
        "nobody knew how to handle.",
        (
            ("Meet the leaving IT person", US, "Our service manager", 0, ()),
            ("Shadow the IT person for a week", US, "Our desk team lead", 7, (0,)),
            ("Write down passwords, suppliers and contracts", THEM, "The leaving IT person", 14, (0,)),
            ("Move admin accounts into our access vault", US, "Our identity engineer", 18, (2,)),
            ("Turn the shadowing notes into knowledge articles", US, "Our knowledge manager", 21, (1,)),
            ("Announce the change to staff", THEM, "The operations director", 24, (3, 4)),
            ("Go live on the desk", US, "Our desk team lead", 28, (5,)),
            ("Farewell hand-over and open questions closed", THEM, "The leaving IT person", 35, (6,)),
        ),
    ),
    PlaybookPlan(
        DEPOT_FIELD,
        "Depot field service start",
        "Engineers who know every main site, and spares in the region, before the first fault.",
        "Consumers with depots or branches spread over a region. In scope: the site list, site access, "
        "the spares pool and the visit calendar.",
        "Every main site visited once, hubs stocked, site managers booking planned visits themselves.",
        "Four-hour fixes met from the first month; site managers' view of the start at the first review.",
        (
            ("List sites, opening hours and access rules", THEM, "The customer's facilities manager", 0, ()),
            ("Issue site badges to our engineers", THEM, "The customer's security office", 10, (0,)),
            ("Meet each main site's manager on site", US, "Our regional field lead", 14, (0,)),
            ("Agree the spares to hold at regional hubs", US, "Our regional field lead", 14, (0,)),
            ("Stock the regional hubs", US, "Our logistics coordinator", 24, (3,)),
            ("Publish the planned-visit calendar", US, "Our regional field lead", 28, (1, 2, 4)),
        ),
    ),
    PlaybookPlan(
        RUGGED,
        "Device fleet take-over",
        "Every crew on managed rugged devices, with stock on the busiest sites, and the old devices gone.",
        "Consumers usually own a mix of device models, some unmanaged. In scope: the devices, their "
        "management, site stock and the disposal of old devices.",
        "Devices swapped site by site between shifts; supervisors able to swap from stock themselves.",
        "Device failures per month and battery life over a full shift, against the old fleet's figures.",
        (
            ("Count the current devices and where they are", THEM, "The customer's operations lead", 0, ()),
            ("Choose device models with a pilot crew", US, "Our mobility engineer", 7, (0,)),
            ("Order devices and site stock from Fernhill Devices", US, "Our logistics coordinator", 10, (1,)),
            ("Enrol the devices before delivery", US, "Our mobility engineer", 20, (2,)),
            ("Train supervisors to swap from site stock", US, "Our field engineer", 24, (3,)),
            ("Swap devices site by site between shifts", US, "Our field engineer", 35, (4,)),
            ("Return or wipe the old devices", THEM, "The site supervisors", 42, (5,)),
            ("Check battery life over a full shift", THEM, "A pilot crew's supervisor", 45, (5,)),
        ),
    ),
    PlaybookPlan(
        APP_HOSTING,
        "Platform migration to hosting",
        "The platform running in our hosting, with its peak days in our capacity plan, and the old "
        "hosting contract closed.",
        "Consumers move a running platform from their own server room or another host. In scope: the "
        "platform's servers, data and integrations; the application itself stays theirs.",
        "A trial migration accepted by the application owner, then one cut-over outside the public's "
        "busy hours.",
        "Availability and response times in the first quarter against the old host's figures; known "
        "peaks passed without slowdown.",
        (
            ("List the servers, data and integrations", THEM, "The customer's application owner", 0, ()),
            ("Security and data location review", THEM, "The customer's security officer", 10, (0,)),
            ("Build the hosting environment with Quaystone", US, "Our hosting engineer", 21, (0,)),
            ("Trial migration with a copy of the data", US, "Our hosting engineer", 28, (2,)),
            ("Acceptance test by the application owner", THEM, "The customer's application owner", 35, (3,)),
            ("Agree a quiet cut-over window", THEM, "The customer's service owner", 35, (1, 4)),
            ("Cut over and watch the first week", US, "Our hosting engineer", 42, (5,)),
            ("Add the consumer's peak dates to the capacity plan", US, "Our capacity manager", 45, (6,)),
            ("Close the old hosting contract", THEM, "The customer's procurement officer", 60, (6,)),
        ),
    ),
)


# --- patterns of business activity (entered) ------------------------------------------------------


@dataclass(frozen=True)
class DemandPlan:
    offering: str
    activity: str
    trend: DemandTrend
    notes: str
    hours: tuple[int, ...]  # 0–23
    days: tuple[int, ...]  # Monday to Sunday
    months: tuple[int, ...]  # January to December


DEMAND_PROFILES: tuple[DemandPlan, ...] = (
    DemandPlan(
        KIOSK_CARE,
        "Customers collecting and returning rental cars at the branch kiosks",
        DemandTrend.GROWTH,
        "From Rovena's reservation system for last year, pickups and returns per hour. Friday afternoons "
        "and Saturday mornings are the busiest; June to September more than doubles the winter months, "
        "and each year is busier than the last.",
        (3, 2, 1, 1, 2, 6, 18, 34, 46, 52, 49, 44, 40, 42, 47, 55, 63, 66, 58, 41, 27, 17, 10, 5),
        (62, 55, 58, 71, 104, 118, 83),
        (38, 40, 52, 64, 76, 112, 148, 156, 118, 70, 44, 52),
    ),
    DemandPlan(
        ESSENTIALS,
        "Students and staff starting term: new accounts, device enrolments and password resets",
        DemandTrend.REPETITIVE,
        "Given by Saltmarsh's IT office from their old desk's tickets. Terms start in late September, "
        "January and April; the first fortnight of each brings most of the year's account requests, and "
        "Monday mornings are always the worst.",
        (0, 0, 0, 0, 0, 1, 3, 12, 38, 52, 45, 37, 29, 33, 36, 31, 24, 15, 9, 6, 4, 3, 2, 1),
        (118, 96, 88, 84, 70, 9, 12),
        (86, 52, 38, 64, 41, 30, 22, 35, 168, 132, 60, 28),
    ),
    DemandPlan(
        CLINICAL,
        "Clinicians signing in at shift handovers and on ward rounds",
        DemandTrend.REPETITIVE,
        "From one month of Harbourview's badge readers on the pilot wards. Sign-ins peak at the 07:30 "
        "and 19:30 handovers and during the morning round; weekends are barely quieter, and winter "
        "pressures lift the whole year's curve.",
        (22, 16, 12, 10, 11, 18, 46, 88, 94, 72, 80, 66, 54, 50, 57, 49, 41, 39, 70, 85, 44, 32, 28, 24),
        (104, 101, 99, 100, 98, 86, 84),
        (128, 118, 104, 92, 86, 80, 76, 78, 90, 98, 110, 124),
    ),
)


# --- requirements ---------------------------------------------------------------------------------

MUST, SHOULD, COULD, WONT = MoscowCategory


@dataclass(frozen=True)
class Need:
    """A requirement of one account. Listed column by column in the order of the board, so the ranks
    (1, 2, 3 … per MoSCoW column, the uncategorized ones too) follow from the listing."""

    title: str
    as_a: str
    i_want: str
    so_that: str
    status: RequirementStatus
    moscow: str = ""
    wsjf: tuple[int, int, int, int] | None = None  # service impact, urgency, risk reduction, job size
    acceptance: str = ""
    invest: str = "INVEST"  # the INVEST letters the team ticked
    quality: NonFunctionalCategory | None = None  # set for a non-functional requirement
    journey: int = 0  # which of the account's journeys it belongs to
    offering: str | None = ""  # "": its journey's (BOARD_OFFERINGS); None: about no offering yet
    release: str = ""  # candidate release of a won't-have
    description: str = ""


# The offering each journey's requirements are about, unless a requirement says otherwise.
BOARD_OFFERINGS: dict[tuple[str, int], str] = {
    (HARBOURVIEW, 0): CLINICAL,
    (COBALT, 0): ROUND_THE_CLOCK,
    (COBALT, 1): REGULATED_HOSTING,
    (ROVENA, 0): DEPOT_FIELD,
    (ROVENA, 1): KIOSK_CARE,
    (SALTMARSH, 0): ESSENTIALS,
    (MERIDIAN, 0): DEPOT_FIELD,
    (SKYPORT, 0): RUGGED,
    (VELMONT, 0): APP_HOSTING,
    (PEREGRINE, 0): BRANCH,
    (KESTREL, 0): RUGGED,
}

REQUIREMENTS: dict[str, tuple[Need, ...]] = {
    HARBOURVIEW: (
        Need(
            "Badge sign-in on shared ward workstations",
            "nurse on a busy ward",
            "to open my session by tapping my badge",
            "I reach the patient record without typing a password",
            RequirementStatus.VALIDATED,
            MUST,
            (20, 13, 5, 5),
            "On the pilot ward, a badge tap shows the nurse's own desktop within 10 seconds in at least "
            "19 of 20 tries.",
        ),
        Need(
            "Introduce the workstations one ward at a time",
            "chief nursing officer",
            "the new workstations to arrive ward by ward",
            "no more than one ward is learning the new way in any week",
            RequirementStatus.VALIDATED,
            MUST,
            (8, 8, 8, 3),
            "The go-live calendar has at most one ward per week, and no go-live falls in a ward's "
            "busiest shift.",
        ),
        Need(
            "Faults that affect patients are handled first",
            "ward manager",
            "a fault that delays care to jump the queue",
            "patients are not kept waiting because of IT",
            RequirementStatus.DEMOED,
            MUST,
            (13, 13, 8, 3),
            "Over 30 days of tickets, every ticket marked 'patient affected' is picked up within 5 "
            "minutes, at any hour.",
        ),
        Need(
            "The session follows the clinician between workstations",
            "doctor on a ward round",
            "my open session to follow me to the next workstation",
            "I do not sign in again at every bed",
            RequirementStatus.IN_SPRINT,
            MUST,
            (13, 8, 5, 8),
            "A tap at a second workstation within 30 minutes reopens the same record; after 30 minutes "
            "the session is locked.",
        ),
        Need(
            "Ward workstations available through the night",
            "night sister",
            "a working workstation on every ward at any hour",
            "medication rounds are never done from memory",
            RequirementStatus.PRIORITIZED,
            MUST,
            (13, 8, 13, 5),
            "Ward workstation availability of at least 99.8 % each month, with night-time outages shown "
            "separately in the report.",
            quality=NonFunctionalCategory.AVAILABILITY,
        ),
        Need(
            "Planned changes announced a week ahead",
            "ward systems coordinator",
            "every planned change to reach me seven days before it happens",
            "I can prepare the wards and arrange a paper fallback",
            RequirementStatus.VALIDATED,
            MUST,
            (8, 5, 8, 2),
            "Over a quarter, every planned change to clinical workstations is in the change calendar at "
            "least seven days before it happens.",
        ),
        Need(
            "The screen locks when the clinician walks away",
            "information governance lead",
            "an unattended session to lock by itself",
            "no patient data is left open on a ward",
            RequirementStatus.IN_BACKLOG,
            MUST,
            (8, 5, 13, 3),
            "A session locks after 90 seconds without input, or as soon as the badge holder steps out "
            "of the reader's range; checked on all three workstation models.",
            quality=NonFunctionalCategory.SECURITY,
        ),
        Need(
            "A log of who used which workstation",
            "information governance lead",
            "a record of whose session ran on which workstation and when",
            "clinical audits can trace who looked at a record",
            RequirementStatus.PRIORITIZED,
            MUST,
            (8, 3, 8, 3),
            "For any workstation and day, the log lists every session with badge holder, start and "
            "end, kept for eight years.",
            quality=NonFunctionalCategory.COMPLIANCE,
        ),
        Need(
            "A paper fallback pack on every ward",
            "ward manager",
            "a printed fallback pack at the nurses' station",
            "care carries on during a planned outage",
            RequirementStatus.PRIORITIZED,
            MUST,
            (5, 3, 8, 2),
            "Every ward in the roll-out has the current pack at the nurses' station, checked at each "
            "ward's go-live.",
        ),
        Need(
            "Sign-in in under ten seconds at handover",
            "nurse at shift handover",
            "to be signed in quickly even when the whole ward signs in at once",
            "handover time is spent on patients, not on waiting",
            RequirementStatus.PRIORITIZED,
            SHOULD,
            (13, 5, 5, 5),
            "At the 07:30 handover on the pilot ward, 95 % of badge sign-ins complete within 10 seconds.",
            quality=NonFunctionalCategory.CAPACITY,
        ),
        Need(
            "Carts and keyboards that survive disinfection",
            "infection control nurse",
            "workstation carts and keyboards that can be wiped down twice a day",
            "workstations do not carry infection from bay to bay",
            RequirementStatus.IN_SPRINT,
            SHOULD,
            (8, 3, 8, 3),
            "Carts and keyboards on the pilot ward show no damage after eight weeks of the hospital's "
            "standard wipes, twice a day.",
        ),
        Need(
            "A spare workstation on theatre and emergency units",
            "theatre coordinator",
            "a spare workstation kept on the unit",
            "a fault never delays a theatre list",
            RequirementStatus.PRIORITIZED,
            SHOULD,
            (8, 5, 5, 2),
            "Each theatre and emergency unit has a working spare, checked weekly; swapping takes under "
            "ten minutes.",
        ),
        Need(
            "New starters' badges work on their first shift",
            "hospital security officer",
            "a new badge to be enrolled for sign-in on the day it is printed",
            "new staff can work from their first shift",
            RequirementStatus.IN_BACKLOG,
            SHOULD,
            (5, 5, 3, 2),
            "A badge printed before 16:00 signs in on a ward workstation the same day, in ten sampled "
            "cases out of ten.",
        ),
        Need(
            "Quarterly value review for the board",
            "chief information officer",
            "a quarterly review of sign-in times, incidents and cost per ward",
            "the board sees the value promised in the business case",
            RequirementStatus.IN_BACKLOG,
            SHOULD,
            (5, 2, 5, 2),
            "The review pack shows the three figures per ward against the baseline and reaches the "
            "board five working days before it meets.",
            quality=NonFunctionalCategory.MEASURABILITY,
        ),
        Need(
            "Tell the ward when its fault is fixed",
            "ward clerk",
            "a message when the ticket I raised is fixed",
            "I stop checking the workstation every few minutes",
            RequirementStatus.DEMOED,
            SHOULD,
            (3, 2, 1, 1),
            "Closing a ticket raised from a ward sends a message to the ward's shared inbox within a minute.",
        ),
        Need(
            "Each workstation shows its ward and bay",
            "ward clerk",
            "each workstation to show which ward and bay it belongs to",
            "a fault can be reported without hunting for the asset number",
            RequirementStatus.IN_BACKLOG,
            COULD,
            (2, 1, 2, 1),
            "The lock screen of every ward workstation shows ward, bay and asset number.",
        ),
        Need(
            "Dim screens on night shifts",
            "night nurse",
            "the screens to dim between 22:00 and 06:00",
            "workstations do not wake patients in the nearest bay",
            RequirementStatus.PRIORITIZED,
            COULD,
            (3, 1, 1, 2),
            "Between 22:00 and 06:00 every ward workstation uses the night theme; light at the nearest "
            "bed stays below the ward's limit.",
            quality=NonFunctionalCategory.USABILITY,
        ),
        Need(
            "Voice dictation at the workstation",
            "doctor",
            "to dictate my notes at the ward workstation",
            "notes are written while I still remember the patient",
            RequirementStatus.DRAFTED,
            COULD,
            invest="INVT",
            description="Nobody can size it yet: it touches the records system, the microphones and the "
            "hospital's transcription contract. To be split once the dictation supplier is known.",
        ),
        Need(
            "Fingerprint sign-in",
            "nurse",
            "to sign in with my fingerprint",
            "I do not need my badge at all",
            RequirementStatus.DEFERRED,
            WONT,
            invest="IVEST",
            release="Next contract year",
            description="Names a solution rather than the need; badge sign-in already meets the need.",
        ),
        Need(
            "A personal tablet for every nurse",
            "nurse",
            "a tablet of my own",
            "I never queue for a workstation",
            RequirementStatus.REJECTED,
            WONT,
            invest="IVET",
            description="Turned down by the chief nursing officer: the cost per nurse is far beyond the "
            "budget, and a spare workstation per unit covers the queues.",
        ),
        Need(
            "Single sign-on to the theatre scheduling system",
            "theatre coordinator",
            "the theatre scheduling system to open without a second password",
            "changes to the list take seconds",
            RequirementStatus.PROBLEM_SEPARATED,
            invest="NVEST",
            description="Waits for roaming sessions to be in use on the theatre units.",
        ),
        Need(
            "Print specimen labels from any workstation",
            "ward clerk",
            "to print specimen labels at whichever workstation I am using",
            "labels are not carried across the ward",
            RequirementStatus.DEMAND_UNDERSTOOD,
        ),
        Need(
            "A faster patient records viewer",
            "consultant",
            "the records viewer to be faster",
            "",
            RequirementStatus.NEED_IDENTIFIED,
            invest="IN",
            quality=NonFunctionalCategory.CAPACITY,
            description="Raised at the ward managers' meeting. Faster than what, and where? The viewer "
            "belongs to the hospital's own team; we need to find out whether the workstations play a part.",
        ),
        Need(
            "Workstations at the community sites",
            "community hospital manager",
            "the same workstations as the main hospital at Kinsale and Mallow",
            "staff who move between sites work the same way everywhere",
            RequirementStatus.NEED_IDENTIFIED,
            description="Part of the second version of the business case.",
        ),
    ),
    COBALT: (
        Need(
            "Teller workstation swapped before the branch opens",
            "branch manager",
            "a failed teller workstation replaced before the doors open",
            "no customer is turned away from a counter",
            RequirementStatus.VALIDATED,
            MUST,
            (13, 8, 5, 3),
            "A failure reported by 07:30 is swapped by 08:45, in every case over a quarter.",
            offering=BRANCH,
        ),
        Need(
            "No workstation change without the change board",
            "change manager",
            "no change to branch workstations without a change board approval on record",
            "the audit finds a complete trail",
            RequirementStatus.VALIDATED,
            MUST,
            (8, 5, 20, 3),
            "A sample of 25 changes from the quarter each links to an approval dated before the change.",
            quality=NonFunctionalCategory.COMPLIANCE,
            offering=BRANCH,
        ),
        Need(
            "Mortgage hosting within the supervisor's outsourcing rules",
            "head of IT risk and compliance",
            "the hosting set-up to meet our supervisor's outsourcing guidelines",
            "the move to a provider draws no finding",
            RequirementStatus.PRIORITIZED,
            MUST,
            (20, 13, 20, 8),
            "The outsourcing register entry and the supervisor's checklist are complete and reviewed by "
            "internal audit before any production data moves.",
            invest="INVET",
            quality=NonFunctionalCategory.COMPLIANCE,
            journey=1,
            description="Too big for one sprint: the checklist has forty items across legal, security and "
            "continuity. To be split by area.",
        ),
        Need(
            "The bank holds the encryption keys",
            "information security officer",
            "the keys that encrypt mortgage data to stay under our control",
            "the provider cannot read customer data on its own",
            RequirementStatus.PRIORITIZED,
            MUST,
            (13, 8, 13, 5),
            "Keys live in hardware security modules owned by the bank; a test shows our administrators "
            "cannot decrypt a sample without the bank's key custodian.",
            quality=NonFunctionalCategory.SECURITY,
            journey=1,
        ),
        Need(
            "Desk support in French, German and Luxembourgish",
            "branch employee",
            "to talk to the desk in my own language",
            "I can describe the fault exactly",
            RequirementStatus.VALIDATED,
            MUST,
            (8, 3, 2, 5),
            "Calls and chats in each of the three languages are answered by a speaker of it, in a "
            "month's sample of 60 contacts.",
        ),
        Need(
            "Back within an hour if a data centre fails",
            "head of mortgage operations",
            "the mortgage platform running again within an hour if one site fails",
            "no offer is lost at month end",
            RequirementStatus.PRIORITIZED,
            MUST,
            (13, 5, 13, 8),
            "In a failover test the platform serves brokers from the second site within 60 minutes, "
            "losing no committed offer.",
            quality=NonFunctionalCategory.CONTINUITY,
            journey=1,
        ),
        Need(
            "Mortgage data stays in the EU",
            "data protection officer",
            "all mortgage data and its backups stored in the EU",
            "we meet our privacy duties without special contracts",
            RequirementStatus.PRIORITIZED,
            MUST,
            (8, 3, 13, 2),
            "The hosting contract names only EU sites, and a quarterly report lists where every copy "
            "and backup is kept.",
            quality=NonFunctionalCategory.COMPLIANCE,
            journey=1,
        ),
        Need(
            "Month-end capacity for mortgage offers",
            "head of mortgage operations",
            "the platform to cope with three times the usual load in the last days of the month",
            "brokers get their offers before the rates change",
            RequirementStatus.DRAFTED,
            SHOULD,
            (13, 8, 3, 5),
            quality=NonFunctionalCategory.CAPACITY,
            journey=1,
        ),
        Need(
            "Chat with the desk from the teller workstation",
            "teller",
            "to open a chat with the desk without leaving my workstation",
            "I can report a fault while serving a customer",
            RequirementStatus.IN_SPRINT,
            SHOULD,
            (5, 3, 2, 3),
            "A chat opens from the workstation's tray in two clicks and carries the workstation's name "
            "into the ticket.",
        ),
        Need(
            "Monthly ticket extract for internal audit",
            "internal auditor",
            "a monthly extract of tickets in our audit format",
            "sampling takes an hour instead of a day",
            RequirementStatus.DEMOED,
            SHOULD,
            (5, 2, 8, 2),
            "The extract arrives by the third working day of the month and loads into the audit tool "
            "without editing.",
            quality=NonFunctionalCategory.MEASURABILITY,
        ),
        Need(
            "Evidence pack for supervisory reviews",
            "head of IT risk and compliance",
            "a ready evidence pack of changes, access and tests",
            "a supervisory review takes days, not weeks",
            RequirementStatus.ACCEPTANCE_DEFINED,
            SHOULD,
            (8, 3, 8, 3),
            "Asked on a Monday, the pack for any quarter is complete by Wednesday and internal audit "
            "finds nothing missing.",
            journey=1,
        ),
        Need(
            "Trading floor screens fixed within 30 minutes",
            "head of trading",
            "a failed screen on the trading floor repaired or replaced within half an hour",
            "traders do not miss the market open",
            RequirementStatus.IN_BACKLOG,
            SHOULD,
            (8, 8, 3, 3),
            "Over a quarter, every trading floor screen failure is fixed within 30 minutes during market "
            "hours.",
            offering=BRANCH,
        ),
        Need(
            "Report a scanner jam from the scanner",
            "back-office clerk",
            "to report a jam with one button on the document scanner",
            "I do not have to walk to a PC to log it",
            RequirementStatus.IN_BACKLOG,
            COULD,
            (3, 2, 1, 3),
            "Pressing the scanner's service button opens a ticket naming the scanner and its branch.",
            offering=BRANCH,
        ),
        Need(
            "Password reset by voice recognition",
            "branch employee",
            "to reset my password over the phone by voice recognition",
            "I am not locked out at opening time",
            RequirementStatus.PRIORITIZED,
            COULD,
            (5, 3, 3, 8),
            "A locked-out employee is working again within five minutes of calling, without an agent.",
            invest="IVEST",
            description="Fixes the solution before the need is agreed: the need is a fast reset at 08:00, "
            "which the portal might meet just as well.",
        ),
        Need(
            "One-question survey after each ticket",
            "service owner",
            "a one-question survey after each closed ticket",
            "we see how branch staff feel about the desk",
            RequirementStatus.IN_BACKLOG,
            COULD,
            (3, 1, 2, 1),
            "Every closed ticket sends the survey once; answers show in the monthly review by branch.",
            quality=NonFunctionalCategory.MEASURABILITY,
        ),
        Need(
            "Anonymised test data for the mortgage platform",
            "mortgage platform tester",
            "test environments refreshed from anonymised production data",
            "tests use realistic cases without exposing customers",
            RequirementStatus.DEMAND_UNDERSTOOD,
            COULD,
            journey=1,
        ),
        Need(
            "An IT person in every branch",
            "branch manager",
            "someone from IT in my branch every day",
            "faults are fixed on the spot",
            RequirementStatus.REJECTED,
            WONT,
            description="Rejected with the sponsor: the cost is out of proportion, and the morning swap "
            "plus visits the next morning cover the need.",
        ),
        Need(
            "Self-service kiosk for IT requests in branches",
            "branch employee",
            "a kiosk in the back office for IT requests",
            "I can order things without a PC",
            RequirementStatus.DEFERRED,
            WONT,
            (2, 1, 1, 5),
            release="2027 branch refit",
        ),
        Need(
            "A shared risk model with the bank",
            "chief risk officer",
            "to agree how operational risk is shared between the bank and its provider",
            "",
            RequirementStatus.NEED_IDENTIFIED,
            invest="N",
            journey=1,
            description="Raised in the partnership talks. Everything else on the platform waits for it, "
            "and nobody can size it before the supervisor's view is known.",
        ),
        Need(
            "Brokers see the platform's status",
            "mortgage broker",
            "a status page for the mortgage platform",
            "I know whether to wait or to phone",
            RequirementStatus.NEED_IDENTIFIED,
            journey=1,
        ),
    ),
    ROVENA: (
        Need(
            "Check-in terminals fixed before the morning rush",
            "branch agent",
            "a broken check-in terminal fixed before 08:00",
            "the first customers of the day are not kept waiting",
            RequirementStatus.VALIDATED,
            MUST,
            (13, 8, 3, 3),
            "Faults reported before 06:30 are fixed by 08:00 at the airport branches, every time in the "
            "last quarter.",
        ),
        Need(
            "Telematics outages reported within 15 minutes",
            "fleet controller",
            "to hear from the desk within 15 minutes when the telematics feed stops",
            "we do not hand out cars whose position we cannot see",
            RequirementStatus.VALIDATED,
            MUST,
            (13, 13, 8, 2),
            "In every feed outage of the quarter, the desk called the fleet controller within 15 minutes.",
            quality=NonFunctionalCategory.AVAILABILITY,
            offering=ROUND_THE_CLOCK,
        ),
        Need(
            "Collect the keys at a kiosk without queuing",
            "customer with a booking",
            "to collect my keys at a kiosk",
            "I skip the counter queue",
            RequirementStatus.PRIORITIZED,
            MUST,
            (20, 8, 5, 13),
            "A customer with a paid booking has keys in hand within three minutes of scanning the "
            "booking code, at the Lisbon airport branch.",
            invest="INVET",
            journey=1,
            description="Large: takes in the reservation system, the key cabinets and the card reader. "
            "The team wants it split before the first sprint.",
        ),
        Need(
            "Kiosks keep working when the branch network drops",
            "branch manager",
            "kiosks to go on issuing keys for booked cars when the network is down",
            "the queue at the counter does not come back",
            RequirementStatus.PRIORITIZED,
            MUST,
            (13, 8, 8, 5),
            "With the branch network unplugged, a kiosk issues keys for bookings made up to an hour "
            "before and reports them once the network returns.",
            quality=NonFunctionalCategory.AVAILABILITY,
            journey=1,
        ),
        Need(
            "Card reader certified for deposits",
            "head of finance",
            "the kiosk card reader to be certified for card payments",
            "we can take the deposit at the kiosk",
            RequirementStatus.ACCEPTANCE_DEFINED,
            MUST,
            (8, 5, 13, 3),
            "The reader model holds a current payment certification and the acquirer approves the "
            "kiosk set-up in writing.",
            quality=NonFunctionalCategory.COMPLIANCE,
            journey=1,
        ),
        Need(
            "Summer branches set up two weeks before opening",
            "head of branch operations",
            "seasonal branches' IT installed two weeks before they open",
            "staff can practise before the first customer",
            RequirementStatus.IN_SPRINT,
            SHOULD,
            (8, 8, 3, 3),
            "All four seasonal branches have working terminals and Wi-Fi fourteen days before opening.",
        ),
        Need(
            "Weekend visits at the airport branches",
            "airport branch manager",
            "engineers to come on Saturdays and Sundays",
            "faults are not left until Monday on our busiest days",
            RequirementStatus.DEMOED,
            SHOULD,
            (8, 5, 3, 2),
            "Weekend faults at the airport branches get a visit within four hours, checked over two "
            "summer months.",
        ),
        Need(
            "Engineer on call for the kiosks in summer",
            "head of branch operations",
            "an engineer on call for the airport kiosks from June to September",
            "a broken kiosk is fixed within the hour in the busy season",
            RequirementStatus.DRAFTED,
            SHOULD,
            (8, 13, 3, 2),
            journey=1,
        ),
        Need(
            "Damage inspection app on the branch tablets",
            "branch agent",
            "the damage inspection app on the branch tablets",
            "I record damage with the customer standing next to the car",
            RequirementStatus.IN_BACKLOG,
            SHOULD,
            (5, 3, 2, 5),
            "The app runs on every branch tablet and photos reach the damage system within a minute.",
        ),
        Need(
            "Kiosk screens in four languages",
            "visitor from abroad",
            "the kiosk in my own language",
            "I can collect the car without asking for help",
            RequirementStatus.DRAFTED,
            SHOULD,
            (5, 3, 1, 2),
            quality=NonFunctionalCategory.USABILITY,
            journey=1,
        ),
        Need(
            "Key-drop alarms go straight to the desk",
            "night agent at the airport",
            "key-drop kiosk alarms to reach the desk directly",
            "a jammed key box is sorted before the morning returns",
            RequirementStatus.PRIORITIZED,
            COULD,
            (5, 3, 3, 2),
            "A test alarm from each key-drop kiosk opens a ticket at the desk within two minutes.",
            offering=ROUND_THE_CLOCK,
        ),
        Need(
            "Monthly count of faults by branch",
            "head of branch operations",
            "a monthly count of faults per branch and system",
            "we see which branches need new equipment",
            RequirementStatus.IN_BACKLOG,
            COULD,
            (3, 2, 3, 1),
            "The monthly report has a table of faults by branch and system, with the previous three "
            "months beside it.",
            quality=NonFunctionalCategory.MEASURABILITY,
        ),
        Need(
            "Kiosk status on the branch manager's phone",
            "branch manager",
            "to see from my phone which kiosks are working",
            "I can send staff to the counter before a queue builds",
            RequirementStatus.DRAFTED,
            COULD,
            (3, 3, 2, 3),
            journey=1,
        ),
        Need(
            "Thin clients in every branch",
            "IT manager",
            "thin clients instead of PCs in every branch",
            "branch computers cost less to run",
            RequirementStatus.DEFERRED,
            WONT,
            (5, 1, 3, 13),
            invest="IVET",
            release="After the kiosk roll-out",
            description="Names the solution and would take a whole season; parked until the kiosks are in.",
        ),
        Need(
            "Damage photos taken at the kiosk on return",
            "returning customer",
            "to photograph the car at the kiosk when I bring it back",
            "I am not charged for damage I did not cause",
            RequirementStatus.DEMAND_UNDERSTOOD,
            invest="INVET",
            journey=1,
        ),
        Need(
            "Charge level shown before pickup",
            "customer renting an electric car",
            "to see the battery level before I take the keys",
            "I know whether to charge before the motorway",
            RequirementStatus.NEED_IDENTIFIED,
            invest="NVEST",
            journey=1,
            description="Needs the telematics feed to reach the kiosks first.",
        ),
    ),
    SALTMARSH: (
        Need(
            "Student accounts ready before term",
            "new student",
            "my account to work on the day I arrive",
            "I can enrol on modules in the first week",
            RequirementStatus.ACCEPTANCE_DEFINED,
            MUST,
            (13, 20, 5, 3),
            "Of the students registered a week before term, 99 % can sign in on the first day.",
        ),
        Need(
            "Password resets at term start",
            "IT office manager",
            "the portal to take the term-start rush of password resets",
            "the desk is not swamped in the first week",
            RequirementStatus.DRAFTED,
            SHOULD,
            (8, 8, 3, 3),
            quality=NonFunctionalCategory.CAPACITY,
        ),
        Need(
            "Lecture capture ready on staff laptops",
            "lecturer",
            "the lecture capture software ready on my laptop",
            "I can record a lecture without asking IT",
            RequirementStatus.PRIORITIZED,
            SHOULD,
            (5, 5, 2, 2),
            "A new staff laptop records and uploads a ten-minute test lecture without anything being "
            "installed by hand.",
        ),
        Need(
            "Support for the student car-share booking app",
            "sustainability officer",
            "help running the booking platform of the student car-share scheme",
            "the scheme can start next academic year",
            RequirementStatus.NEED_IDENTIFIED,
            invest="INV",
            offering=None,
        ),
    ),
    MERIDIAN: (
        Need(
            "Scanner faults fixed before the night sort",
            "depot shift supervisor",
            "a faulty scanner working again before the night sort starts",
            "parcels leave on the first trucks",
            RequirementStatus.VALIDATED,
            MUST,
            (13, 13, 5, 2),
            "Scanner faults reported after 18:00 are fixed by 22:00 at every depot, across a quarter.",
        ),
        Need(
            "Wi-Fi along the Kiel loading bays",
            "yard manager at Kiel",
            "scanners to stay connected along every loading bay",
            "loads are not scanned twice",
            RequirementStatus.IN_SPRINT,
            SHOULD,
            (8, 5, 3, 3),
            "A walk test shows signal above the agreed level at all 24 bays, with the doors open.",
            quality=NonFunctionalCategory.AVAILABILITY,
        ),
        Need(
            "Warehouse analytics",
            "depot operations director",
            "a dashboard that predicts where the depots will back up",
            "we move staff before a bottleneck forms",
            RequirementStatus.DEMAND_UNDERSTOOD,
            invest="INVET",
            offering=None,
            description="A whole new service rather than a story: see the joint analytics opportunity.",
        ),
    ),
    SKYPORT: (
        Need(
            "Tablets that work in rain and cold",
            "ramp agent",
            "a tablet that keeps working in rain and below freezing",
            "the turnaround is not held up by a dead screen",
            RequirementStatus.IN_SPRINT,
            MUST,
            (13, 13, 5, 5),
            "Test devices pass a week on the apron in January with no failure caused by cold or rain.",
            quality=NonFunctionalCategory.AVAILABILITY,
        ),
        Need(
            "Spare tablets kept at each airport",
            "ramp supervisor",
            "spare tablets on site",
            "a failed tablet is replaced before the next turnaround",
            RequirementStatus.PRIORITIZED,
            MUST,
            (13, 8, 5, 2),
            "Each airport keeps five spares, enrolled and charged; a swap takes under five minutes.",
        ),
        Need(
            "Report what ramp staff say, not only the service levels",
            "station manager",
            "the monthly report to include what ramp staff say about the tablets",
            "green figures do not hide unhappy crews",
            RequirementStatus.ACCEPTANCE_DEFINED,
            SHOULD,
            (5, 5, 3, 2),
            "The report has a page of ramp staff feedback with the month's score next to the service "
            "level figures.",
            quality=NonFunctionalCategory.MEASURABILITY,
        ),
        Need(
            "Wi-Fi coverage on the far stands",
            "ramp supervisor",
            "tablets to stay connected on the far stands",
            "load sheets reach the captain on time",
            RequirementStatus.REJECTED,
            WONT,
            offering=None,
            description="Not ours to fix: the apron network belongs to the airport operator. Passed on "
            "to its tender for a shared wireless network.",
        ),
    ),
    VELMONT: (
        Need(
            "Election night without slowdown",
            "communications officer",
            "the results pages to stay fast on election night",
            "residents do not turn to rumours",
            RequirementStatus.VALIDATED,
            MUST,
            (13, 13, 8, 3),
            "During the last election night, pages loaded in under two seconds at ten times the normal "
            "traffic.",
            quality=NonFunctionalCategory.CAPACITY,
        ),
        Need(
            "Parking permit renewals open at midnight",
            "resident",
            "to renew my parking permit as soon as the renewal period opens",
            "I do not have to stay up refreshing the page",
            RequirementStatus.VALIDATED,
            SHOULD,
            (5, 3, 2, 2),
            "On renewal night the portal took every renewal in the first hour without errors.",
        ),
        Need(
            "Accessibility statement kept current",
            "digital services officer",
            "the portal's accessibility statement updated after each release",
            "the council meets the web accessibility rules",
            RequirementStatus.IN_BACKLOG,
            COULD,
            (3, 2, 5, 1),
            "Each release note links to an updated statement dated the same week.",
            quality=NonFunctionalCategory.COMPLIANCE,
        ),
    ),
    PEREGRINE: (
        Need(
            "Adjusters' laptops ready for field visits",
            "claims adjuster",
            "a laptop that works offline at the claimant's home",
            "I can complete the claim on the spot",
            RequirementStatus.PRIORITIZED,
            MUST,
            (13, 8, 3, 3),
            "A claim entered offline syncs to the workbench within five minutes of reconnecting, "
            "without duplicates.",
        ),
        Need(
            "Call recordings kept for seven years",
            "compliance officer",
            "every claims call recording kept for seven years",
            "we can answer any complaint or regulator question",
            RequirementStatus.ACCEPTANCE_DEFINED,
            SHOULD,
            (5, 3, 8, 2),
            "A recording picked at random from seven years ago plays back within a day of asking.",
            quality=NonFunctionalCategory.COMPLIANCE,
        ),
        Need(
            "The claims workbench opens in under three seconds",
            "claims handler",
            "the workbench to open quickly in the morning",
            "the first calls are not spent waiting",
            RequirementStatus.DRAFTED,
            SHOULD,
            quality=NonFunctionalCategory.CAPACITY,
        ),
    ),
    KESTREL: (
        Need(
            "Handhelds that last a whole delivery round",
            "courier",
            "a handheld whose battery lasts my whole round",
            "I can take proof of delivery at the last address too",
            RequirementStatus.NEED_IDENTIFIED,
        ),
        Need(
            "The route planner on the handhelds",
            "route planning lead",
            "route changes pushed to the couriers' handhelds",
            "couriers skip addresses that cancelled",
            RequirementStatus.DEMAND_UNDERSTOOD,
        ),
    ),
}


# --- the opportunity pipeline ---------------------------------------------------------------------

DEMAND, PROPOSAL, AGREED, LOST = OpportunityStage


@dataclass(frozen=True)
class OpportunityPlan:
    account: str
    title: str
    stage: OpportunityStage
    days_in_stage: int
    value: int
    close_in_days: int  # from today; negative for one closed already
    offering: str = ""
    journey: int | None = 0
    lost_reason: str = ""
    description: str = ""


OPPORTUNITIES: tuple[OpportunityPlan, ...] = (
    OpportunityPlan(
        ROVENA,
        "Kiosk care for the airport and city branches",
        PROPOSAL,
        12,
        146_000,
        40,
        KIOSK_CARE,
        1,
        description="Proposal sent with two tiers; their head of finance wants the summer cover priced "
        "apart.",
    ),
    OpportunityPlan(ROVENA, "Standby engineer for the summer season", AGREED, 230, 38_500, -230, DEPOT_FIELD),
    OpportunityPlan(
        MERIDIAN,
        "Joint warehouse analytics service",
        DEMAND,
        30,
        260_000,
        150,
        description="Raised at the first value review: they would co-fund a service that predicts depot "
        "bottlenecks.",
    ),
    OpportunityPlan(MERIDIAN, "Field engineering for the Kiel depot", AGREED, 75, 44_000, -75, DEPOT_FIELD),
    OpportunityPlan(
        SKYPORT,
        "Replacement rugged tablets for the apron",
        PROPOSAL,
        20,
        118_000,
        35,
        RUGGED,
        description="Tablets rated for cold and rain, with site stock at Málaga and Alicante.",
    ),
    OpportunityPlan(
        SKYPORT,
        "Managing the shared apron Wi-Fi",
        LOST,
        95,
        210_000,
        -95,
        journey=None,
        lost_reason="The airport operator kept the apron network inside its own concession; no third "
        "party could bid.",
    ),
    OpportunityPlan(ALDER, "Ticketing and driver app support", DEMAND, 25, 34_000, 80, ROUND_THE_CLOCK),
    OpportunityPlan(KESTREL, "Courier handhelds with device management", DEMAND, 40, 72_000, 110, RUGGED),
    OpportunityPlan(
        BRENNA,
        "Network refresh of the remaining depots",
        LOST,
        60,
        96_000,
        -60,
        NETWORK_REFRESH,
        lost_reason="Their new parent group moved every site to the group's own IT provider; price and "
        "quality were not the reason.",
    ),
    OpportunityPlan(
        BRENNA,
        "Hardware maintenance until the lease ends",
        AGREED,
        58,
        14_000,
        -58,
        DEPOT_FIELD,
        journey=None,
    ),
    OpportunityPlan(LINDQVIST, "Gateways for the Lund stations", AGREED, 190, 11_500, -190, GATEWAYS),
    OpportunityPlan(
        LINDQVIST, "Night-time alerts for the docking stations", PROPOSAL, 15, 6_800, 30, GATEWAYS
    ),
    OpportunityPlan(
        SALTMARSH,
        "Student and staff digital workplace",
        PROPOSAL,
        55,
        410_000,
        25,
        ESSENTIALS,
        description="Tender won; the business case is with the university's finance committee.",
    ),
    OpportunityPlan(SALTMARSH, "Car-share booking platform support", DEMAND, 70, 22_000, 200),
    OpportunityPlan(
        HARBOURVIEW, "Clinical workstations, ward by ward", AGREED, 210, 1_250_000, -210, CLINICAL
    ),
    OpportunityPlan(
        HARBOURVIEW,
        "Kinsale and Mallow sites",
        PROPOSAL,
        18,
        240_000,
        60,
        CLINICAL,
        description="Follows the second version of the business case, still in draft.",
    ),
    OpportunityPlan(VELMONT, "Election night capacity", AGREED, 120, 18_000, -120, APP_HOSTING),
    OpportunityPlan(
        VELMONT,
        "Library kiosk support",
        LOST,
        150,
        27_000,
        -150,
        journey=None,
        lost_reason="The tender weighted price at 80 %; a local reseller bid well under our cost floor.",
    ),
    OpportunityPlan(
        COBALT,
        "Mortgage platform hosting",
        PROPOSAL,
        22,
        640_000,
        75,
        REGULATED_HOSTING,
        1,
        description="Waits on the supervisor's view of the shared risk model; our own business case does "
        "not pay yet.",
    ),
    OpportunityPlan(COBALT, "Branch desk contract renewal", DEMAND, 10, 520_000, 180, ROUND_THE_CLOCK),
    OpportunityPlan(
        COBALT,
        "Trading floor screen refresh",
        LOST,
        130,
        85_000,
        -130,
        BRANCH,
        lost_reason="Their group procurement bought the screens under a worldwide hardware deal; we kept "
        "the support of them.",
    ),
    OpportunityPlan(
        PEREGRINE,
        "Claims handling workplace",
        PROPOSAL,
        45,
        330_000,
        20,
        BRANCH,
        description="Reworked business case approved by the new COO; the contract is with their legal team.",
    ),
    OpportunityPlan(ORCHARD, "Member services IT from the catalogue", DEMAND, 35, 19_000, 100, ESSENTIALS),
)


# --- business cases -------------------------------------------------------------------------------

CAPEX, OPEX = ExpenseType.CAPITAL, ExpenseType.OPERATING
HIGH, MEDIUM, LOW = Confidence.HIGH, Confidence.MEDIUM, Confidence.LOW

# (category, expense type, description, amount, first year, last year for a recurring line)
Cost = tuple[CostCategory, ExpenseType, str, int, int, int | None]
# (benefit type, description, measurable indicator, amount, first year, last year for a recurring line)
Benefit = tuple[BenefitType, str, str, int, int, int | None]
# (description, probability, impact, mitigation)
Risk = tuple[str, str, int, str]
# (text, confidence, area)
Guess = tuple[str, Confidence, UncertaintyArea]


@dataclass(frozen=True)
class VersionPlan:
    status: BusinessCaseStatus
    created_days_ago: int
    costs: tuple[Cost, ...]
    benefits: tuple[Benefit, ...]
    risks: tuple[Risk, ...]
    assumptions: tuple[Guess, ...]
    submitted_days_ago: int | None = None
    decided_days_ago: int | None = None
    decision_note: str = ""
    answers: dict[str, str] = field(default_factory=dict)  # what this version answers differently
    budget: int | None = None


@dataclass(frozen=True)
class CasePlan:
    account: str
    title: str
    perspective: BusinessCasePerspective
    offering: str
    discount_rate: str
    horizon_years: int
    answers: dict[str, str]  # the case's questions, by field name
    versions: tuple[VersionPlan, ...]  # version 1 first


HARBOURVIEW_COSTS: tuple[Cost, ...] = (
    (CostCategory.INVESTMENT, CAPEX, "Workstations and carts for 38 wards", 420_000, 0, None),
    (CostCategory.INVESTMENT, CAPEX, "Badge readers and tap-and-go licences", 95_000, 0, None),
    (CostCategory.MAINTENANCE_AND_SUPPORT, OPEX, "Clinical workstation service fee", 310_000, 1, 5),
    (CostCategory.TRAINING, OPEX, "Sessions for clinical staff and floor walkers", 48_000, 0, None),
    (CostCategory.STAKEHOLDER_TIME, OPEX, "Ward managers' time to plan each go-live", 36_000, 0, None),
    (CostCategory.EXIT, OPEX, "Data hand-over and device return at the end", 40_000, 5, None),
)
HARBOURVIEW_BENEFITS: tuple[Benefit, ...] = (
    (
        BenefitType.OUTCOME,
        "Sign-in time saved on the first wards live, during the roll-out",
        "Minutes saved per shift start on the wards already live",
        45_000,
        0,
        0,
    ),
    (
        BenefitType.OUTCOME,
        "Clinician time no longer lost to signing in",
        "Median seconds from badge tap to patient record open",
        380_000,
        1,
        5,
    ),
    (
        BenefitType.COST_REDUCTION,
        "Legacy desktop support contract and overtime ended",
        "Yearly spend on desktop support outside the service",
        220_000,
        1,
        5,
    ),
    (
        BenefitType.RISK_REDUCTION,
        "Fewer theatre sessions delayed by IT",
        "Theatre sessions delayed by a workstation fault per quarter",
        60_000,
        2,
        5,
    ),
)
HARBOURVIEW_RISKS: tuple[Risk, ...] = (
    (
        "Wards refuse go-lives during winter pressures",
        "0.30",
        150_000,
        "No go-live between December and February; the ward order can change at a week's notice.",
    ),
    (
        "Badge readers do not work with the old patient records viewer",
        "0.15",
        90_000,
        "Roaming sessions tested with the viewer before the first ward goes live.",
    ),
)
HARBOURVIEW_GUESSES: tuple[Guess, ...] = (
    ("A clinician signs in about 40 times per shift today.", MEDIUM, UncertaintyArea.OUTCOME),
    ("The legacy support contract can end after year 1 without a penalty.", HIGH, UncertaintyArea.COST),
    ("Each ward manager can spare half a day to plan their ward's go-live.", LOW, UncertaintyArea.VALUE),
)

PEREGRINE_V1_BENEFITS: tuple[Benefit, ...] = (
    (
        BenefitType.OUTCOME,
        "Adjusters close claims faster",
        "Claims closed per adjuster per week",
        260_000,
        1,
        4,
    ),
    (
        BenefitType.COST_REDUCTION,
        "Old desktop and call recording contracts ended",
        "Yearly spend on the contracts the service replaces",
        60_000,
        1,
        4,
    ),
)
PEREGRINE_COSTS: tuple[Cost, ...] = (
    (CostCategory.INVESTMENT, CAPEX, "Move the claims centre to the new workplace", 180_000, 0, None),
    (CostCategory.MAINTENANCE_AND_SUPPORT, OPEX, "Regulated branch workplace service fee", 140_000, 1, 4),
    (CostCategory.TRAINING, OPEX, "Training for adjusters and claims handlers", 25_000, 0, None),
    (CostCategory.EXIT, OPEX, "Return of devices and records at the end", 15_000, 4, None),
)
PEREGRINE_RISKS: tuple[Risk, ...] = (
    (
        "Adjusters keep the old workbench for complex claims",
        "0.20",
        80_000,
        "Old workbench switched to read-only three months after go-live.",
    ),
)

BUSINESS_CASES: tuple[CasePlan, ...] = (
    CasePlan(
        HARBOURVIEW,
        "Clinical workstation service",
        BusinessCasePerspective.CONSUMER,
        CLINICAL,
        "0.04",
        5,
        {
            "purpose": "Replace the wards' ageing shared PCs with workstations clinicians sign in to with "
            "a badge, run as a service.",
            "strategic_fit": "The group's plan puts more clinical time with patients and fewer paper "
            "records; both need workstations clinicians will actually use at the bedside.",
            "problem": "Clinicians sign in dozens of times a shift on slow shared PCs, and log-in delays "
            "are the wards' most frequent IT complaint.",
            "desired_outcome": "Sign-in in seconds on every ward, faults that affect patients handled "
            "first, and one cost per ward the board can follow.",
            "stakeholders_affected": "Nurses and doctors on 38 wards (new way of signing in); ward "
            "managers (go-live planning); the security office (badges); the desktop team, whose work "
            "moves to the provider.",
            "disadvantages": "Dependence on one provider for every ward; a year of go-lives that each "
            "take some of a ward's attention.",
            "options_considered": "Keep the PCs and add badge readers (cheaper, but the PCs are five "
            "years old); buy workstations and run them ourselves (no team to do it); the service.",
            "resources_needed": "Capital for workstations and readers in year 0; ward managers' time and "
            "the security office's help with badges during the roll-out.",
            "timeline": "Ward-by-ward roll-out over nine months, none in winter; value review every "
            "quarter from the first ward on.",
            "organizational_change": "The desktop team moves to application support; ward managers "
            "become the contact for go-lives; badges become the only way to sign in.",
        },
        (
            VersionPlan(
                BusinessCaseStatus.APPROVED,
                250,
                HARBOURVIEW_COSTS,
                HARBOURVIEW_BENEFITS,
                HARBOURVIEW_RISKS,
                HARBOURVIEW_GUESSES,
                submitted_days_ago=228,
                decided_days_ago=215,
                decision_note="Approved by the CIO and the finance director at the capital board, on "
                "condition that no ward goes live in winter.",
                budget=2_300_000,
            ),
            VersionPlan(
                BusinessCaseStatus.DRAFT,
                20,
                (
                    *HARBOURVIEW_COSTS,
                    (
                        CostCategory.INVESTMENT,
                        CAPEX,
                        "Workstations for Kinsale and the Mallow day clinic",
                        110_000,
                        1,
                        None,
                    ),
                    (
                        CostCategory.MAINTENANCE_AND_SUPPORT,
                        OPEX,
                        "Service fee for the two community sites",
                        48_000,
                        2,
                        5,
                    ),
                    (CostCategory.TRAINING, OPEX, "Sessions for community site staff", 14_000, 1, None),
                ),
                (
                    *HARBOURVIEW_BENEFITS,
                    (
                        BenefitType.OUTCOME,
                        "Clinician time saved at the community sites",
                        "Median seconds from badge tap to record open at Kinsale and Mallow",
                        70_000,
                        2,
                        5,
                    ),
                ),
                (
                    *HARBOURVIEW_RISKS,
                    (
                        "Community site network too slow for roaming sessions",
                        "0.25",
                        40_000,
                        "Network survey at both sites before ordering.",
                    ),
                ),
                (
                    *HARBOURVIEW_GUESSES,
                    (
                        "Staff rotating between sites sign in as often as on the main wards.",
                        LOW,
                        UncertaintyArea.OUTCOME,
                    ),
                ),
                answers={
                    "purpose": "Extend the clinical workstation service to the Kinsale community hospital "
                    "and the Mallow day clinic.",
                    "timeline": "Main hospital as agreed; the two community sites in year 1, after the "
                    "last main ward.",
                    "stakeholders_affected": "As in version 1, plus the staff of the two community "
                    "sites, many of whom also work shifts at the main hospital.",
                },
                budget=2_500_000,
            ),
        ),
    ),
    CasePlan(
        PEREGRINE,
        "Claims handling workplace",
        BusinessCasePerspective.CONSUMER,
        BRANCH,
        "0.07",
        4,
        {
            "purpose": "Move the claims centre to a managed, audited workplace with laptops adjusters can "
            "use at claimants' homes.",
            "strategic_fit": "The mutual wants to settle simple claims in one visit and to answer its "
            "regulator's questions about call records without a project each time.",
            "problem": "Adjusters retype claims taken on paper, and call recordings are spread over two "
            "systems with different retention.",
            "desired_outcome": "Claims completed on the spot, recordings kept seven years in one place, "
            "and one workplace contract.",
            "stakeholders_affected": "Adjusters and claims handlers (new laptops and workbench access); "
            "compliance (recordings); the facilities team in Lyon and Grenoble.",
            "disadvantages": "A second move in three years for the claims centre staff; less freedom to "
            "install tools locally.",
            "options_considered": "Renew the current contracts as they are; a generic workplace without "
            "audit trail; the regulated branch workplace.",
            "resources_needed": "The move in year 0; a pilot team of adjusters for two months.",
            "timeline": "Pilot team first, then Lyon, then Grenoble, within five months.",
            "organizational_change": "Adjusters complete claims on site instead of back at the office; "
            "compliance takes over retention rules for recordings.",
        },
        (
            VersionPlan(
                BusinessCaseStatus.REJECTED,
                190,
                PEREGRINE_COSTS,
                PEREGRINE_V1_BENEFITS,
                PEREGRINE_RISKS,
                (
                    (
                        "Adjusters close a quarter more claims per week with laptops on site.",
                        LOW,
                        UncertaintyArea.OUTCOME,
                    ),
                    ("The old contracts end without penalties.", MEDIUM, UncertaintyArea.COST),
                ),
                submitted_days_ago=150,
                decided_days_ago=110,
                decision_note="Rejected by the new COO: the productivity gain was not supported by any "
                "claims data. Measure it on a pilot team first.",
            ),
            VersionPlan(
                BusinessCaseStatus.APPROVED,
                100,
                (
                    *PEREGRINE_COSTS,
                    (
                        CostCategory.STAKEHOLDER_TIME,
                        OPEX,
                        "Pilot team's time for the measurement",
                        20_000,
                        0,
                        None,
                    ),
                ),
                (
                    (
                        BenefitType.OUTCOME,
                        "Adjusters close claims faster, as measured on the pilot",
                        "Claims closed per adjuster per week",
                        150_000,
                        1,
                        4,
                    ),
                    PEREGRINE_V1_BENEFITS[1],
                    (
                        BenefitType.COMPLIANCE,
                        "Call recordings kept the full seven years",
                        "Share of recordings retrievable for the retention period",
                        15_000,
                        1,
                        4,
                    ),
                ),
                PEREGRINE_RISKS,
                (
                    ("The pilot team's 14 % gain holds for all adjusters.", MEDIUM, UncertaintyArea.OUTCOME),
                    ("The old contracts end without penalties.", HIGH, UncertaintyArea.COST),
                    (
                        "The new COO and the claims director want the same outcome.",
                        MEDIUM,
                        UncertaintyArea.VALUE,
                    ),
                ),
                submitted_days_ago=60,
                decided_days_ago=45,
                decision_note="Approved by the COO with the pilot figures; the claims director reviews "
                "the gain after the first year.",
                answers={
                    "desired_outcome": "Claims completed on the spot, 14 % more claims closed per adjuster "
                    "as on the pilot, recordings kept seven years in one place.",
                },
                budget=820_000,
            ),
        ),
    ),
    CasePlan(
        SALTMARSH,
        "Student and staff digital workplace",
        BusinessCasePerspective.CONSUMER,
        ESSENTIALS,
        "0.035",
        5,
        {
            "purpose": "Hand the staff and student workplace to a managed service at a fixed price per "
            "person.",
            "strategic_fit": "The university's digital strategy asks for every student to be working on "
            "day one and for IT spending that fits the yearly budget round.",
            "problem": "Each term starts with a week of account and device problems; laptops are bought "
            "in bulk whenever budget is left over, so the estate is uneven.",
            "desired_outcome": "Students signed in on their first day, laptops replaced on a cycle, and a "
            "cost that the finance committee can plan a year ahead.",
            "stakeholders_affected": "Students and staff (new portal and devices); the IT office (moves "
            "from fixing laptops to running services); faculty IT leads (configuration choices).",
            "disadvantages": "Faculties lose some freedom to buy their own devices.",
            "options_considered": "Keep the in-house desktop contract; the framework's other two bidders; "
            "this offer, which won the tender on quality.",
            "resources_needed": "The transition project and the IT office's time in the summer before term.",
            "timeline": "Transition over the summer; live for the September term start.",
            "organizational_change": "Faculty IT leads agree device choices once a year instead of "
            "buying ad hoc.",
        },
        (
            VersionPlan(
                BusinessCaseStatus.SUBMITTED,
                80,
                (
                    (CostCategory.INVESTMENT, OPEX, "Transition project over the summer", 95_000, 0, None),
                    (
                        CostCategory.USAGE,
                        OPEX,
                        "Service fee for 2,100 staff and student helpers",
                        470_000,
                        1,
                        5,
                    ),
                    (
                        CostCategory.TRAINING,
                        OPEX,
                        "Portal training for staff and student helpers",
                        30_000,
                        0,
                        None,
                    ),
                    (CostCategory.TRAINING, OPEX, "Yearly sessions for new faculty IT leads", 8_000, 1, 5),
                    (
                        CostCategory.STAKEHOLDER_TIME,
                        OPEX,
                        "IT office time during the transition",
                        40_000,
                        0,
                        None,
                    ),
                    (CostCategory.EXIT, OPEX, "Hand-back of devices and data at the end", 35_000, 5, None),
                ),
                (
                    (
                        BenefitType.COST_REDUCTION,
                        "In-house desktop contract and bulk laptop buying ended",
                        "Yearly spend on desktop support and laptop purchases",
                        480_000,
                        1,
                        5,
                    ),
                    (
                        BenefitType.COST_AVOIDANCE,
                        "No overtime at term start",
                        "IT office overtime hours in the first fortnight of each term",
                        45_000,
                        1,
                        5,
                    ),
                    (
                        BenefitType.OUTCOME,
                        "Students working from the first day of term",
                        "Share of new students signed in on their first day",
                        60_000,
                        1,
                        5,
                    ),
                    (
                        BenefitType.COMPLIANCE,
                        "Access removed on the day people leave",
                        "Access findings in the yearly internal audit",
                        0,
                        1,
                        5,
                    ),
                ),
                (
                    (
                        "Transition slips into the September term start",
                        "0.20",
                        120_000,
                        "Cut-over date fixed in the contract; the old contract can run a month longer.",
                    ),
                ),
                (
                    ("Student numbers stay within 5 % of this year's.", MEDIUM, UncertaintyArea.COST),
                    ("Faculty IT leads accept a shared device list.", LOW, UncertaintyArea.VALUE),
                ),
                submitted_days_ago=50,
                budget=2_700_000,
            ),
        ),
    ),
    CasePlan(
        ROVENA,
        "Self-service pickup kiosks",
        BusinessCasePerspective.CONSUMER,
        KIOSK_CARE,
        "0.09",
        4,
        {
            "purpose": "Put self-service kiosks in the airport and city branches so customers with a "
            "booking can collect their keys without queuing.",
            "strategic_fit": "Rovena wants to be the easiest rental brand to pick up from; queues in "
            "peak season are its worst reviews.",
            "problem": "In July and August customers queue up to 40 minutes at the airport counters, "
            "and extra counter staff are hard to find for the season.",
            "desired_outcome": "Most booked customers collecting at a kiosk in minutes; counter staff "
            "free for the customers who need them.",
            "stakeholders_affected": "Customers (new way to collect); counter staff (fewer routine "
            "pickups, more help at the kiosks); finance (card deposits at the kiosk).",
            "disadvantages": "Some customers will still want the counter; a kiosk that fails on a "
            "Saturday makes the queue worse than before.",
            "options_considered": "More seasonal staff; an app-only pickup; kiosks with care from us.",
            "resources_needed": "Kiosks and their integration in year 0; branch staff time for the change.",
            "timeline": "Pilot at Lisbon airport before summer, the other branches after the season.",
            "organizational_change": "Counter shifts planned around kiosk peaks; one person per shift "
            "helps at the kiosks.",
        },
        (
            VersionPlan(
                BusinessCaseStatus.DRAFT,
                14,
                (
                    (CostCategory.INVESTMENT, CAPEX, "24 kiosks with key cabinets", 264_000, 0, None),
                    (
                        CostCategory.INVESTMENT,
                        OPEX,
                        "Integration with the reservation system",
                        58_000,
                        0,
                        None,
                    ),
                    (CostCategory.MAINTENANCE_AND_SUPPORT, OPEX, "Kiosk care service fee", 66_000, 1, 4),
                    (CostCategory.USAGE, OPEX, "Card payment fees at the kiosks", 12_000, 1, 4),
                    (CostCategory.TRAINING, OPEX, "Branch staff training", 14_000, 0, None),
                    (CostCategory.ORGANIZATIONAL_CHANGE, OPEX, "New counter shift patterns", 20_000, 0, None),
                    (CostCategory.EXIT, OPEX, "Removal and data wiping of the kiosks", 8_000, 4, None),
                ),
                (
                    (
                        BenefitType.COST_REDUCTION,
                        "Fewer counter hours in the peak season",
                        "Counter staff hours per 100 pickups in July and August",
                        118_000,
                        1,
                        4,
                    ),
                    (
                        BenefitType.REVENUE,
                        "Upgrades sold at the kiosk",
                        "Upgrade revenue per kiosk pickup",
                        40_000,
                        2,
                        4,
                    ),
                    (
                        BenefitType.EXPERIENCE,
                        "Shorter waits at the airport branches",
                        "Median minutes from arrival to keys in hand",
                        25_000,
                        1,
                        4,
                    ),
                ),
                (
                    (
                        "Customers prefer the counter in peak season",
                        "0.30",
                        90_000,
                        "Staff at the kiosks in the first summer to help customers try them.",
                    ),
                    (
                        "Reservation system integration is late",
                        "0.25",
                        60_000,
                        "Integration tested at one branch before the kiosks are ordered.",
                    ),
                ),
                (
                    ("Half of booked customers use a kiosk in the first year.", LOW, UncertaintyArea.OUTCOME),
                    ("Kiosk prices hold until the order is placed.", MEDIUM, UncertaintyArea.COST),
                    ("Customers want speed more than a person at pickup.", MEDIUM, UncertaintyArea.VALUE),
                ),
                budget=700_000,
            ),
        ),
    ),
    CasePlan(
        COBALT,
        "Regulated hosting for the mortgage platform",
        BusinessCasePerspective.PROVIDER,
        REGULATED_HOSTING,
        "0.10",
        5,
        {
            "purpose": "Decide whether Larkfield should build a dedicated, audited environment to host "
            "Cobalt's mortgage platform.",
            "strategic_fit": "Regulated hosting would open the audit-ready segment beyond workplace "
            "services and move the Cobalt relationship towards a partnership.",
            "problem": "Our hosting today is shared; a bank's supervisor expects isolation, key control "
            "by the bank and evidence we do not yet produce.",
            "desired_outcome": "A hosting offering we can sell to more than one bank, starting with "
            "Cobalt at a price that covers its cost.",
            "stakeholders_affected": "Our hosting and compliance teams; Quaystone (dedicated capacity); "
            "Cobalt's mortgage, risk and product teams.",
            "disadvantages": "Risks that the bank used to carry move to us; a fixed environment that "
            "costs the same however busy it is.",
            "options_considered": "Decline and keep to workplace services; host on shared capacity with "
            "extra controls (the supervisor would likely object); the dedicated environment.",
            "resources_needed": "Capital for the environment and the certification in year 0; two "
            "engineers and part of a compliance officer from year 1.",
            "timeline": "Build in six months after the supervisor's view on the shared risk model; first "
            "production data in month eight.",
            "organizational_change": "A compliance role inside the hosting team; change records kept to "
            "the bank's audit standard.",
        },
        (
            VersionPlan(
                BusinessCaseStatus.DRAFT,
                18,
                (
                    (
                        CostCategory.INVESTMENT,
                        CAPEX,
                        "Build the dedicated regulated environment",
                        380_000,
                        0,
                        None,
                    ),
                    (
                        CostCategory.INVESTMENT,
                        OPEX,
                        "Certification against the bank's outsourcing rules",
                        60_000,
                        0,
                        None,
                    ),
                    (CostCategory.USAGE, OPEX, "Quaystone dedicated capacity in two sites", 150_000, 1, 5),
                    (
                        CostCategory.MAINTENANCE_AND_SUPPORT,
                        OPEX,
                        "On-call engineers and compliance officer",
                        120_000,
                        1,
                        5,
                    ),
                    (CostCategory.MAINTENANCE_AND_SUPPORT, OPEX, "Yearly external audit", 25_000, 1, 5),
                ),
                (
                    (
                        BenefitType.REVENUE,
                        "Hosting fee from Cobalt",
                        "Invoiced hosting revenue per year",
                        330_000,
                        1,
                        5,
                    ),
                    (
                        BenefitType.REVENUE,
                        "Second bank on the same environment",
                        "Revenue from regulated hosting consumers other than Cobalt",
                        60_000,
                        3,
                        5,
                    ),
                ),
                (
                    (
                        "The supervisor asks for changes to the shared risk model after the build",
                        "0.35",
                        180_000,
                        "No build order until the supervisor has answered.",
                    ),
                    (
                        "Cobalt's volumes stay below plan and they ask for a lower fee",
                        "0.30",
                        150_000,
                        "Minimum fee for the first three years in the agreement.",
                    ),
                ),
                (
                    ("A second bank signs by year 3.", LOW, UncertaintyArea.OUTCOME),
                    (
                        "Quaystone holds its dedicated capacity price for five years.",
                        MEDIUM,
                        UncertaintyArea.COST,
                    ),
                    (
                        "The supervisor accepts key control by the bank as sufficient.",
                        MEDIUM,
                        UncertaintyArea.RISK,
                    ),
                ),
            ),
        ),
    ),
)


# --- writing it down ------------------------------------------------------------------------------

LINEAGE_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://larkfield-ms.example/demo/business-cases")


def _valid(instance):
    """The model's own rules, so the demo breaks none a user would meet: its fields' validation and its
    `clean()`. Returns the instance, unsaved. This is `full_clean()` without the parts that query the
    database row by row (related rows exist, constraints hold): the database checks those itself as
    the rows go in, and `full_clean()` would cost thousands of queries here."""
    relations = [field.name for field in instance._meta.concrete_fields if field.is_relation]
    instance.clean_fields(exclude=relations)
    instance.clean()
    return instance


def _ago(now: datetime, days: int | None) -> datetime | None:
    return None if days is None else now - timedelta(days=days)


@transaction.atomic
def reset_offer() -> None:
    """Remove the demo catalogue (its services, every offering under them and all that hangs off those:
    components, tiers, propositions, journey links, playbooks, demand profiles) and the Offer records
    of the demo consumers (requirements, opportunities, business cases), history rows included.

    History rows outlive their records, so they are found by organization and by service; this runs
    before `demo_reset` deletes the demo organizations, while their ids can still be found by name."""
    organizations = Organization.objects.filter(name__in=list(JOURNEYS)).values_list("pk", flat=True)
    organization_ids = list(organizations)
    for model in (BusinessCase, Opportunity, Requirement):
        model.objects.filter(organization_id__in=organization_ids).delete()
        model.history.filter(organization_id__in=organization_ids).delete()
    service_ids = list(Service.objects.filter(name__in=SERVICES).values_list("pk", flat=True))
    ServiceOffering.objects.filter(service_id__in=service_ids).delete()
    ServiceOffering.history.filter(service_id__in=service_ids).delete()
    Service.objects.filter(pk__in=service_ids).delete()


@transaction.atomic
def seed_offer(*, users: dict, now: datetime) -> int:
    """Create the demo's Offer data (after the accounts, segments and personas) and return the number
    of offerings. Seeding again replaces it."""
    reset_offer()
    organizations = {
        organization.name: organization
        for organization in Organization.objects.filter(name__in=list(JOURNEYS)).select_related("owner")
    }
    journeys = {
        (journey.organization.name, journey.name): journey
        for journey in Journey.objects.filter(organization__in=organizations.values()).select_related(
            "organization"
        )
    }
    offerings = _seed_catalogue(users=users, now=now, journeys=journeys)
    _seed_playbooks(offerings)
    _seed_demand_profiles(offerings)
    _seed_requirements(organizations, journeys, offerings, now)
    _seed_opportunities(organizations, journeys, offerings, now)
    _seed_business_cases(organizations, offerings, now)
    return len(offerings)


def _seed_catalogue(*, users: dict, now: datetime, journeys: dict) -> dict[str, ServiceOffering]:
    """The services and their offerings, with everything that describes them; returns the offerings
    by name."""
    segments = {
        segment.name: segment for segment in MarketSegment.objects.filter(name__in=accounts.DEMO_SEGMENTS)
    }
    people = {
        persona.name: persona for persona in Persona.objects.filter(name__in=personas.demo_persona_names())
    }
    services = {}
    for name, (description, scope, owner) in SERVICES.items():
        service = _valid(Service(name=name, description=description, scope=scope, owner=users.get(owner)))
        service.save()
        services[name] = service

    offerings: dict[str, ServiceOffering] = {}
    components, tiers, propositions, links = [], [], [], []
    for plan in OFFERINGS:
        service = services[plan.service]
        published_at = _ago(now, plan.published_days_ago)
        retired_at = _ago(now, plan.retired_days_ago)
        offering = _valid(
            ServiceOffering(
                service=service,
                name=plan.name,
                summary=plan.summary,
                status=plan.status,
                published_at=published_at,
                retired_at=retired_at,
            )
        )
        # One history row, dated when the offering last changed status (today for a draft).
        offering._history_date = retired_at or published_at or now
        offering._history_user = service.owner
        offering.save()
        offerings[plan.name] = offering
        offering.target_segments.set([segments[name] for name in plan.segments])
        offering.target_personas.set([people[name] for name in plan.personas])
        components.extend(
            _valid(
                OfferingComponent(
                    offering=offering, kind=kind, name=name, description=description, position=position
                )
            )
            for position, (kind, name, description) in enumerate(plan.components)
        )
        tiers.extend(
            _valid(EngagementTier(offering=offering, name=name, description=description, position=position))
            for position, (name, description) in enumerate(plan.tiers)
        )
        for position, proposition in enumerate(plan.propositions):
            segment = segments[proposition.segment] if proposition.segment else None
            persona = people[proposition.persona] if proposition.persona else None
            propositions.append(
                _valid(
                    ValueProposition(
                        offering=offering,
                        segment=segment,
                        persona=persona,
                        headline=proposition.headline,
                        how_it_solves_problems=proposition.solves,
                        what_to_expect=proposition.expect,
                        advantage_over_competitors=proposition.why_us,
                        target_decision_maker_role=proposition.role,
                        decision_maker_title=proposition.title,
                        position=position,
                    )
                )
            )
        for key in plan.journeys:
            journey = journeys.get(key)
            if journey is None:
                continue
            links.append(_valid(OfferingJourney(offering=offering, journey=journey, linked_by=service.owner)))
    OfferingComponent.objects.bulk_create(components)
    EngagementTier.objects.bulk_create(tiers)
    ValueProposition.objects.bulk_create(propositions)
    OfferingJourney.objects.bulk_create(links)
    return offerings


def _seed_playbooks(offerings: dict[str, ServiceOffering]) -> None:
    for plan in PLAYBOOKS:
        edges = [
            (index, prerequisite) for index, action in enumerate(plan.actions) for prerequisite in action[4]
        ]
        cycle = find_cycle(edges)
        if cycle is not None:  # a mistake in the plan above, not something a user did
            raise ValueError(f"Playbook {plan.name!r} goes round in a circle: {cycle}.")
        offering = offerings[plan.offering]
        playbook = _valid(
            OnboardingPlaybook(
                offering=offering,
                name=plan.name,
                vision=plan.vision,
                scope=plan.scope,
                goals=plan.goals,
                controls=plan.controls,
                owner=offering.service.owner,
            )
        )
        playbook.save()
        actions = PlaybookAction.objects.bulk_create(
            _valid(
                PlaybookAction(
                    playbook=playbook,
                    title=title,
                    owner_party=party,
                    owner_role=role,
                    due_after_days=due,
                    position=position,
                )
            )
            for position, (title, party, role, due, _) in enumerate(plan.actions)
        )
        PlaybookActionDependency.objects.bulk_create(
            _valid(PlaybookActionDependency(action=actions[index], depends_on=actions[prerequisite]))
            for index, prerequisite in edges
        )


def _seed_demand_profiles(offerings: dict[str, ServiceOffering]) -> None:
    cells = []
    for plan in DEMAND_PROFILES:
        profile = _valid(
            DemandProfile(
                offering=offerings[plan.offering],
                source=DemandProfileSource.ENTERED,
                activity=plan.activity,
                trend=plan.trend,
                notes=plan.notes,
            )
        )
        profile.save()
        for dimension, volumes in (
            (DemandDimension.HOUR_OF_DAY, plan.hours),
            (DemandDimension.DAY_OF_WEEK, plan.days),
            (DemandDimension.MONTH, plan.months),
        ):
            buckets = BUCKET_RANGES[dimension]
            cells.extend(
                DemandProfileCell(profile=profile, dimension=dimension, bucket=bucket, volume=volume)
                for bucket, volume in zip(buckets, volumes, strict=True)
            )
    DemandProfileCell.objects.bulk_create(cells)


def _seed_requirements(organizations, journeys, offerings, now: datetime) -> None:
    requirements = []
    for account, needs in REQUIREMENTS.items():
        organization = organizations.get(account)
        if organization is None:
            continue
        ranks: dict[str, int] = {}
        validated = 0
        for need in needs:
            ranks[need.moscow] = ranks.get(need.moscow, 0) + 1
            key = _journey(account, need.journey)
            offering = None
            if need.offering is not None:
                offering = offerings[need.offering or BOARD_OFFERINGS[account, need.journey]]
            validated_at = None
            if need.status == RequirementStatus.VALIDATED:
                validated += 1
                validated_at = now - timedelta(days=5 + 11 * validated)
            requirement = Requirement(
                organization=organization,
                journey=journeys.get(key),
                offering=offering,
                title=need.title,
                description=need.description,
                as_a=need.as_a,
                i_want=need.i_want,
                so_that=need.so_that,
                kind=RequirementKind.NON_FUNCTIONAL if need.quality else RequirementKind.UTILITY,
                non_functional_category=need.quality or "",
                acceptance_criteria=need.acceptance,
                status=need.status,
                validated_at=validated_at,
                moscow=need.moscow,
                candidate_release=need.release,
                rank=ranks[need.moscow],
                **dict(zip(WSJF_FIELDS, need.wsjf or (None,) * len(WSJF_FIELDS), strict=True)),
                is_independent="I" in need.invest,
                is_negotiable="N" in need.invest,
                is_valuable="V" in need.invest,
                is_estimable="E" in need.invest,
                is_small="S" in need.invest,
                is_testable="T" in need.invest,
                owner=organization.owner,
            )
            requirement._history_user = organization.owner
            requirements.append(_valid(requirement))
    bulk_create_with_history(requirements, Requirement)


def _seed_opportunities(organizations, journeys, offerings, now: datetime) -> None:
    opportunities = []
    positions: dict[tuple[str, str], int] = {}
    for plan in OPPORTUNITIES:
        organization = organizations.get(plan.account)
        if organization is None:
            continue
        column = (plan.account, plan.stage)
        positions[column] = positions.get(column, -1) + 1
        stage_changed_at = now - timedelta(days=plan.days_in_stage)
        opportunity = Opportunity(
            organization=organization,
            offering=offerings.get(plan.offering),
            journey=None if plan.journey is None else journeys.get(_journey(plan.account, plan.journey)),
            title=plan.title,
            description=plan.description,
            stage=plan.stage,
            stage_changed_at=stage_changed_at,
            estimated_value=Decimal(plan.value),
            expected_close_date=timezone.localdate(now + timedelta(days=plan.close_in_days)),
            lost_reason=plan.lost_reason,
            position=positions[column],
            owner=organization.owner,
        )
        opportunity._history_date = stage_changed_at
        opportunity._history_user = organization.owner
        opportunities.append(_valid(opportunity))
    bulk_create_with_history(opportunities, Opportunity)


def _seed_business_cases(organizations, offerings, now: datetime) -> None:
    for plan in BUSINESS_CASES:
        organization = organizations.get(plan.account)
        if organization is None:
            continue
        owner = organization.owner
        lineage = uuid.uuid5(LINEAGE_NAMESPACE, f"{plan.account}/{plan.title}")
        approved = [
            index
            for index, version in enumerate(plan.versions)
            if version.status == BusinessCaseStatus.APPROVED
        ]
        baseline = approved[-1] if approved else None
        previous = None
        for index, version in enumerate(plan.versions):
            is_approved = version.status == BusinessCaseStatus.APPROVED
            submitted_at = _ago(now, version.submitted_days_ago)
            decided_at = _ago(now, version.decided_days_ago)
            case = BusinessCase(
                organization=organization,
                offering=offerings.get(plan.offering),
                perspective=plan.perspective,
                title=plan.title,
                **{**plan.answers, **version.answers},
                budget=None if version.budget is None else Decimal(version.budget),
                discount_rate=Decimal(plan.discount_rate),
                horizon_years=plan.horizon_years,
                status=version.status,
                submitted_at=submitted_at,
                approved_at=decided_at if is_approved else None,
                approved_by=owner if is_approved else None,
                decision_note=version.decision_note,
                lineage=lineage,
                version=index + 1,
                previous_version=previous,
                is_baseline=index == baseline,
                owner=owner,
            )
            case._history_date = decided_at or submitted_at or now - timedelta(days=version.created_days_ago)
            case._history_user = owner
            _valid(case).save()
            _seed_case_lines(case, version, owner)
            previous = case


def _seed_case_lines(case: BusinessCase, version: VersionPlan, owner) -> None:
    def recurrence(last_year: int | None) -> Recurrence:
        return Recurrence.ONE_OFF if last_year is None else Recurrence.RECURRING

    CostLine.objects.bulk_create(
        _valid(
            CostLine(
                business_case=case,
                category=category,
                expense_type=expense_type,
                description=description,
                amount=Decimal(amount),
                recurrence=recurrence(last_year),
                year=year,
                last_year=last_year,
            )
        )
        for category, expense_type, description, amount, year, last_year in version.costs
    )
    BenefitLine.objects.bulk_create(
        _valid(
            BenefitLine(
                business_case=case,
                benefit_type=benefit_type,
                description=description,
                indicator=indicator,
                amount=Decimal(amount),
                recurrence=recurrence(last_year),
                year=year,
                last_year=last_year,
            )
        )
        for benefit_type, description, indicator, amount, year, last_year in version.benefits
    )
    BusinessCaseRisk.objects.bulk_create(
        _valid(
            BusinessCaseRisk(
                business_case=case,
                description=description,
                probability=Decimal(probability),
                impact=Decimal(impact),
                mitigation=mitigation,
            )
        )
        for description, probability, impact, mitigation in version.risks
    )
    Assumption.objects.bulk_create(
        _valid(Assumption(business_case=case, text=text, confidence=confidence, area=area, owner=owner))
        for text, confidence, area in version.assumptions
    )
