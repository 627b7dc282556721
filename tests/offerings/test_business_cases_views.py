"""The business case pages as a user sees them: the lists, the form, one version's page with its figures,
cash flow and rows (added, edited and removed with HTMX or plain forms), the decision and the versions,
bad input (400, nothing saved) and who may do what."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from offerings.models import BenefitLine, BusinessCase, BusinessCaseStatus, CostLine
from tests.factories.journeys import OrganizationFactory
from tests.factories.offerings import (
    AssumptionFactory,
    BenefitLineFactory,
    BusinessCaseFactory,
    BusinessCaseRiskFactory,
    CostLineFactory,
)
from tests.helpers import HX, text_of

pytestmark = pytest.mark.django_db

APPROVED, SUBMITTED, DRAFT = (
    BusinessCaseStatus.APPROVED,
    BusinessCaseStatus.SUBMITTED,
    BusinessCaseStatus.DRAFT,
)


def url(name, *args):
    return reverse(f"offerings:{name}", args=args)


def page_text(response) -> str:
    return text_of(response.content.decode())


def field_error(response, field_id: str) -> str:
    found = re.search(
        rf'<ul class="errorlist" id="{field_id}_error">(.*?)</ul>', response.content.decode(), re.S
    )
    return text_of(found.group(1)) if found else ""


@pytest.fixture
def case(account):
    """A draft over years 0–3 at 10 %: 1,000 invested in year 0, 600 a year saved in years 1–3."""
    case = BusinessCaseFactory(organization=account, title="Managed laptops")
    CostLineFactory(business_case=case, description="Roll-out", amount=Decimal("1000.00"))
    BenefitLineFactory(business_case=case, amount=Decimal("600.00"), year=1, last_year=3)
    return case


def approve(case):
    BusinessCase.objects.filter(pk=case.pk).update(
        status=APPROVED, approved_at=timezone.now(), is_baseline=True
    )
    case.refresh_from_db()


# --- lists ----------------------------------------------------------------------------------------


def test_the_list_shows_each_case_with_its_figures(as_user, owner, case):
    response = as_user(owner).get(url("business_case_list"))

    text = page_text(response)
    assert response.status_code == 200
    assert (
        "Managed laptops Rentwheel Car Hire Customer's v1 Draft 1,000.00 1,800.00 80.00 % Yes none yet"
        in text
    )
    assert url("business_case_detail", case.pk) in response.content.decode()
    assert url("business_case_create") in response.content.decode()


def test_the_list_filters_by_status_and_comes_alone_for_htmx(as_user, owner, case):
    BusinessCaseFactory(organization=case.organization, title="Print service", status=SUBMITTED)

    response = as_user(owner).get(url("business_case_list"), {"status": "submitted"}, **HX)

    page = response.content.decode()
    assert "<html" not in page
    assert "Print service" in page
    assert "Managed laptops" not in page
    assert response["Vary"] == "HX-Request" or "HX-Request" in response["Vary"]


def test_the_list_hides_other_teams_cases(as_user, outsider, other_team, case):
    assert "Managed laptops" not in page_text(as_user(outsider).get(url("business_case_list")))


def test_the_account_list_is_a_404_for_outsiders_and_prefills_new_cases(
    as_user, owner, outsider, other_team, case
):
    response = as_user(owner).get(url("business_case_account_list", case.organization_id))

    assert "Business cases of Rentwheel Car Hire" in page_text(response)
    assert f"{url('business_case_create')}?organization={case.organization_id}" in response.content.decode()
    assert as_user(outsider).get(url("business_case_account_list", case.organization_id)).status_code == 404


def test_analysts_read_the_list_without_the_new_button(as_user, analyst, case):
    response = as_user(analyst).get(url("business_case_list"))

    assert "Managed laptops" in page_text(response)
    assert url("business_case_create") not in response.content.decode()


def test_integrators_use_the_api_only(as_user, integrator, case):
    assert as_user(integrator).get(url("business_case_detail", case.pk)).status_code == 403


# --- the form -------------------------------------------------------------------------------------


def test_starting_a_case_takes_the_discount_rate_in_percent(as_user, owner, account):
    response = as_user(owner).post(
        url("business_case_create"),
        {
            "organization": account.pk,
            "title": "Print service",
            "perspective": "consumer",
            "discount_rate": "8.5",
            "horizon_years": "4",
            "purpose": "Stop buying printers",
        },
    )

    case = BusinessCase.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("business_case_detail", case.pk)
    assert (case.discount_rate, case.horizon_years, case.purpose, case.owner) == (
        Decimal("0.0850"),
        4,
        "Stop buying printers",
        owner,
    )


def test_a_discount_rate_of_100_percent_is_answered_under_the_field(as_user, owner, account):
    response = as_user(owner).post(
        url("business_case_create"),
        {
            "organization": account.pk,
            "title": "x",
            "perspective": "consumer",
            "discount_rate": "100",
            "horizon_years": "3",
        },
    )

    assert response.status_code == 400
    assert "strictly between −100 % and 100 % a year; 100 % is outside that" in field_error(
        response, "id_discount_rate"
    )
    assert not BusinessCase.objects.exists()


def test_the_form_offers_only_the_users_consumers(as_user, outsider, other_team, account):
    response = as_user(outsider).post(
        url("business_case_create"),
        {
            "organization": account.pk,
            "title": "Peek",
            "perspective": "consumer",
            "discount_rate": "5",
            "horizon_years": "3",
        },
    )

    assert response.status_code == 400
    assert "Choose one of the consumer organizations you look after." in field_error(
        response, "id_organization"
    )


def test_editing_shows_the_rate_in_percent_and_saves(as_user, teammate, case):
    client = as_user(teammate)

    assert 'value="10"' in client.get(url("business_case_edit", case.pk)).content.decode()
    response = client.post(
        url("business_case_edit", case.pk),
        {
            "title": "Managed laptops 2027",
            "perspective": "provider",
            "discount_rate": "6",
            "horizon_years": "3",
        },
    )

    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.title, case.perspective, case.discount_rate) == (
        "Managed laptops 2027",
        "provider",
        Decimal("0.06"),
    )


def test_analysts_may_not_open_the_form(as_user, analyst):
    assert as_user(analyst).get(url("business_case_create")).status_code == 403


# --- one version's page ---------------------------------------------------------------------------


def test_the_page_shows_the_figures_cash_flow_and_rows(as_user, owner, case):
    BusinessCaseRiskFactory(business_case=case)
    AssumptionFactory(business_case=case)

    response = as_user(owner).get(url("business_case_detail", case.pk))

    text = page_text(response)
    assert response.status_code == 200
    # Costs 1,000; benefits 1,800; NPV −1,000 + 545.45 + 495.87 + 450.79 = 492.11; payback 1 + 400/600.
    assert "1,000.00 Total cost of ownership" in text
    assert "1,800.00 Total benefits" in text
    assert "80.00 % Return on investment" in text
    assert "492.11 Net present value" in text
    assert "1.67 years Payback" in text
    assert "100.00 Risk adjustment" in text
    assert "Positive: the benefits exceed the costs and the risk adjustment together." in text
    assert "1 0.00 600.00 600.00 545.45 −400.00" in text  # year 1 of the cash flow table
    assert "Roll-out Investment and implementation CAPEX year 0 1,000.00" in text
    assert "Days from start date to first login years 1–3 600.00 a year" in text
    assert "Supplier cannot deliver devices on time 20 % 500.00 100.00" in text
    assert "Forty people start each year. Medium" in text
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in response.content.decode()
    assert "Submit for a decision" in text
    assert f'href="{url("business_case_line_add", case.pk, "costs")}"' in response.content.decode()


def test_the_page_costs_the_same_queries_for_a_small_and_a_large_case(as_user, owner, case):
    client = as_user(owner)
    with CaptureQueriesContext(connection) as small:
        client.get(url("business_case_detail", case.pk))
    for year in range(4):
        CostLineFactory(business_case=case, year=year)
        BenefitLineFactory(business_case=case, year=1)
        BusinessCaseRiskFactory(business_case=case)
        AssumptionFactory(business_case=case, owner=owner)
    with CaptureQueriesContext(connection) as large:
        client.get(url("business_case_detail", case.pk))

    assert len(large) == len(small)
    assert len(large) <= 12


def test_teammates_see_the_page_and_outsiders_get_a_404(as_user, teammate, outsider, other_team, case):
    assert as_user(teammate).get(url("business_case_detail", case.pk)).status_code == 200
    assert as_user(outsider).get(url("business_case_detail", case.pk)).status_code == 404


def test_analysts_read_the_page_without_edit_links(as_user, analyst, case):
    response = as_user(analyst).get(url("business_case_detail", case.pk))

    page = response.content.decode()
    assert "1,000.00 Total cost of ownership" in page_text(response)
    assert url("business_case_line_add", case.pk, "costs") not in page
    assert url("business_case_edit", case.pk) not in page
    assert "Submit for a decision" not in page


def test_an_approved_version_is_read_only_and_offers_a_new_version(as_user, owner, case):
    approve(case)

    response = as_user(owner).get(url("business_case_detail", case.pk))

    page = response.content.decode()
    assert url("business_case_line_add", case.pk, "costs") not in page
    assert url("business_case_edit", case.pk) not in page
    assert url("business_case_new_version", case.pk) in page
    assert "This version is the baseline" in page_text(response)


# --- rows -----------------------------------------------------------------------------------------


def test_the_add_link_opens_the_form_in_the_workspace_for_htmx(as_user, owner, case):
    response = as_user(owner).get(url("business_case_line_add", case.pk, "costs"), **HX)

    page = response.content.decode()
    assert "<html" not in page
    assert 'id="id_costs_description"' in page
    assert f'hx-post="{url("business_case_line_add", case.pk, "costs")}"' in page


def test_the_add_link_opens_the_whole_page_without_htmx(as_user, owner, case):
    response = as_user(owner).get(url("business_case_line_add", case.pk, "benefits"))

    page = response.content.decode()
    assert "<html" in page
    assert 'id="id_benefits_indicator"' in page


def cost_line(**overrides):
    data = {
        "description": "Licences",
        "category": "usage",
        "expense_type": "opex",
        "recurrence": "recurring",
        "year": "1",
        "last_year": "3",
        "amount": "200",
    }
    return data | overrides


def test_adding_a_cost_line_redirects_back_to_its_table(as_user, owner, case):
    response = as_user(owner).post(url("business_case_line_add", case.pk, "costs"), cost_line())

    assert response.status_code == 302
    assert response["Location"] == url("business_case_detail", case.pk) + "#costs"
    assert CostLine.objects.filter(business_case=case, description="Licences", last_year=3).exists()


def test_adding_with_htmx_answers_with_the_workspace_and_the_new_figures(as_user, owner, case):
    response = as_user(owner).post(url("business_case_line_add", case.pk, "costs"), cost_line(), **HX)

    text = page_text(response)
    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    assert "Cost line added." in text
    assert "1,600.00 Total cost of ownership" in text  # 1,000 + 3 × 200


def test_a_negative_amount_is_a_400_naming_the_amount_and_nothing_is_saved(as_user, owner, case):
    response = as_user(owner).post(url("business_case_line_add", case.pk, "costs"), cost_line(amount="-5"))

    assert response.status_code == 400
    assert "An amount cannot be negative" in field_error(response, "id_costs_amount")
    assert "Nothing was saved." in page_text(response)
    assert CostLine.objects.filter(business_case=case).count() == 1


def test_a_line_past_the_horizon_comes_back_to_htmx_with_the_error_in_the_region(as_user, owner, case):
    response = as_user(owner).post(
        url("business_case_line_add", case.pk, "costs"), cost_line(last_year="9"), **HX
    )

    assert response.status_code == 200
    assert "end the line in year 3 at the latest" in field_error(response, "id_costs_last_year")
    assert CostLine.objects.filter(business_case=case).count() == 1


def test_a_risk_takes_its_probability_in_percent(as_user, owner, case):
    as_user(owner).post(
        url("business_case_line_add", case.pk, "risks"),
        {"description": "Late delivery", "probability": "25", "impact": "400"},
    )

    risk = case.risks.get()
    assert (risk.probability, risk.exposure) == (Decimal("0.2500"), Decimal("100.00"))


def test_editing_a_row_opens_it_and_saves_it(as_user, owner, case):
    line = BenefitLine.objects.get(business_case=case)
    client = as_user(owner)

    opened = client.get(url("business_case_line_edit", case.pk, "benefits", line.pk), **HX)
    saved = client.post(
        url("business_case_line_edit", case.pk, "benefits", line.pk),
        {
            "description": "Fewer hours lost",
            "benefit_type": "cost_reduction",
            "indicator": "Hours lost a month",
            "recurrence": "recurring",
            "year": "1",
            "last_year": "3",
            "amount": "700",
        },
        **HX,
    )

    assert 'value="Days from start date to first login"' in opened.content.decode()
    assert "Benefit line saved." in page_text(saved)
    assert "2,100.00 Total benefits" in page_text(saved)
    line.refresh_from_db()
    assert (line.indicator, line.amount) == ("Hours lost a month", Decimal("700.00"))


def test_removing_a_row(as_user, owner, case):
    line = CostLine.objects.get(business_case=case)

    response = as_user(owner).post(url("business_case_line_remove", case.pk, "costs", line.pk))

    assert response.status_code == 302
    assert not CostLine.objects.filter(pk=line.pk).exists()


def test_a_row_of_a_decided_version_cannot_be_removed(as_user, owner, case):
    approve(case)
    line = CostLine.objects.get(business_case=case)

    response = as_user(owner).post(url("business_case_line_remove", case.pk, "costs", line.pk), **HX)

    assert "stays as it was decided; make a new version to rework it" in page_text(response)
    assert CostLine.objects.filter(pk=line.pk).exists()


def test_an_unknown_kind_of_row_is_a_404(as_user, owner, case):
    assert as_user(owner).get(url("business_case_line_add", case.pk, "wishes")).status_code == 404


def test_a_row_of_another_case_is_a_404(as_user, owner, case):
    other = CostLineFactory(business_case=BusinessCaseFactory(organization=case.organization))

    response = as_user(owner).post(url("business_case_line_remove", case.pk, "costs", other.pk))

    assert response.status_code == 404
    assert CostLine.objects.filter(pk=other.pk).exists()


def test_analysts_may_not_add_rows(as_user, analyst, case):
    response = as_user(analyst).post(url("business_case_line_add", case.pk, "costs"), cost_line())

    assert response.status_code == 403
    assert CostLine.objects.filter(business_case=case).count() == 1


# --- the decision and versions --------------------------------------------------------------------


def test_submitting_then_approving_makes_the_version_the_baseline(as_user, owner, teammate, case):
    submitted = as_user(owner).post(url("business_case_submit", case.pk))
    page = as_user(teammate).get(url("business_case_detail", case.pk))
    approved = as_user(teammate).post(
        url("business_case_approve", case.pk), {"decision_note": "Sponsor agreed"}
    )

    assert submitted.status_code == 302
    assert "Approve" in page_text(page) and "Reject" in page_text(page)
    assert approved.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.is_baseline, case.approved_by, case.decision_note) == (
        APPROVED,
        True,
        teammate,
        "Sponsor agreed",
    )


def test_approving_without_benefits_is_a_400_with_the_reason_and_nothing_changes(as_user, owner, account):
    case = BusinessCaseFactory(organization=account, status=SUBMITTED)

    response = as_user(owner).post(url("business_case_approve", case.pk), {"decision_note": ""})

    assert response.status_code == 400
    assert "Add at least one benefit line before you approve the case" in page_text(response)
    case.refresh_from_db()
    assert (case.status, case.is_baseline) == (SUBMITTED, False)


def test_rejecting_without_a_reason_shows_the_error_under_the_note(as_user, owner, case):
    BusinessCase.objects.filter(pk=case.pk).update(status=SUBMITTED)

    response = as_user(owner).post(url("business_case_reject", case.pk), {"decision_note": ""})

    assert response.status_code == 400
    assert "Say why the version is rejected" in field_error(response, "id_decision_note")
    case.refresh_from_db()
    assert case.status == SUBMITTED


def test_submitting_a_case_without_benefits_says_why_on_the_page(as_user, owner, account):
    case = BusinessCaseFactory(organization=account)
    client = as_user(owner)

    response = client.post(url("business_case_submit", case.pk), follow=True)

    assert "Add at least one benefit line before you submit the case" in page_text(response)
    case.refresh_from_db()
    assert case.status == DRAFT


def test_a_new_version_opens_on_its_own_page_compared_with_the_baseline(as_user, owner, case):
    approve(case)

    response = as_user(owner).post(url("business_case_new_version", case.pk), follow=True)

    copy = BusinessCase.objects.get(version=2)
    text = page_text(response)
    assert response.redirect_chain == [(url("business_case_detail", copy.pk), 302)]
    assert "Version 2 made as a copy" in text
    assert "Compared with version 1, the baseline" in text
    assert (
        "Total cost of ownership 1,000.00 1,000.00 +0.00" in text
        or "Total cost of ownership 1,000.00 1,000.00 0.00" in text
    )
    assert "v1 Approved" in text


def test_the_versions_table_links_the_other_versions_for_comparison(as_user, owner, case):
    approve(case)
    second = BusinessCaseFactory(organization=case.organization, lineage=case.lineage, version=2)
    CostLineFactory(business_case=second, amount=Decimal("400.00"))

    response = as_user(owner).get(url("business_case_detail", case.pk), {"compare": second.pk})

    text = page_text(response)
    assert f"?compare={second.pk}" not in response.content.decode()  # compared already
    assert "Compared with version 2" in text
    assert "Total cost of ownership 1,000.00 400.00 +600.00" in text


def test_deleting_a_draft_asks_first(as_user, owner, case):
    client = as_user(owner)

    assert "Delete version 1 of “Managed laptops”?" in page_text(
        client.get(url("business_case_delete", case.pk))
    )
    response = client.post(url("business_case_delete", case.pk))

    assert response["Location"] == url("business_case_account_list", case.organization_id)
    assert not BusinessCase.objects.exists()


def test_a_decided_version_cannot_be_deleted(as_user, owner, case):
    approve(case)

    response = as_user(owner).post(url("business_case_delete", case.pk))

    assert response.status_code == 409
    assert BusinessCase.objects.filter(pk=case.pk).exists()


def test_an_other_organization_kind_is_refused_on_the_form(as_user, owner, team):
    partner = OrganizationFactory(kind="partner", owner=owner, team=team)

    response = as_user(owner).post(
        url("business_case_create"),
        {
            "organization": partner.pk,
            "title": "x",
            "perspective": "consumer",
            "discount_rate": "5",
            "horizon_years": "3",
        },
    )

    assert response.status_code == 400
    assert not BusinessCase.objects.exists()
