"""Communication plan adherence, computed in the database, checked by hand on fixed dates.

Today is 31 March 2026 throughout; the look-back window reaches 180 days back, to 2 October 2025, or
to the plan's start when that is later."""

from datetime import date, datetime, time

import pytest
from django.http import Http404
from django.utils import timezone

from journeys.roles import roles_of
from relationships.selectors import (
    communication_plan_list,
    communication_plans_for_organization,
    communication_plans_overdue,
    relationship_panel,
)
from tests.factories.journeys import StakeholderFactory, TouchpointFactory
from tests.factories.relationships import CommunicationPlanFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 31)


def contact(person, day: date, channel: str = "email"):
    moment = datetime.combine(day, time(12, 0), tzinfo=timezone.get_current_timezone())
    return TouchpointFactory(
        organization=person.organization, stakeholder=person, channel=channel, occurred_at=moment
    )


def row_of(rows, name):
    return next(row for row in rows if row.stakeholder.name == name)


@pytest.fixture
def people(account):
    """Six people with plans, one without, one inactive; the figures below are worked out by hand."""
    made = {}

    def person(name, influence=3, **plan):
        made[name] = someone = StakeholderFactory(organization=account, name=name, influence=influence)
        if plan:
            CommunicationPlanFactory(stakeholder=someone, **plan)
        return someone

    # Monthly by e-mail for over a year: 180 days ÷ 30 = 6 expected; 4 contacts in the window (one
    # before it does not count), 3 of them by e-mail; last on 20 March, next due 19 April.
    anna = person("Anna", cadence_days=30, preferred_channel="email", starts_on=date(2025, 1, 1))
    contact(anna, date(2025, 9, 30))
    contact(anna, date(2025, 11, 10))
    contact(anna, date(2026, 1, 5), "video_call")
    contact(anna, date(2026, 2, 5))
    contact(anna, date(2026, 3, 20))
    # Weekly by phone since 1 March, never called: 30 days → ⌈30 ÷ 7⌉ = 5 expected; due 8 March, overdue.
    person("Bert", cadence_days=7, preferred_channel="telephone", starts_on=date(2026, 3, 1))
    # Quarterly: ⌈180 ÷ 91⌉ = 2 expected, one contact (1 December) → 50 %; due 2 March, overdue.
    cleo = person("Cleo", cadence_days=91, preferred_channel="telephone", starts_on=date(2025, 6, 1))
    contact(cleo, date(2025, 12, 1), "telephone")
    # Starts in April: no adherence yet; first contact due 24 April.
    person("Dana", cadence_days=14, preferred_channel="email", starts_on=date(2026, 4, 10))
    # Twice a year: 1 expected, 3 contacts → capped at 100 %; next due 10 March + 182 = 8 September.
    eli = person("Eli", cadence_days=182, preferred_channel="in_person", starts_on=date(2025, 1, 1))
    for day in (date(2026, 1, 10), date(2026, 2, 10), date(2026, 3, 10)):
        contact(eli, day, "in_person")
    # Plan started 20 March, last contact before it: 11 days → 1 expected, none in the window; the
    # next contact is due a cadence after the start (19 April), not after the old contact.
    fay = person("Fay", influence=4, cadence_days=30, preferred_channel="email", starts_on=date(2026, 3, 20))
    contact(fay, date(2026, 2, 1))
    # No plan: listed last, with the last contact all the same. A future touchpoint does not count.
    gus = person("Gus", influence=5)
    contact(gus, date(2026, 3, 1))
    contact(gus, date(2026, 4, 5))
    StakeholderFactory(organization=account, name="Hal", is_active=False)
    return made


