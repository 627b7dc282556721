"""Targets as their users see them: the form with every field visible and explained, the rule errors
next to their fields, editing, switching a target off and on from the agreement's page."""

from decimal import Decimal

import pytest
from django.urls import reverse

from agreements.models import Agreement, ServiceLevelTarget
from tests.factories.agreements import AgreementFactory, BusinessCalendarFactory, ServiceLevelTargetFactory
from tests.helpers import text_of

pytestmark = pytest.mark.django_db


def url(name, *args) -> str:
    return reverse(f"agreements:{name}", args=args)


@pytest.fixture
def fleet(account, owner):
    return AgreementFactory(organization=account, owner=owner, title="Fleet booking SLA")


def posted(**overrides) -> dict:
    return {
        "name": "Availability of the portal",
        "kind": "warranty",
        "warranty_aspect": "availability",
        "unit": "%",
        "comparator": "gte",
        "target_value": "99.5",
        "warning_threshold": "99.7",
        "period": "month",
        "aggregation": "average",
    } | overrides


def test_the_form_shows_every_field_with_what_it_is_for(as_user, owner, fleet):
    BusinessCalendarFactory(name="Office hours NL")
    BusinessCalendarFactory(name="Retired hours", is_active=False)

    response = as_user(owner).get(url("target_create", fleet.pk))

    html = response.content.decode()
    assert response.status_code == 200
    for name in (
        "warranty_aspect",
        "baseline",
        "clock",
        "clock_limit_hours",
        "calendar",
        "warning_threshold",
    ):
        assert f'name="{name}"' in html
    text = text_of(html)
    assert "Warranty targets only" in text and "Outcome targets need it" in text
    assert "Office hours NL" in text and "Retired hours" not in text


def test_adding_a_target(as_user, owner, fleet):
    calendar = BusinessCalendarFactory()

    response = as_user(owner).post(url("target_create", fleet.pk), posted(calendar=calendar.pk))

    assert (
        response.status_code == 302 and response["Location"] == url("agreement_detail", fleet.pk) + "#targets"
    )
    target = ServiceLevelTarget.objects.get()
    assert (target.rule, target.calendar, target.agreement) == ("≥ 99.5 %", calendar, fleet)


def test_a_warning_on_the_wrong_side_comes_back_next_to_its_field(as_user, owner, fleet):
    response = as_user(owner).post(url("target_create", fleet.pk), posted(warning_threshold="99.0"))

    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_warning_threshold_error"' in html
    assert "For “at least 99.5 %” the warning threshold must be above 99.5" in text_of(html)
    assert not ServiceLevelTarget.objects.exists()


def test_a_number_that_is_not_one_is_refused_by_the_form(as_user, owner, fleet):
    response = as_user(owner).post(url("target_create", fleet.pk), posted(target_value="NaN"))

    assert response.status_code == 400 and 'id="id_target_value_error"' in response.content.decode()


def test_editing_a_target_keeps_its_retired_calendar_choosable(as_user, owner, fleet):
    calendar = BusinessCalendarFactory(name="Old hours")
    target = ServiceLevelTargetFactory(agreement=fleet, calendar=calendar)
    calendar.is_active = False
    calendar.save()
    client = as_user(owner)

    form = client.get(url("target_edit", target.pk))
    assert "Old hours (no longer in use)" in text_of(form.content.decode())

    response = client.post(url("target_edit", target.pk), posted(calendar=calendar.pk, target_value="99.6"))

    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.target_value, target.calendar) == (Decimal("99.6"), calendar)


def test_a_target_is_switched_off_and_on_from_the_agreements_page(as_user, owner, fleet):
    target = ServiceLevelTargetFactory(agreement=fleet, name="Availability")
    client = as_user(owner)
    page = client.get(url("agreement_detail", fleet.pk)).content.decode()
    assert f'action="{url("target_toggle", target.pk)}"' in page

    off = client.post(url("target_toggle", target.pk), {"active": "0"}, follow=True)
    target.refresh_from_db()
    assert target.is_active is False
    assert "no longer measured" in text_of(off.content.decode())

    client.post(url("target_toggle", target.pk))
    target.refresh_from_db()
    assert target.is_active is True


def test_switching_off_the_last_target_of_a_live_agreement_says_why_not(as_user, owner, fleet):
    target = ServiceLevelTargetFactory(agreement=fleet, name="Availability")
    Agreement.objects.filter(pk=fleet.pk).update(status="active")

    response = as_user(owner).post(url("target_toggle", target.pk), {"active": "0"}, follow=True)

    assert "the last active target of an active agreement" in text_of(response.content.decode())
    target.refresh_from_db()
    assert target.is_active is True


def test_an_ended_agreements_targets_are_shown_read_only(as_user, owner, fleet):
    target = ServiceLevelTargetFactory(agreement=fleet)
    Agreement.objects.filter(pk=fleet.pk).update(status="terminated")
    client = as_user(owner)

    page = client.get(url("agreement_detail", fleet.pk)).content.decode()
    assert url("target_edit", target.pk) not in page and url("target_create", fleet.pk) not in page

    response = client.post(url("target_edit", target.pk), posted(name="Renamed"))
    assert response.status_code == 400 and "no longer change" in text_of(response.content.decode())
