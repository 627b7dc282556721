"""The words of the demo: people's names and titles, step notes, and how touchpoints are mixed and
described in each step. All invented for the demo; the 555 phone numbers cannot reach anyone."""

from __future__ import annotations

# --- people ---------------------------------------------------------------------------------------

FIRST_NAMES = {
    "PT": ["Inês", "João", "Mariana", "Rui", "Beatriz", "Tiago", "Carla", "Duarte"],
    "DE": ["Katrin", "Jonas", "Anke", "Florian", "Miriam", "Lukas", "Heike", "Tobias"],
    "ES": ["Lucía", "Javier", "Nerea", "Álvaro", "Marta", "Sergio", "Elena", "Iker"],
    "NL": ["Femke", "Daan", "Lotte", "Bram", "Ilse", "Thijs", "Noor", "Ruben"],
    "PL": ["Agnieszka", "Marek", "Zofia", "Paweł", "Kasia", "Tomasz", "Ewa", "Bartek"],
    "GB": ["Hannah", "Owen", "Grace", "Rhys", "Amira", "Callum", "Fiona", "Dev"],
    "SE": ["Linnea", "Oskar", "Maja", "Viktor", "Ebba", "Anton"],
    "IE": ["Siobhán", "Cian", "Aoife", "Declan", "Niamh", "Ronan", "Orla", "Fintan"],
    "BE": ["Lien", "Pieter", "Elke", "Wout", "Sarah", "Jens", "Marie", "Arne"],
    "LU": ["Claire", "Marc", "Sophie", "Luc", "Anne", "Gilles", "Nadia", "Yves"],
    "FR": ["Camille", "Julien", "Manon", "Hugo", "Léa", "Mathieu", "Chloé", "Bastien"],
}
LAST_NAMES = {
    "PT": ["Carvalho", "Almeida", "Ferraz", "Pinto", "Sousa", "Matos", "Rocha", "Teixeira"],
    "DE": ["Brandt", "Hoffmann", "Kessler", "Vogt", "Lindner", "Maurer", "Seidel", "Richter"],
    "ES": ["Navarro", "Ortega", "Romero", "Castillo", "Iglesias", "Vidal", "Prieto", "Molina"],
    "NL": ["de Wit", "Bakker", "Visser", "Smit", "Mulder", "van Dijk", "Kok", "Jansen"],
    "PL": ["Nowak", "Dudek", "Kaczmarek", "Zając", "Sikora", "Krawczyk", "Mazur", "Wójcik"],
    "GB": ["Thornton", "Ashby", "Patel", "Gallagher", "Hughes", "Okafor", "Lambert", "Whitfield"],
    "SE": ["Lindgren", "Holm", "Sjöberg", "Ek", "Nyström", "Berglund"],
    "IE": ["Ó Briain", "Keane", "Doherty", "Fitzgerald", "Moran", "Quinlan", "Byrne", "Cullinane"],
    "BE": ["Peeters", "Claes", "Maes", "Wouters", "Goossens", "Janssens", "De Smet", "Verhoeven"],
    "LU": ["Schmit", "Weber", "Muller", "Hoffmann", "Kieffer", "Reuter", "Thill", "Wagner"],
    "FR": ["Girard", "Morel", "Lefèvre", "Fournier", "Rousseau", "Chevalier", "Garnier", "Faure"],
}
PHONE_PREFIX = {
    "PT": "+351 21 555",
    "DE": "+49 40 555",
    "ES": "+34 952 555",
    "NL": "+31 30 555",
    "PL": "+48 61 555",
    "GB": "+44 113 555",
    "SE": "+46 40 555",
    "IE": "+353 21 555",
    "BE": "+32 9 555",
    "LU": "+352 555",
    "FR": "+33 4 555",
}

