"""Reading agreements: the list with its figures counted by the database in one query whatever its
length, its filters, the agreement's page with its moves and what stops them, the relationship-type
warnings, and the change history as people read it; only for those who may see the account."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agreements.models import Agreement
from agreements.selectors import (
    account_agreements,
    agreement_get,
    agreement_history,
    agreement_kind_warnings,
    agreement_list,
    agreement_page,
    agreement_transition_options,
)
from agreements.services import agreement_create, agreement_transition, agreement_update, target_update
from tests.factories.agreements import (
    AgreementFactory,
    BusinessCalendarFactory,
    ScorecardFactory,
    ServiceLevelTargetFactory,
    TargetScoreFactory,
)
from tests.factories.journeys import StakeholderFactory
from tests.factories.offerings import ServiceOfferingFactory
from tests.factories.relationships import ServiceRelationshipFactory

pytestmark = pytest.mark.django_db


def titles(rows) -> list[str]:
    return [agreement.title for agreement in rows]


@pytest.fixture
def fleet(account, owner):
    return AgreementFactory(organization=account, title="Fleet SLA", owner=owner, status="active")


# --- the list ---------------------------------------------------------------------------------------


def test_the_list_holds_what_the_user_may_see(owner, outsider, administrator, account, other_account, fleet):
    AgreementFactory(organization=other_account, title="Savings SLA")

    assert titles(agreement_list(user=owner)) == ["Fleet SLA"]
    assert titles(agreement_list(user=outsider)) == ["Savings SLA"]
    assert titles(agreement_list(user=administrator)) == ["Savings SLA", "Fleet SLA"]
    with pytest.raises(Http404):
        agreement_list(user=outsider, organization=account)


def test_the_list_carries_the_latest_compliance_and_the_target_counts(owner, fleet):
    today = timezone.localdate()
    ScorecardFactory(agreement=fleet, month=date(2025, 11, 1), compliance_pct=Decimal("80.0"))
    ScorecardFactory(agreement=fleet, month=date(2025, 12, 1), compliance_pct=Decimal("95.5"))
    ScorecardFactory(agreement=fleet, month=date(2026, 1, 1), compliance_pct=None, targets_measured=0)
    breached = ServiceLevelTargetFactory(agreement=fleet)
    TargetScoreFactory(target=breached, status="breached")
    old = ServiceLevelTargetFactory(agreement=fleet)
    TargetScoreFactory(
        target=old, status="breached", period_start=date(2020, 1, 1), period_end=date(2020, 1, 31)
    )
    ServiceLevelTargetFactory(agreement=fleet, is_active=False)

    row = agreement_list(user=owner, today=today).get()

    assert (row.compliance_pct, row.compliance_month) == (Decimal("95.5"), date(2025, 12, 1))
    assert (row.active_targets, row.breached_targets) == (2, 1)


def test_an_agreement_without_figures_counts_zero(owner, fleet):
    row = agreement_list(user=owner).get()

    assert (row.compliance_pct, row.active_targets, row.breached_targets) == (None, 0, 0)


def test_the_list_filters_by_status_kind_offering_and_search(owner, account, fleet):
    offering = ServiceOfferingFactory(status="published")
    AgreementFactory(
        organization=account,
        title="Kiosk XLA",
        kind="experience_based",
        reference="K-7",
        offerings=[offering],
    )

    assert titles(agreement_list(user=owner, status="active")) == ["Fleet SLA"]
    assert titles(agreement_list(user=owner, kind="experience_based")) == ["Kiosk XLA"]
    assert titles(agreement_list(user=owner, offering=offering)) == ["Kiosk XLA"]
    assert titles(agreement_list(user=owner, search="k-7")) == ["Kiosk XLA"]
    assert titles(agreement_list(user=owner, search="rentwheel")) == ["Fleet SLA", "Kiosk XLA"]


@pytest.mark.parametrize("size", [1, 5])
def test_the_list_is_one_query_whatever_its_length(owner, account, size, django_assert_num_queries):
    for number in range(size):
        agreement = AgreementFactory(organization=account, owner=owner)
        ServiceLevelTargetFactory(agreement=agreement)
        ScorecardFactory(agreement=agreement)
    owner.groups.all()  # roles are loaded with the request's user in the app

    with django_assert_num_queries(2):  # the user's roles, then the rows
        rows = list(agreement_list(user=owner))
    assert len(rows) == size
    with django_assert_num_queries(0):
        assert all(row.organization.name and row.owner.username for row in rows)


def test_the_accounts_agreements_put_live_ones_first(owner, account):
    AgreementFactory(organization=account, title="A old", status="expired")
    AgreementFactory(organization=account, title="B draft", status="draft")
    AgreementFactory(organization=account, title="C live", status="active")

    assert titles(account_agreements(user=owner, organization=account)) == ["C live", "B draft", "A old"]


def test_one_agreement_is_404_for_outsiders(owner, outsider, fleet):
    assert agreement_get(user=owner, pk=fleet.pk) == fleet
    with pytest.raises(Http404):
        agreement_get(user=outsider, pk=fleet.pk)
    with pytest.raises(Http404):
        agreement_get(user=owner, pk=fleet.pk + 1000)


# --- warnings and moves -----------------------------------------------------------------------------


def test_an_unusual_kind_for_the_relationship_type_warns(account):
    assert agreement_kind_warnings(organization=account, kind="outcome_based") == []

    ServiceRelationshipFactory(organization=account, current_type="basic")
    warnings = agreement_kind_warnings(organization=account, kind="outcome_based")

    assert len(warnings) == 1 and warnings[0].startswith(
        "Outcome-based agreement is unusual in a basic relationship"
    )
    assert agreement_kind_warnings(organization=account, kind="sla") == []


def test_the_moves_say_what_stops_them(owner, analyst, account):
    agreement = AgreementFactory(organization=account, status="negotiating", starts_on=None)
    today = timezone.localdate()

    options = agreement_transition_options(user=owner, agreement=agreement, today=today)

    assert [(option.status.value, option.label, option.available) for option in options] == [
        ("agreed", "Mark as agreed", False),
        ("draft", "Back to draft", True),
        ("terminated", "Terminate…", True),
    ]
    assert options[0].blockers == [
        "Add a target before it can be agreed.",
        "Set the start date before it can be agreed.",
    ]
    assert agreement_transition_options(user=analyst, agreement=agreement, today=today) == []


# --- the page and its history -----------------------------------------------------------------------


def test_the_page_holds_targets_with_their_score_reviews_and_warnings(owner, account, fleet):
    ServiceRelationshipFactory(organization=account, current_type="partnership")
    measured = ServiceLevelTargetFactory(agreement=fleet, name="Availability")
    ServiceLevelTargetFactory(agreement=fleet, name="Old metric", is_active=False)
    TargetScoreFactory(target=measured, status="at_risk", achieved_value=Decimal("99.6000"))
    Agreement.objects.filter(pk=fleet.pk).update(next_review_on=timezone.localdate() - timedelta(days=2))
    fleet.refresh_from_db()

    page = agreement_page(user=owner, agreement=fleet)

    assert [(row.target.name, row.status, row.achieved, row.warning) for row in page.targets] == [
        ("Availability", "at_risk", "99.6 %", "≥ 99.7 %"),
        ("Old metric", "no_data", "", "≥ 99.7 %"),
    ]
    assert page.active_target_count == 1
    assert page.review_overdue and not page.review_soon
    assert page.warnings  # an SLA is unusual in a partnership
    assert [option.status for option in page.transitions] == ["expired", "terminated"]


def test_the_page_costs_the_same_queries_whatever_the_number_of_targets_and_changes(
    owner, teammate, account, sponsor
):
    counts = []
    for size in (1, 4):
        agreement = agreement_create(
            actor=owner, organization=account, title=f"SLA {size}", form="agreement_based", kind="sla"
        )
        calendar = BusinessCalendarFactory()
        for number in range(size):
            target = ServiceLevelTargetFactory(agreement=agreement, calendar=calendar)
            TargetScoreFactory(target=target)
            target_update(
                actor=owner, target=target, name=f"Target {number}", calendar=BusinessCalendarFactory()
            )
            agreement_update(actor=owner, agreement=agreement, title=f"SLA {size}.{number}")
        agreement_update(actor=owner, agreement=agreement, owner=teammate, customer_contact=sponsor)
        agreement = agreement_get(user=owner, pk=agreement.pk, for_page=True)
        with CaptureQueriesContext(connection) as captured:
            agreement_page(user=owner, agreement=agreement)
        counts.append(len(captured))
    # Targets with their scores, offerings, reviews, and each history's records with the names they
    # mention; the relationship type came with the agreement.
    assert counts == [5, 5]


def test_the_agreement_for_its_page_carries_the_relationship_type(owner, account, fleet):
    assert agreement_get(user=owner, pk=fleet.pk, for_page=True).relationship_type is None

    ServiceRelationshipFactory(organization=account, current_type="partnership")

    assert agreement_get(user=owner, pk=fleet.pk, for_page=True).relationship_type == "partnership"
    page = agreement_page(user=owner, agreement=agreement_get(user=owner, pk=fleet.pk, for_page=True))
    assert page.warnings == agreement_kind_warnings(organization=account, kind="sla") != []


def test_the_history_says_who_changed_what_from_what_to_what(owner, teammate, account, sponsor):
    agreement = agreement_create(
        actor=owner,
        organization=account,
        title="Fleet SLA",
        form="agreement_based",
        kind="sla",
        starts_on=date(2026, 1, 1),
    )
    agreement_update(actor=teammate, agreement=agreement, kind="outcome_based", customer_contact=sponsor)
    target = ServiceLevelTargetFactory(agreement=agreement, name="Availability")
    target_update(actor=owner, target=target, target_value=Decimal("99.0"))
    agreement_transition(actor=owner, agreement=agreement, to_status="negotiating")

    entries = agreement_history(user=owner, agreement=agreement)

    readable = [
        (entry.who, entry.subject, entry.action, [(c.label, c.old, c.new) for c in entry.changes])
        for entry in entries
    ]
    owner_name = owner.get_full_name()
    assert readable[0] == (owner_name, "Agreement", "changed", [("Status", "Draft", "Negotiating")])
    assert readable[1] == (owner_name, "Target “Availability”", "changed", [("Target", "99.5", "99")])
    assert readable[2] == ("DSV (automatic)", "Target “Availability”", "created", [])
    assert readable[3][0] == teammate.get_full_name()
    assert sorted(readable[3][3]) == [
        ("Customer contact", "—", "Ana Ferreira"),
        ("Kind", "Service level agreement (SLA)", "Outcome-based agreement"),
    ]
    assert readable[4] == (owner_name, "Agreement", "created", [])


def test_the_history_is_bounded_to_the_newest_changes(owner, account):
    agreement = agreement_create(
        actor=owner, organization=account, title="SLA 0", form="agreement_based", kind="sla"
    )
    for number in range(1, 6):
        agreement_update(actor=owner, agreement=agreement, title=f"SLA {number}")

    entries = agreement_history(user=owner, agreement=agreement, limit=3)

    assert [(c.old, c.new) for entry in entries for c in entry.changes] == [
        ("SLA 4", "SLA 5"),
        ("SLA 3", "SLA 4"),
        ("SLA 2", "SLA 3"),
    ]


def test_a_bounded_history_still_compares_a_targets_oldest_change_with_the_one_before(owner, account):
    agreement = AgreementFactory(organization=account)
    target = ServiceLevelTargetFactory(agreement=agreement, name="T0")
    for number in range(1, 5):
        target_update(actor=owner, target=target, name=f"T{number}")

    entries = agreement_history(user=owner, agreement=agreement, limit=2)

    assert [(c.old, c.new) for entry in entries for c in entry.changes] == [("T3", "T4"), ("T2", "T3")]
    assert [entry.subject for entry in entries] == ["Target “T4”", "Target “T3”"]


def test_the_history_names_people_and_calendars_even_once_removed(owner, account):
    agreement = AgreementFactory(organization=account)
    first, second = BusinessCalendarFactory(name="Office NL"), BusinessCalendarFactory(name="Office DE")
    target = ServiceLevelTargetFactory(agreement=agreement, calendar=first)
    target_update(actor=owner, target=target, calendar=second)
    contact = StakeholderFactory(organization=account, name="Piet")
    agreement_update(actor=owner, agreement=agreement, customer_contact=contact)
    contact.delete()

    changes = {
        c.label: (c.old, c.new)
        for entry in agreement_history(user=owner, agreement=agreement)
        for c in entry.changes
    }

    assert changes["Calendar"] == ("Office NL", "Office DE")
    assert changes["Customer contact"] == ("—", "(removed)")


def test_the_history_is_404_for_outsiders(outsider, fleet):
    with pytest.raises(Http404):
        agreement_history(user=outsider, agreement=fleet)