def test_the_figures_of_each_plan_match_the_hand_count(owner, account, people):
    rows = communication_plans_for_organization(user=owner, organization=account, today=TODAY)

    anna = row_of(rows, "Anna").figures
    assert (anna.window_start, anna.expected_contacts, anna.contacts, anna.contacts_on_channel) == (
        date(2025, 10, 2),
        6,
        4,
        3,
    )
    assert anna.adherence == pytest.approx(4 / 6)
    assert anna.adherence_percent == 67
    assert anna.channel_share == pytest.approx(0.75)
    assert anna.last_contact_at.date() == date(2026, 3, 20)
    assert (anna.next_due, anna.overdue) == (date(2026, 4, 19), False)

    bert = row_of(rows, "Bert").figures
    assert (bert.expected_contacts, bert.contacts, bert.adherence, bert.channel_share) == (5, 0, 0.0, None)
    assert (bert.last_contact_at, bert.next_due, bert.overdue) == (None, date(2026, 3, 8), True)

    cleo = row_of(rows, "Cleo").figures
    assert (cleo.expected_contacts, cleo.contacts, cleo.adherence, cleo.channel_share) == (2, 1, 0.5, 1.0)
    assert (cleo.next_due, cleo.overdue) == (date(2026, 3, 2), True)

    dana = row_of(rows, "Dana").figures
    assert (dana.adherence, dana.adherence_percent, dana.next_due, dana.overdue) == (
        None,
        None,
        date(2026, 4, 24),
        False,
    )

    eli = row_of(rows, "Eli").figures
    assert (eli.expected_contacts, eli.contacts, eli.adherence) == (1, 3, 1.0)
    assert eli.next_due == date(2026, 9, 8)

    fay = row_of(rows, "Fay").figures
    assert (fay.window_start, fay.expected_contacts, fay.contacts, fay.adherence) == (
        date(2026, 3, 20),
        1,
        0,
        0.0,
    )
    assert fay.last_contact_at.date() == date(2026, 2, 1)
    assert (fay.next_due, fay.overdue) == (date(2026, 4, 19), False)

    gus = row_of(rows, "Gus")
    assert gus.plan is None
    assert gus.last_contact_at.date() == date(2026, 3, 1)
    assert gus.is_key


def test_overdue_plans_come_first_then_plans_by_due_date_then_people_without_a_plan(owner, account, people):
    rows = communication_plans_for_organization(user=owner, organization=account, today=TODAY)

    # Fay and Anna are due the same day: the more influential first.
    assert [row.stakeholder.name for row in rows] == ["Cleo", "Bert", "Fay", "Anna", "Dana", "Eli", "Gus"]
    assert [row.overdue for row in rows] == [True, True, False, False, False, False, False]


def test_the_plan_list_carries_the_same_figures(owner, account, people):
    plans = {
        plan.stakeholder.name: plan.adherence_figures
        for plan in communication_plan_list(user=owner, organization=account, today=TODAY)
    }

    assert set(plans) == {"Anna", "Bert", "Cleo", "Dana", "Eli", "Fay"}
    assert (plans["Anna"].contacts, plans["Anna"].expected_contacts, plans["Anna"].next_due) == (
        4,
        6,
        date(2026, 4, 19),
    )
    assert [name for name, plan in sorted(plans.items()) if plan.overdue] == ["Bert", "Cleo"]


def test_the_database_finds_the_same_overdue_plans_as_the_figures(owner, account, people):
    plans = communication_plan_list(user=owner, organization=account, today=TODAY)

    overdue = communication_plans_overdue(plans, today=TODAY)
    on_time = communication_plans_overdue(plans, overdue=False, today=TODAY)

    assert sorted(plan.stakeholder.name for plan in overdue) == ["Bert", "Cleo"]
    assert sorted(plan.stakeholder.name for plan in on_time) == ["Anna", "Dana", "Eli", "Fay"]
    assert all(plan.adherence_figures.overdue for plan in overdue)


def test_a_plan_is_overdue_from_the_day_after_its_next_contact_was_due(owner, account, people):
    # Anna's next contact is due on 19 April: not overdue that day, overdue the day after.
    plans = communication_plan_list(user=owner, organization=account).filter(stakeholder__name="Anna")

    assert not communication_plans_overdue(plans, today=date(2026, 4, 19)).exists()
    assert communication_plans_overdue(plans, today=date(2026, 4, 20)).exists()


def test_the_panel_counts_plans_and_overdue_ones(owner, account, people):
    panel = relationship_panel(user=owner, organization=account, today=TODAY)

    assert (panel["plans"], panel["overdue_plans"]) == (6, 2)


def test_the_figures_take_one_query_whatever_the_number_of_people_and_contacts(
    owner, account, django_assert_num_queries
):
    def grow(count):
        for index in range(count):
            someone = StakeholderFactory(organization=account, influence=4)
            CommunicationPlanFactory(stakeholder=someone, starts_on=date(2025, 1, 1))
            contact(someone, date(2026, 3, 1 + index % 28))

    roles_of(owner)  # a request loads the roles with the user; here they are loaded once up front
    grow(2)
    with django_assert_num_queries(1):
        assert len(communication_plans_for_organization(user=owner, organization=account, today=TODAY)) == 2
    grow(10)
    with django_assert_num_queries(1):
        assert len(communication_plans_for_organization(user=owner, organization=account, today=TODAY)) == 12


def test_an_outsider_cannot_read_the_plans(outsider, account):
    with pytest.raises(Http404):
        communication_plans_for_organization(user=outsider, organization=account)
    assert not communication_plan_list(user=outsider).exists()
