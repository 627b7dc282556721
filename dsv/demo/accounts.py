"""The demo's cast: the provider, its users and teams, and the accounts with their journeys. Every name and
organization here is invented; the `.example` domains cannot reach anyone."""

from __future__ import annotations

from dataclasses import dataclass, field

# --- users ----------------------------------------------------------------------------------------

DEMO_PASSWORD = "demo"

# username → (first name, last name, role names, is superuser)
DEMO_USERS: dict[str, tuple[str, str, tuple[str, ...], bool]] = {
    "manager": ("Elena", "Marsh", ("relationship manager",), False),
    "manager2": ("Tomás", "Reyes", ("relationship manager",), False),
    "desk": ("Priya", "Nandakumar", ("service desk agent",), False),
    "analyst": ("Jonas", "Berg", ("analyst",), False),
    "integrator": ("CRM", "Sync", ("integrator",), False),
    "admin": ("Ada", "Okonkwo", ("administrator",), True),
}

# team name → usernames of its members
DEMO_TEAMS: dict[str, tuple[str, ...]] = {
    "Mobility & travel accounts": ("manager",),
    "Public sector & education accounts": ("manager",),
    "Financial services accounts": ("manager2",),
}
MOBILITY, PUBLIC, FINANCE = DEMO_TEAMS


# --- organizations --------------------------------------------------------------------------------


@dataclass(frozen=True)
class JourneyPlan:
    name: str
    # (step, days ago) from explore onward; a step may appear twice when the journey went back.
    history: tuple[tuple[str, int], ...]
    touchpoints: int
    left_days_ago: int | None = None  # set when the consumer left the journey
    notes: dict[int, str] = field(default_factory=dict)  # index in history → a specific note


@dataclass(frozen=True)
class AccountPlan:
    name: str
    industry: str
    country: str
    city: str
    domain: str
    revenue: int
    employees: int
    owner: str
    team: str
    people: int
    mood: float  # shifts touchpoint sentiment: below 0 a strained account, above 0 a happy one
    systems: tuple[str, ...]
    sites: tuple[str, ...]
    journeys: tuple[JourneyPlan, ...]
    notes: str = ""


PROVIDER = {
    "name": "Larkfield Managed Services",
    "industry": "Managed IT services",
    "country": "IE",
    "city": "Dublin",
    "website": "https://larkfield-ms.example",
    "employee_count": 640,
    "notes": "Our own organization: service desk, field engineering, hosting and workplace services "
    "for mid-sized and large consumers across Europe.",
}

OTHER_PARTIES = [
    {
        "name": "Quaystone Cloud Hosting",
        "kind": "partner",
        "industry": "Cloud hosting",
        "country": "NL",
        "city": "Amsterdam",
        "website": "https://quaystone.example",
        "employee_count": 210,
        "notes": "Hosts the platforms we run for consumers; joint planning each quarter.",
        "contact": ("Sanne", "Vos", "Partner manager"),
    },
    {
        "name": "Fernhill Devices",
        "kind": "supplier",
        "industry": "Hardware distribution",
        "country": "GB",
        "city": "Reading",
        "website": "https://fernhill-devices.example",
        "employee_count": 120,
        "notes": "Supplies the laptops, tablets and handhelds we deploy; next-business-day swap contract.",
        "contact": ("Callum", "Reid", "Key account manager"),
    },
]

# Journey steps, short, for the histories below.
EX, EN, OF, AG, ON, CO, RE = "explore", "engage", "offer", "agree", "onboard", "co_create", "realize"

