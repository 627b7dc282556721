"""Reads of the journey spine: every persona sees exactly the accounts it may, lists carry the right
summary, and the figures the dashboard shows match a hand-counted set of rows."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.utils import timezone

from journeys import roles, selectors
from journeys.auth import RoleLoadingModelBackend
from journeys.models import JourneyStatus, JourneyStep, Organization, OrganizationKind
from tests.factories.journeys import (
    JourneyFactory,
    OrganizationFactory,
    StakeholderFactory,
    TeamFactory,
    TouchpointFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def ago(**delta):
    return timezone.now() - timedelta(**delta)


def names(organizations):
    return [organization.name for organization in organizations]


# --- scoping --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        ("owner", {"Rentwheel Car Hire"}),
        ("teammate", {"Rentwheel Car Hire"}),
        ("outsider", {"Northbank Savings"}),
        ("desk", {"Rentwheel Car Hire", "Northbank Savings"}),
        ("analyst", {"Rentwheel Car Hire", "Northbank Savings"}),
        ("integrator", {"Rentwheel Car Hire", "Northbank Savings"}),
        ("administrator", {"Rentwheel Car Hire", "Northbank Savings"}),
    ],
)
def test_each_persona_sees_the_accounts_it_may(request, account, other_account, persona, visible):
    user = request.getfixturevalue(persona)

    assert set(names(selectors.organization_scope(user))) == visible
    assert selectors.organization_is_visible(user, account) == ("Rentwheel Car Hire" in visible)


def test_a_user_with_no_role_sees_no_account(account, other_account):
    nobody = UserFactory(username="nobody")

    assert not selectors.organization_scope(nobody).exists()
    assert not selectors.organization_is_visible(nobody, account)


def test_an_anonymous_visitor_sees_no_account(account):
    assert not selectors.organization_scope(AnonymousUser()).exists()
    assert not selectors.organization_is_visible(AnonymousUser(), account)


def test_a_teammate_sees_a_team_account_nobody_owns(teammate, team):
    unowned = OrganizationFactory(name="Orphan Freight", owner=None, team=team)

    assert unowned in selectors.organization_scope(teammate)
    assert selectors.organization_is_visible(teammate, unowned)


def test_an_owner_sees_their_account_outside_any_team(owner):
    solo = OrganizationFactory(name="Solo Transport", owner=owner, team=None)

    assert list(selectors.organization_scope(owner).filter(pk=solo.pk)) == [solo]
    assert selectors.organization_is_visible(owner, solo)


def test_an_account_the_owner_also_sees_through_the_team_is_listed_once(owner, account):
    assert selectors.organization_scope(owner).filter(pk=account.pk).count() == 1


# A request's user arrives from journeys.auth with the ids of their teams, and the scope names them
# rather than asking the database: the same accounts, whichever way.


def as_loaded(user):
    """The user as a request has them: loaded by the authentication backend with roles and teams."""
    return RoleLoadingModelBackend().get_user(user.pk)


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        ("owner", {"Rentwheel Car Hire"}),
        ("teammate", {"Rentwheel Car Hire"}),
        ("outsider", {"Northbank Savings"}),
        ("desk", {"Rentwheel Car Hire", "Northbank Savings"}),
        ("administrator", {"Rentwheel Car Hire", "Northbank Savings"}),
    ],
)
def test_each_persona_loaded_with_its_teams_sees_the_accounts_it_may(
    request, account, other_account, persona, visible
):
    user = as_loaded(request.getfixturevalue(persona))

    assert set(names(selectors.organization_scope(user))) == visible
    assert selectors.organization_is_visible(user, account) == ("Rentwheel Car Hire" in visible)
    if "Rentwheel Car Hire" in visible:
        assert selectors.organization_get(user=user, pk=account.pk) == account
    else:
        with pytest.raises(Http404):
            selectors.organization_get(user=user, pk=account.pk)


def test_a_user_arrives_with_the_ids_of_their_teams(owner, team, other_team):
    second = TeamFactory(name="Second team", members=[owner])

    assert roles.team_ids_of(as_loaded(owner)) == tuple(sorted([team.pk, second.pk]))


def test_a_manager_in_no_team_sees_only_the_accounts_they_own(account):
    loner = as_loaded(UserFactory(username="loner", roles=[roles.Role.RELATIONSHIP_MANAGER]))
    OrganizationFactory(name="Loner Logistics", owner=loner)

    assert roles.team_ids_of(loner) == ()
    assert names(selectors.organization_scope(loner)) == ["Loner Logistics"]


def test_the_scope_of_a_loaded_user_names_their_teams_instead_of_a_subquery(teammate, account):
    sql = str(selectors.organization_scope(as_loaded(teammate)).query)

    assert "journeys_team_members" not in sql


def test_a_loaded_teammate_gets_a_team_account_in_one_query(teammate, account, django_assert_num_queries):
    user = as_loaded(teammate)

    with django_assert_num_queries(1):
        assert selectors.organization_get(user=user, pk=account.pk) == account
        assert selectors.organization_is_visible(user, account)


def test_the_owner_gets_their_account(owner, account):
    assert selectors.organization_get(user=owner, pk=account.pk) == account


def test_an_outsider_gets_a_404_for_an_account(outsider, account):
    with pytest.raises(Http404):
        selectors.organization_get(user=outsider, pk=account.pk)


def test_an_account_that_does_not_exist_is_a_404(administrator):
    with pytest.raises(Http404):
        selectors.organization_get(user=administrator, pk=987654)


def test_an_outsider_gets_a_404_for_the_people_journeys_and_touchpoints_of_an_account(
    outsider, owner, account, journey, sponsor
):
    touchpoint = TouchpointFactory(organization=account)

    for getter, pk in (
        (selectors.stakeholder_get, sponsor.pk),
        (selectors.journey_get, journey.pk),
        (selectors.touchpoint_get, touchpoint.pk),
    ):
        assert getter(user=owner, pk=pk).pk == pk
        with pytest.raises(Http404):
            getter(user=outsider, pk=pk)


# --- organization_list ----------------------------------------------------------------------------


def test_the_list_finds_an_account_by_name_whatever_the_case(owner, account):
    OrganizationFactory(name="Harbour Logistics", owner=owner)

    assert names(selectors.organization_list(user=owner, search="rentWHEEL")) == ["Rentwheel Car Hire"]


def test_the_list_finds_an_account_by_its_external_id(owner, account):
    account.external_id = "SF-001"
    account.save()
    OrganizationFactory(name="Harbour Logistics", owner=owner, external_id="SF-002")

    assert names(selectors.organization_list(user=owner, search="sf-001")) == ["Rentwheel Car Hire"]


def test_the_list_search_never_shows_an_account_the_user_cannot_see(owner, account, other_account):
    assert names(selectors.organization_list(user=owner, search="Northbank")) == []


def test_the_list_filters_by_kind(owner, account):
    OrganizationFactory(name="Cloudfront Partners", owner=owner, kind=OrganizationKind.PARTNER)

    assert names(selectors.organization_list(user=owner, kind="partner")) == ["Cloudfront Partners"]
    assert names(selectors.organization_list(user=owner, kind="consumer")) == ["Rentwheel Car Hire"]


def test_an_unknown_kind_does_not_filter(owner, account):
    OrganizationFactory(name="Cloudfront Partners", owner=owner, kind=OrganizationKind.PARTNER)

    assert len(selectors.organization_list(user=owner, kind="competitor")) == 2


def test_the_list_filters_by_journey_step(owner, account, journey):
    harbour = OrganizationFactory(name="Harbour Logistics", owner=owner)
    JourneyFactory(organization=harbour, current_step=JourneyStep.AGREE)

    assert names(selectors.organization_list(user=owner, step="engage")) == ["Rentwheel Car Hire"]
    assert names(selectors.organization_list(user=owner, step="agree")) == ["Harbour Logistics"]
    assert names(selectors.organization_list(user=owner, step="realize")) == []


def test_the_list_shows_only_my_accounts_when_asked(teammate, owner, team, account):
    OrganizationFactory(name="Teammate Transport", owner=teammate, team=team)

    assert set(names(selectors.organization_list(user=teammate))) == {
        "Rentwheel Car Hire",
        "Teammate Transport",
    }
    assert names(selectors.organization_list(user=teammate, owner="me")) == ["Teammate Transport"]


def test_the_list_shows_accounts_without_an_owner(administrator, account):
    OrganizationFactory(name="Orphan Freight", owner=None)

    assert names(selectors.organization_list(user=administrator, owner="none")) == ["Orphan Freight"]
    assert names(selectors.organization_list(user=administrator, owner=str(account.owner_id))) == [
        "Rentwheel Car Hire"
    ]


def test_the_list_is_ordered_by_name_either_way(owner, account):
    OrganizationFactory(name="Alpine Rail", owner=owner)
    OrganizationFactory(name="Zephyr Ferries", owner=owner)

    assert names(selectors.organization_list(user=owner)) == [
        "Alpine Rail",
        "Rentwheel Car Hire",
        "Zephyr Ferries",
    ]
    assert names(selectors.organization_list(user=owner, ordering="-name")) == [
        "Zephyr Ferries",
        "Rentwheel Car Hire",
        "Alpine Rail",
    ]


def test_the_list_orders_by_last_change_newest_first(owner, account):
    alpine = OrganizationFactory(name="Alpine Rail", owner=owner)
    Organization.objects.filter(pk=account.pk).update(updated_at=ago(days=3))
    Organization.objects.filter(pk=alpine.pk).update(updated_at=ago(days=1))

    assert names(selectors.organization_list(user=owner, ordering="updated")) == [
        "Alpine Rail",
        "Rentwheel Car Hire",
    ]


def test_the_list_orders_by_last_touchpoint_with_silent_accounts_last(owner, account):
    alpine = OrganizationFactory(name="Alpine Rail", owner=owner)
    OrganizationFactory(name="Quiet Ltd", owner=owner)
    TouchpointFactory(organization=account, occurred_at=ago(days=5))
    TouchpointFactory(organization=alpine, occurred_at=ago(days=1))

    assert names(selectors.organization_list(user=owner, ordering="last_touchpoint")) == [
        "Alpine Rail",
        "Rentwheel Car Hire",
        "Quiet Ltd",
    ]


def test_an_unknown_ordering_falls_back_to_name(owner, account):
    OrganizationFactory(name="Alpine Rail", owner=owner)

    assert names(selectors.organization_list(user=owner, ordering="revenue")) == [
        "Alpine Rail",
        "Rentwheel Car Hire",
    ]


def test_the_list_shows_the_step_of_the_most_recently_moved_active_journey(owner, account):
    JourneyFactory(organization=account, current_step=JourneyStep.OFFER, step_entered_at=ago(days=20))
    JourneyFactory(organization=account, current_step=JourneyStep.ONBOARD, step_entered_at=ago(days=2))
    JourneyFactory(
        organization=account,
        current_step=JourneyStep.REALIZE,
        step_entered_at=ago(hours=1),
        status=JourneyStatus.LEFT,
    )

    [row] = selectors.organization_list(user=owner)

    assert row.journey_step == JourneyStep.ONBOARD


def test_the_list_counts_active_stakeholders_only(owner, account):
    StakeholderFactory.create_batch(3, organization=account)
    StakeholderFactory(organization=account, is_active=False)
    OrganizationFactory(name="Alpine Rail", owner=owner)

    rows = {row.name: row for row in selectors.organization_list(user=owner)}

    assert rows["Rentwheel Car Hire"].stakeholder_count == 3
    assert rows["Alpine Rail"].stakeholder_count == 0


def test_the_list_shows_the_moment_of_the_last_touchpoint(owner, account):
    latest = ago(hours=3)
    TouchpointFactory(organization=account, occurred_at=ago(days=4))
    TouchpointFactory(organization=account, occurred_at=latest)
    OrganizationFactory(name="Alpine Rail", owner=owner)

    rows = {row.name: row for row in selectors.organization_list(user=owner)}

    assert rows["Rentwheel Car Hire"].last_touchpoint_at == latest
    assert rows["Alpine Rail"].last_touchpoint_at is None
    assert rows["Alpine Rail"].journey_step is None


def build_portfolio(owner, team, size):
    for number in range(size):
        organization = OrganizationFactory(name=f"Account {number:02}", owner=owner, team=team)
        JourneyFactory(organization=organization)
        StakeholderFactory.create_batch(2, organization=organization)
        TouchpointFactory(organization=organization)


@pytest.mark.parametrize("size", [3, 30])
def test_the_list_runs_the_same_number_of_queries_for_3_and_30_accounts(
    owner, team, size, django_assert_num_queries
):
    build_portfolio(owner, team, size)

    # One query for the user's roles, one for the page.
    with django_assert_num_queries(2):
        rows = list(selectors.organization_list(user=owner, ordering="last_touchpoint"))
        shown = [
            (
                row.name,
                row.owner.username,
                row.team.name,
                row.journey_step,
                row.stakeholder_count,
                row.last_touchpoint_at,
            )
            for row in rows
        ]

    assert len(shown) == size
    assert all(row[3] == "engage" and row[4] == 2 and row[5] is not None for row in shown)


# --- portfolio_summary ----------------------------------------------------------------------------


@pytest.fixture
def hand_built_portfolio(owner, team, account, other_account):
    """The owner's consumer accounts: Rentwheel (journeys in engage and agree, one journey that left)
    and Harbour (one journey in engage); plus a partner of the owner and the outsider's account, which
    the owner's dashboard must not count."""
    harbour = OrganizationFactory(name="Harbour Logistics", owner=owner)
    partner = OrganizationFactory(name="Cloudfront Partners", owner=owner, kind=OrganizationKind.PARTNER)
    JourneyFactory(organization=account, current_step=JourneyStep.ENGAGE)
    JourneyFactory(organization=account, current_step=JourneyStep.AGREE)
    JourneyFactory(organization=account, current_step=JourneyStep.OFFER, status=JourneyStatus.LEFT)
    JourneyFactory(organization=harbour, current_step=JourneyStep.ENGAGE)
    JourneyFactory(organization=partner, current_step=JourneyStep.REALIZE)
    JourneyFactory(organization=other_account, current_step=JourneyStep.ONBOARD)

    TouchpointFactory(organization=account, occurred_at=ago(days=1), sentiment=2, moment_of_truth=True)
    TouchpointFactory(organization=account, occurred_at=ago(days=5), sentiment=-1)
    TouchpointFactory(organization=harbour, occurred_at=ago(days=29), sentiment=0, moment_of_truth=True)
    TouchpointFactory(organization=account, occurred_at=ago(days=31), sentiment=-2, moment_of_truth=True)
    TouchpointFactory(organization=partner, occurred_at=ago(days=1), sentiment=-2)
    TouchpointFactory(organization=other_account, occurred_at=ago(days=1), sentiment=-2, moment_of_truth=True)


