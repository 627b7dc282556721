"""Personas and clients shared by the whole suite.

- owner: the relationship manager who owns `account`;
- teammate: another relationship manager in the account's team;
- outsider: a relationship manager of another team, who must not learn the account exists (404);
- desk: a service desk agent (sees every account, logs touchpoints, edits nothing else);
- analyst: read-only across the portfolio;
- integrator: API-only account;
- administrator: everything.
"""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from journeys.roles import Role
from tests.factories.journeys import (
    JourneyFactory,
    OrganizationFactory,
    StakeholderFactory,
    TeamFactory,
    UserFactory,
)


def pytest_configure(config):
    from django.conf import settings

    # Password hashing is deliberately slow; tests create many users and need none of its strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def owner(db):
    return UserFactory(username="owner", roles=[Role.RELATIONSHIP_MANAGER])


@pytest.fixture
def teammate(db):
    return UserFactory(username="teammate", roles=[Role.RELATIONSHIP_MANAGER])


@pytest.fixture
def outsider(db):
    return UserFactory(username="outsider", roles=[Role.RELATIONSHIP_MANAGER])


@pytest.fixture
def desk(db):
    return UserFactory(username="desk", roles=[Role.SERVICE_DESK_AGENT])


@pytest.fixture
def analyst(db):
    return UserFactory(username="analyst", roles=[Role.ANALYST])


@pytest.fixture
def integrator(db):
    return UserFactory(username="integrator", roles=[Role.INTEGRATOR])


@pytest.fixture
def administrator(db):
    return UserFactory(username="administrator", roles=[Role.ADMINISTRATOR])


@pytest.fixture
def team(owner, teammate):
    return TeamFactory(name="Mobility accounts", members=[owner, teammate])


@pytest.fixture
def other_team(outsider):
    return TeamFactory(name="Finance accounts", members=[outsider])


@pytest.fixture
def account(owner, team):
    """A consumer organization owned by `owner`, shared with `teammate` through `team`."""
    return OrganizationFactory(name="Rentwheel Car Hire", owner=owner, team=team)


@pytest.fixture
def other_account(outsider, other_team):
    return OrganizationFactory(name="Northbank Savings", owner=outsider, team=other_team)


@pytest.fixture
def journey(account):
    return JourneyFactory(organization=account, name="Fleet booking platform")


@pytest.fixture
def sponsor(account):
    return StakeholderFactory(
        organization=account, name="Ana Ferreira", is_sponsor=True, is_user=False, influence=5, interest=4
    )


@pytest.fixture
def as_user(client):
    """The test client logged in as the given user: as_user(owner).get(...)."""

    def log_in(user):
        client.force_login(user)
        return client

    return log_in


@pytest.fixture
def client_as(client, request):
    """The test client as the named persona fixture, or logged out for "anonymous": client_as("desk")."""

    def make(persona):
        if persona != "anonymous":
            client.force_login(request.getfixturevalue(persona))
        return client

    return make


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def token_client():
    """An API client authenticated with the given user's token: token_client(user)."""

    def make(user):
        client = APIClient()
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make
