"""The relationship pages as their users see them: the portfolio of relationships (Engage's landing
page), the reference page of the three types, one account's relationship with its profiles, ladder
and history, and its communication plans; the forms, the HTMX fragments, the 400s, and who may see
and change what."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from journeys.models import OrganizationKind
from relationships.models import CommunicationPlan, LadderProgress, LadderStatus, ServiceRelationship
from tests.factories.journeys import OrganizationFactory, StakeholderFactory
from tests.factories.relationships import (
    CommunicationPlanFactory,
    LadderProgressFactory,
    ServiceRelationshipFactory,
)
from tests.helpers import HX, text_of

pytestmark = pytest.mark.django_db


def detail_url(account):
    return reverse("relationships:relationship_detail", args=[account.pk])


def ladder_url(account, step):
    return reverse("relationships:ladder_step_update", args=[account.pk, step])


def plans_url(account):
    return reverse("relationships:communication_plans", args=[account.pk])


def plan_set_url(person):
    return reverse("relationships:communication_plan_set", args=[person.pk])


# --- portfolio and reference ------------------------------------------------------------------------


def test_the_portfolio_lists_relationships_with_links_and_filters_by_type(
    as_user, owner, account, other_account
):
    ServiceRelationshipFactory(organization=account, current_type="cooperative", target_type="partnership")

    response = as_user(owner).get(reverse("relationships:relationship_list"))

    text = text_of(response.content.decode())
    assert response.status_code == 200
    assert "Rentwheel Car Hire Cooperative Partnership 0 of 5" in text
    assert "Northbank Savings" not in text
    assert f'href="{detail_url(account)}"' in response.content.decode()
    assert "Cooperative relationship (1)" in text
    filtered = as_user(owner).get(reverse("relationships:relationship_list") + "?type=basic")
    assert "Rentwheel Car Hire" not in text_of(filtered.content.decode())


def test_the_portfolio_filter_as_a_fragment_and_with_a_bad_type(as_user, owner, account):
    fragment = as_user(owner).get(reverse("relationships:relationship_list") + "?type=cooperative", **HX)
    assert "<html" not in fragment.content.decode()

    bad = as_user(owner).get(reverse("relationships:relationship_list") + "?type=closest")
    assert bad.status_code == 400
    assert "Select a valid choice" in text_of(bad.content.decode())


def test_the_types_page_shows_the_three_profiles(as_user, analyst):
    response = as_user(analyst).get(reverse("relationships:relationship_types"))

    text = text_of(response.content.decode())
    assert response.status_code == 200
    for expected in (
        "Basic relationship",
        "Cooperative relationship",
        "Partnership",
        "Innovation and growth",
    ):
        assert expected in text
    assert "not always a better one" in text


# --- the relationship page ------------------------------------------------------------------------


def test_the_relationship_page_compares_today_with_the_target_and_links_onwards(as_user, owner, account):
    ServiceRelationshipFactory(organization=account, current_type="basic", target_type="cooperative")

    response = as_user(owner).get(detail_url(account))

    html = response.content.decode()
    text = text_of(html)
    assert response.status_code == 200
    assert "Today: Basic relationship Aimed for: Cooperative relationship" in text
    assert "Focus Support and efficiency (on outputs) Improvement and effectiveness (on outcomes)" in text
    assert "A closer relationship is not always a better one" in text
    assert f'href="{plans_url(account)}"' in html
    assert f'href="{reverse("relationships:stakeholder_grid", args=[account.pk])}"' in html
    assert html.count('class="ladder-rung ladder-rung-parallel"') == 1
    assert html.count("Save step ") == 5
    assert "{# assessment panel" not in html


def test_setting_the_types_redirects_and_shows_them(as_user, owner, account):
    response = as_user(owner).post(
        reverse("relationships:relationship_set_types", args=[account.pk]),
        {"current_type": "cooperative", "target_type": "cooperative", "notes": "Steady."},
        follow=True,
    )

    assert "Relationship saved: cooperative relationship today" in text_of(response.content.decode())
    assert ServiceRelationship.objects.get(organization=account).current_type == "cooperative"


def test_a_bad_type_is_a_400_with_the_field_error_and_nothing_saved(as_user, owner, account):
    response = as_user(owner).post(
        reverse("relationships:relationship_set_types", args=[account.pk]),
        {"current_type": "close", "target_type": "basic"},
    )

    assert response.status_code == 400
    assert "Select a valid choice. close is not one of the available choices." in text_of(
        response.content.decode()
    )
    assert not ServiceRelationship.objects.exists()


def test_a_ladder_step_saved_without_htmx_redirects_to_the_ladder(as_user, owner, account):
    response = as_user(owner).post(
        ladder_url(account, "create_environment"),
        {"create_environment-status": "done", "create_environment-evidence": "Open day."},
    )

    assert response.status_code == 302
    assert response["Location"].endswith("#ladder")
    assert LadderProgress.objects.get().evidence == "Open day."


def test_a_ladder_step_saved_with_htmx_returns_the_ladder_fragment(as_user, owner, account):
    response = as_user(owner).post(
        ladder_url(account, "create_environment"), {"create_environment-status": "done"}, **HX
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "Relationship ladder (1 of 5 done)" in text_of(html)
    assert "Saved." in text_of(html)


def test_a_step_out_of_order_is_refused_with_the_reason_on_the_status_field(as_user, owner, account):
    data = {"assess_readiness-status": "done"}
    page = as_user(owner).post(ladder_url(account, "assess_readiness"), data)
    fragment = as_user(owner).post(ladder_url(account, "assess_readiness"), data, **HX)

    expected = (
        "needs both ‘Understand the provider's capabilities’ and ‘Understand the customer's needs’ done first"
    )
    assert page.status_code == 400
    assert expected in text_of(page.content.decode())
    assert 'id="id_assess_readiness-status_error"' in page.content.decode()
    assert fragment.status_code == 200
    assert expected in text_of(fragment.content.decode())
    assert not LadderProgress.objects.exists()


def test_an_unknown_ladder_step_is_not_found(as_user, owner, account):
    assert as_user(owner).post(ladder_url(account, "summit"), {"summit-status": "done"}).status_code == 404


def test_a_non_consumer_page_explains_there_is_no_relationship_and_offers_no_forms(as_user, owner, team):
    partner = OrganizationFactory(name="Quay Hosting", kind=OrganizationKind.PARTNER, owner=owner, team=team)

    response = as_user(owner).get(detail_url(partner))

    assert "Quay Hosting is a partner, not a service consumer" in text_of(response.content.decode())
    assert '<form method="post" action="/relationships' not in response.content.decode()


# --- communication plans ----------------------------------------------------------------------------


def test_the_plans_page_shows_each_stakeholder_with_plan_and_adherence(as_user, owner, account, sponsor):
    CommunicationPlanFactory(
        stakeholder=sponsor, cadence_days=91, preferred_channel="in_person", purpose="QBR"
    )
    StakeholderFactory(organization=account, name="Bo Jansen", influence=2)

    response = as_user(owner).get(plans_url(account))

    text = text_of(response.content.decode())
    assert response.status_code == 200
    assert "Ana Ferreira key" in text
    assert "Quarterly by in person QBR" in text
    assert "0 of 1 contact" in text
    assert "Bo Jansen" in text and "No plan." in text
    assert "Plan contact with Bo Jansen" in text


def test_setting_a_plan_without_htmx_redirects_to_the_persons_row(as_user, owner, account, sponsor):
    prefix = f"plan-{sponsor.pk}"
    response = as_user(owner).post(
        plan_set_url(sponsor), {f"{prefix}-cadence_days": "30", f"{prefix}-preferred_channel": "video_call"}
    )

    assert response.status_code == 302
    assert response["Location"].endswith(f"#person-{sponsor.pk}")
    assert CommunicationPlan.objects.get().preferred_channel == "video_call"


def test_setting_a_plan_with_htmx_returns_the_table(as_user, owner, account, sponsor):
    prefix = f"plan-{sponsor.pk}"
    response = as_user(owner).post(
        plan_set_url(sponsor),
        {f"{prefix}-cadence_days": "7", f"{prefix}-preferred_channel": "telephone"},
        **HX,
    )

    assert "<html" not in response.content.decode()
    assert "Weekly by telephone" in text_of(response.content.decode())


def test_a_bad_cadence_is_a_400_with_the_form_open_and_nothing_saved(as_user, owner, account, sponsor):
    prefix = f"plan-{sponsor.pk}"
    response = as_user(owner).post(
        plan_set_url(sponsor), {f"{prefix}-cadence_days": "10", f"{prefix}-preferred_channel": "email"}
    )

    assert response.status_code == 400
    assert "Select a valid choice. 10 is not one of the available choices." in text_of(
        response.content.decode()
    )
    assert f'id="id_{prefix}-cadence_days_error"' in response.content.decode()
    assert not CommunicationPlan.objects.exists()


def test_removing_a_plan(as_user, owner, account, sponsor):
    CommunicationPlanFactory(stakeholder=sponsor)

    response = as_user(owner).post(
        reverse("relationships:communication_plan_remove", args=[sponsor.pk]), follow=True
    )

    assert "Communication plan for Ana Ferreira removed." in text_of(response.content.decode())
    assert not CommunicationPlan.objects.exists()


def test_the_plans_page_runs_the_same_queries_for_more_people(as_user, owner, account):
    client = as_user(owner)
    CommunicationPlanFactory(stakeholder=StakeholderFactory(organization=account))
    with CaptureQueriesContext(connection) as small:
        client.get(plans_url(account))
    for _ in range(6):
        CommunicationPlanFactory(stakeholder=StakeholderFactory(organization=account))
    with CaptureQueriesContext(connection) as large:
        client.get(plans_url(account))
    assert len(small) == len(large)


def test_the_relationship_page_runs_the_same_queries_for_a_bigger_account(as_user, owner, account):
    client = as_user(owner)
    relationship = ServiceRelationshipFactory(organization=account)
    LadderProgressFactory(relationship=relationship, step="create_environment", status=LadderStatus.DONE)
    with CaptureQueriesContext(connection) as small:
        client.get(detail_url(account))
    for step in ("build_trust", "understand_needs"):
        LadderProgressFactory(relationship=relationship, step=step, status=LadderStatus.DONE)
    for _ in range(4):
        StakeholderFactory(organization=account, influence=5)
    with CaptureQueriesContext(connection) as large:
        client.get(detail_url(account))
    assert len(small) == len(large)


# --- who may do what --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["relationship_detail", "communication_plans"])
def test_an_outsider_gets_404_on_an_accounts_pages(as_user, outsider, account, name):
    assert as_user(outsider).get(reverse(f"relationships:{name}", args=[account.pk])).status_code == 404


def test_an_outsider_gets_404_when_writing(as_user, outsider, account, sponsor):
    client = as_user(outsider)
    assert client.post(ladder_url(account, "build_trust"), {"build_trust-status": "done"}).status_code == 404
    assert client.post(plan_set_url(sponsor), {}).status_code == 404


@pytest.mark.parametrize("persona", ["desk", "analyst"])
def test_read_only_roles_see_the_pages_without_forms_and_get_403_on_writes(
    request, as_user, account, sponsor, persona
):
    client = as_user(request.getfixturevalue(persona))

    page = client.get(detail_url(account))
    plans = client.get(plans_url(account))

    assert page.status_code == plans.status_code == 200
    assert "Save step 1" not in page.content.decode()
    assert "Plan contact with" not in plans.content.decode()
    assert (
        client.post(
            ladder_url(account, "create_environment"), {"create_environment-status": "done"}
        ).status_code
        == 403
    )
    assert (
        client.post(reverse("relationships:relationship_set_types", args=[account.pk]), {}).status_code == 403
    )
    assert client.post(plan_set_url(sponsor), {}).status_code == 403
    assert (
        client.post(reverse("relationships:communication_plan_remove", args=[sponsor.pk])).status_code == 403
    )


def test_integrators_may_not_use_the_pages(as_user, integrator, account):
    assert as_user(integrator).get(reverse("relationships:relationship_list")).status_code == 403
    assert as_user(integrator).get(detail_url(account)).status_code == 403


def test_a_teammate_may_change_the_relationship(as_user, teammate, account):
    response = as_user(teammate).post(
        ladder_url(account, "create_environment"), {"create_environment-status": "in_progress"}
    )

    assert response.status_code == 302
    assert LadderProgress.objects.get().status == LadderStatus.IN_PROGRESS


def test_the_plans_page_opens_the_form_of_the_person_asked_for_only(as_user, owner, account, sponsor):
    other = StakeholderFactory(organization=account, name="Mira Jovanovic")

    closed = as_user(owner).get(plans_url(account)).content.decode()
    opened = as_user(owner).get(plans_url(account) + f"?person={sponsor.pk}").content.decode()

    assert "<select" not in closed
    assert f'href="?person={other.pk}#person-{other.pk}"' in closed
    assert opened.count('class="plan-form"') == 1
    assert f"plan-{sponsor.pk}-cadence_days" in opened
