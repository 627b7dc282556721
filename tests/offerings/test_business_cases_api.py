"""The business case API: statuses, shapes, figures, permissions and the error envelope."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from offerings.models import (
    Assumption,
    BenefitLine,
    BusinessCase,
    BusinessCaseRisk,
    BusinessCaseStatus,
    CostLine,
)
from tests.factories.offerings import (
    BenefitLineFactory,
    BusinessCaseFactory,
    BusinessCaseRiskFactory,
    CostLineFactory,
)

pytestmark = pytest.mark.django_db

APPROVED, SUBMITTED, DRAFT = (
    BusinessCaseStatus.APPROVED,
    BusinessCaseStatus.SUBMITTED,
    BusinessCaseStatus.DRAFT,
)


def api(name, *args):
    return reverse(f"api_offer_{name}", args=args)


def error_of(response) -> dict:
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    return body["error"]


@pytest.fixture
def case(account):
    """A draft over years 0–3 at 10 %: 1,000 invested in year 0, 600 a year saved in years 1–3."""
    case = BusinessCaseFactory(organization=account, title="Managed laptops")
    CostLineFactory(business_case=case, amount=Decimal("1000.00"))
    BenefitLineFactory(business_case=case, amount=Decimal("600.00"), year=1, last_year=3)
    return case


# --- cases ----------------------------------------------------------------------------------------


def test_the_list_holds_every_version_the_caller_may_see_with_its_totals(
    token_client, owner, outsider, other_team, case
):
    BusinessCaseRiskFactory(business_case=case)

    mine = token_client(owner).get(api("business_cases")).json()
    theirs = token_client(outsider).get(api("business_cases")).json()

    assert theirs["results"] == []
    assert set(mine) >= {"next", "previous", "results"}
    [row] = mine["results"]
    assert set(row) == {
        "id",
        "organization",
        "offering",
        "perspective",
        "title",
        "lineage",
        "version",
        "previous_version",
        "status",
        "is_baseline",
        "discount_rate",
        "horizon_years",
        "budget",
        "owner",
        "submitted_at",
        "approved_at",
        "approved_by",
        "decision_note",
        "created_at",
        "updated_at",
        "total_cost_of_ownership",
        "total_benefits",
        "risk_adjustment",
    }
    assert (row["total_cost_of_ownership"], row["total_benefits"], row["risk_adjustment"]) == (
        "1000.00",
        "1800.00",
        "100.00",
    )


def test_the_list_filters_baselines_and_lineages(token_client, owner, case):
    BusinessCase.objects.filter(pk=case.pk).update(
        status=APPROVED, approved_at=timezone.now(), is_baseline=True
    )
    second = BusinessCaseFactory(organization=case.organization, lineage=case.lineage, version=2)
    BusinessCaseFactory(organization=case.organization)
    client = token_client(owner)

    baselines = client.get(api("business_cases"), {"is_baseline": "true"}).json()["results"]
    lineage = client.get(api("business_cases"), {"lineage": str(case.lineage)}).json()["results"]

    assert [row["id"] for row in baselines] == [case.pk]
    assert {row["id"] for row in lineage} == {case.pk, second.pk}


def test_starting_a_case_answers_with_the_detail(token_client, owner, account):
    response = token_client(owner).post(
        api("business_cases"),
        {"organization": account.pk, "title": "Print service", "discount_rate": "0.08", "horizon_years": 4},
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["title"], body["version"], body["status"], body["discount_rate"], body["owner"]) == (
        "Print service",
        1,
        "draft",
        "0.0800",
        owner.pk,
    )
    assert body["cost_lines"] == body["benefit_lines"] == body["risks"] == body["assumptions"] == []
    assert body["figures"]["total_cost_of_ownership"] == "0.00"
    assert len(body["figures"]["years"]) == 5
    assert [version["version"] for version in body["versions"]] == [1]


def test_a_discount_rate_of_100_percent_is_refused_in_the_envelope(token_client, owner, account):
    response = token_client(owner).post(
        api("business_cases"), {"organization": account.pk, "title": "x", "discount_rate": "1"}
    )

    assert response.status_code == 400
    error = error_of(response)
    assert list(error["fields"]) == ["discount_rate"]
    assert "strictly between −100 % and 100 %" in error["message"]
    assert not BusinessCase.objects.exists()


def test_an_organization_the_caller_may_not_see_is_refused_like_a_missing_one(
    token_client, outsider, other_team, account
):
    response = token_client(outsider).post(
        api("business_cases"), {"organization": account.pk, "title": "Peek"}
    )

    assert response.status_code == 400
    assert error_of(response)["fields"]["organization"] == [f"No organization with the id {account.pk}."]


def test_unknown_fields_are_refused(token_client, owner, account):
    response = token_client(owner).post(
        api("business_cases"), {"organization": account.pk, "title": "x", "npv": 5}
    )

    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == ["npv"]


@pytest.mark.parametrize(("persona", "status"), [("desk", 403), ("analyst", 403), ("integrator", 201)])
def test_who_may_start_a_case(request, token_client, account, persona, status):
    response = token_client(request.getfixturevalue(persona)).post(
        api("business_cases"), {"organization": account.pk, "title": "Print service"}
    )

    assert response.status_code == status
    assert BusinessCase.objects.exists() == (status == 201)


def test_a_replayed_idempotency_key_starts_one_case(token_client, owner, account):
    client = token_client(owner)
    body = {"organization": account.pk, "title": "Print service"}

    first = client.post(api("business_cases"), body, HTTP_IDEMPOTENCY_KEY="case-1")
    second = client.post(api("business_cases"), body, HTTP_IDEMPOTENCY_KEY="case-1")

    assert (first.status_code, second.status_code) == (201, 201)
    assert second["Idempotent-Replayed"] == "true"
    assert BusinessCase.objects.count() == 1


def test_the_detail_has_the_rows_and_the_figures(token_client, teammate, case):
    BusinessCaseRiskFactory(business_case=case)

    response = token_client(teammate).get(api("business_case", case.pk))

    assert response.status_code == 200
    body = response.json()
    figures = body["figures"]
    # NPV −1,000 + 600/1.1 + 600/1.21 + 600/1.331 = 492.11; payback 1 + 400/600 = 1.67; risk 0.2 × 500.
    assert {key: figures[key] for key in figures if key != "years"} == {
        "total_cost_of_ownership": "1000.00",
        "total_benefits": "1800.00",
        "net_benefit": "800.00",
        "return_on_investment": "0.8000",
        "net_present_value": "492.11",
        "payback_years": "1.67",
        "risk_adjustment": "100.00",
        "is_positive": True,
    }
    assert figures["years"][1] == {
        "year": 1,
        "costs": "0.00",
        "benefits": "600.00",
        "net": "600.00",
        "discounted_net": "545.45",
        "cumulative_net": "-400.00",
    }
    assert body["cost_lines"][0]["category"] == "investment"
    assert body["benefit_lines"][0]["indicator"] == "Days from start date to first login"
    assert body["risks"][0]["exposure"] == "100.00"
    assert body["purpose"] == "Cut the time new staff wait for a working laptop."


def test_outsiders_get_a_404(token_client, outsider, other_team, case):
    response = token_client(outsider).get(api("business_case", case.pk))

    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_patching_a_draft_and_a_decided_version(token_client, owner, case):
    client = token_client(owner)

    changed = client.patch(api("business_case", case.pk), {"title": "Laptops", "horizon_years": 5})
    BusinessCase.objects.filter(pk=case.pk).update(status=APPROVED, approved_at=timezone.now())
    refused = client.patch(api("business_case", case.pk), {"title": "Other"})

    assert (changed.status_code, changed.json()["title"], len(changed.json()["figures"]["years"])) == (
        200,
        "Laptops",
        6,
    )
    assert refused.status_code == 409
    assert error_of(refused)["code"] == "read_only"


def test_only_a_draft_may_be_deleted_through_the_api(token_client, owner, case):
    decided = BusinessCaseFactory(organization=case.organization, status=SUBMITTED)
    client = token_client(owner)

    assert client.delete(api("business_case", decided.pk)).status_code == 409
    assert client.delete(api("business_case", case.pk)).status_code == 204
    assert list(BusinessCase.objects.values_list("pk", flat=True)) == [decided.pk]


# --- rows -----------------------------------------------------------------------------------------


def test_adding_changing_and_removing_a_cost_line(token_client, owner, case):
    client = token_client(owner)

    added = client.post(
        api("business_case_cost_lines", case.pk),
        {
            "description": "Licences",
            "category": "usage",
            "recurrence": "recurring",
            "year": 1,
            "last_year": 3,
            "amount": "120.00",
        },
    )
    line = added.json()
    changed = client.patch(api("business_case_cost_line", line["id"]), {"amount": "150.00"})
    removed = client.delete(api("business_case_cost_line", line["id"]))

    assert added.status_code == 201
    assert (line["expense_type"], line["last_year"], line["business_case"]) == ("opex", 3, case.pk)
    assert changed.json()["amount"] == "150.00"
    assert removed.status_code == 204
    assert CostLine.objects.filter(business_case=case).count() == 1


def test_a_negative_amount_names_the_field_and_saves_nothing(token_client, owner, case):
    response = token_client(owner).post(
        api("business_case_cost_lines", case.pk),
        {"description": "Refund", "category": "usage", "amount": "-1"},
    )

    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == ["amount"]
    assert CostLine.objects.filter(business_case=case).count() == 1


def test_a_line_beyond_the_horizon_names_the_year(token_client, owner, case):
    response = token_client(owner).post(
        api("business_case_benefit_lines", case.pk),
        {"description": "Late", "benefit_type": "revenue", "indicator": "Sales", "year": 9, "amount": "5"},
    )

    assert response.status_code == 400
    assert error_of(response)["fields"] == {
        "year": ["Year 9 lies beyond the case's horizon: it covers years 0 to 3."]
    }
    assert BenefitLine.objects.filter(business_case=case).count() == 1


def test_risks_and_assumptions_through_the_api(token_client, owner, teammate, case):
    client = token_client(owner)

    risk = client.post(
        api("business_case_risks", case.pk),
        {"description": "Late delivery", "probability": "0.25", "impact": "400"},
    )
    too_likely = client.post(
        api("business_case_risks", case.pk), {"description": "x", "probability": "1.2", "impact": "1"}
    )
    assumption = client.post(
        api("business_case_assumptions", case.pk), {"text": "Forty starters a year", "owner": teammate.pk}
    )

    assert (risk.status_code, risk.json()["exposure"]) == (201, "100.00")
    assert too_likely.status_code == 400
    assert list(error_of(too_likely)["fields"]) == ["probability"]
    assert (assumption.status_code, assumption.json()["owner"], assumption.json()["confidence"]) == (
        201,
        teammate.pk,
        "medium",
    )
    assert BusinessCaseRisk.objects.count() == 1
    assert Assumption.objects.count() == 1


def test_rows_of_other_teams_cases_are_a_404(token_client, outsider, other_team, case):
    line = CostLine.objects.get(business_case=case)

    response = token_client(outsider).patch(api("business_case_cost_line", line.pk), {"amount": "1"})

    assert response.status_code == 404
    line.refresh_from_db()
    assert line.amount == Decimal("1000.00")


def test_analysts_may_not_add_rows(token_client, analyst, case):
    response = token_client(analyst).post(
        api("business_case_cost_lines", case.pk), {"description": "x", "category": "usage", "amount": "1"}
    )

    assert response.status_code == 403
    assert error_of(response)["code"] == "permission_denied"


# --- the workflow ---------------------------------------------------------------------------------


def test_submit_approve_then_a_new_version(token_client, owner, case):
    client = token_client(owner)

    submitted = client.post(api("business_case_submit", case.pk))
    approved = client.post(api("business_case_approve", case.pk), {"decision_note": "Sponsor agreed"})
    copy = client.post(api("business_case_new_version", case.pk))

    assert (submitted.status_code, submitted.json()["status"]) == (200, "submitted")
    assert (approved.status_code, approved.json()["status"], approved.json()["is_baseline"]) == (
        200,
        "approved",
        True,
    )
    assert copy.status_code == 201
    body = copy.json()
    assert (body["version"], body["status"], body["previous_version"], body["lineage"]) == (
        2,
        "draft",
        case.pk,
        str(case.lineage),
    )
    assert len(body["cost_lines"]) == len(body["benefit_lines"]) == 1
    assert [(version["version"], version["is_baseline"]) for version in body["versions"]] == [
        (1, True),
        (2, False),
    ]


def test_approving_without_benefits_is_a_400_naming_benefit_lines(token_client, owner, account):
    case = BusinessCaseFactory(organization=account, status=SUBMITTED)

    response = token_client(owner).post(api("business_case_approve", case.pk))

    assert response.status_code == 400
    error = error_of(response)
    assert (error["code"], list(error["fields"])) == ("no_benefits", ["benefit_lines"])
    case.refresh_from_db()
    assert case.status == SUBMITTED


def test_rejecting_needs_a_note_and_withdrawing_goes_back_to_draft(token_client, owner, case):
    client = token_client(owner)
    client.post(api("business_case_submit", case.pk))

    no_note = client.post(api("business_case_reject", case.pk), {})
    withdrawn = client.post(api("business_case_withdraw", case.pk))

    assert no_note.status_code == 400
    assert list(error_of(no_note)["fields"]) == ["decision_note"]
    assert withdrawn.json()["status"] == "draft"


def test_a_second_new_version_while_one_is_open_is_a_409(token_client, owner, case):
    BusinessCase.objects.filter(pk=case.pk).update(status=APPROVED, approved_at=timezone.now())
    client = token_client(owner)
    client.post(api("business_case_new_version", case.pk))

    response = client.post(api("business_case_new_version", case.pk))

    assert response.status_code == 409
    assert error_of(response)["code"] == "open_version"


def test_approving_a_draft_is_a_409(token_client, owner, case):
    response = token_client(owner).post(api("business_case_approve", case.pk))

    assert response.status_code == 409
    assert error_of(response)["code"] == "wrong_status"


def test_the_schema_documents_the_business_case_endpoints(api_client):
    schema = api_client.get(reverse("api_schema"), {"format": "json"}).json()

    assert "/api/v1/business-cases/{id}/approve/" in schema["paths"]
    assert "/api/v1/business-case-cost-lines/{id}/" in schema["paths"]
