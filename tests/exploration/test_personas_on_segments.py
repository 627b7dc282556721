"""The personas and jobs to be done on a market segment's page: linking and unlinking personas from
there (keyboard-usable forms, idempotent service), the segment's jobs ranked by opportunity, and who
may change the links."""

import re

import pytest
from django.urls import reverse

from tests.factories.exploration import MarketSegmentFactory
from tests.factories.personas import JobToBeDoneFactory, PersonaFactory
from tests.helpers import text_of

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"exploration:{name}", args=args)


def field_error(response, field: str) -> str:
    found = re.search(
        rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', response.content.decode(), re.S
    )
    return text_of(found.group(1)) if found else ""


# --- personas and jobs on the segment page --------------------------------------------------------


def test_the_segment_page_shows_its_personas_and_its_jobs_ranked(as_user, analyst):
    segment = MarketSegmentFactory()
    orla = PersonaFactory(name="Practice manager Orla")
    segment.personas.add(orla)
    JobToBeDoneFactory(persona=None, segment=segment, job="Pass the audit", importance=4, satisfaction=1)  # 7
    JobToBeDoneFactory(persona=orla, segment=segment, job="Open on time", importance=5, satisfaction=1)  # 9

    page = as_user(analyst).get(url("market_segment_detail", segment.pk)).content.decode()

    text = text_of(page)
    assert f'href="{url("persona_detail", orla.pk)}"' in page
    assert re.search(r"1 Open on time Practice manager Orla 5 1 9 2 Pass the audit — 4 1 7", text)
    assert url("market_segment_persona_link", segment.pk) not in page
    assert url("market_segment_persona_unlink", segment.pk, orla.pk) not in page


def test_linking_a_persona_from_the_segment_page(as_user, owner):
    segment = MarketSegmentFactory()
    orla = PersonaFactory(name="Practice manager Orla")
    client = as_user(owner)

    page = client.get(url("market_segment_detail", segment.pk)).content.decode()
    assert f'<option value="{orla.pk}">Practice manager Orla</option>' in page
    response = client.post(url("market_segment_persona_link", segment.pk), {"persona": orla.pk})

    assert response["Location"] == url("market_segment_detail", segment.pk)
    assert list(segment.personas.all()) == [orla]
    page = client.get(url("market_segment_detail", segment.pk)).content.decode()
    assert 'aria-label="Unlink Practice manager Orla from this segment"' in page


def test_linking_without_choosing_is_a_field_error(as_user, owner):
    segment = MarketSegmentFactory()
    PersonaFactory()

    response = as_user(owner).post(url("market_segment_persona_link", segment.pk), {"persona": ""})

    assert response.status_code == 400
    assert field_error(response, "persona")


def test_unlinking_a_persona(as_user, owner):
    segment = MarketSegmentFactory()
    orla = PersonaFactory()
    segment.personas.add(orla)

    response = as_user(owner).post(url("market_segment_persona_unlink", segment.pk, orla.pk))

    assert response.status_code == 302
    assert not segment.personas.exists()


@pytest.mark.parametrize("persona", ["analyst", "desk"])
def test_readers_get_403_on_persona_links(as_user, request, persona):
    segment = MarketSegmentFactory()
    orla, femi = PersonaFactory(), PersonaFactory()
    segment.personas.add(orla)
    client = as_user(request.getfixturevalue(persona))

    answers = [
        client.post(url("market_segment_persona_link", segment.pk), {"persona": femi.pk}).status_code,
        client.post(url("market_segment_persona_unlink", segment.pk, orla.pk)).status_code,
    ]

    assert answers == [403, 403]
    assert list(segment.personas.all()) == [orla]
