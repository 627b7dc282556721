"""Adding and changing service level targets: the warning threshold on the side where the target is
still met, an aspect for warranty only, a baseline for outcomes, a clock with its limit, active
calendars, finite numbers; bad input names its field and saves nothing; targets of live agreements
change (each version kept), those of ended agreements do not."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from agreements.models import Agreement, ServiceLevelTarget
from agreements.services import target_create, target_set_active, target_update
from journeys.base import ApplicationError
from tests.factories.agreements import AgreementFactory, BusinessCalendarFactory, ServiceLevelTargetFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreement(account, owner):
    return AgreementFactory(organization=account, owner=owner, title="Fleet booking SLA")


def add(actor, agreement, **overrides):
    fields = {
        "name": "Availability of the booking portal",
        "kind": "warranty",
        "warranty_aspect": "availability",
        "unit": "%",
        "comparator": "gte",
        "target_value": Decimal("99.5"),
        "warning_threshold": Decimal("99.7"),
    } | overrides
    return target_create(actor=actor, agreement=agreement, **fields)


def refused(actor, agreement, **overrides) -> dict:
    with pytest.raises(ApplicationError) as caught:
        add(actor, agreement, **overrides)
    assert not ServiceLevelTarget.objects.exists()
    return caught.value.fields


def test_a_target_is_added_after_the_others_with_its_rule(owner, agreement):
    ServiceLevelTargetFactory(agreement=agreement, position=3)
    calendar = BusinessCalendarFactory(name="Office hours NL")

    target = add(owner, agreement, calendar=calendar, metric=" % of service hours up ", period="quarter")

    assert (target.position, target.rule, target.metric, target.calendar) == (
        4,
        "≥ 99.5 %",
        "% of service hours up",
        calendar,
    )
    assert target.history.get().history_user == owner


def test_a_warning_below_an_at_least_target_is_refused_with_the_rule_in_words(owner, agreement):
    fields = refused(owner, agreement, warning_threshold=Decimal("99.0"))

    assert fields == {
        "warning_threshold": [
            "For “at least 99.5 %” the warning threshold must be above 99.5: it should warn before the "
            "target is missed."
        ]
    }


def test_a_warning_equal_to_the_target_is_refused(owner, agreement):
    assert set(refused(owner, agreement, warning_threshold=Decimal("99.5"))) == {"warning_threshold"}


def test_an_at_most_target_warns_below_it(owner, agreement):
    fields = refused(
        owner,
        agreement,
        name="Response time",
        warranty_aspect="performance",
        unit="ms",
        comparator="lte",
        target_value=Decimal("200"),
        warning_threshold=Decimal("250"),
    )
    assert fields["warning_threshold"] == [
        "For “at most 200 ms” the warning threshold must be below 200: "
        "it should warn before the target is missed."
    ]

    target = add(
        owner,
        agreement,
        name="Response time",
        warranty_aspect="performance",
        unit="ms",
        comparator="lt",
        target_value=Decimal("200"),
        warning_threshold=Decimal("180"),
    )
    assert target.rule == "< 200 ms"


def test_an_exactly_target_has_no_warning(owner, agreement):
    fields = refused(
        owner, agreement, comparator="eq", target_value=Decimal("1"), warning_threshold=Decimal("2")
    )

    assert fields == {
        "warning_threshold": [
            "A target of “exactly 1 %” is either met or missed: leave the warning threshold empty."
        ]
    }


def test_warranty_needs_its_aspect_and_the_others_have_none(owner, agreement):
    assert set(refused(owner, agreement, warranty_aspect="")) == {"warranty_aspect"}
    assert refused(owner, agreement, kind="experience") == {
        "warranty_aspect": ["Only warranty targets have a warranty aspect: leave it empty for experience."]
    }


def test_an_outcome_needs_its_baseline(owner, agreement):
    fields = refused(owner, agreement, kind="outcome", warranty_aspect="", baseline=None)
    assert set(fields) == {"baseline"}

    target = add(
        owner, agreement, kind="outcome", warranty_aspect="", baseline=Decimal("12"), name="Bookings per day"
    )
    assert target.baseline == Decimal("12")


def test_a_clock_needs_a_positive_limit_and_a_limit_needs_a_clock(owner, agreement):
    assert set(refused(owner, agreement, clock="response")) == {"clock_limit_hours"}
    assert set(refused(owner, agreement, clock="response", clock_limit_hours=Decimal("0"))) == {
        "clock_limit_hours"
    }
    assert set(refused(owner, agreement, clock_limit_hours=Decimal("8"))) == {"clock"}

    target = add(
        owner, agreement, clock="resolution", clock_limit_hours=Decimal("8"), name="Requests resolved"
    )
    assert (target.clock, target.clock_limit_hours) == ("resolution", Decimal("8"))


@pytest.mark.parametrize("value", ["NaN", "Infinity", "lots", True, "1e20"])
def test_numbers_must_be_finite_and_fit(owner, agreement, value):
    assert set(refused(owner, agreement, target_value=value, warning_threshold=None)) == {"target_value"}


def test_unknown_choices_name_their_fields(owner, agreement):
    fields = refused(owner, agreement, kind="speed", comparator="about", period="week", aggregation="median")

    assert set(fields) >= {"kind", "comparator", "period", "aggregation"}


def test_a_retired_calendar_is_refused(owner, agreement):
    retired = BusinessCalendarFactory(name="Old hours", is_active=False)

    assert refused(owner, agreement, calendar=retired) == {
        "calendar": ["“Old hours” is no longer in use: choose an active calendar."]
    }


def test_a_target_keeps_a_calendar_retired_after_it_was_chosen(owner, agreement):
    calendar = BusinessCalendarFactory()
    target = ServiceLevelTargetFactory(agreement=agreement, calendar=calendar)
    calendar.is_active = False
    calendar.save()

    updated = target_update(actor=owner, target=target, name="Renamed")

    assert (updated.name, updated.calendar) == ("Renamed", calendar)


def test_targets_of_an_active_agreement_change_and_every_version_is_kept(owner, agreement):
    Agreement.objects.filter(pk=agreement.pk).update(status="active")
    target = ServiceLevelTargetFactory(agreement=agreement)

    updated = target_update(
        actor=owner, target=target, target_value=Decimal("99.8"), warning_threshold=Decimal("99.9")
    )

    assert updated.rule == "≥ 99.8 %"
    assert target.history.count() == 2
    assert target.history.first().history_user == owner


def test_an_update_is_checked_as_a_whole(owner, agreement):
    target = ServiceLevelTargetFactory(agreement=agreement)

    with pytest.raises(ApplicationError) as caught:
        target_update(actor=owner, target=target, target_value=Decimal("99.9"))

    assert set(caught.value.fields) == {"warning_threshold"}
    target.refresh_from_db()
    assert target.target_value == Decimal("99.5")


def test_an_unchanged_update_writes_nothing_and_activation_is_not_an_edit(owner, agreement):
    target = ServiceLevelTargetFactory(agreement=agreement)

    target_update(actor=owner, target=target, target_value=Decimal("99.5000"))
    assert target.history.count() == 1

    with pytest.raises(ApplicationError) as caught:
        target_update(actor=owner, target=target, is_active=False)
    assert list(caught.value.fields) == ["is_active"]


@pytest.mark.parametrize("status", ["expired", "terminated"])
def test_the_targets_of_an_ended_agreement_no_longer_change(owner, agreement, status):
    target = ServiceLevelTargetFactory(agreement=agreement)
    Agreement.objects.filter(pk=agreement.pk).update(status=status)

    for change in (
        lambda: add(owner, agreement),
        lambda: target_update(actor=owner, target=target, name="Renamed"),
        lambda: target_set_active(actor=owner, target=target, active=False),
    ):
        with pytest.raises(ApplicationError) as caught:
            change()
        assert caught.value.status == 409
    target.refresh_from_db()
    assert (target.name, target.is_active, ServiceLevelTarget.objects.count()) == (target.name, True, 1)


def test_a_target_is_switched_off_and_on(owner, agreement):
    target = ServiceLevelTargetFactory(agreement=agreement)

    assert target_set_active(actor=owner, target=target, active=False).is_active is False
    assert target_set_active(actor=owner, target=target, active=True).is_active is True
    assert target.history.count() == 3


@pytest.mark.parametrize("status", ["agreed", "active"])
def test_a_live_agreement_keeps_one_active_target(owner, agreement, status):
    target = ServiceLevelTargetFactory(agreement=agreement)
    Agreement.objects.filter(pk=agreement.pk).update(status=status)

    with pytest.raises(ApplicationError) as caught:
        target_set_active(actor=owner, target=target, active=False)

    assert (caught.value.status, caught.value.code) == (409, "last_active_target")
    ServiceLevelTargetFactory(agreement=agreement)
    assert target_set_active(actor=owner, target=target, active=False).is_active is False


def test_targets_are_refused_to_outsiders_and_readers(outsider, analyst, agreement):
    with pytest.raises(Http404):
        add(outsider, agreement)
    with pytest.raises(PermissionDenied):
        add(analyst, agreement)
    assert not ServiceLevelTarget.objects.exists()
