"""The stakeholder grid over the API: quadrants, the past, the comparison, warnings and who may read it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from relationships.services import stakeholder_grid_move
from tests.factories.journeys import StakeholderFactory

pytestmark = pytest.mark.django_db


def grid_url(organization, **query):
    url = reverse("api_stakeholder_grid", args=[organization.pk])
    return url + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def people_in(body, quadrant):
    return {
        person["name"] for row in body["quadrants"] if row["quadrant"] == quadrant for person in row["people"]
    }


def test_the_grid_lists_people_by_quadrant_with_warnings(token_client, integrator, account, sponsor):
    StakeholderFactory(organization=account, name="Quiet Observer", influence=1, interest=1)

    response = token_client(integrator).get(grid_url(account))

    body = response.json()
    assert response.status_code == 200
    assert [row["quadrant"] for row in body["quadrants"]] == [
        "manage_closely",
        "keep_satisfied",
        "keep_informed",
        "monitor",
    ]
    assert people_in(body, "manage_closely") == {sponsor.name}
    assert people_in(body, "monitor") == {"Quiet Observer"}
    assert body["warnings"]["silent_key_players"] == [sponsor.pk]
    assert "customer" in body["warnings"]["missing_roles"]
    assert "sponsor" not in body["warnings"]["missing_roles"]


def test_a_comparison_day_shows_who_moved(token_client, integrator, owner, account, sponsor):
    yesterday = timezone.localdate() - timedelta(days=1)
    sponsor.history.update(history_date=timezone.now() - timedelta(days=2))
    stakeholder_grid_move(actor=owner, stakeholder=sponsor, influence=2, interest=2)

    body = token_client(integrator).get(grid_url(account, compare=yesterday.isoformat())).json()

    person = next(person for row in body["quadrants"] for person in row["people"])
    assert person["moved"] is True
    assert person["was"] == [5, 4]
    assert people_in(body, "monitor") == {sponsor.name}


def test_a_day_in_the_future_is_a_field_error(token_client, integrator, account):
    tomorrow = timezone.localdate() + timedelta(days=1)

    response = token_client(integrator).get(grid_url(account, as_of=tomorrow.isoformat()))

    assert response.status_code == 400
    assert "as_of" in response.json()["error"]["fields"]


def test_an_outsider_gets_404(token_client, outsider, account):
    assert token_client(outsider).get(grid_url(account)).status_code == 404