def accounts_per_step(summary):
    return {row["step"].value: row["accounts"] for row in summary["steps"] if row["accounts"]}


def test_the_portfolio_summary_counts_my_consumer_accounts_by_the_step_of_their_latest_journey(
    owner, hand_built_portfolio
):
    summary = selectors.portfolio_summary(user=owner)

    # Rentwheel's agree journey moved last (its engage journey is older); Harbour is in engage.
    assert accounts_per_step(summary) == {"engage": 1, "agree": 1}
    assert summary["accounts"] == 2
    assert [row["step"] for row in summary["steps"]] == list(JourneyStep)


def test_the_portfolio_summary_aggregates_touchpoints_of_the_last_30_days(owner, hand_built_portfolio):
    summary = selectors.portfolio_summary(user=owner)

    assert summary["days"] == 30
    assert summary["volume"] == 3
    assert summary["average_sentiment"] == pytest.approx(1 / 3)
    assert summary["moments_of_truth"] == 2
    assert summary["negative"] == 1


def test_the_portfolio_summary_of_an_analyst_covers_every_consumer_account(analyst, hand_built_portfolio):
    summary = selectors.portfolio_summary(user=analyst)

    assert accounts_per_step(summary) == {"engage": 1, "agree": 1, "onboard": 1}
    assert summary["volume"] == 4
    assert summary["average_sentiment"] == pytest.approx(-1 / 4)
    assert summary["moments_of_truth"] == 3


