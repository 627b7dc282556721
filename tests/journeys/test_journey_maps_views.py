"""The designed journey map pages: the list, the map drawn as a swimlane table, the forms that shape maps
and stages (a bad entry shows its error and saves nothing), who may open and post what, and the number
of queries the list and the map cost whatever their size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from journeys.models import JourneyMap, MapStage
from tests.factories.journey_maps import JourneyMapFactory, MapStageFactory
from tests.factories.personas import PersonaFactory
from tests.permissions import LOGIN, assert_answer, get_cases, post_cases

pytestmark = pytest.mark.django_db


@pytest.fixture
def orla():
    return PersonaFactory(name="Practice manager Orla")


@pytest.fixture
def drawn(orla):
    journey_map = JourneyMapFactory(persona=orla, name="Getting online", description="First call to go-live.")
    MapStageFactory(
        journey_map=journey_map,
        step="offer",
        name="Compare offers",
        expected_touchpoints="Price page\nDemo call",
        channels=["portal", "video_call"],
        expected_emotion=-1,
        pain_points="Prices hidden",
        opportunities="Publish a price calculator",
        front_stage="Demo by the account manager",
        back_stage="Pre-sales builds the quote",
    )
    MapStageFactory(journey_map=journey_map, step="offer", position=1, name="Decide", expected_emotion=1)
    return journey_map


# --- pages ----------------------------------------------------------------------------------------


def test_the_map_page_draws_the_stages_under_their_steps_with_every_lane(as_user, analyst, drawn):
    response = as_user(analyst).get(reverse("journey_map_detail", args=[drawn.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    for text in (
        "Getting online",
        "Practice manager Orla",
        "Compare offers",
        "<li>Price page</li>",
        "Video call",
        "-1 Negative",
        "Prices hidden",
        "Publish a price calculator",
        "Demo by the account manager",
        "Line of visibility",
        "Pre-sales builds the quote",
        'colspan="2"',  # Offer spans its two stages
        "emotion-line",
        f"{reverse('realization:journey_map')}?map={drawn.pk}",
    ):
        assert text in page, text
    assert page.index("Explore") < page.index("Compare offers") < page.index("Decide")
    # Readers see no writing controls.
    assert reverse("map_stage_create", args=[drawn.pk]) not in page


def test_the_owner_sees_the_stage_controls_and_the_to_be_copy(as_user, owner, drawn):
    page = as_user(owner).get(reverse("journey_map_detail", args=[drawn.pk])).content.decode()

    assert reverse("map_stage_create", args=[drawn.pk]) + "?step=explore" in page
    assert 'aria-label="Move “Decide” earlier in Offer"' in page
    assert 'aria-label="Move “Compare offers” later in Offer"' in page
    assert "Copy into a to-be map" in page


def test_the_list_shows_each_map_with_its_stage_count_and_filters_by_persona(as_user, analyst, drawn, orla):
    JourneyMapFactory(name="Renewal of someone else")

    response = as_user(analyst).get(reverse("journey_map_list"), {"persona": orla.pk})

    page = response.content.decode()
    assert "Getting online" in page and "Renewal of someone else" not in page
    assert '<td class="number">2</td>' in page


def test_the_list_filter_answers_htmx_with_the_list_alone(as_user, analyst, drawn):
    response = as_user(analyst).get(reverse("journey_map_list"), {"version": "to_be"}, HTTP_HX_REQUEST="true")

    page = response.content.decode()
    assert "<html" not in page
    assert "No journey map matches these filters." in page


def test_a_map_is_created_from_the_form_and_opens_on_its_page(as_user, owner, orla):
    response = as_user(owner).post(
        reverse("journey_map_create"), {"name": "Getting online", "persona": orla.pk, "version": "as_is"}
    )

    journey_map = JourneyMap.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("journey_map_detail", args=[journey_map.pk])
    assert journey_map.owner == owner


def test_a_duplicate_map_name_shows_the_error_on_the_name_and_saves_nothing(as_user, owner, drawn, orla):
    response = as_user(owner).post(
        reverse("journey_map_create"), {"name": "getting ONLINE", "persona": orla.pk, "version": "as_is"}
    )

    assert response.status_code == 400
    assert "already has a map called" in response.content.decode()
    assert JourneyMap.objects.count() == 1


def test_a_to_be_map_drawn_from_another_persona_is_refused_on_its_field(as_user, owner, drawn):
    other = PersonaFactory(name="Fleet manager Femi")

    response = as_user(owner).post(
        reverse("journey_map_create"),
        {"name": "Designed", "persona": other.pk, "version": "to_be", "based_on": drawn.pk},
    )

    assert response.status_code == 400
    assert response.context["form"].errors["based_on"]
    assert JourneyMap.objects.count() == 1


def test_a_stage_is_added_from_the_form(as_user, owner, drawn):
    response = as_user(owner).post(
        reverse("map_stage_create", args=[drawn.pk]),
        {"step": "onboard", "name": "Kick-off", "channels": ["in_person", "email"], "expected_emotion": "2"},
    )

    stage = MapStage.objects.get(name="Kick-off")
    assert response["Location"].endswith(f"#stage-{stage.pk}")
    assert (stage.step_number, stage.channels, stage.expected_emotion) == (5, ["in_person", "email"], 2)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"step": "dream", "name": "Kick-off", "expected_emotion": "0"}, "step"),
        ({"step": "onboard", "name": "Kick-off", "expected_emotion": "3"}, "expected_emotion"),
        (
            {"step": "onboard", "name": "Kick-off", "expected_emotion": "0", "channels": ["pigeon"]},
            "channels",
        ),
        ({"step": "onboard", "name": "", "expected_emotion": "0"}, "name"),
    ],
)
def test_a_bad_stage_shows_its_error_and_saves_nothing(as_user, owner, drawn, data, field):
    response = as_user(owner).post(reverse("map_stage_create", args=[drawn.pk]), data)

    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert MapStage.objects.count() == 2


def test_a_stage_is_edited_moved_and_deleted(as_user, owner, drawn):
    client = as_user(owner)
    decide = drawn.stages.get(name="Decide")

    client.post(
        reverse("map_stage_edit", args=[drawn.pk, decide.pk]),
        {"step": "offer", "name": "Decide and sign", "expected_emotion": "2"},
    )
    response = client.post(reverse("map_stage_move", args=[drawn.pk, decide.pk]), {"direction": "up"})

    assert response["Location"].endswith(f"#stage-{decide.pk}")
    assert list(drawn.stages.order_by("position").values_list("name", flat=True)) == [
        "Decide and sign",
        "Compare offers",
    ]
    client.post(reverse("map_stage_delete", args=[drawn.pk, decide.pk]))
    assert list(drawn.stages.values_list("name", flat=True)) == ["Compare offers"]


def test_a_stage_url_under_another_map_is_not_found(as_user, owner, drawn):
    stage = MapStageFactory(name="Elsewhere")

    response = as_user(owner).post(reverse("map_stage_delete", args=[drawn.pk, stage.pk]))

    assert response.status_code == 404
    assert MapStage.objects.filter(pk=stage.pk).exists()


def test_copying_to_a_to_be_map_opens_the_copy(as_user, owner, drawn):
    response = as_user(owner).post(reverse("journey_map_copy_to_be", args=[drawn.pk]), {"name": ""})

    copy = JourneyMap.objects.get(version="to_be")
    assert response["Location"] == reverse("journey_map_detail", args=[copy.pk])
    assert (copy.name, copy.based_on, copy.stages.count()) == ("Getting online", drawn, 2)


def test_a_refused_copy_shows_the_map_again_with_the_reason(as_user, owner, drawn):
    as_user(owner).post(reverse("journey_map_copy_to_be", args=[drawn.pk]), {"name": ""})

    response = as_user(owner).post(
        reverse("journey_map_copy_to_be", args=[drawn.pk]), {"name": "getting online"}
    )

    assert response.status_code == 400
    assert "already has a map called" in response.content.decode()
    assert JourneyMap.objects.count() == 2


def test_deleting_a_map_returns_to_the_list(as_user, owner, drawn):
    response = as_user(owner).post(reverse("journey_map_delete", args=[drawn.pk]))

    assert response["Location"] == reverse("journey_map_list")
    assert not JourneyMap.objects.exists()


# --- query counts ---------------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_list_costs_the_same_queries_for_two_maps_or_twenty(as_user, analyst):
    client = as_user(analyst)
    for _ in range(2):
        MapStageFactory(journey_map=JourneyMapFactory(based_on=None))
    few = _queries(client, reverse("journey_map_list"))
    for _ in range(18):
        journey_map = JourneyMapFactory()
        MapStageFactory.create_batch(3, journey_map=journey_map)

    assert _queries(client, reverse("journey_map_list")) == few


def test_the_map_page_costs_the_same_queries_for_two_stages_or_thirty(as_user, owner, drawn):
    client = as_user(owner)
    url = reverse("journey_map_detail", args=[drawn.pk])
    few = _queries(client, url)
    for index in range(28):
        MapStageFactory(journey_map=drawn, step=["explore", "agree", "realize"][index % 3], position=index)

    assert _queries(client, url) == few
    assert few <= 8


# --- permissions ----------------------------------------------------------------------------------


def page(name, *keys):
    return lambda objects: reverse(name, args=[objects[key].pk for key in keys])


PAGES = {
    "journey_map_list": page("journey_map_list"),
    "journey_map_create": page("journey_map_create"),
    "journey_map_detail": page("journey_map_detail", "map"),
    "journey_map_edit": page("journey_map_edit", "map"),
    "journey_map_delete": page("journey_map_delete", "map"),
    "journey_map_copy_to_be": page("journey_map_copy_to_be", "map"),
    "map_stage_create": page("map_stage_create", "map"),
    "map_stage_edit": page("map_stage_edit", "map", "stage"),
    "map_stage_delete": page("map_stage_delete", "map", "stage"),
    "map_stage_move": page("map_stage_move", "map", "stage"),
}

# Maps are design material: every role reads them (outsiders too), the roles that shape personas
# write; integrators use the API only.
# fmt: off
#                            anonymous owner teammate outsider desk analyst integrator admin
GET_TABLE = {
    "journey_map_list":       (LOGIN, 200, 200, 200, 200, 200, 403, 200),
    "journey_map_create":     (LOGIN, 200, 200, 200, 403, 403, 403, 200),
    "journey_map_detail":     (LOGIN, 200, 200, 200, 200, 200, 403, 200),
    "journey_map_edit":       (LOGIN, 200, 200, 200, 403, 403, 403, 200),
    "journey_map_delete":     (LOGIN, 405, 405, 405, 405, 405, 403, 405),
    "journey_map_copy_to_be": (LOGIN, 405, 405, 405, 405, 405, 403, 405),
    "map_stage_create":       (LOGIN, 200, 200, 200, 403, 403, 403, 200),
    "map_stage_edit":         (LOGIN, 200, 200, 200, 403, 403, 403, 200),
    "map_stage_delete":       (LOGIN, 405, 405, 405, 405, 405, 403, 405),
    "map_stage_move":         (LOGIN, 405, 405, 405, 405, 405, 403, 405),
}
# fmt: on

FORMS = {
    "journey_map_create": lambda objects: {
        "name": "New map",
        "persona": objects["persona"].pk,
        "version": "as_is",
    },
    "journey_map_edit": lambda objects: {
        "name": "Renamed",
        "persona": objects["persona"].pk,
        "version": "as_is",
    },
    "journey_map_delete": lambda objects: {},
    "journey_map_copy_to_be": lambda objects: {"name": ""},
    "map_stage_create": lambda objects: {"step": "agree", "name": "Sign", "expected_emotion": "0"},
    "map_stage_edit": lambda objects: {"step": "offer", "name": "Renamed", "expected_emotion": "0"},
    "map_stage_delete": lambda objects: {},
    "map_stage_move": lambda objects: {"direction": "up"},
}
REFUSED = {"anonymous": LOGIN, "desk": 403, "analyst": 403, "integrator": 403}
POST_TABLE = dict.fromkeys(FORMS, REFUSED)


@pytest.fixture
def objects(drawn, orla):
    return {"persona": orla, "map": drawn, "stage": drawn.stages.get(name="Decide")}


def everything_written():
    return {
        model.__name__: list(model.objects.order_by("pk").values_list("pk", "updated_at"))
        for model in (JourneyMap, MapStage)
    }


@pytest.mark.parametrize(("name", "persona", "expected"), get_cases(GET_TABLE))
def test_who_may_open_each_map_page(client_as, objects, name, persona, expected):
    url = PAGES[name](objects)
    assert_answer(client_as(persona).get(url), expected, url)


@pytest.mark.parametrize(("name", "persona", "expected"), post_cases(POST_TABLE))
def test_who_may_not_post_writes_nothing(client_as, objects, name, persona, expected):
    url = PAGES[name](objects)
    before = everything_written()

    assert_answer(client_as(persona).post(url, FORMS[name](objects)), expected, url)

    assert everything_written() == before


@pytest.mark.parametrize("name", FORMS)
def test_the_owner_may_post_each_form(client_as, objects, name):
    before = everything_written()

    response = client_as("owner").post(PAGES[name](objects), FORMS[name](objects))

    assert response.status_code == 302
    assert everything_written() != before
