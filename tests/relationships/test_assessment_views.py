"""The assessment pages as their users see them: the account's plan with what is missing, the trust
profile and trends, the questionnaire (radio groups, checklist, direction choice) refusing bad input
with 400 and nothing saved, the results of each kind, deletion, and who may see and do what."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from journeys.models import OrganizationKind
from relationships.models import Assessment, AssessmentDirection, AssessmentKind, RelationshipType
from relationships.questionnaires import questionnaire_for
from tests.factories.assessments import AssessmentFactory, ServiceRelationshipFactory, answers_for, record
from tests.factories.journeys import OrganizationFactory
from tests.helpers import text_of

pytestmark = pytest.mark.django_db

TRUST, MATURITY = AssessmentKind.TRUST, AssessmentKind.MATURITY
COLLABORATION, CHANGE = AssessmentKind.COLLABORATION_READINESS, AssessmentKind.CHANGE_READINESS
OF_PROVIDER, OF_CONSUMER = AssessmentDirection.PROVIDER_BY_CONSUMER, AssessmentDirection.CONSUMER_BY_PROVIDER


def list_url(account) -> str:
    return reverse("relationships:assessment_list", args=[account.pk])


def create_url(account, kind, direction=None) -> str:
    url = reverse("relationships:assessment_create", args=[account.pk, kind])
    return f"{url}?direction={direction}" if direction else url


def detail_url(assessment) -> str:
    return reverse("relationships:assessment_detail", args=[assessment.pk])


def form_data(kind, direction=None, **overrides) -> dict:
    data = {"assessed_on": timezone.localdate().isoformat(), "respondent": "Their operations director"}
    if direction:
        data["direction"] = direction
    answers = answers_for(kind, direction, **overrides)
    if kind == MATURITY:  # a checkbox is sent only when ticked
        answers = {code: "on" for code, value in answers.items() if value}
    return data | answers


# --- the account's assessments --------------------------------------------------------------------


def test_the_list_shows_the_plan_the_trust_profile_both_ways_the_trends_and_the_history(
    as_user, owner, account
):
    ServiceRelationshipFactory(organization=account, current_type=RelationshipType.PARTNERSHIP)
    earlier = timezone.localdate() - timedelta(days=120)
    record(actor=owner, organization=account, kind=TRUST, direction=OF_PROVIDER, assessed_on=earlier, value=3)
    record(actor=owner, organization=account, kind=TRUST, direction=OF_PROVIDER, value=4)
    record(actor=owner, organization=account, kind=TRUST, direction=OF_CONSUMER, value=5)

    response = as_user(owner).get(list_url(account))

    html = response.content.decode()
    text = text_of(html)
    assert response.status_code == 200
    assert "Assessment plan for a partnership" in text
    assert "What is missing" in text
    assert "Readiness to collaborate (required): never assessed." in text
    assert "Readiness for change (required): never assessed." in text
    assert "Relationship maturity Optional never Optional" in text
    assert html.count('class="legend-entry"') == 2
    assert "Trust index 4.00 5.00" in text
    assert html.count('class="trend-chart"') == 2
    assert "Trust index: the provider, as the consumer sees it (2 assessments)" in text
    assert len(re.findall(r'href="/relationships/assessments/\d+/"', html)) >= 3
    assert f'href="{reverse("account_detail", args=[account.pk])}"' in html
    assert f'href="{reverse("relationships:stakeholder_grid", args=[account.pk])}"' in html
    assert f'href="{create_url(account, CHANGE)}"' in html


def test_a_new_account_shows_its_basic_plan_and_nothing_recorded(as_user, owner, account):
    text = text_of(as_user(owner).get(list_url(account)).content.decode())

    assert "Relationship maturity (required): never assessed." in text
    assert "Readiness to collaborate" not in text.split("Record an assessment")[0]
    assert "No trust rating yet" in text
    assert "Nothing assessed yet." in text


def test_read_only_roles_see_the_list_without_links_to_record(as_user, desk, analyst, account):
    for persona in (desk, analyst):
        response = as_user(persona).get(list_url(account))
        assert response.status_code == 200
        assert "/assessments/new/" not in response.content.decode()


def test_outsiders_get_404_and_integrators_403_on_every_page(
    as_user, client, owner, outsider, integrator, account
):
    assessment = record(actor=owner, organization=account, kind=MATURITY)
    urls = [list_url(account), create_url(account, MATURITY), detail_url(assessment)]

    assert [as_user(outsider).get(url).status_code for url in urls] == [404, 404, 404]
    assert [as_user(integrator).get(url).status_code for url in urls] == [403, 403, 403]


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_list_and_detail_pages_cost_the_same_queries_with_more_assessments(
    as_user, teammate, owner, account
):
    client = as_user(teammate)
    first = record(actor=owner, organization=account, kind=TRUST, direction=OF_PROVIDER)
    small = queries_for(client, list_url(account)), queries_for(client, detail_url(first))
    for days in range(10, 200, 30):
        day = timezone.localdate() - timedelta(days=days)
        for kind, direction in [(TRUST, OF_PROVIDER), (TRUST, OF_CONSUMER), (MATURITY, None), (CHANGE, None)]:
            record(actor=owner, organization=account, kind=kind, direction=direction, assessed_on=day)

    large = queries_for(client, list_url(account)), queries_for(client, detail_url(first))

    assert large == small
    assert max(large) <= 12


# --- the questionnaire ----------------------------------------------------------------------------


def test_a_rating_questionnaire_has_a_labelled_radio_group_per_item(as_user, owner, account):
    response = as_user(owner).get(create_url(account, CHANGE))

    html = response.content.decode()
    items = len(questionnaire_for(CHANGE).items)
    assert response.status_code == 200
    assert html.count('<fieldset class="rating"') == items
    assert html.count('type="radio"') == items * 5
    assert "<legend>Resistance to change is low.</legend>" in html
    assert 'for="id_resistance_low_0"' in html
    assert "Strongly disagree" not in html or "1 strongly disagree" in html


def test_the_maturity_questionnaire_is_a_checklist(as_user, owner, account):
    html = as_user(owner).get(create_url(account, MATURITY)).content.decode()

    assert html.count('type="checkbox"') == len(questionnaire_for(MATURITY).items)
    assert 'type="radio"' not in html


def test_trust_asks_who_is_rated_before_the_questionnaire(as_user, owner, account):
    choice = as_user(owner).get(create_url(account, TRUST))
    form = as_user(owner).get(create_url(account, TRUST, OF_CONSUMER))

    assert choice.status_code == 200
    assert f'href="?direction={OF_PROVIDER}"' in choice.content.decode()
    assert 'type="radio"' not in choice.content.decode()
    assert form.content.decode().count('<fieldset class="rating"') == 7
    assert f'name="direction" value="{OF_CONSUMER}"' in form.content.decode()
    assert f'href="?direction={OF_PROVIDER}"' in form.content.decode()


def test_a_complete_questionnaire_is_recorded_and_shows_its_results(as_user, owner, account):
    response = as_user(owner).post(
        create_url(account, TRUST), form_data(TRUST, OF_PROVIDER, provider_listens_first=1)
    )

    assessment = Assessment.objects.get()
    assert response.status_code == 302
    assert response.url == detail_url(assessment)
    assert assessment.direction == OF_PROVIDER
    assert assessment.respondent == "Their operations director"
    assert str(assessment.score) == "3.67"  # 4, 4 and (1 + 4 + 4) / 3 = 3


def test_a_checklist_records_unticked_characteristics_as_not_met(as_user, owner, account):
    as_user(owner).post(create_url(account, MATURITY), form_data(MATURITY, supply_common_infrastructure=0))

    assessment = Assessment.objects.get()
    assert (assessment.consumer_level, assessment.provider_level) == (3, 1)
    assert assessment.answers.get(item="supply_common_infrastructure").value == 0


def test_an_unanswered_item_is_named_with_400_and_nothing_saved(as_user, owner, account):
    data = form_data(CHANGE)
    del data["lateral_leaders"]
    data["vision_clear"] = "9"

    response = as_user(owner).post(create_url(account, CHANGE), data)

    text = text_of(response.content.decode())
    assert response.status_code == 400
    assert "Nothing was saved. 2 items need an answer within the scale" in text
    assert (
        "“People without formal authority also help lead the change.” (lateral_leaders) is not answered"
        in text
    )
    assert "(vision_clear) takes 1 to 5; 9 is outside that." in text
    assert 'id="id_lateral_leaders_error"' in response.content.decode()
    assert not Assessment.objects.exists()


def test_a_future_date_is_refused_with_400(as_user, owner, account):
    data = form_data(CHANGE) | {"assessed_on": (timezone.localdate() + timedelta(days=3)).isoformat()}

    response = as_user(owner).post(create_url(account, CHANGE), data)

    assert response.status_code == 400
    assert "is in the future" in text_of(response.content.decode())
    assert not Assessment.objects.exists()


def test_trust_posted_without_a_direction_is_refused(as_user, owner, account):
    response = as_user(owner).post(
        create_url(account, TRUST), form_data(TRUST, OF_PROVIDER) | {"direction": ""}
    )

    assert response.status_code == 400
    assert "Choose who is rated" in text_of(response.content.decode())
    assert not Assessment.objects.exists()


def test_an_organization_that_is_not_a_consumer_is_refused_with_the_reason(as_user, owner):
    supplier = OrganizationFactory(kind=OrganizationKind.SUPPLIER, owner=owner, name="Fernhill Devices")

    response = as_user(owner).post(create_url(supplier, CHANGE), form_data(CHANGE))
    listing = text_of(as_user(owner).get(list_url(supplier)).content.decode())

    assert response.status_code == 400
    assert "Fernhill Devices is not a service consumer" in text_of(response.content.decode())
    assert not Assessment.objects.exists()
    assert "Only service consumers have a service relationship to assess." in listing
    assert "/assessments/new/" not in listing


def test_an_unknown_kind_is_not_found(as_user, owner, account):
    assert as_user(owner).get(create_url(account, "vibes")).status_code == 404


@pytest.mark.parametrize("persona", ["desk", "analyst"])
def test_read_only_roles_may_not_open_or_post_the_questionnaire(as_user, persona, account, request):
    client = as_user(request.getfixturevalue(persona))

    assert client.get(create_url(account, CHANGE)).status_code == 403
    assert client.post(create_url(account, CHANGE), form_data(CHANGE)).status_code == 403
    assert not Assessment.objects.exists()


def test_a_teammate_may_record(as_user, teammate, account):
    assert as_user(teammate).post(create_url(account, CHANGE), form_data(CHANGE)).status_code == 302


# --- one assessment -------------------------------------------------------------------------------


def test_a_trust_assessment_shows_its_radar_factor_scores_and_index(as_user, owner, account):
    assessment = record(
        actor=owner, organization=account, kind=TRUST, direction=OF_CONSUMER, consumer_agility=2
    )

    response = as_user(owner).get(detail_url(assessment))

    html = response.content.decode()
    text = text_of(html)
    assert response.status_code == 200
    assert 'class="radar-chart"' in html
    assert "Capability 1 2.00" in text
    assert "Commitment 4 4.00" in text
    assert "Trust index 3.33" in text
    assert f'href="{reverse("relationships:stakeholder_grid", args=[account.pk])}"' in html


def test_a_maturity_assessment_shows_both_levels_the_overall_and_the_gap(as_user, owner, account):
    assessment = record(actor=owner, organization=account, kind=MATURITY, demand_enterprise_systems=0)

    text = text_of(as_user(owner).get(detail_url(assessment)).content.decode())

    assert "Basic relationship demand: the consumer's level" in text
    assert "Partnership supply: our level as provider" in text
    assert "Basic relationship relationship maturity: the lower of the two" in text
    assert "Maturity gap of 2 levels." in text
    assert "✗ They run enterprise-wide systems rather than local tools. (not met)" in text
    assert "3 of 4" in text


def test_readiness_assessments_name_the_factors_to_act_on(as_user, owner, account):
    collaboration = record(actor=owner, organization=account, kind=COLLABORATION, management_support=1)
    change = record(actor=owner, organization=account, kind=CHANGE, resistance_low=1)

    collaboration_text = text_of(as_user(owner).get(detail_url(collaboration)).content.decode())
    change_text = text_of(as_user(owner).get(detail_url(change)).content.decode())

    assert "Not ready 2 of 3 factors at 4 or above" in collaboration_text
    assert "Below 4: engaged stakeholders (3.00)." in collaboration_text
    assert "Sustained improvement the weakest factor" in change_text
    assert "3.81 overall" in change_text  # (4 + 4 + 4 + 3.25) / 4 = 3.8125


def test_the_owner_deletes_an_assessment_and_returns_to_the_list(as_user, owner, account):
    assessment = record(actor=owner, organization=account, kind=MATURITY)
    url = reverse("relationships:assessment_delete", args=[assessment.pk])

    assert "Delete this assessment" in as_user(owner).get(detail_url(assessment)).content.decode()
    response = as_user(owner).post(url)

    assert response.status_code == 302
    assert response.url == list_url(account)
    assert not Assessment.objects.exists()


def test_others_may_not_delete(as_user, owner, outsider, analyst, desk, account):
    assessment = AssessmentFactory(relationship=ServiceRelationshipFactory(organization=account))
    url = reverse("relationships:assessment_delete", args=[assessment.pk])

    assert as_user(outsider).post(url).status_code == 404
    assert as_user(analyst).post(url).status_code == 403
    assert as_user(desk).post(url).status_code == 403
    assert "Delete this assessment" not in as_user(desk).get(detail_url(assessment)).content.decode()
    assert Assessment.objects.count() == 1