def test_an_empty_portfolio_has_no_average_sentiment(owner):
    summary = selectors.portfolio_summary(user=owner)

    assert (summary["volume"], summary["average_sentiment"], summary["moments_of_truth"]) == (0, None, 0)
    assert accounts_per_step(summary) == {}


def test_the_portfolio_lists_my_consumer_accounts_only(owner, hand_built_portfolio):
    assert names(selectors.portfolio_for(user=owner)) == ["Harbour Logistics", "Rentwheel Car Hire"]


# --- one account ----------------------------------------------------------------------------------


def test_the_timeline_shows_the_accounts_touchpoints_newest_first(owner, account, other_account):
    oldest = TouchpointFactory(organization=account, occurred_at=ago(days=3), summary="Kick-off")
    newest = TouchpointFactory(organization=account, occurred_at=ago(hours=1), summary="Invoice query")
    middle = TouchpointFactory(organization=account, occurred_at=ago(days=1), summary="Site visit")
    TouchpointFactory(organization=other_account, occurred_at=ago(minutes=5), summary="Not ours")

    timeline = [row["id"] for row in selectors.touchpoint_timeline(user=owner, organization=account)]

    assert timeline == [newest.pk, middle.pk, oldest.pk]


def test_touchpoints_at_the_same_moment_show_the_last_logged_first(owner, account):
    moment = ago(hours=1)
    first = TouchpointFactory(organization=account, occurred_at=moment)
    second = TouchpointFactory(organization=account, occurred_at=moment)

    timeline = selectors.touchpoint_timeline(user=owner, organization=account)

    assert [row["id"] for row in timeline] == [second.pk, first.pk]


