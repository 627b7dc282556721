"""The demand profile pages as a user sees them: the heat map with its peaks, month bars and peak
windows; switching between the computed and the entered profile (HTMX and plain links); recomputing,
entering, describing and removing, with bad input (400, nothing saved) and who may do what."""

import re
from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from offerings import services
from offerings.models import DemandProfile, DemandProfileSource
from tests.factories.journeys import TouchpointFactory
from tests.factories.offerings import OfferingJourneyFactory, ServiceOfferingFactory
from tests.helpers import HX, text_of

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"offerings:{name}", args=args)


def page_text(response) -> str:
    return text_of(response.content.decode())


def field_error(response, field_id: str) -> str:
    found = re.search(
        rf'<ul class="errorlist" id="{field_id}_error">(.*?)</ul>', response.content.decode(), re.S
    )
    return text_of(found.group(1)) if found else ""


@pytest.fixture(autouse=True)
def a_fixed_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: date(2026, 4, 15))


@pytest.fixture
def offering(journey):
    """Ten touchpoints on Friday afternoons at 14:00 in March, one on a Monday morning in January."""
    offering = ServiceOfferingFactory(name="Managed laptops")
    OfferingJourneyFactory(offering=offering, journey=journey)
    moments = [datetime(2026, 3, day, 14, 5, tzinfo=UTC) for day in (6, 13, 20, 27) for _ in range(2)]
    moments += [datetime(2026, 3, 6, 14, 40, tzinfo=UTC), datetime(2026, 3, 13, 14, 40, tzinfo=UTC)]
    moments.append(datetime(2026, 1, 5, 9, 0, tzinfo=UTC))
    for moment in moments:
        TouchpointFactory(organization=journey.organization, journey=journey, occurred_at=moment)
    return offering


@pytest.fixture
def computed(offering):
    return services.demand_profile_recompute(
        offering=offering, covers_from=date(2026, 1, 1), covers_to=date(2026, 3, 31)
    )


def entry(**overrides) -> dict:
    data = {f"hour_{hour}": 5 for hour in range(8, 18)} | {f"day_{day}": 10 for day in range(5)}
    data |= {f"month_{month}": 40 for month in range(1, 13)} | {"activity": "Month-end closing", "trend": ""}
    return data | overrides


# --- the page -------------------------------------------------------------------------------------


def test_the_page_shows_the_heat_map_months_and_peak_windows(as_user, owner, computed):
    response = as_user(owner).get(url("demand_profile", computed.offering_id))

    text = page_text(response)
    page = response.content.decode()
    assert response.status_code == 200
    assert "11 touchpoints of the linked journeys from 1 Jan 2026 to 31 Mar 2026" in text
    assert "14:00–15:00 : 90.9 % of the volume in 4.2 % of the day" in text
    assert "Friday : 90.9 % of the volume in 14.3 % of the week" in text
    assert "March : 90.9 % of the volume in 8.3 % of the year" in text
    assert 'title="Friday 14:00–15:00: 10 touchpoints (peak)"' in page
    assert '<table class="heat-map">' in page
    assert 'class="month-bars"' in page
    assert "1 journey linked to the offering" in text
    assert url("demand_profile_recompute", computed.offering_id) in page


def test_switching_to_the_entered_profile_comes_alone_for_htmx(as_user, owner, computed):
    response = as_user(owner).get(url("demand_profile", computed.offering_id), {"source": "entered"}, **HX)

    page = response.content.decode()
    assert "<html" not in page
    assert "Nothing entered yet." in page_text(response)
    assert "HX-Request" in response["Vary"]


def test_the_switch_is_a_plain_link_without_htmx(as_user, owner, computed):
    page = as_user(owner).get(url("demand_profile", computed.offering_id)).content.decode()

    link = f"{url('demand_profile', computed.offering_id)}?source=entered"
    assert f'href="{link}" hx-get="{link}"' in page


def test_an_offering_without_a_profile_says_what_to_do(as_user, owner, offering):
    text = page_text(as_user(owner).get(url("demand_profile", offering.pk)))

    assert "Not computed yet. The touchpoints of the 1 linked journey can be counted now." in text


@pytest.mark.parametrize("persona", ["outsider", "analyst", "desk"])
def test_every_role_reads_the_profile_of_the_provider_wide_catalogue(request, as_user, computed, persona):
    response = as_user(request.getfixturevalue(persona)).get(url("demand_profile", computed.offering_id))

    assert response.status_code == 200
    assert "Friday" in page_text(response)


def test_read_only_roles_get_no_write_forms(as_user, analyst, computed):
    page = as_user(analyst).get(url("demand_profile", computed.offering_id)).content.decode()

    assert url("demand_profile_recompute", computed.offering_id) not in page
    assert url("demand_profile_enter", computed.offering_id) not in page