ACCOUNTS: tuple[AccountPlan, ...] = (
    AccountPlan(
        name="Rovena Car Rental",
        industry="Car rental",
        country="PT",
        city="Lisbon",
        domain="rovena-rental.example",
        revenue=1_850_000,
        employees=1_400,
        owner="manager",
        team=MOBILITY,
        people=7,
        mood=0.2,
        systems=(
            "the reservation system",
            "the branch check-in terminals",
            "the fleet telematics feed",
            "the key-drop kiosks",
            "the damage inspection app",
        ),
        sites=("the Lisbon airport branch", "the Porto central branch", "the Faro branch", "head office"),
        notes="Wants to be known as the greenest rental brand in Iberia; electric fleet share is a board "
        "target. Peak season June to September.",
        journeys=(
            JourneyPlan(
                name="Fleet telematics and branch IT",
                history=((EX, 490), (EN, 450), (OF, 400), (AG, 350), (ON, 310), (CO, 250)),
                touchpoints=52,
            ),
            JourneyPlan(
                name="Self-service pickup kiosks",
                history=((EX, 120), (EN, 95), (OF, 40)),
                touchpoints=14,
                notes={0: "Raised by their sponsor during the spring service review."},
            ),
        ),
    ),
    AccountPlan(
        name="Meridian Freight Lines",
        industry="Freight and logistics",
        country="DE",
        city="Hamburg",
        domain="meridian-freight.example",
        revenue=2_400_000,
        employees=3_200,
        owner="manager",
        team=MOBILITY,
        people=6,
        mood=0.6,
        systems=(
            "the warehouse scanners",
            "the yard management system",
            "the depot Wi-Fi",
            "the driver tablets",
            "the customs filing tool",
        ),
        sites=("the Hamburg hub", "the Bremen depot", "the Hanover cross-dock", "the Kiel depot"),
        notes="A long-standing, cooperative relationship; they co-fund improvements that cut depot downtime.",
        journeys=(
            JourneyPlan(
                name="Warehouse and depot IT support",
                history=((EX, 545), (EN, 510), (OF, 470), (AG, 430), (ON, 395), (CO, 350), (RE, 75)),
                touchpoints=50,
                notes={6: "First annual value review booked with the sponsor."},
            ),
        ),
    ),
    AccountPlan(
        name="Skyport Ground Handling",
        industry="Airport services",
        country="ES",
        city="Málaga",
        domain="skyport-gh.example",
        revenue=950_000,
        employees=900,
        owner="manager",
        team=MOBILITY,
        people=6,
        mood=-0.7,
        systems=(
            "the ramp tablets",
            "the baggage reconciliation app",
            "the turnaround planning board",
            "the radio gateway",
        ),
        sites=("Málaga airport", "Alicante airport", "the Seville station"),
        notes="Service levels are met on paper, but ramp staff keep telling us the tablets let them down "
        "at the worst moments.",
        journeys=(
            JourneyPlan(
                name="Ramp tablets and mobile devices",
                history=((EX, 340), (EN, 315), (OF, 290), (AG, 260), (ON, 230), (CO, 190)),
                touchpoints=48,
            ),
        ),
    ),
    AccountPlan(
        name="Alder Coach Travel",
        industry="Coach travel",
        country="NL",
        city="Utrecht",
        domain="aldercoach.example",
        revenue=180_000,
        employees=260,
        owner="manager",
        team=MOBILITY,
        people=4,
        mood=0.3,
        systems=("the ticketing app", "the driver app", "the booking website"),
        sites=("the Utrecht garage", "the Arnhem garage"),
        notes="Prospect. Their in-house IT person is retiring and they are weighing their options.",
        journeys=(
            JourneyPlan(
                name="Ticketing and driver app support",
                history=((EX, 38),),
                touchpoints=15,
                notes={0: "Met their operations director at a regional transport fair."},
            ),
        ),
    ),
    AccountPlan(
        name="Kestrel Parcel Couriers",
        industry="Parcel delivery",
        country="PL",
        city="Poznań",
        domain="kestrel-parcel.example",
        revenue=310_000,
        employees=700,
        owner="manager",
        team=MOBILITY,
        people=5,
        mood=0.1,
        systems=("the courier handhelds", "the route planner", "the proof-of-delivery service"),
        sites=("the Poznań sorting centre", "the Wrocław depot", "the Łódź depot"),
        journeys=(
            JourneyPlan(
                name="Courier handheld management",
                history=((EX, 100), (EN, 62)),
                touchpoints=20,
            ),
        ),
    ),
    AccountPlan(
        name="Brenna Rail Maintenance",
        industry="Rail engineering",
        country="GB",
        city="Derby",
        domain="brenna-rail.example",
        revenue=260_000,
        employees=540,
        owner="manager",
        team=MOBILITY,
        people=4,
        mood=-0.3,
        systems=("the depot network", "the asset register", "the workshop PCs"),
        sites=("the Derby depot", "the Crewe depot"),
        notes="Left during onboarding: their new parent group moved every site to its own IT provider.",
        journeys=(
            JourneyPlan(
                name="Depot network refresh",
                history=((EX, 400), (EN, 360), (OF, 300), (AG, 250), (ON, 150)),
                touchpoints=18,
                left_days_ago=60,
                notes={4: "Onboarding started; cut-over planned depot by depot."},
            ),
        ),
    ),
    AccountPlan(
        name="Lindqvist Bike Share",
        industry="Bike sharing",
        country="SE",
        city="Malmö",
        domain="lindqvist-bikes.example",
        revenue=60_000,
        employees=45,
        owner="manager",
        team=MOBILITY,
        people=3,
        mood=0.4,
        systems=("the docking station modems", "the rider app back office"),
        sites=("the Malmö workshop", "the Lund stations"),
        journeys=(
            JourneyPlan(
                name="Docking station connectivity",
                history=((EX, 300), (EN, 280), (OF, 255), (AG, 235), (ON, 215), (CO, 195)),
                touchpoints=22,
            ),
        ),
    ),
    AccountPlan(
        name="Saltmarsh University",
        industry="Higher education",
        country="GB",
        city="Norwich",
        domain="saltmarsh-uni.example",
        revenue=640_000,
        employees=2_100,
        owner="manager",
        team=PUBLIC,
        people=7,
        mood=0.2,
        systems=(
            "the student portal",
            "the lecture capture system",
            "the library Wi-Fi",
            "the campus car-share booking app",
            "staff laptops",
        ),
        sites=("the main campus", "the medical school", "the halls of residence"),
        notes="The sustainability office is keen on a student-run electric car-share scheme and wants "
        "our help with the booking platform.",
        journeys=(
            JourneyPlan(
                name="Student and staff digital workplace",
                history=((EX, 270), (EN, 235), (OF, 170), (AG, 55)),
                touchpoints=30,
            ),
        ),
    ),
    AccountPlan(
        name="Harbourview Hospital Group",
        industry="Healthcare",
        country="IE",
        city="Cork",
        domain="harbourview-health.example",
        revenue=3_100_000,
        employees=5_400,
        owner="manager",
        team=PUBLIC,
        people=7,
        mood=-0.1,
        systems=(
            "the clinical workstations",
            "the ward tablets",
            "the patient records viewer",
            "the theatre scheduling system",
            "the badge login service",
        ),
        sites=("Cork University wing", "the Kinsale community hospital", "the Mallow day clinic"),
        notes="Largest account. Clinicians have little patience for log-in delays; the onboarding plan "
        "rolls out ward by ward.",
        journeys=(
            JourneyPlan(
                name="Clinical workstation service",
                history=((EX, 400), (EN, 370), (OF, 300), (AG, 210), (ON, 70)),
                touchpoints=45,
                notes={4: "Contract signed; ward-by-ward roll-out agreed with the chief nursing officer."},
            ),
        ),
    ),
    AccountPlan(
        name="Velmont City Council",
        industry="Local government",
        country="BE",
        city="Ghent",
        domain="velmont-city.example",
        revenue=420_000,
        employees=1_800,
        owner="manager",
        team=PUBLIC,
        people=6,
        mood=0.3,
        systems=(
            "the resident services portal",
            "the parking permit system",
            "the council meeting streaming",
            "the library kiosks",
        ),
        sites=("the city hall", "the north district office", "the central library"),
        journeys=(
            JourneyPlan(
                name="Resident services portal hosting",
                history=((EX, 520), (EN, 480), (OF, 430), (AG, 390), (ON, 360), (CO, 330), (RE, 40)),
                touchpoints=40,
            ),
        ),
    ),
    AccountPlan(
        name="Cobalt Trust Bank",
        industry="Banking",
        country="LU",
        city="Luxembourg",
        domain="cobalt-trust.example",
        revenue=2_900_000,
        employees=2_600,
        owner="manager2",
        team=FINANCE,
        people=7,
        mood=0.0,
        systems=(
            "the teller workstations",
            "the branch document scanners",
            "the mortgage origination platform",
            "the secure e-mail gateway",
            "the trading floor screens",
        ),
        sites=("the Kirchberg head office", "the Esch branch", "the Ettelbruck branch"),
        notes="Regulated: every change to the branch estate needs the bank's change board and an audit "
        "trail.",
        journeys=(
            JourneyPlan(
                name="Branch and back-office service desk",
                history=((EX, 470), (EN, 440), (OF, 390), (AG, 340), (ON, 300), (CO, 245)),
                touchpoints=50,
            ),
            JourneyPlan(
                name="Mortgage platform hosting",
                history=((EX, 85), (EN, 60), (OF, 22)),
                touchpoints=14,
            ),
        ),
    ),
    AccountPlan(
        name="Peregrine Mutual Insurance",
        industry="Insurance",
        country="FR",
        city="Lyon",
        domain="peregrine-mutual.example",
        revenue=760_000,
        employees=1_100,
        owner="manager2",
        team=FINANCE,
        people=5,
        mood=-0.2,
        systems=("the claims workbench", "the call recording service", "adjusters' laptops"),
        sites=("the Lyon claims centre", "the Grenoble office"),
        journeys=(
            JourneyPlan(
                name="Claims handling workplace",
                history=((EX, 360), (EN, 320), (OF, 260), (AG, 150), (OF, 110), (AG, 45)),
                touchpoints=28,
                notes={
                    4: "New sponsor asked for the business case to be reworked before signing.",
                    5: "Reworked business case accepted; back to the agreement.",
                },
            ),
        ),
    ),
    AccountPlan(
        name="Orchard Lane Credit Union",
        industry="Credit union",
        country="GB",
        city="Leeds",
        domain="orchardlane-cu.example",
        revenue=95_000,
        employees=85,
        owner="manager2",
        team=FINANCE,
        people=3,
        mood=0.5,
        systems=("the member database", "the office network"),
        sites=("the Leeds office", "the Bradford office"),
        journeys=(
            JourneyPlan(
                name="Member services IT",
                history=((EX, 110), (EN, 70)),
                touchpoints=16,
            ),
        ),
    ),
)