def test_an_outsider_cannot_read_an_accounts_timeline(outsider, account):
    TouchpointFactory(organization=account)

    with pytest.raises(Http404):
        selectors.touchpoint_timeline(user=outsider, organization=account)


def test_the_desk_reads_the_timeline_of_any_account(desk, account):
    touchpoint = TouchpointFactory(organization=account)

    assert [row["id"] for row in selectors.touchpoint_timeline(user=desk, organization=account)] == [
        touchpoint.pk
    ]


def test_the_stakeholder_list_puts_active_key_players_first(owner, account):
    StakeholderFactory(organization=account, name="Bea Monitor", influence=1, interest=1)
    StakeholderFactory(organization=account, name="Carl Former", influence=5, interest=5, is_active=False)
    StakeholderFactory(organization=account, name="Dana Key", influence=5, interest=4)
    StakeholderFactory(organization=account, name="Abe Key", influence=5, interest=4)
    StakeholderFactory(organization=account, name="Eve Satisfied", influence=5, interest=2)

    people = selectors.stakeholder_list_for_organization(user=owner, organization=account)

    assert [person.name for person in people] == [
        "Abe Key",
        "Dana Key",
        "Eve Satisfied",
        "Bea Monitor",
        "Carl Former",
    ]


def test_the_stakeholder_list_shows_each_persons_last_touchpoint(owner, account, sponsor):
    latest = ago(hours=2)
    TouchpointFactory(organization=account, stakeholder=sponsor, occurred_at=ago(days=9))
    TouchpointFactory(organization=account, stakeholder=sponsor, occurred_at=latest)
    silent = StakeholderFactory(organization=account, name="Silent Sam")

    people = {
        person.pk: person
        for person in selectors.stakeholder_list_for_organization(user=owner, organization=account)
    }

    assert people[sponsor.pk].last_touchpoint_at == latest
    assert people[silent.pk].last_touchpoint_at is None


