"""Who may open which catalogue and playbook page, in one table: every page × every persona and an
anonymous visitor, then every form posted by each persona who may not write (nothing changes) and by
the owner (it writes). The same rows belong in tests/dsv/test_permissions.py, which covers the app.

The catalogue is the provider's own: every role reads it, outsiders included (an outsider is a
relationship manager of another team, and shapes the catalogue like everyone in that role); the
desk and analysts only read; integrators use the API, never the pages.
"""

import pytest
from django.urls import reverse

from journeys.models import JourneyEvent
from offerings.models import (
    EngagementTier,
    OfferingComponent,
    OfferingJourney,
    OnboardingPlaybook,
    PlaybookAction,
    PlaybookActionDependency,
    Service,
    ServiceOffering,
    ValueProposition,
)
from tests.factories.exploration import MarketSegmentFactory
from tests.factories.offerings import (
    EngagementTierFactory,
    OfferingComponentFactory,
    OfferingJourneyFactory,
    OnboardingPlaybookFactory,
    PlaybookActionFactory,
    ServiceFactory,
    ServiceOfferingFactory,
    ValuePropositionFactory,
)
from tests.permissions import LOGIN, assert_answer, get_cases, post_cases

pytestmark = pytest.mark.django_db


def offer(name, *keys, query=""):
    return lambda objects: reverse(f"offerings:{name}", args=[objects[key].pk for key in keys]) + query


PAGES = {
    "catalogue": offer("catalogue"),
    "service_create": offer("service_create"),
    "service_detail": offer("service_detail", "service"),
    "service_edit": offer("service_edit", "service"),
    "service_delete": offer("service_delete", "service"),
    "offering_create": offer("offering_create"),
    "offering_detail": offer("offering_detail", "offering"),
    "offering_edit": offer("offering_edit", "offering"),
    "offering_delete": offer("offering_delete", "offering"),
    "offering_publish": offer("offering_publish", "offering"),
    "offering_retire": offer("offering_retire", "offering"),
    "offering_component_add": offer("offering_component_add", "offering"),
    "offering_component_edit": offer("offering_component_edit", "offering", "component"),
    "offering_component_remove": offer("offering_component_remove", "offering", "component"),
    "engagement_tier_add": offer("engagement_tier_add", "offering"),
    "engagement_tier_edit": offer("engagement_tier_edit", "offering", "tier"),
    "engagement_tier_move": offer("engagement_tier_move", "offering", "tier"),
    "engagement_tier_remove": offer("engagement_tier_remove", "offering", "tier"),
    "value_proposition_create": offer("value_proposition_create", "offering"),
    "value_proposition_edit": offer("value_proposition_edit", "offering", "proposition"),
    "value_proposition_delete": offer("value_proposition_delete", "offering", "proposition"),
    "offering_journey_link": offer("offering_journey_link", "offering"),
    "offering_journey_candidates": offer("offering_journey_candidates", "offering", query="?q=fleet"),
    "offering_journey_unlink": offer("offering_journey_unlink", "offering", "journey"),
    "playbook_list": offer("playbook_list"),
    "playbook_create": offer("playbook_create", "offering"),
    "playbook_detail": offer("playbook_detail", "playbook"),
    "playbook_edit": offer("playbook_edit", "playbook"),
    "playbook_delete": offer("playbook_delete", "playbook"),
    "playbook_action_add": offer("playbook_action_add", "playbook"),
    "playbook_action_edit": offer("playbook_action_edit", "playbook", "action"),
    "playbook_action_move": offer("playbook_action_move", "playbook", "action"),
    "playbook_action_remove": offer("playbook_action_remove", "playbook", "action"),
}

