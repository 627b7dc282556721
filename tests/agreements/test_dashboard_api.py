"""The SLA dashboard API (/api/v1/agree/sla/): the figures' shape and values, its filters, who may read
it, and the error envelope for a filter it does not understand."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.agreements.test_dashboard_data import TODAY, build_portfolio

pytestmark = pytest.mark.django_db

URL = "api_agree_sla_dashboard"


@pytest.fixture(autouse=True)
def today_is_the_twentieth_of_may(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: TODAY)


@pytest.fixture
def portfolio(account, other_account):
    return build_portfolio(account, other_account)


def get(client, **query):
    return client.get(reverse(URL), query)


def error_fields(response) -> set[str]:
    assert set(response.json()) == {"error"}
    assert set(response.json()["error"]) == {"code", "message", "fields"}
    return set(response.json()["error"]["fields"])


def test_the_figures_come_with_headline_trend_kinds_and_counts(token_client, owner, portfolio):
    response = get(token_client(owner))

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        "organization",
        "offering",
        "kind",
        "months",
        "today",
        "current",
        "previous",
        "change",
        "trend",
        "by_kind",
        "at_risk",
        "breached",
        "active_agreements",
        "lowest_accounts",
    }
    assert body["current"] == {
        "month": "2026-05-01",
        "measured": 3,
        "met": 1,
        "at_risk": 1,
        "breached": 1,
        "compliance_pct": "66.7",
    }
    assert (body["previous"]["compliance_pct"], body["change"]) == ("33.3", "33.4")
    assert len(body["trend"]) == 12 and body["trend"][-1]["month"] == "2026-05-01"
    assert body["trend"][0]["compliance_pct"] is None
    assert [(row["kind"], row["compliance_pct"]) for row in body["by_kind"]] == [
        ("utility", None),
        ("warranty", "100.0"),
        ("experience", "100.0"),
        ("outcome", "0.0"),
    ]
    assert (body["at_risk"], body["breached"], body["active_agreements"]) == (2, 3, 2)
    assert body["lowest_accounts"] == [
        {
            "organization": portfolio.account.pk,
            "name": "Rentwheel Car Hire",
            "measured": 3,
            "met": 1,
            "at_risk": 1,
            "breached": 1,
            "compliance_pct": "66.7",
        }
    ]
    assert (body["organization"], body["offering"], body["kind"], body["months"], body["today"]) == (
        None,
        None,
        "",
        12,
        "2026-05-20",
    )


def test_the_filters_narrow_the_figures(token_client, desk, portfolio):
    client = token_client(desk)

    northbank = get(client, organization=portfolio.other_account.pk).json()
    warranty = get(client, kind="warranty", months=3).json()
    loyalty = get(client, offering=portfolio.o2.pk).json()

    assert (northbank["organization"], northbank["current"]["compliance_pct"]) == (
        portfolio.other_account.pk,
        "0.0",
    )
    assert (warranty["kind"], len(warranty["trend"]), warranty["current"]["compliance_pct"]) == (
        "warranty",
        3,
        "50.0",
    )
    assert (loyalty["offering"], loyalty["current"]["measured"], loyalty["breached"]) == (
        portfolio.o2.pk,
        1,
        1,
    )


def test_the_integrator_reads_the_whole_portfolio(token_client, integrator, portfolio):
    body = get(token_client(integrator)).json()

    assert body["current"]["compliance_pct"] == "50.0"
    assert [row["name"] for row in body["lowest_accounts"]] == ["Northbank Savings", "Rentwheel Car Hire"]


def test_an_outsider_sees_only_their_own_and_not_the_owners_account(token_client, outsider, portfolio):
    client = token_client(outsider)

    assert [row["name"] for row in get(client).json()["lowest_accounts"]] == ["Northbank Savings"]
    response = get(client, organization=portfolio.account.pk)
    assert response.status_code == 404
    assert set(response.json()) == {"error"}


def test_a_filter_it_does_not_understand_is_named_in_the_envelope(token_client, owner, portfolio):
    client = token_client(owner)

    assert error_fields(get(client, kind="availability")) == {"kind"}
    assert error_fields(get(client, months=0)) == {"months"}
    assert error_fields(get(client, offering=999999)) == {"offering"}
    assert error_fields(get(client, organization="me")) == {"organization"}
    assert get(client, kind="availability").status_code == 400


def test_anonymous_callers_are_refused(api_client, portfolio):
    response = api_client.get(reverse(URL))

    assert response.status_code == 401
    assert set(response.json()) == {"error"}