def test_an_outsider_cannot_list_an_accounts_stakeholders(outsider, account, sponsor):
    with pytest.raises(Http404):
        selectors.stakeholder_list_for_organization(user=outsider, organization=account)


def test_the_journeys_of_an_account_list_active_ones_first(owner, account):
    left = JourneyFactory(
        organization=account, name="Old service", status=JourneyStatus.LEFT, step_entered_at=ago()
    )
    recent = JourneyFactory(organization=account, name="New service", step_entered_at=ago(days=1))
    older = JourneyFactory(organization=account, name="Core service", step_entered_at=ago(days=9))

    assert list(selectors.journey_list_for_organization(user=owner, organization=account)) == [
        recent,
        older,
        left,
    ]
    with pytest.raises(Http404):
        selectors.journey_list_for_organization(user=UserFactory(username="nobody"), organization=account)


def test_the_step_history_of_a_journey_reads_in_order(owner, outsider, journey):
    from journeys import services

    services.journey_move(actor=owner, journey=journey, to_step=JourneyStep.OFFER)
    services.journey_move(actor=owner, journey=journey, to_step=JourneyStep.ENGAGE)

    history = selectors.journey_step_history(user=owner, journey=journey)

    assert [(change.from_step, change.to_step) for change in history] == [
        ("", "engage"),
        ("engage", "offer"),
        ("offer", "engage"),
    ]
    with pytest.raises(Http404):
        selectors.journey_step_history(user=outsider, journey=journey)