# Job titles by the part a person plays in the account. "sponsor" authorizes the budget, "customer"
# owns the requirements and outcomes, "commercial" is a customer who cares about the contract more than
# the day-to-day, "key_user" and "user" use the service.
TITLES = {
    "sponsor": [
        "Chief Operating Officer",
        "Finance Director",
        "Chief Information Officer",
        "Managing Director",
        "Director of Operations",
    ],
    "customer": [
        "Head of IT",
        "IT Service Owner",
        "Digital Operations Manager",
        "Head of Business Systems",
        "Infrastructure Lead",
    ],
    "commercial": ["Head of Procurement", "Contracts Manager", "Vendor Manager", "Commercial Director"],
    "key_user": [
        "Branch Supervisor",
        "Shift Lead",
        "Team Leader",
        "Super-user, front office",
        "Operations Coordinator",
    ],
    "user": [
        "Customer Service Agent",
        "Planner",
        "Office Administrator",
        "Field Technician",
        "Receptionist",
        "Analyst",
    ],
}
INDUSTRY_TITLES = {
    "Healthcare": {
        "key_user": ["Ward Manager", "Clinical Nurse Specialist"],
        "user": ["Ward Clerk", "Registrar"],
    },
    "Higher education": {
        "key_user": ["Faculty IT Coordinator", "Student Services Lead"],
        "user": ["Lecturer", "Library Assistant"],
    },
    "Banking": {
        "key_user": ["Branch Manager", "Operations Team Lead"],
        "user": ["Teller", "Mortgage Adviser"],
    },
    "Insurance": {"key_user": ["Claims Team Leader"], "user": ["Claims Handler", "Loss Adjuster"]},
    "Car rental": {
        "key_user": ["Station Manager", "Fleet Coordinator"],
        "user": ["Rental Agent", "Fleet Technician"],
    },
    "Freight and logistics": {
        "key_user": ["Depot Manager", "Shift Supervisor"],
        "user": ["Warehouse Operative", "Transport Planner"],
    },
    "Airport services": {"key_user": ["Ramp Duty Manager"], "user": ["Ramp Agent", "Load Controller"]},
    "Local government": {
        "key_user": ["Digital Services Coordinator"],
        "user": ["Customer Contact Officer", "Permits Officer"],
    },
}

# Each slot: (part played, consumer roles, influence range, interest range). Slots are filled in order,
# so three people make a sponsor, a customer and a key user; seven cover every quadrant of the grid.
PEOPLE_SLOTS = (
    ("sponsor", ("sponsor",), (4, 5), (2, 3)),  # keep satisfied
    ("customer", ("customer",), (4, 5), (4, 5)),  # manage closely
    ("key_user", ("user",), (2, 3), (4, 5)),  # keep informed
    ("user", ("user",), (1, 2), (1, 3)),  # monitor
    ("commercial", ("customer",), (4, 5), (1, 3)),  # keep satisfied
    ("key_user", ("user",), (1, 3), (4, 5)),  # keep informed
    ("user", ("user",), (1, 2), (2, 3)),  # monitor
)


# --- journey step notes ---------------------------------------------------------------------------

STEP_NOTES = {
    "explore": [
        "Spotted as a likely fit while reviewing the regional market.",
        "Came in through a referral from an existing customer.",
        "Their tender notice matched our workplace offering.",
    ],
    "engage": [
        "First discovery meeting held; both sides want to continue.",
        "Introductions done with their operations and IT leads.",
        "Agreed to a short series of workshops to learn their needs.",
    ],
    "offer": [
        "Requirements clear enough to shape an offer.",
        "Business case drafted together with their customer lead.",
        "Moved to shaping the offering after the readiness check.",
    ],
    "agree": [
        "Offer accepted in principle; service levels under discussion.",
        "Draft agreement sent for review by their legal team.",
        "Negotiation started on targets and consumer responsibilities.",
    ],
    "onboard": [
        "Agreement signed; onboarding plan shared.",
        "Kick-off held; onboarding actions assigned on both sides.",
        "Transition team in place; first sites scheduled.",
    ],
    "co_create": [
        "Onboarding complete; service live for all users.",
        "Last site migrated; handed over to the service desk.",
        "Go-live confirmed by the customer.",
    ],
    "realize": [
        "Enough months of data to review value against the business case.",
        "First value review scheduled with the sponsor.",
        "Moved to tracking realized benefits and improvements.",
    ],
}
EXIT_SUMMARY = (
    "Exit meeting with the sponsor: their group will use its own provider. Access removed, data handed "
    "back, and we wrote down what we would do differently."
)


