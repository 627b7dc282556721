"""Who may open which page, in one table: every page of the app × every persona and an anonymous visitor.

LOGIN means a redirect to the login page that comes back to the page asked for; HOME a redirect to the
dashboard. Outsiders get 404 for an account they may not see (they must not learn that it exists);
a role that may see the account but not do the thing gets 403; integrators are API-only and get 403 on
every page. The second table POSTs each form, with input that would be accepted from someone allowed,
as each persona who may not write, and checks that nothing was written.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from exploration.models import (
    DecisionCriterion,
    DecisionMatrix,
    DecisionOption,
    DecisionRating,
    JobToBeDone,
    MarketSegment,
    PestleAnalysis,
    PestleFactor,
    SegmentMembership,
    SwotAnalysis,
    SwotItem,
)
from journeys.models import (
    Journey,
    JourneyEvent,
    JourneyStepChange,
    Organization,
    Persona,
    Scenario,
    Stakeholder,
    Touchpoint,
)
from relationships.models import (
    Assessment,
    AssessmentAnswer,
    CommunicationPlan,
    LadderProgress,
    ServiceRelationship,
)
from relationships.questionnaires import questionnaire_for
from tests.agreements import (
    test_agreements_permissions,
    test_calendars_permissions,
    test_dashboard_permissions,
    test_measurements_permissions,
    test_targets_permissions,
)
from tests.cocreation import (
    test_communities_permissions,
    test_console_permissions,
    test_feedback_permissions,
    test_request_permissions,
)
from tests.factories.analyses import (
    PestleAnalysisFactory,
    PestleFactorFactory,
    SwotAnalysisFactory,
    SwotItemFactory,
)
from tests.factories.assessments import AssessmentFactory
from tests.factories.decisions import DecisionCriterionFactory, DecisionMatrixFactory, DecisionOptionFactory
from tests.factories.exploration import MarketSegmentFactory
from tests.factories.journeys import StakeholderFactory
from tests.factories.personas import JobToBeDoneFactory, PersonaFactory, ScenarioFactory
from tests.journeys import test_journey_maps_views
from tests.offerings import (
    test_business_cases_permissions,
    test_catalogue_permissions,
    test_demand_permissions,
    test_pipeline_permissions,
    test_requirements_permissions,
)
from tests.onboarding import test_link_permissions as test_onboarding_link_permissions
from tests.onboarding import test_views_permissions as test_onboarding_permissions
from tests.realization import (
    test_overlay_views,
    test_reviews_permissions,
    test_survey_pages_permissions,
    test_value_pages_permissions,
)

pytestmark = pytest.mark.django_db

LOGIN, HOME = "login", "home"
PERSONAS = ("anonymous", "owner", "teammate", "outsider", "desk", "analyst", "integrator", "administrator")

# Each page: how to build its address from the fixtures' objects.
PAGES = {
    "dashboard": lambda objects: reverse("dashboard"),
    "account_detail": lambda objects: reverse("account_detail", args=[objects["account"].pk]),
    "account_detail of a missing organization": lambda objects: reverse("account_detail", args=[999_999]),
    "account_panel": lambda objects: reverse("account_panel", args=[objects["account"].pk, "explore"]),
    "account_panel engage": lambda objects: reverse("account_panel", args=[objects["account"].pk, "engage"]),
    "account_panel offer": lambda objects: reverse("account_panel", args=[objects["account"].pk, "offer"]),
    "account_panel agree": lambda objects: reverse("account_panel", args=[objects["account"].pk, "agree"]),
    "account_panel onboard": lambda objects: reverse(
        "account_panel", args=[objects["account"].pk, "onboard"]
    ),
    "account_panel realize": lambda objects: reverse(
        "account_panel", args=[objects["account"].pk, "realize"]
    ),
    "account_panel of an unknown panel": lambda objects: reverse(
        "account_panel", args=[objects["account"].pk, "no-such-panel"]
    ),
    "step_overview": lambda objects: reverse("step_overview", args=["onboard"]),
    "step_overview of an unknown step": lambda objects: reverse("step_overview", args=["negotiate"]),
    "service_desk": lambda objects: reverse("service_desk") + "?q=rentwheel",
    "value_overview": lambda objects: reverse("value_overview"),
    "organization_list": lambda objects: reverse("organization_list"),
    "organization_create": lambda objects: reverse("organization_create"),
    "organization_edit": lambda objects: reverse("organization_edit", args=[objects["account"].pk]),
    "stakeholder_create": lambda objects: reverse("stakeholder_create", args=[objects["account"].pk]),
    "stakeholder_edit": lambda objects: reverse("stakeholder_edit", args=[objects["sponsor"].pk]),
    "touchpoint_create": lambda objects: reverse("touchpoint_create", args=[objects["account"].pk]),
    "journey_start": lambda objects: reverse("journey_start", args=[objects["account"].pk]),
    "journey_move": lambda objects: reverse("journey_move", args=[objects["journey"].pk]),
    "stakeholder_grid": lambda objects: reverse(
        "relationships:stakeholder_grid", args=[objects["account"].pk]
    ),
    "stakeholder_grid_move": lambda objects: reverse(
        "relationships:stakeholder_grid_move", args=[objects["sponsor"].pk]
    ),
    "market_segment_list": lambda objects: reverse("exploration:market_segment_list"),
    "market_segment_create": lambda objects: reverse("exploration:market_segment_create"),
    "market_segment_detail": lambda objects: reverse(
        "exploration:market_segment_detail", args=[objects["segment"].pk]
    ),
    "market_segment_edit": lambda objects: reverse(
        "exploration:market_segment_edit", args=[objects["segment"].pk]
    ),
    "market_segment_delete": lambda objects: reverse(
        "exploration:market_segment_delete", args=[objects["segment"].pk]
    ),
    "market_segment_member_add": lambda objects: reverse(
        "exploration:market_segment_member_add", args=[objects["segment"].pk]
    ),
    "market_segment_member_remove": lambda objects: reverse(
        "exploration:market_segment_member_remove", args=[objects["segment"].pk, objects["account"].pk]
    ),
    "pareto_analysis": lambda objects: reverse("exploration:pareto_analysis"),
    "market_segment_candidates": lambda objects: (
        reverse("exploration:market_segment_candidates", args=[objects["segment"].pk]) + "?q=rent"
    ),
    "market_segment_persona_link": lambda objects: reverse(
        "exploration:market_segment_persona_link", args=[objects["segment"].pk]
    ),
    "market_segment_persona_unlink": lambda objects: reverse(
        "exploration:market_segment_persona_unlink", args=[objects["segment"].pk, objects["persona"].pk]
    ),
    "persona_list": lambda objects: reverse("exploration:persona_list"),
    "persona_create": lambda objects: reverse("exploration:persona_create"),
    "persona_detail": lambda objects: reverse("exploration:persona_detail", args=[objects["persona"].pk]),
    "persona_edit": lambda objects: reverse("exploration:persona_edit", args=[objects["persona"].pk]),
    "persona_delete": lambda objects: reverse("exploration:persona_delete", args=[objects["persona"].pk]),
    "scenario_create": lambda objects: reverse("exploration:scenario_create", args=[objects["persona"].pk]),
    "scenario_edit": lambda objects: reverse(
        "exploration:scenario_edit", args=[objects["persona"].pk, objects["scenario"].pk]
    ),
    "scenario_delete": lambda objects: reverse(
        "exploration:scenario_delete", args=[objects["persona"].pk, objects["scenario"].pk]
    ),
    "job_list": lambda objects: reverse("exploration:job_list"),
    "job_create": lambda objects: reverse("exploration:job_create"),
    "job_edit": lambda objects: reverse("exploration:job_edit", args=[objects["job"].pk]),
    "job_delete": lambda objects: reverse("exploration:job_delete", args=[objects["job"].pk]),
    "analysis_list": lambda objects: reverse("exploration:analysis_list"),
    "swot_create": lambda objects: reverse("exploration:swot_create"),
    "swot_detail": lambda objects: reverse("exploration:swot_detail", args=[objects["swot"].pk]),
    "swot_edit": lambda objects: reverse("exploration:swot_edit", args=[objects["swot"].pk]),
    "swot_delete": lambda objects: reverse("exploration:swot_delete", args=[objects["swot"].pk]),
    "swot_item_add": lambda objects: reverse("exploration:swot_item_add", args=[objects["swot"].pk]),
    "swot_pull_pestle": lambda objects: reverse("exploration:swot_pull_pestle", args=[objects["swot"].pk]),
    "swot_item_edit": lambda objects: reverse(
        "exploration:swot_item_edit", args=[objects["swot"].pk, objects["swot_item"].pk]
    ),
    "swot_item_remove": lambda objects: reverse(
        "exploration:swot_item_remove", args=[objects["swot"].pk, objects["swot_item"].pk]
    ),
    "pestle_create": lambda objects: reverse("exploration:pestle_create"),
    "pestle_detail": lambda objects: reverse("exploration:pestle_detail", args=[objects["pestle"].pk]),
    "pestle_edit": lambda objects: reverse("exploration:pestle_edit", args=[objects["pestle"].pk]),
    "pestle_delete": lambda objects: reverse("exploration:pestle_delete", args=[objects["pestle"].pk]),
    "pestle_factor_add": lambda objects: reverse(
        "exploration:pestle_factor_add", args=[objects["pestle"].pk]
    ),
    "pestle_factor_edit": lambda objects: reverse(
        "exploration:pestle_factor_edit", args=[objects["pestle"].pk, objects["pestle_factor"].pk]
    ),
    "pestle_factor_remove": lambda objects: reverse(
        "exploration:pestle_factor_remove", args=[objects["pestle"].pk, objects["pestle_factor"].pk]
    ),
    "relationship_list": lambda objects: reverse("relationships:relationship_list"),
    "relationship_types": lambda objects: reverse("relationships:relationship_types"),
    "relationship_detail": lambda objects: reverse(
        "relationships:relationship_detail", args=[objects["account"].pk]
    ),
    "relationship_set_types": lambda objects: reverse(
        "relationships:relationship_set_types", args=[objects["account"].pk]
    ),
    "communication_plans": lambda objects: reverse(
        "relationships:communication_plans", args=[objects["account"].pk]
    ),
    "ladder_step_update": lambda objects: reverse(
        "relationships:ladder_step_update", args=[objects["account"].pk, "build_trust"]
    ),
    "communication_plan_set": lambda objects: reverse(
        "relationships:communication_plan_set", args=[objects["sponsor"].pk]
    ),
    "communication_plan_remove": lambda objects: reverse(
        "relationships:communication_plan_remove", args=[objects["sponsor"].pk]
    ),
    "assessment_list": lambda objects: reverse("relationships:assessment_list", args=[objects["account"].pk]),
    "assessment_create": lambda objects: reverse(
        "relationships:assessment_create", args=[objects["account"].pk, "change_readiness"]
    ),
    "assessment_detail": lambda objects: reverse(
        "relationships:assessment_detail", args=[objects["assessment"].pk]
    ),
    "assessment_delete": lambda objects: reverse(
        "relationships:assessment_delete", args=[objects["assessment"].pk]
    ),
    "decision_list": lambda objects: reverse("exploration:decision_list"),
    "decision_create": lambda objects: reverse("exploration:decision_create"),
    "decision_detail": lambda objects: reverse("exploration:decision_detail", args=[objects["decision"].pk]),
    "decision_edit": lambda objects: reverse("exploration:decision_edit", args=[objects["decision"].pk]),
    "decision_delete": lambda objects: reverse("exploration:decision_delete", args=[objects["decision"].pk]),
    "decision_grid_save": lambda objects: reverse(
        "exploration:decision_grid_save", args=[objects["decision"].pk]
    ),
    "decision_criterion_add": lambda objects: reverse(
        "exploration:decision_criterion_add", args=[objects["decision"].pk]
    ),
    "decision_option_add": lambda objects: reverse(
        "exploration:decision_option_add", args=[objects["decision"].pk]
    ),
    "decision_criterion_remove": lambda objects: reverse(
        "exploration:decision_criterion_remove", args=[objects["decision"].pk, objects["criterion"].pk]
    ),
    "decision_option_remove": lambda objects: reverse(
        "exploration:decision_option_remove", args=[objects["decision"].pk, objects["option"].pk]
    ),
    # The survey pages people reach from an e-mail need no account: a link that is not ours is not found,
    # whoever opens it.
    "question": lambda objects: reverse("survey:question", args=["not-a-survey-link"]),
    "answer": lambda objects: reverse("survey:answer", args=["not-a-survey-link", "9"]),
    "comment": lambda objects: reverse("survey:comment", args=["not-a-survey-link"]),
    "opt_out": lambda objects: reverse("survey:opt_out", args=["not-a-survey-link"]),
    "login": lambda objects: reverse("login"),
    "logout": lambda objects: reverse("logout"),
}

# What a GET answers (302: the type-ahead without HTMX sends the browser to the segment page, the
# old service desk address to Co-create's console, and the old value page to Realize's value dashboard).
# fmt: off
#                                            anonymous owner teammate outsider desk analyst integrator admin
GET_TABLE = {
    "dashboard":                               (LOGIN, 200, 200, 200, 200, 200, 403, 200),
    "account_detail":                          (LOGIN, 200, 200, 404, 200, 200, 403, 200),
    "account_detail of a missing organization": (LOGIN, 404, 404, 404, 404, 404, 403, 404),
    "account_panel":                           (LOGIN, 200, 200, 404, 200, 200, 403, 200),
    "account_panel engage":                    (LOGIN, 200, 200, 404, 200, 200, 403, 200),
    "account_panel offer":                     (LOGIN, 200, 200, 404, 200, 200, 403, 200),
    "account_panel agree":                     (LOGIN, 200, 200, 404, 200, 200, 403, 200),
    "account_panel onboard":                   (LOGIN, 200, 200, 404, 200, 200, 403, 200),
    "account_panel realize":                   (LOGIN, 200, 200, 404, 200, 200, 403, 200),
    "account_panel of an unknown panel":       (LOGIN, 404, 404, 404, 404, 404, 403, 404),
    "step_overview":                           (LOGIN, 200, 200, 200, 200, 200, 403, 200),
    "step_overview of an unknown step":        (LOGIN, 404, 404, 404, 404, 404, 403, 404),
    "service_desk":                            (LOGIN, 302, 302, 302, 302, 302, 403, 302),
    "value_overview":                          (LOGIN, 302, 302, 302, 302, 302, 403, 302),
    "organization_list":                       (LOGIN, 200, 200, 200, 200, 200, 403, 200),
    "organization_create":                     (LOGIN, 200, 200, 200, 403, 403, 403, 200),
    "organization_edit":                       (LOGIN, 200, 200, 404, 403, 403, 403, 200),
    "stakeholder_create":                      (LOGIN, 200, 200, 404, 403, 403, 403, 200),
    "stakeholder_edit":                        (LOGIN, 200, 200, 404, 403, 403, 403, 200),
    "touchpoint_create":                       (LOGIN, 200, 200, 404, 200, 403, 403, 200),
    "journey_start":                           (LOGIN, 200, 200, 404, 403, 403, 403, 200),
    "journey_move":                            (LOGIN, 200, 200, 404, 403, 403, 403, 200),
    "stakeholder_grid":                        (LOGIN, 200, 200, 404, 200, 200, 403, 200),
    "stakeholder_grid_move":                   (LOGIN, 405, 405, 405, 405, 405, 403, 405),
    "market_segment_list":                     (LOGIN, 200, 200, 200, 200, 200, 403, 200),
    "market_segment_create":                   (LOGIN, 200, 200, 200, 403, 403, 403, 200),
    "market_segment_detail":                   (LOGIN, 200, 200, 200, 200, 200, 403, 200),
    "market_segment_edit":                     (LOGIN, 200, 200, 200, 403, 403, 403, 200),
    "market_segment_delete":                   (LOGIN, 405, 405, 405, 405, 405, 403, 405),
    "market_segment_member_add":               (LOGIN, 405, 405, 405, 405, 405, 403, 405),
    "market_segment_member_remove":            (LOGIN, 405, 405, 405, 405, 405, 403, 405),
    "pareto_analysis":                         (LOGIN, 200, 200, 200, 200, 200, 403, 200),
    "market_segment_candidates":               (LOGIN, 302, 302, 302, 403, 403, 403, 302),
    "market_segment_persona_link":             (LOGIN, 405, 405, 405, 405, 405, 403, 405),
    "market_segment_persona_unlink":           (LOGIN, 405, 405, 405, 405, 405, 403, 405),
    "persona_list":                            (LOGIN, 200, 200, 200, 200, 200, 403, 200),
    "persona_create":                          (LOGIN, 200, 200, 200, 403, 403, 403, 200),
    "persona_detail":                          (LOGIN, 200, 200, 200, 200, 200, 403, 200),
    "persona_edit":                            (LOGIN, 200, 200, 200, 403, 403, 403, 200),
    "persona_delete":                          (LOGIN, 405, 405, 405, 405, 405, 403, 405),
    "scenario_create":                         (LOGIN, 200, 200, 200, 403, 403, 403, 200),
    "scenario_edit":                           (LOGIN, 200, 200, 200, 403, 403, 403, 200),
    "scenario_delete":                         (LOGIN, 405, 405, 405, 405, 405, 403, 405),
    "job_list":                                (LOGIN, 200, 200, 200, 200, 200, 403, 200),
    "job_create":                              (LOGIN, 200, 200, 200, 403, 403, 403, 200),
    "job_edit":                                (LOGIN, 200, 200, 200, 403, 403, 403, 200),
    "job_delete":                              (LOGIN, 405, 405, 405, 405, 405, 403, 405),
    "analysis_list":                           (LOGIN, 200, 200, 200, 200, 200, 403, 200),
    "swot_create":                             (LOGIN, 200, 200, 200, 403, 403, 403, 200),
    "swot_detail":                             (LOGIN, 200, 200, 404, 200, 200, 403, 200),
    "swot_edit":                               (LOGIN, 200, 200, 404, 403, 403, 403, 200),
    "swot_delete":                             (LOGIN, 200, 200, 404, 403, 403, 403, 200),
    "swot_item_add":                           (LOGIN, 405, 405, 405, 405, 405, 403, 405),
    "swot_pull_pestle":                        (LOGIN, 405, 405, 405, 405, 405, 403, 405),
    "swot_item_edit":                          (LOGIN, 200, 200, 404, 403, 403, 403, 200),
    "swot_item_remove":                        (LOGIN, 405, 405, 405, 405, 405, 403, 405),
    "pestle_create":                           (LOGIN, 200, 200, 200, 403, 403, 403, 200),
    "pestle_detail":                           (LOGIN, 200, 200, 404, 200, 200, 403, 200),
    "pestle_edit":                             (LOGIN, 200, 200, 404, 403, 403, 403, 200),
    "pestle_delete":                           (LOGIN, 200, 200, 404, 403, 403, 403, 200),
    "pestle_factor_add":                       (LOGIN, 405, 405, 405, 405, 405, 403, 405),
    "pestle_factor_edit":                      (LOGIN, 200, 200, 404, 403, 403, 403, 200),
    "pestle_factor_remove":                    (LOGIN, 405, 405, 405, 405, 405, 403, 405),
    "relationship_list":                       (LOGIN, 200, 200, 200, 200, 200, 403, 200),
    "relationship_types":                      (LOGIN, 200, 200, 200, 200, 200, 403, 200),
    "relationship_detail":                     (LOGIN, 200, 200, 404, 200, 200, 403, 200),
    "relationship_set_types":                  (LOGIN, 405, 405, 405, 405, 405, 403, 405),
    "communication_plans":                     (LOGIN, 200, 200, 404, 200, 200, 403, 200),
    "ladder_step_update":                      (LOGIN, 405, 405, 405, 405, 405, 403, 405),
    "communication_plan_set":                  (LOGIN, 405, 405, 405, 405, 405, 403, 405),
    "communication_plan_remove":               (LOGIN, 405, 405, 405, 405, 405, 403, 405),
    "assessment_list":                         (LOGIN, 200, 200, 404, 200, 200, 403, 200),
    "assessment_create":                       (LOGIN, 200, 200, 404, 403, 403, 403, 200),
    "assessment_detail":                       (LOGIN, 200, 200, 404, 200, 200, 403, 200),
    "assessment_delete":                       (LOGIN, 405, 405, 405, 405, 405, 403, 405),
    "decision_list":                           (LOGIN, 200, 200, 200, 200, 200, 403, 200),
    "decision_create":                         (LOGIN, 200, 200, 200, 403, 403, 403, 200),
    "decision_detail":                         (LOGIN, 200, 200, 404, 200, 200, 403, 200),
    "decision_edit":                           (LOGIN, 200, 200, 404, 403, 403, 403, 200),
    "decision_delete":                         (LOGIN, 200, 200, 404, 403, 403, 403, 200),
    "decision_grid_save":                      (LOGIN, 405, 405, 405, 405, 405, 403, 405),
    "decision_criterion_add":                  (LOGIN, 405, 405, 405, 405, 405, 403, 405),
    "decision_option_add":                     (LOGIN, 405, 405, 405, 405, 405, 403, 405),
    "decision_criterion_remove":               (LOGIN, 405, 405, 405, 405, 405, 403, 405),
    "decision_option_remove":                  (LOGIN, 405, 405, 405, 405, 405, 403, 405),
    "question":                                (404, 404, 404, 404, 404, 404, 404, 404),
    "answer":                                  (404, 404, 404, 404, 404, 404, 404, 404),
    "comment":                                 (405, 405, 405, 405, 405, 405, 405, 405),
    "opt_out":                                 (404, 404, 404, 404, 404, 404, 404, 404),
    "login":                                   (200, HOME, HOME, HOME, HOME, HOME, HOME, HOME),
    "logout":                                  (LOGIN, 405, 405, 405, 405, 405, 405, 405),
}
# fmt: on

# Form input each form would accept from someone allowed to use it.
FORMS = {
    "organization_create": lambda objects: {"name": "Harbour Logistics", "kind": "consumer"},
    "organization_edit": lambda objects: {"name": "Renamed", "kind": "consumer"},
    "stakeholder_create": lambda objects: {
        "name": "Bo Jansen",
        "category": "consumer",
        "influence": 3,
        "interest": 3,
    },
    "stakeholder_edit": lambda objects: {
        "name": "Renamed",
        "category": "consumer",
        "influence": 1,
        "interest": 1,
    },
    "touchpoint_create": lambda objects: {
        "journey": objects["journey"].pk,
        "channel": "telephone",
        "kind": "query",
        "direction": "inbound",
        "sentiment": 0,
        "summary": "Called about the invoice",
    },
    "journey_start": lambda objects: {"name": "Driver app", "step": "explore"},
    "journey_move": lambda objects: {"to_step": "offer"},
    "market_segment_create": lambda objects: {"name": "Alpine tourism", "approach": "need_based"},
    "market_segment_edit": lambda objects: {"name": "Renamed", "approach": "need_based"},
    "stakeholder_grid_move": lambda objects: {"direction": "left"},
    "swot_create": lambda objects: {"title": "Our hosting business", "subject": "provider"},
    "swot_edit": lambda objects: {
        "title": "Renamed SWOT",
        "subject": "organization",
        "organization": objects["account"].pk,
    },
    "swot_item_edit": lambda objects: {"quadrant": "strength", "text": "Renamed strength", "weight": 2},
    "pestle_create": lambda objects: {"title": "Our market", "subject": "provider"},
    "pestle_edit": lambda objects: {
        "title": "Renamed PESTLE",
        "subject": "organization",
        "organization": objects["account"].pk,
    },
    "pestle_factor_edit": lambda objects: {
        "area": "legal",
        "factor": "Employment law",
        "effect": "threat",
        "impact": 3,
        "likelihood": 3,
    },
    "assessment_create": lambda objects: {
        "assessed_on": "2026-01-15",
        **dict.fromkeys(questionnaire_for("change_readiness").items, 4),
    },
    "decision_create": lambda objects: {"title": "Choosing a backup supplier"},
    "decision_edit": lambda objects: {"title": "Renamed decision", "organization": objects["account"].pk},
    "persona_create": lambda objects: {"name": "Clinic manager Carla"},
    "persona_edit": lambda objects: {"name": "Renamed persona"},
    "scenario_create": lambda objects: {"title": "Booking a site visit"},
    "scenario_edit": lambda objects: {"title": "Renamed scenario"},
    "job_create": lambda objects: {
        "job": "Keep the clinics' systems up",
        "persona": objects["persona"].pk,
        "importance": 4,
        "satisfaction": 2,
    },
    "job_edit": lambda objects: {
        "job": "Renamed job",
        "persona": objects["persona"].pk,
        "importance": 4,
        "satisfaction": 2,
    },
}

# What a POST answers from each persona who may not write there.
POST_TABLE = {
    "organization_create": {"anonymous": LOGIN, "desk": 403, "analyst": 403, "integrator": 403},
    "organization_edit": {
        "anonymous": LOGIN,
        "outsider": 404,
        "desk": 403,
        "analyst": 403,
        "integrator": 403,
    },
    "stakeholder_create": {
        "anonymous": LOGIN,
        "outsider": 404,
        "desk": 403,
        "analyst": 403,
        "integrator": 403,
    },
    "stakeholder_edit": {"anonymous": LOGIN, "outsider": 404, "desk": 403, "analyst": 403, "integrator": 403},
    "touchpoint_create": {"anonymous": LOGIN, "outsider": 404, "analyst": 403, "integrator": 403},
    "journey_start": {"anonymous": LOGIN, "outsider": 404, "desk": 403, "analyst": 403, "integrator": 403},
    "journey_move": {"anonymous": LOGIN, "outsider": 404, "desk": 403, "analyst": 403, "integrator": 403},
    # Segments are the provider's market view, not one account's: every relationship manager shapes them.
    "market_segment_create": {"anonymous": LOGIN, "desk": 403, "analyst": 403, "integrator": 403},
    "market_segment_edit": {"anonymous": LOGIN, "desk": 403, "analyst": 403, "integrator": 403},
    # A SWOT or PESTLE of an account follows the account; one of the provider is anybody's to shape.
    "swot_create": {"anonymous": LOGIN, "desk": 403, "analyst": 403, "integrator": 403},
    "swot_edit": {"anonymous": LOGIN, "outsider": 404, "desk": 403, "analyst": 403, "integrator": 403},
    "swot_item_edit": {"anonymous": LOGIN, "outsider": 404, "desk": 403, "analyst": 403, "integrator": 403},
    "pestle_create": {"anonymous": LOGIN, "desk": 403, "analyst": 403, "integrator": 403},
    "pestle_edit": {"anonymous": LOGIN, "outsider": 404, "desk": 403, "analyst": 403, "integrator": 403},
    "pestle_factor_edit": {
        "anonymous": LOGIN,
        "outsider": 404,
        "desk": 403,
        "analyst": 403,
        "integrator": 403,
    },
    "assessment_create": {
        "anonymous": LOGIN,
        "outsider": 404,
        "desk": 403,
        "analyst": 403,
        "integrator": 403,
    },
    "decision_create": {"anonymous": LOGIN, "desk": 403, "analyst": 403, "integrator": 403},
    "decision_edit": {
        "anonymous": LOGIN,
        "outsider": 404,
        "desk": 403,
        "analyst": 403,
        "integrator": 403,
    },
    # Personas and jobs to be done describe the provider's market too: every relationship manager.
    "persona_create": {"anonymous": LOGIN, "desk": 403, "analyst": 403, "integrator": 403},
    "persona_edit": {"anonymous": LOGIN, "desk": 403, "analyst": 403, "integrator": 403},
    "scenario_create": {"anonymous": LOGIN, "desk": 403, "analyst": 403, "integrator": 403},
    "scenario_edit": {"anonymous": LOGIN, "desk": 403, "analyst": 403, "integrator": 403},
    "job_create": {"anonymous": LOGIN, "desk": 403, "analyst": 403, "integrator": 403},
    "job_edit": {"anonymous": LOGIN, "desk": 403, "analyst": 403, "integrator": 403},
    "stakeholder_grid_move": {
        "anonymous": LOGIN,
        "outsider": 404,
        "desk": 403,
        "analyst": 403,
        "integrator": 403,
    },
}


@pytest.fixture
def objects(account, journey, sponsor, other_account):
    StakeholderFactory(organization=account, email="ravi.patel@rentwheel.example")
    segment = MarketSegmentFactory(name="Benelux mobility", organizations=[account])
    persona = PersonaFactory(name="Fleet manager Fatima")
    scenario = ScenarioFactory(persona=persona, title="Planning the winter fleet")
    job = JobToBeDoneFactory(persona=persona, job="Keep every van on the road")
    swot = SwotAnalysisFactory(title="Rentwheel outlook", subject="organization", organization=account)
    pestle = PestleAnalysisFactory(title="Rentwheel market", subject="organization", organization=account)
    decision = DecisionMatrixFactory(title="Rentwheel hosting", organization=account)
    return {
        "account": account,
        "journey": journey,
        "sponsor": sponsor,
        "segment": segment,
        "persona": persona,
        "scenario": scenario,
        "job": job,
        "swot": swot,
        "swot_item": SwotItemFactory(analysis=swot, text="Strong field team"),
        "pestle": pestle,
        "pestle_factor": PestleFactorFactory(analysis=pestle, factor="Fuel prices"),
        "assessment": AssessmentFactory(relationship__organization=account),
        "decision": decision,
        "criterion": DecisionCriterionFactory(matrix=decision, name="Price"),
        "option": DecisionOptionFactory(matrix=decision, name="Option A"),
    }


def everything_written():
    return {
        model.__name__: list(model.objects.order_by("pk").values_list("pk", "updated_at"))
        for model in (
            Organization,
            Stakeholder,
            Journey,
            JourneyStepChange,
            Touchpoint,
            MarketSegment,
            SegmentMembership,
            Persona,
            Scenario,
            JobToBeDone,
            SwotAnalysis,
            SwotItem,
            PestleAnalysis,
            PestleFactor,
            ServiceRelationship,
            LadderProgress,
            CommunicationPlan,
            Assessment,
            DecisionMatrix,
            DecisionCriterion,
            DecisionOption,
            DecisionRating,
        )
    } | {"events": JourneyEvent.objects.count(), "answers": AssessmentAnswer.objects.count()}


def assert_answer(response, expected, url):
    if expected == LOGIN:
        assert response.status_code == 302
        next_page = url.replace("?", "%3F").replace("=", "%3D")
        assert response["Location"] == f"{reverse('login')}?next={next_page}"
    elif expected == HOME:
        assert response.status_code == 302
        assert response["Location"] == reverse("dashboard")
    else:
        assert response.status_code == expected


def named_pages() -> set[str]:
    """The names of every browser page the URLconf routes (the admin and the API have their own tests)."""
    names = set()

    def walk(patterns, prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                if pattern.namespace != "admin" and not route.startswith("api/"):
                    walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(pattern.name)

    walk(get_resolver().url_patterns)
    return names


# Offer, Agree, Onboard, Co-create and Realize keep a table per subject, in the same form, beside their
# other tests.
SUBJECT_TABLES = [
    module.GET_TABLE
    for module in (
        test_onboarding_permissions,
        test_onboarding_link_permissions,
        test_agreements_permissions,
        test_calendars_permissions,
        test_dashboard_permissions,
        test_measurements_permissions,
        test_targets_permissions,
        test_business_cases_permissions,
        test_catalogue_permissions,
        test_demand_permissions,
        test_pipeline_permissions,
        test_requirements_permissions,
        test_console_permissions,
        test_request_permissions,
        test_feedback_permissions,
        test_communities_permissions,
        test_journey_maps_views,
        test_overlay_views,
        test_reviews_permissions,
        test_survey_pages_permissions,
        test_value_pages_permissions,
    )
]


def test_the_table_covers_every_page_of_the_app():
    covered = set(GET_TABLE).union(*SUBJECT_TABLES)
    assert named_pages() <= covered, "a page was added: give it a row in GET_TABLE or its subject's table"
    assert set(GET_TABLE) == set(PAGES)
    assert all(len(row) == len(PERSONAS) for row in GET_TABLE.values())


def test_every_form_is_posted_by_the_personas_who_may_not_write():
    form_pages = {name for name in GET_TABLE if name.endswith(("_create", "_edit", "_start", "_move"))}
    assert set(POST_TABLE) == form_pages == set(FORMS)


@pytest.mark.parametrize(
    ("page", "persona", "expected"),
    [
        pytest.param(page, persona, expected, id=f"{page}-{persona}")
        for page, row in GET_TABLE.items()
        for persona, expected in zip(PERSONAS, row, strict=True)
    ],
)
def test_who_may_open_which_page(client_as, objects, page, persona, expected):
    url = PAGES[page](objects)

    response = client_as(persona).get(url)

    assert_answer(response, expected, url)


@pytest.mark.parametrize(
    ("page", "persona", "expected"),
    [
        pytest.param(page, persona, expected, id=f"{page}-{persona}")
        for page, row in POST_TABLE.items()
        for persona, expected in row.items()
    ],
)
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