# What a GET answers (302: the journey type-ahead without HTMX sends the browser to the offering page).
# fmt: off
#                                   anonymous owner teammate outsider desk analyst integrator admin
GET_TABLE = {
    "catalogue":                    (LOGIN, 200, 200, 200, 200, 200, 403, 200),
    "service_create":               (LOGIN, 200, 200, 200, 403, 403, 403, 200),
    "service_detail":               (LOGIN, 200, 200, 200, 200, 200, 403, 200),
    "service_edit":                 (LOGIN, 200, 200, 200, 403, 403, 403, 200),
    "service_delete":               (LOGIN, 405, 405, 405, 405, 405, 403, 405),
    "offering_create":              (LOGIN, 200, 200, 200, 403, 403, 403, 200),
    "offering_detail":              (LOGIN, 200, 200, 200, 200, 200, 403, 200),
    "offering_edit":                (LOGIN, 200, 200, 200, 403, 403, 403, 200),
    "offering_delete":              (LOGIN, 405, 405, 405, 405, 405, 403, 405),
    "offering_publish":             (LOGIN, 405, 405, 405, 405, 405, 403, 405),
    "offering_retire":              (LOGIN, 405, 405, 405, 405, 405, 403, 405),
    "offering_component_add":       (LOGIN, 405, 405, 405, 405, 405, 403, 405),
    "offering_component_edit":      (LOGIN, 200, 200, 200, 403, 403, 403, 200),
    "offering_component_remove":    (LOGIN, 405, 405, 405, 405, 405, 403, 405),
    "engagement_tier_add":          (LOGIN, 405, 405, 405, 405, 405, 403, 405),
    "engagement_tier_edit":         (LOGIN, 200, 200, 200, 403, 403, 403, 200),
    "engagement_tier_move":         (LOGIN, 405, 405, 405, 405, 405, 403, 405),
    "engagement_tier_remove":       (LOGIN, 405, 405, 405, 405, 405, 403, 405),
    "value_proposition_create":     (LOGIN, 200, 200, 200, 403, 403, 403, 200),
    "value_proposition_edit":       (LOGIN, 200, 200, 200, 403, 403, 403, 200),
    "value_proposition_delete":     (LOGIN, 405, 405, 405, 405, 405, 403, 405),
    "offering_journey_link":        (LOGIN, 405, 405, 405, 405, 405, 403, 405),
    "offering_journey_candidates":  (LOGIN, 302, 302, 302, 403, 403, 403, 302),
    "offering_journey_unlink":      (LOGIN, 405, 405, 405, 405, 405, 403, 405),
    "playbook_list":                (LOGIN, 200, 200, 200, 200, 200, 403, 200),
    "playbook_create":              (LOGIN, 200, 200, 200, 403, 403, 403, 200),
    "playbook_detail":              (LOGIN, 200, 200, 200, 200, 200, 403, 200),
    "playbook_edit":                (LOGIN, 200, 200, 200, 403, 403, 403, 200),
    "playbook_delete":              (LOGIN, 405, 405, 405, 405, 405, 403, 405),
    "playbook_action_add":          (LOGIN, 405, 405, 405, 405, 405, 403, 405),
    "playbook_action_edit":         (LOGIN, 200, 200, 200, 403, 403, 403, 200),
    "playbook_action_move":         (LOGIN, 405, 405, 405, 405, 405, 403, 405),
    "playbook_action_remove":       (LOGIN, 405, 405, 405, 405, 405, 403, 405),
}
# fmt: on

# Form input each form would accept from someone allowed to use it.
FORMS = {
    "service_create": lambda objects: {"name": "Managed hosting"},
    "service_edit": lambda objects: {"name": "Renamed service"},
    "offering_create": lambda objects: {"service": objects["service"].pk, "name": "Ward tablets"},
    "offering_edit": lambda objects: {
        "service": objects["service"].pk,
        "name": "Renamed offering",
        "target_segments": [objects["hospitals"].pk, objects["segment"].pk],
    },
    "offering_component_edit": lambda objects: {"kind": "goods", "name": "Renamed laptop"},
    "engagement_tier_edit": lambda objects: {"name": "Renamed tier"},
    "engagement_tier_move": lambda objects: {"direction": "down"},
    "value_proposition_create": lambda objects: {
        "segment": objects["segment"].pk,
        "persona": "",
        "how_it_solves_problems": "Fewer waits.",
        "what_to_expect": "A laptop on day one.",
        "advantage_over_competitors": "We know their platform.",
        "target_decision_maker_role": "sponsor",
    },
    "value_proposition_edit": lambda objects: {
        "segment": objects["segment"].pk,
        "how_it_solves_problems": "Renamed.",
        "what_to_expect": "A laptop on day one.",
        "advantage_over_competitors": "We know their platform.",
        "target_decision_maker_role": "customer",
    },
    "playbook_create": lambda objects: {"name": "Full transition"},
    "playbook_edit": lambda objects: {"name": "Renamed playbook"},
    "playbook_action_edit": lambda objects: {
        "title": "Renamed action",
        "owner_party": "consumer",
        "due_after_days": 2,
    },
    "playbook_action_move": lambda objects: {"direction": "down"},
}