# --- journeys_in_step -----------------------------------------------------------------------------


def test_journeys_in_a_step_list_the_longest_waiting_first(owner, account):
    harbour = OrganizationFactory(name="Harbour Logistics", owner=owner)
    recent = JourneyFactory(organization=account, current_step=JourneyStep.AGREE, step_entered_at=ago(days=2))
    longest = JourneyFactory(
        organization=harbour, current_step=JourneyStep.AGREE, step_entered_at=ago(days=40)
    )
    middle = JourneyFactory(
        organization=account, current_step=JourneyStep.AGREE, step_entered_at=ago(days=10)
    )
    JourneyFactory(
        organization=account,
        current_step=JourneyStep.AGREE,
        status=JourneyStatus.LEFT,
        step_entered_at=ago(days=90),
    )
    JourneyFactory(organization=account, current_step=JourneyStep.OFFER, step_entered_at=ago(days=60))

    assert list(selectors.journeys_in_step(user=owner, step="agree")) == [longest, middle, recent]


def test_journeys_in_a_step_are_scoped_to_the_user(owner, desk, account, other_account):
    mine = JourneyFactory(organization=account, current_step=JourneyStep.AGREE)
    theirs = JourneyFactory(organization=other_account, current_step=JourneyStep.AGREE)

    assert list(selectors.journeys_in_step(user=owner, step="agree")) == [mine]
    assert set(selectors.journeys_in_step(user=desk, step="agree")) == {mine, theirs}


def test_journeys_in_a_step_show_their_last_touchpoint(owner, account, journey):
    latest = ago(hours=5)
    TouchpointFactory(organization=account, journey=journey, occurred_at=latest)
    TouchpointFactory(organization=account, journey=journey, occurred_at=ago(days=3))

    [row] = selectors.journeys_in_step(user=owner, step="engage")

    assert row.last_touchpoint_at == latest


def test_an_unknown_step_is_a_404(owner):
    with pytest.raises(Http404):
        selectors.journeys_in_step(user=owner, step="negotiate")


# --- touchpoint figures ---------------------------------------------------------------------------


def test_the_step_summary_counts_the_users_touchpoints_in_that_step(owner, account, other_account):
    TouchpointFactory(organization=account, step=JourneyStep.AGREE, sentiment=2, moment_of_truth=True)
    TouchpointFactory(organization=account, step=JourneyStep.AGREE, sentiment=-1)
    TouchpointFactory(organization=account, step=JourneyStep.AGREE, occurred_at=ago(days=91))
    TouchpointFactory(organization=account, step=JourneyStep.OFFER)
    TouchpointFactory(organization=other_account, step=JourneyStep.AGREE, sentiment=-2)

    summary = selectors.step_touchpoint_summary(user=owner, step="agree")

    assert summary["volume"] == 2
    assert summary["average_sentiment"] == pytest.approx(0.5)
    assert summary["moments_of_truth"] == 1


def test_the_recent_touchpoints_are_the_users_newest(owner, account, other_account):
    older = TouchpointFactory(organization=account, occurred_at=ago(days=2))
    newer = TouchpointFactory(organization=account, occurred_at=ago(hours=1))
    TouchpointFactory(organization=other_account, occurred_at=ago(minutes=1))

    assert list(selectors.touchpoint_recent(user=owner)) == [newer, older]
    assert list(selectors.touchpoint_recent(user=owner, limit=1)) == [newer]