# --- market segments (Explore) --------------------------------------------------------------------

# name → (approach, basis, description, criteria, (homogeneity, distinction, reaction), member names)
DEMO_SEGMENTS: dict[str, tuple[str, str, str, str, tuple[bool, bool, bool], tuple[str, ...]]] = {
    "Mobility and transport operators": (
        "characteristic_based",
        "demographic",
        "Companies that move people or goods and run fleets, depots and field staff.",
        "Core business is passenger or freight transport, or the ground services around it.",
        (True, True, False),
        (
            "Rovena Car Rental",
            "Meridian Freight Lines",
            "Skyport Ground Handling",
            "Alder Coach Travel",
            "Kestrel Parcel Couriers",
            "Brenna Rail Maintenance",
            "Lindqvist Bike Share",
        ),
    ),
    "Public services on yearly budgets": (
        "characteristic_based",
        "behavioural",
        "Publicly funded bodies that buy through tenders and plan spending a year ahead.",
        "Funded mainly from public money; changes to the service follow the budget cycle.",
        (True, True, True),
        ("Saltmarsh University", "Harbourview Hospital Group", "Velmont City Council"),
    ),
    "Audit-ready operations": (
        "need_based",
        "",
        "Consumers who must show a regulator, at any time, who changed what and why.",
        "Needs traceable changes, evidence on request and strict separation of duties.",
        (True, False, True),
        ("Cobalt Trust Bank", "Peregrine Mutual Insurance", "Orchard Lane Credit Union"),
    ),
}