# --- touchpoints ----------------------------------------------------------------------------------

# For each step: (kind, channels, direction, weight). Weights are relative within a step.
STEP_MIX: dict[str, list[tuple[str, tuple[str, ...], str, int]]] = {
    "explore": [
        ("communication", ("email", "social_media"), "outbound", 4),
        ("meeting", ("video_call", "in_person"), "outbound", 3),
        ("query", ("email", "telephone"), "inbound", 2),
        ("communication", ("recommendation",), "inbound", 1),
        ("feedback", ("email",), "inbound", 1),
    ],
    "engage": [
        ("meeting", ("in_person", "video_call"), "outbound", 5),
        ("communication", ("email",), "outbound", 3),
        ("query", ("email", "telephone"), "inbound", 3),
        ("feedback", ("email", "video_call"), "inbound", 2),
    ],
    "offer": [
        ("proposal", ("email",), "outbound", 4),
        ("meeting", ("video_call", "in_person"), "outbound", 4),
        ("query", ("email", "telephone"), "inbound", 3),
        ("feedback", ("email", "video_call"), "inbound", 2),
        ("complaint", ("email",), "inbound", 1),
    ],
    "agree": [
        ("meeting", ("in_person", "video_call"), "outbound", 5),
        ("proposal", ("email",), "outbound", 3),
        ("communication", ("email",), "outbound", 3),
        ("query", ("email", "telephone"), "inbound", 3),
        ("feedback", ("email",), "inbound", 1),
    ],
    "onboard": [
        ("meeting", ("in_person", "video_call"), "outbound", 4),
        ("communication", ("email", "in_app_message"), "outbound", 3),
        ("service_request", ("portal", "service_catalogue", "email"), "inbound", 4),
        ("query", ("telephone", "chat", "email"), "inbound", 4),
        ("incident", ("telephone", "portal"), "inbound", 2),
        ("feedback", ("email", "portal"), "inbound", 2),
        ("complaint", ("telephone", "email"), "inbound", 1),
    ],
    "co_create": [
        ("incident", ("telephone", "portal", "chat"), "inbound", 9),
        ("service_request", ("portal", "service_catalogue", "email"), "inbound", 8),
        ("query", ("chat", "telephone", "email"), "inbound", 7),
        ("communication", ("email", "in_app_message"), "outbound", 3),
        ("meeting", ("video_call", "in_person"), "outbound", 2),
        ("complaint", ("telephone", "email"), "inbound", 2),
        ("compliment", ("email", "chat", "forum"), "inbound", 2),
        ("feedback", ("portal", "forum", "email"), "inbound", 2),
    ],
    "realize": [
        ("incident", ("telephone", "portal", "chat"), "inbound", 5),
        ("service_request", ("portal", "service_catalogue"), "inbound", 5),
        ("query", ("chat", "telephone", "email"), "inbound", 4),
        ("review", ("in_person", "video_call"), "outbound", 3),
        ("feedback", ("email", "portal", "forum"), "inbound", 3),
        ("communication", ("email",), "outbound", 2),
        ("meeting", ("video_call", "in_person"), "outbound", 2),
        ("compliment", ("email", "chat"), "inbound", 2),
        ("complaint", ("telephone", "email"), "inbound", 1),
    ],
}

# Typical sentiment by kind before the account's mood shifts it: (mean, spread).
KIND_SENTIMENT = {
    "query": (0.1, 0.7),
    "service_request": (0.2, 0.7),
    "incident": (-0.6, 0.8),
    "complaint": (-1.6, 0.5),
    "compliment": (1.7, 0.4),
    "feedback": (0.2, 1.0),
    "meeting": (0.6, 0.7),
    "review": (0.4, 1.0),
    "proposal": (0.5, 0.6),
    "communication": (0.2, 0.5),
}
# How likely a touchpoint of this kind is a moment of truth.
MOMENT_OF_TRUTH = {
    "incident": 0.06,
    "complaint": 0.2,
    "compliment": 0.15,
    "review": 0.25,
    "meeting": 0.05,
    "proposal": 0.08,
}