# What a POST answers from each persona who may not write there: the catalogue is every relationship
# manager's to shape, so outsiders may.
REFUSED = {"anonymous": LOGIN, "desk": 403, "analyst": 403, "integrator": 403}
POST_TABLE = dict.fromkeys(FORMS, REFUSED)


@pytest.fixture
def objects(account, journey, other_account):
    segment = MarketSegmentFactory(name="Hospitals")
    service = ServiceFactory(name="Managed workplace")
    offering = ServiceOfferingFactory(service=service, name="Clinic laptops", target_segments=[segment])
    second_segment = MarketSegmentFactory(name="Schools")
    offering.target_segments.add(second_segment)
    playbook = OnboardingPlaybookFactory(offering=offering, name="Ward roll-out")
    PlaybookActionFactory(playbook=playbook, title="Later action", position=5)
    EngagementTierFactory(offering=offering, name="Dedicated", position=5)
    OfferingJourneyFactory(offering=offering, journey=journey)
    return {
        "service": service,
        "hospitals": segment,
        "segment": second_segment,
        "offering": offering,
        "component": OfferingComponentFactory(offering=offering, name="Rugged laptop"),
        "tier": EngagementTierFactory(offering=offering, name="Self-service", position=0),
        "proposition": ValuePropositionFactory(offering=offering, segment=segment),
        "journey": journey,
        "playbook": playbook,
        "action": PlaybookActionFactory(playbook=playbook, title="Kick-off", position=0),
    }


def everything_written():
    return {
        model.__name__: list(model.objects.order_by("pk").values_list("pk", "updated_at"))
        for model in (
            Service,
            ServiceOffering,
            OfferingComponent,
            EngagementTier,
            ValueProposition,
            OfferingJourney,
            OnboardingPlaybook,
            PlaybookAction,
            PlaybookActionDependency,
        )
    } | {"events": JourneyEvent.objects.count()}


def test_the_table_covers_every_catalogue_and_playbook_page():
    from offerings.urls import catalogue, playbooks

    names = {pattern.name for pattern in [*catalogue.urlpatterns, *playbooks.urlpatterns]}
    assert names == set(GET_TABLE) == set(PAGES)
    form_pages = {name for name in GET_TABLE if name.endswith(("_create", "_edit", "_start", "_move"))}
    assert form_pages == set(FORMS) == set(POST_TABLE)


@pytest.mark.parametrize(("page", "persona", "expected"), get_cases(GET_TABLE))
def test_who_may_open_which_page(client_as, objects, page, persona, expected):
    url = PAGES[page](objects)

    assert_answer(client_as(persona).get(url), expected, url)


@pytest.mark.parametrize(("page", "persona", "expected"), post_cases(POST_TABLE))
def test_a_persona_who_may_not_write_changes_nothing(client_as, objects, page, persona, expected):
    url = PAGES[page](objects)
    before = everything_written()

    response = client_as(persona).post(url, FORMS[page](objects))

    assert_answer(response, expected, url)
    assert everything_written() == before


@pytest.mark.parametrize("page", sorted(FORMS))
def test_the_same_input_from_the_owner_is_accepted(client_as, objects, page):
    """The refusals above come from the persona, not from the input: the owner's identical POST writes."""
    before = everything_written()

    response = client_as("owner").post(PAGES[page](objects), FORMS[page](objects))

    assert response.status_code == 302
    assert everything_written() != before