def test_integrators_use_the_api_only(as_user, integrator, computed):
    assert as_user(integrator).get(url("demand_profile", computed.offering_id)).status_code == 403


def test_an_unknown_offering_is_a_404(as_user, owner):
    assert as_user(owner).get(url("demand_profile", 4242)).status_code == 404


# --- recomputing ----------------------------------------------------------------------------------


def test_recomputing_counts_and_redirects_to_the_computed_profile(
    as_user, owner, offering, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(owner).post(
            url("demand_profile_recompute", offering.pk),
            {"covers_from": "2026-03-01", "covers_to": "2026-03-31"},
        )

    assert response.status_code == 302
    assert response["Location"] == f"{url('demand_profile', offering.pk)}?source=computed"
    profile = DemandProfile.objects.get(offering=offering, source=DemandProfileSource.COMPUTED)
    assert (profile.covers_from, profile.covers_to) == (date(2026, 3, 1), date(2026, 3, 31))


def test_recomputing_with_htmx_answers_with_the_region(
    as_user, owner, offering, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(owner).post(url("demand_profile_recompute", offering.pk), {}, **HX)

    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    assert "The demand profile is being counted" in page_text(response)


def test_a_period_that_ends_before_it_starts_is_a_400_and_nothing_is_counted(as_user, owner, offering):
    response = as_user(owner).post(
        url("demand_profile_recompute", offering.pk), {"covers_from": "2026-03-01", "covers_to": "2026-02-01"}
    )

    assert response.status_code == 400
    assert "The period cannot end (01 Feb 2026) before it starts (01 Mar 2026)." in field_error(
        response, "id_covers_to"
    )
    assert not DemandProfile.objects.exists()


def test_analysts_may_not_recompute(as_user, analyst, offering):
    assert as_user(analyst).post(url("demand_profile_recompute", offering.pk)).status_code == 403


# --- entering, describing, removing ---------------------------------------------------------------


def test_the_entry_form_has_a_labelled_input_for_every_hour_day_and_month(as_user, owner, offering):
    page = as_user(owner).get(url("demand_profile_enter", offering.pk)).content.decode()

    assert page.count('type="number"') == 24 + 7 + 12
    assert '<label for="id_hour_14">14:00–15:00</label>' in page
    assert '<label for="id_day_4">Friday</label>' in page
    assert '<label for="id_month_12">December</label>' in page


def test_entering_volumes_saves_them_and_shows_the_estimated_heat_map(as_user, owner, offering):
    client = as_user(owner)

    response = client.post(url("demand_profile_enter", offering.pk), entry())
    shown = client.get(response["Location"])

    assert response.status_code == 302
    profile = DemandProfile.objects.get(source=DemandProfileSource.ENTERED)
    assert profile.activity == "Month-end closing"
    assert profile.cells.get(dimension="hour_of_day", bucket=8).volume == 5
    assert profile.cells.get(dimension="hour_of_day", bucket=7).volume == 0
    assert "each cell is an estimate" in page_text(shown)


def test_the_entry_form_shows_the_volumes_already_entered(as_user, owner, offering):
    client = as_user(owner)
    client.post(url("demand_profile_enter", offering.pk), entry())

    page = client.get(url("demand_profile_enter", offering.pk)).content.decode()

    assert re.search(r'name="hour_8" value="5"', page)


def test_a_negative_volume_is_a_400_under_its_field_and_nothing_is_saved(as_user, owner, offering):
    response = as_user(owner).post(url("demand_profile_enter", offering.pk), entry(hour_9="-3"))

    assert response.status_code == 400
    assert field_error(response, "id_hour_9") == "A volume cannot be negative."
    assert not DemandProfile.objects.exists()


def test_describing_the_computed_profile(as_user, owner, computed):
    response = as_user(owner).post(
        url("demand_profile_describe", computed.offering_id, "computed"),
        {"activity": "Timesheets on Friday afternoon", "trend": "repetitive", "notes": ""},
        **HX,
    )

    assert "Timesheets on Friday afternoon" in page_text(response)
    computed.refresh_from_db()
    assert computed.trend == "repetitive"


def test_a_bad_trend_is_a_400(as_user, owner, computed):
    response = as_user(owner).post(
        url("demand_profile_describe", computed.offering_id, "computed"),
        {"activity": "x", "trend": "seasonal"},
    )

    assert response.status_code == 400
    computed.refresh_from_db()
    assert computed.activity == ""


def test_removing_a_profile(as_user, owner, computed):
    response = as_user(owner).post(url("demand_profile_remove", computed.offering_id, "computed"))

    assert response.status_code == 302
    assert not DemandProfile.objects.exists()


def test_an_unknown_source_is_a_404(as_user, owner, computed):
    assert (
        as_user(owner).post(url("demand_profile_remove", computed.offering_id, "guessed")).status_code == 404
    )