# Minutes spent, by channel (None: not measured for that channel).
DURATION = {
    "telephone": (3, 25),
    "chat": (4, 30),
    "email": (5, 20),
    "in_person": (30, 120),
    "video_call": (20, 90),
    "portal": (2, 10),
    "service_catalogue": (2, 8),
}

# The templates name {person} (a stakeholder's full name), {system}, {site}, {service} (the journey),
# {industry} and {n}. Step-specific lists win over the kind's general list.
SUMMARIES: dict[str, list[str]] = {
    "query": [
        "{person} asked how to get extra licences for {system}.",
        "Question about the maintenance window planned for {system}.",
        "{person} wanted to know whether {system} can be reached from home without the VPN.",
        "Caller from {site} asked who signs off new starters' access to {system}.",
        "{person} asked for last month's ticket report in a spreadsheet.",
        "Query about the cut-off time for same-day requests at {site}.",
        "{person} checked whether the new password rules also cover {system}.",
        "Asked how long records in {system} are kept once an account is closed.",
    ],
    "service_request": [
        "New starter kit for {n} people at {site}: laptops, accounts and access to {system}.",
        "{person} asked for a shared mailbox for the team at {site}.",
        "Move of {n} desks to another floor at {site}, with network points.",
        "Temporary access to {system} for a contractor, ending in {n} weeks.",
        "{person} ordered {n} replacement headsets for {site}.",
        "Unlock of a supervisor's {system} account at {site}.",
        "Request to add {site} to the weekend support rota.",
        "Software install on {n} machines at {site} for a new reporting tool.",
    ],
    "incident": [
        "{system} down at {site} for about {n} minutes; back after a failover.",
        "{person} reported that {system} freezes several times a shift.",
        "Nobody at {site} could sign in to {system}; an expired certificate was the cause.",
        "Slow responses from {system} during the morning rush at {site}.",
        "Line failure at {site} cut off {system}; the carrier swapped a faulty router.",
        "{person} found gaps in {system} after the overnight sync.",
        "Wi-Fi keeps dropping in one wing of {site}, taking {system} with it.",
        "{system} showed yesterday's data at {site} until the cache was cleared.",
    ],
    "complaint": [
        "{person} complained that a ticket about {system} sat untouched for {n} days.",
        "Complaint about repeated {system} outages at {site} this month.",
        "{person} unhappy that the engineer visit to {site} was cancelled at short notice.",
        "Complaint that the monthly report looks green while users at {site} struggle with {system}.",
        "{person} objected to giving the same details to three different agents.",
    ],
    "compliment": [
        "{person} thanked the desk for fixing {system} before the early shift began.",
        "Thanks for the engineer who rebuilt the kit at {site} over the weekend.",
        "{person} praised the clear updates we sent during the {system} outage.",
        "Users at {site} sent thanks for the painless switch to the new {system}.",
    ],
    "feedback": [
        "{person} suggested a public status page for {system}.",
        "From {site}: the new request form is quicker, but the category list confuses people.",
        "{person} said users would like to reset their own {system} passwords.",
        "Mixed views on the training: useful content, not enough hands-on time.",
        "{person} noticed response times have improved since the rota change.",
    ],
    "meeting": [
        "Catch-up with {person} on open actions and what is coming next.",
        "Met {person} to plan work on {system} at {site}.",
    ],
    "review": [
        "Quarterly service review with {person}: availability on target, satisfaction slipping at {site}.",
        "Annual review of {service}; {person} confirmed the savings promised in the business case.",
        "Went through {n} months of tickets with {person}; agreed to attack repeat incidents first.",
        "Reviewed {service} outcomes with {person}; sponsor sign-off planned for next month.",
    ],
    "proposal": [
        "Sent {person} our first proposal for {service}.",
        "Revised offer for {service}: a phased roll-out that starts at {site}.",
        "Shared two pricing options for {service}: standard and extended support hours.",
        "Proposal to extend support hours at {site} sent to {person}.",
        "Updated quote after trimming the scope at {site}, sent to {person}.",
    ],
    "communication": [
        "Maintenance notice for {system} sent to every user at {site}.",
        "Monthly service report sent to {person}.",
        "Shared the updated contact list and escalation path with {person}.",
        "Newsletter with the next quarter's service roadmap sent to {person}.",
    ],
}
STEP_SUMMARIES: dict[tuple[str, str], list[str]] = {
    ("explore", "communication"): [
        "Sent {person} a short case study on IT support in the {industry} sector.",
        "Invited {person} to our customer round table next month.",
        "{person} follows our posts on device management; sent a note to say hello.",
    ],
    ("explore", "meeting"): [
        "Introductory call with {person} to learn how {site} runs today.",
        "Bumped into {person} at a trade event; swapped notes on their IT plans.",
    ],
    ("explore", "query"): [
        "{person} asked whether we support sites outside office hours.",
        "Enquiry from {person} about our experience with {system}.",
    ],
    ("explore", "feedback"): ["{person} said our case study was useful but light on costs."],
    ("engage", "meeting"): [
        "Discovery workshop with {person} on the pain points at {site}.",
        "Visited {site} to watch staff use {system} on a normal day.",
        "Lunch with {person}; talked about their priorities and who decides what.",
        "Workshop on how both teams like to work together and escalate.",
    ],
    ("engage", "communication"): [
        "Sent {person} the notes and open questions from the last workshop.",
        "Shared our readiness checklist with {person}.",
    ],
    ("offer", "meeting"): [
        "Took {person} through the draft business case for {service}.",
        "Solution workshop on how {service} would work at {site}.",
    ],
    ("offer", "complaint"): ["{person} felt the first price for {service} ignored their volume commitments."],
    ("agree", "meeting"): [
        "Negotiated service level targets for {service} with {person}.",
        "Went through the draft agreement clause by clause with {person} and their legal adviser.",
        "Agreed the experience targets and how users will be surveyed.",
    ],
    ("agree", "communication"): [
        "Sent {person} the marked-up agreement with our comments.",
        "Confirmed the responsibilities each side keeps, in writing, to {person}.",
    ],
    ("onboard", "meeting"): [
        "Kick-off for {service} with {person} and the project team.",
        "Weekly onboarding check-in: {n} actions closed, two waiting on the customer.",
        "Trained the key users at {site}.",
    ],
    ("onboard", "communication"): [
        "Welcome pack with desk contacts and how to raise requests sent to {site}.",
        "Cut-over reminder for {site} sent to every user.",
    ],
    ("co_create", "meeting"): [
        "Monthly operations meeting with {person}: open tickets, changes and upcoming work.",
        "Met {person} to plan the {system} upgrade at {site}.",
    ],
    ("realize", "meeting"): [
        "Value review with {person}: results so far against the business case for {service}.",
        "Improvement planning with {person}; {n} actions agreed.",
    ],
}
# Endings that say how it felt, by (kind, positive?): added to some summaries, always to strong ones.
_DESK_GOOD = [
    " {first} was pleased with how it was handled.",
    " Sorted on the first call.",
    " {first} thanked the agent.",
]
_DESK_BAD = [
    " {first} was clearly frustrated.",
    " Second time this month; follow-up needed.",
    " Tense call; the account manager will follow up.",
]
_TALK_GOOD = [
    " Left on a good note.",
    " Next steps agreed without fuss.",
    " {first} was openly enthusiastic.",
]
_TALK_BAD = [
    " {first} was guarded throughout.",
    " Ended without agreement on the next step.",
    " {first} questioned whether we understand their business.",
]
ENDINGS: dict[tuple[str, bool], list[str]] = {
    **{(kind, True): _DESK_GOOD for kind in ("query", "service_request", "incident")},
    **{(kind, False): _DESK_BAD for kind in ("query", "service_request", "incident", "complaint")},
    **{(kind, True): _TALK_GOOD for kind in ("meeting", "review", "proposal", "feedback")},
    **{(kind, False): _TALK_BAD for kind in ("meeting", "review", "proposal", "feedback")},
}
