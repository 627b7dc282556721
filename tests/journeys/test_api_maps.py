"""The spine's API for designed journey maps: the list and its filters, a map with its stages in
journey order, drawing, changing, copying into a to-be map and deleting maps, adding, changing,
reordering and deleting stages, the error envelope, the query counts, and who may do what."""

import pytest
from django.urls import reverse

from journeys.api_maps import urlpatterns
from journeys.models import JourneyMap, JourneyStep, MapStage, MapVersion
from tests.factories.journey_maps import JourneyMapFactory, MapStageFactory
from tests.factories.personas import PersonaFactory
from tests.permissions import PERSONAS

pytestmark = pytest.mark.django_db

MAP_FIELDS = {
    "id",
    "name",
    "persona",
    "persona_name",
    "version",
    "description",
    "based_on",
    "owner",
    "stage_count",
    "created_at",
    "updated_at",
}
STAGE_FIELDS = {
    "id",
    "journey_map",
    "step",
    "step_number",
    "position",
    "name",
    "expected_touchpoints",
    "channels",
    "expected_emotion",
    "pain_points",
    "opportunities",
    "front_stage",
    "back_stage",
    "created_at",
    "updated_at",
}


def api(name, *args):
    return reverse(name, args=args)


def error_of(response) -> dict:
    assert set(response.json()) == {"error"}, response.json()
    assert set(response.json()["error"]) == {"code", "message", "fields"}
    return response.json()["error"]


def written():
    return {
        "maps": list(JourneyMap.objects.order_by("pk").values_list("pk", "name", "version", "updated_at")),
        "stages": list(MapStage.objects.order_by("pk").values_list("pk", "step", "position", "updated_at")),
    }


@pytest.fixture
def planner(db):
    return PersonaFactory(name="Depot planner")


@pytest.fixture
def as_is(planner):
    journey_map = JourneyMapFactory(persona=planner, name="First quarter")
    MapStageFactory(journey_map=journey_map, step=JourneyStep.ONBOARD, name="First booking", position=0)
    MapStageFactory(journey_map=journey_map, step=JourneyStep.EXPLORE, name="Hears of us", position=0)
    MapStageFactory(journey_map=journey_map, step=JourneyStep.ONBOARD, name="Training", position=1)
    return journey_map


# --- reading --------------------------------------------------------------------------------------


def test_the_list_holds_every_map_with_its_stage_count(token_client, analyst, as_is):
    JourneyMapFactory(persona=as_is.persona, name="Redesign", version=MapVersion.TO_BE, based_on=as_is)

    rows = token_client(analyst).get(api("api_journey_maps")).json()["results"]

    assert [(row["name"], row["version"], row["stage_count"]) for row in rows] == [
        ("First quarter", "as_is", 3),
        ("Redesign", "to_be", 0),
    ]
    assert set(rows[0]) == MAP_FIELDS
    assert rows[0]["persona_name"] == "Depot planner"


def test_the_list_filters(token_client, owner, as_is):
    other = JourneyMapFactory(name="Sponsor view", version=MapVersion.TO_BE)
    client = token_client(owner)

    def names(**query):
        response = client.get(api("api_journey_maps"), query)
        assert response.status_code == 200, response.json()
        return [row["name"] for row in response.json()["results"]]

    assert names(persona=as_is.persona_id) == ["First quarter"]
    assert names(version="to_be") == ["Sponsor view"]
    assert names(persona=other.persona_id, version="as_is") == []
    assert names(updated_since="2999-01-01T00:00:00Z") == []
    bad = client.get(api("api_journey_maps"), {"version": "someday"})
    assert bad.status_code == 400 and set(error_of(bad)["fields"]) == {"version"}


def test_the_list_costs_the_same_queries_at_any_size(token_client, owner, django_assert_num_queries):
    client = token_client(owner)

    def add(count):
        for _ in range(count):
            MapStageFactory.create_batch(2, journey_map=JourneyMapFactory())

    add(2)
    with django_assert_num_queries(2):
        assert len(client.get(api("api_journey_maps")).json()["results"]) == 2
    add(6)
    with django_assert_num_queries(2):
        assert len(client.get(api("api_journey_maps")).json()["results"]) == 8


def test_a_map_reads_with_its_stages_in_journey_order(token_client, desk, as_is, django_assert_num_queries):
    client = token_client(desk)

    with django_assert_num_queries(3):
        body = client.get(api("api_journey_map", as_is.pk)).json()

    assert set(body) == MAP_FIELDS | {"stages"}
    assert [stage["name"] for stage in body["stages"]] == ["Hears of us", "First booking", "Training"]
    assert set(body["stages"][0]) == STAGE_FIELDS
    assert body["stage_count"] == 3
    assert client.get(api("api_journey_map", as_is.pk + 999)).status_code == 404


# --- writing maps ---------------------------------------------------------------------------------


def test_a_map_is_drawn_changed_and_deleted(token_client, owner, planner):
    client = token_client(owner)

    made = client.post(
        api("api_journey_maps"), {"persona": planner.pk, "name": "First quarter", "description": "Today."}
    )
    url = api("api_journey_map", made.json()["id"])
    renamed = client.patch(url, {"name": "First month"})
    deleted = client.delete(url)

    assert made.status_code == 201, made.json()
    assert (made.json()["version"], made.json()["owner"], made.json()["stages"]) == ("as_is", owner.pk, [])
    assert renamed.status_code == 200 and renamed.json()["name"] == "First month"
    assert deleted.status_code == 204
    assert not JourneyMap.objects.exists()


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"name": "FIRST QUARTER"}, "name", 409),
        ({"name": ""}, "name", 400),
        ({"name": "x", "version": "someday"}, "version", 400),
        ({"name": "x", "persona": 999_999}, "persona", 400),
        ({"name": "x", "based_on": "as_is"}, "based_on", 400),
        ({"name": "x", "stages": []}, "stages", 400),
    ],
)
def test_a_bad_map_names_its_field_and_saves_nothing(token_client, owner, as_is, body, field, code):
    if body.get("based_on") == "as_is":  # an as-is map is not drawn from another
        body = {**body, "based_on": as_is.pk}
    before = written()

    response = token_client(owner).post(api("api_journey_maps"), {"persona": as_is.persona_id, **body})

    assert response.status_code == code
    assert set(error_of(response)["fields"]) == {field}
    assert written() == before


def test_an_as_is_map_is_copied_into_a_to_be_map_with_its_stages(token_client, owner, as_is):
    client = token_client(owner)

    copied = client.post(api("api_journey_map_copy", as_is.pk), {"name": "Redesign"})
    again = client.post(api("api_journey_map_copy", copied.json()["id"]), {})

    assert copied.status_code == 201, copied.json()
    body = copied.json()
    assert (body["version"], body["based_on"], body["name"]) == ("to_be", as_is.pk, "Redesign")
    assert [stage["name"] for stage in body["stages"]] == ["Hears of us", "First booking", "Training"]
    assert again.status_code == 409 and error_of(again)["code"] == "not_as_is"


def test_an_as_is_map_drawn_from_keeps_its_version(token_client, owner, as_is):
    JourneyMapFactory(persona=as_is.persona, version=MapVersion.TO_BE, based_on=as_is)
    before = written()

    response = token_client(owner).patch(api("api_journey_map", as_is.pk), {"version": "to_be"})

    assert response.status_code == 409
    assert set(error_of(response)["fields"]) == {"version"}
    assert written() == before


# --- stages ---------------------------------------------------------------------------------------


def test_a_stage_is_added_last_in_its_step_changed_and_deleted(token_client, owner, as_is):
    client = token_client(owner)

    added = client.post(
        api("api_journey_map_stages", as_is.pk),
        {
            "step": "onboard",
            "name": "Go-live call",
            "channels": ["video_call", "email"],
            "expected_emotion": 1,
            "pain_points": "Too many people on the call.",
        },
    )
    url = api("api_journey_map_stage", as_is.pk, added.json()["id"])
    changed = client.patch(url, {"expected_emotion": -1, "channels": ["telephone"]})
    read = client.get(url)
    deleted = client.delete(url)

    assert added.status_code == 201, added.json()
    assert set(added.json()) == STAGE_FIELDS
    assert (added.json()["position"], added.json()["step_number"]) == (2, JourneyStep.ONBOARD.number)
    assert changed.status_code == 200
    assert (read.json()["expected_emotion"], read.json()["channels"]) == (-1, ["telephone"])
    assert deleted.status_code == 204
    assert MapStage.objects.filter(journey_map=as_is).count() == 3


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"expected_emotion": 3}, "expected_emotion"),
        ({"expected_emotion": -3}, "expected_emotion"),
        ({"step": "dream"}, "step"),
        ({"channels": ["pigeon"]}, "channels.0"),
        ({"channels": "email"}, "channels"),
        ({"name": ""}, "name"),
        ({"mood": "grumpy"}, "mood"),
    ],
)
def test_a_bad_stage_names_its_field_and_saves_nothing(token_client, owner, as_is, body, field):
    before = written()

    response = token_client(owner).post(
        api("api_journey_map_stages", as_is.pk), {"step": "onboard", "name": "Go-live", **body}
    )

    assert response.status_code == 400
    assert set(error_of(response)["fields"]) == {field}
    assert written() == before


def test_a_stage_moves_within_its_step(token_client, owner, as_is):
    training = MapStage.objects.get(journey_map=as_is, name="Training")

    moved = token_client(owner).post(
        api("api_journey_map_stage_move", as_is.pk, training.pk), {"direction": "up"}
    )
    bad = token_client(owner).post(
        api("api_journey_map_stage_move", as_is.pk, training.pk), {"direction": "sideways"}
    )

    assert moved.status_code == 200, moved.json()
    assert [stage["name"] for stage in moved.json()["stages"]] == ["Hears of us", "Training", "First booking"]
    assert bad.status_code == 400 and set(error_of(bad)["fields"]) == {"direction"}


def test_a_stage_under_another_map_is_not_found(token_client, owner, as_is):
    other = JourneyMapFactory()
    stage = MapStage.objects.filter(journey_map=as_is).first()

    response = token_client(owner).patch(api("api_journey_map_stage", other.pk, stage.pk), {"name": "x"})

    assert response.status_code == 404


# --- who may do what ------------------------------------------------------------------------------


def maps(name, *keys):
    def url(objects):
        return reverse(f"api_journey_{name}", args=[objects[key].pk for key in keys])

    url.route = name
    return url


READS = {
    "maps": maps("maps"),
    "map": maps("map", "map"),
    "map_stage": maps("map_stage", "map", "stage"),
}
# Maps are design material: every role reads them.
# fmt: off
#              anonymous owner teammate outsider desk analyst integrator admin
GET_TABLE = {
    "maps":      (401, 200, 200, 200, 200, 200, 200, 200),
    "map":       (401, 200, 200, 200, 200, 200, 200, 200),
    "map_stage": (401, 200, 200, 200, 200, 200, 200, 200),
}
# fmt: on
WRITES = {
    "map_create": (
        "post",
        maps("maps"),
        lambda objects: {"persona": objects["map"].persona_id, "name": "New"},
        201,
    ),
    "map_update": ("patch", maps("map", "map"), lambda objects: {"description": "Changed."}, 200),
    "map_delete": ("delete", maps("map", "map"), lambda objects: None, 204),
    "map_copy": ("post", maps("map_copy", "map"), lambda objects: {"name": "Redesign"}, 201),
    "map_stages": ("post", maps("map_stages", "map"), lambda objects: {"step": "agree", "name": "Sign"}, 201),
    "map_stage_update": (
        "patch",
        maps("map_stage", "map", "stage"),
        lambda objects: {"name": "Renamed"},
        200,
    ),
    "map_stage_delete": ("delete", maps("map_stage", "map", "stage"), lambda objects: None, 204),
    "map_stage_move": (
        "post",
        maps("map_stage_move", "map", "stage"),
        lambda objects: {"direction": "down"},
        200,
    ),
}
REFUSED = {"anonymous": 401, "desk": 403, "analyst": 403}
ALLOWED = ("owner", "teammate", "outsider", "integrator", "administrator")


@pytest.fixture
def objects(as_is):
    return {"map": as_is, "stage": MapStage.objects.get(journey_map=as_is, name="First booking")}


@pytest.fixture
def api_as(request, token_client, api_client):
    def make(persona):
        return api_client if persona == "anonymous" else token_client(request.getfixturevalue(persona))

    return make


def test_the_tables_cover_every_map_route():
    routes = {pattern.name.removeprefix("api_journey_") for pattern in urlpatterns}

    assert routes == {url.route for url in READS.values()} | {url.route for _, url, *_ in WRITES.values()}


@pytest.mark.parametrize(
    ("read", "persona", "expected"),
    [
        pytest.param(read, persona, expected, id=f"{read}-{persona}")
        for read, row in GET_TABLE.items()
        for persona, expected in zip(PERSONAS, row, strict=True)
    ],
)
def test_who_may_read_maps(api_as, objects, read, persona, expected):
    response = api_as(persona).get(READS[read](objects))

    assert response.status_code == expected
    if expected != 200:
        assert set(response.json()) == {"error"}


@pytest.mark.parametrize(
    ("write", "persona", "expected"),
    [
        pytest.param(write, persona, expected, id=f"{write}-{persona}")
        for write in WRITES
        for persona, expected in REFUSED.items()
    ],
)
def test_a_persona_who_may_not_shape_maps_changes_nothing(api_as, objects, write, persona, expected):
    method, url, body, _answer = WRITES[write]
    before = written()

    response = getattr(api_as(persona), method)(url(objects), body(objects), format="json")

    assert response.status_code == expected
    assert set(response.json()) == {"error"}
    assert written() == before


@pytest.mark.parametrize(
    ("write", "persona"),
    [pytest.param(write, persona, id=f"{write}-{persona}") for write in WRITES for persona in ALLOWED],
)
def test_the_same_write_from_those_who_may_is_made(api_as, objects, write, persona):
    method, url, body, answer = WRITES[write]
    before = written()

    response = getattr(api_as(persona), method)(url(objects), body(objects), format="json")

    assert response.status_code == answer, response.content
    assert written() != before


def test_the_schema_lists_the_map_routes(api_client):
    schema = api_client.get(api("api_schema")).content.decode()

    for route in (
        "/api/v1/journey-maps/",
        "/api/v1/journey-maps/{id}/copy-to-be/",
        "/api/v1/journey-maps/{id}/stages/{stage_pk}/move/",
    ):
        assert route in schema
