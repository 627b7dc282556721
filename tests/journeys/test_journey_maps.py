"""Designed journey maps in the spine: who may shape them, the rules every write checks (one name per
persona and version, stages within a valid step, channels and emotion in range), the to-be copy and the
order of stages within a step, and the reads the map pages build on."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from journeys import selectors, services
from journeys.base import ApplicationError
from journeys.map_charts import map_columns
from journeys.models import JourneyMap, JourneyStep, MapStage
from tests.factories.journey_maps import JourneyMapFactory, MapStageFactory
from tests.factories.journeys import UserFactory
from tests.factories.personas import PersonaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def persona():
    return PersonaFactory(name="Practice manager Orla")


# --- maps -----------------------------------------------------------------------------------------


def test_a_relationship_manager_draws_a_map_and_owns_it(owner, persona):
    journey_map = services.journey_map_create(
        actor=owner,
        persona=persona,
        name="  Getting a new site online ",
        description="From first call to go-live.",
    )

    journey_map.refresh_from_db()
    assert (journey_map.name, journey_map.version, journey_map.owner) == (
        "Getting a new site online",
        "as_is",
        owner,
    )


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": "  "}, "name"),
        ({"name": "x" * 161}, "name"),
        ({"name": "Online", "version": "someday"}, "version"),
        ({"name": "Online", "persona": None}, "persona"),
        ({"name": "Online", "persona": "Orla"}, "persona"),
        ({"name": "Online", "based_on": "map 3"}, "based_on"),
    ],
)
def test_bad_map_input_names_the_field_and_saves_nothing(administrator, persona, fields, field):
    with pytest.raises(ApplicationError) as caught:
        services.journey_map_create(actor=administrator, **({"persona": persona} | fields))

    assert field in caught.value.fields
    assert not JourneyMap.objects.exists()


def test_a_second_map_of_the_same_name_and_version_for_the_persona_is_a_conflict(owner, persona):
    JourneyMapFactory(persona=persona, name="Getting online")

    with pytest.raises(ApplicationError) as caught:
        services.journey_map_create(actor=owner, persona=persona, name="GETTING ONLINE")

    assert (caught.value.code, caught.value.status) == ("duplicate", 409)
    assert "already has a map called" in caught.value.fields["name"][0]
    assert JourneyMap.objects.count() == 1


def test_the_same_name_is_free_for_the_other_version_and_for_another_persona(owner, persona):
    JourneyMapFactory(persona=persona, name="Getting online")

    services.journey_map_create(actor=owner, persona=persona, name="Getting online", version="to_be")
    services.journey_map_create(actor=owner, persona=PersonaFactory(), name="Getting online")

    assert JourneyMap.objects.count() == 3


def test_only_a_to_be_map_is_drawn_from_an_as_is_map_of_the_same_persona(owner, persona):
    as_is = JourneyMapFactory(persona=persona)
    to_be = JourneyMapFactory(persona=persona, version="to_be")
    elsewhere = JourneyMapFactory()

    cases = [
        {"version": "as_is", "based_on": as_is},
        {"version": "to_be", "based_on": to_be},
        {"version": "to_be", "based_on": elsewhere},
    ]
    for fields in cases:
        with pytest.raises(ApplicationError) as caught:
            services.journey_map_create(actor=owner, persona=persona, name="Designed", **fields)
        assert "based_on" in caught.value.fields

    drawn = services.journey_map_create(
        actor=owner, persona=persona, name="Designed", version="to_be", based_on=as_is
    )
    assert drawn.based_on == as_is


@pytest.mark.parametrize("reader", ["desk", "analyst"])
def test_readers_may_not_write_maps_or_stages(request, reader, persona):
    actor = request.getfixturevalue(reader)
    journey_map = JourneyMapFactory(persona=persona, name="Online")
    stage = MapStageFactory(journey_map=journey_map)

    for attempt in (
        lambda: services.journey_map_create(actor=actor, persona=persona, name="Another"),
        lambda: services.journey_map_update(actor=actor, journey_map=journey_map, name="Renamed"),
        lambda: services.journey_map_delete(actor=actor, journey_map=journey_map),
        lambda: services.journey_map_copy_to_be(actor=actor, journey_map=journey_map),
        lambda: services.map_stage_create(actor=actor, journey_map=journey_map, step="offer", name="Compare"),
        lambda: services.map_stage_update(actor=actor, stage=stage, name="Renamed"),
        lambda: services.map_stage_move(actor=actor, stage=stage, direction="down"),
        lambda: services.map_stage_delete(actor=actor, stage=stage),
    ):
        with pytest.raises(PermissionDenied):
            attempt()

    assert list(JourneyMap.objects.values_list("name", flat=True)) == ["Online"]
    assert MapStage.objects.get().name == stage.name


def test_integrators_may_write_maps(integrator, persona):
    assert services.journey_map_create(actor=integrator, persona=persona, name="Online").pk


def test_updating_renames_and_unchanged_input_writes_nothing(owner, persona):
    journey_map = JourneyMapFactory(persona=persona, name="Online", description="First draft")
    before = journey_map.updated_at

    services.journey_map_update(actor=owner, journey_map=journey_map, name="Online")
    journey_map.refresh_from_db()
    assert journey_map.updated_at == before

    services.journey_map_update(actor=owner, journey_map=journey_map, name="Going live", description="")
    journey_map.refresh_from_db()
    assert (journey_map.name, journey_map.description) == ("Going live", "")


def test_renaming_onto_a_sibling_map_is_refused(owner, persona):
    JourneyMapFactory(persona=persona, name="Renewal")
    journey_map = JourneyMapFactory(persona=persona, name="Online")

    with pytest.raises(ApplicationError) as caught:
        services.journey_map_update(actor=owner, journey_map=journey_map, name="renewal")

    assert caught.value.status == 409
    journey_map.refresh_from_db()
    assert journey_map.name == "Online"


def test_an_as_is_map_with_to_be_maps_drawn_from_it_stays_as_is(owner, persona):
    as_is = JourneyMapFactory(persona=persona)
    JourneyMapFactory(persona=persona, version="to_be", based_on=as_is)

    with pytest.raises(ApplicationError) as caught:
        services.journey_map_update(actor=owner, journey_map=as_is, version="to_be")

    assert "version" in caught.value.fields
    as_is.refresh_from_db()
    assert as_is.version == "as_is"


def test_deleting_a_map_takes_its_stages_and_leaves_maps_drawn_from_it(owner, persona):
    as_is = JourneyMapFactory(persona=persona)
    MapStageFactory(journey_map=as_is)
    to_be = JourneyMapFactory(persona=persona, version="to_be", based_on=as_is)

    services.journey_map_delete(actor=owner, journey_map=as_is)

    to_be.refresh_from_db()
    assert to_be.based_on is None
    assert not MapStage.objects.exists()


def test_a_persona_with_maps_is_not_deleted_until_its_maps_go(owner, persona):
    JourneyMapFactory(persona=persona)

    with pytest.raises(ApplicationError) as caught:
        services.persona_delete(actor=owner, persona=persona)

    assert caught.value.status == 409
    assert "1 journey map" in caught.value.message
    assert JourneyMap.objects.filter(persona=persona).exists()


# --- the to-be copy -------------------------------------------------------------------------------


def test_copying_an_as_is_map_makes_a_to_be_map_with_every_stage(owner, persona):
    as_is = JourneyMapFactory(persona=persona, name="Online", description="Today")
    MapStageFactory(
        journey_map=as_is,
        step="offer",
        position=1,
        name="Compare",
        channels=["portal", "email"],
        expected_emotion=-1,
        pain_points="Prices hard to find",
        back_stage="Sales prepares the quote",
    )
    MapStageFactory(journey_map=as_is, step="explore", name="Hear of us", expected_emotion=1)

    to_be = services.journey_map_copy_to_be(actor=owner, journey_map=as_is)

    assert (to_be.name, to_be.version, to_be.based_on, to_be.persona) == ("Online", "to_be", as_is, persona)
    copied = list(
        to_be.stages.order_by("step_number", "position").values(
            "step",
            "step_number",
            "position",
            "name",
            "channels",
            "expected_emotion",
            "pain_points",
            "back_stage",
        )
    )
    assert copied == [
        {
            "step": "explore",
            "step_number": 1,
            "position": 0,
            "name": "Hear of us",
            "channels": [],
            "expected_emotion": 1,
            "pain_points": "",
            "back_stage": "",
        },
        {
            "step": "offer",
            "step_number": 3,
            "position": 1,
            "name": "Compare",
            "channels": ["portal", "email"],
            "expected_emotion": -1,
            "pain_points": "Prices hard to find",
            "back_stage": "Sales prepares the quote",
        },
    ]
    assert as_is.stages.count() == 2


def test_a_second_copy_under_the_same_name_is_refused_and_copies_nothing(owner, persona):
    as_is = JourneyMapFactory(persona=persona, name="Online")
    MapStageFactory(journey_map=as_is)
    services.journey_map_copy_to_be(actor=owner, journey_map=as_is)

    with pytest.raises(ApplicationError) as caught:
        services.journey_map_copy_to_be(actor=owner, journey_map=as_is)

    assert "name" in caught.value.fields
    assert JourneyMap.objects.count() == 2
    assert MapStage.objects.count() == 2

    renamed = services.journey_map_copy_to_be(actor=owner, journey_map=as_is, name="Online, self-service")
    assert renamed.stages.count() == 1


def test_a_to_be_map_is_not_copied_again(owner, persona):
    to_be = JourneyMapFactory(persona=persona, version="to_be")

    with pytest.raises(ApplicationError) as caught:
        services.journey_map_copy_to_be(actor=owner, journey_map=to_be)

    assert caught.value.code == "not_as_is"
    assert JourneyMap.objects.count() == 1


# --- stages ---------------------------------------------------------------------------------------


def test_a_stage_goes_last_in_its_step_and_keeps_the_steps_number(owner, persona):
    journey_map = JourneyMapFactory(persona=persona)
    first = services.map_stage_create(
        actor=owner, journey_map=journey_map, step="agree", name="Read the contract"
    )
    second = services.map_stage_create(
        actor=owner,
        journey_map=journey_map,
        step="agree",
        name="Sign",
        channels=["email", "portal", "email"],
        expected_emotion="2",
        front_stage="Account manager walks them through it",
    )
    other = services.map_stage_create(actor=owner, journey_map=journey_map, step="explore", name="Search")

    assert [(first.position, first.step_number), (second.position, second.step_number)] == [(0, 4), (1, 4)]
    assert (other.position, other.step_number) == (0, 1)
    second.refresh_from_db()
    assert (second.channels, second.expected_emotion) == (["email", "portal"], 2)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"step": "dream"}, "step"),
        ({"step": ""}, "step"),
        ({"name": " "}, "name"),
        ({"channels": ["email", "pigeon"]}, "channels"),
        ({"channels": "email"}, "channels"),
        ({"expected_emotion": 3}, "expected_emotion"),
        ({"expected_emotion": -3}, "expected_emotion"),
        ({"expected_emotion": "very"}, "expected_emotion"),
        ({"expected_emotion": True}, "expected_emotion"),
        ({"mood": "calm"}, "mood"),
    ],
)
def test_bad_stage_input_names_the_field_and_saves_nothing(owner, persona, fields, field):
    journey_map = JourneyMapFactory(persona=persona)
    before = journey_map.updated_at

    with pytest.raises(ApplicationError) as caught:
        services.map_stage_create(
            actor=owner, journey_map=journey_map, **({"step": "offer", "name": "Compare"} | fields)
        )

    assert field in caught.value.fields
    assert not MapStage.objects.exists()
    journey_map.refresh_from_db()
    assert journey_map.updated_at == before


def test_a_bad_stage_update_changes_nothing(owner):
    stage = MapStageFactory(name="Compare", expected_emotion=1)

    with pytest.raises(ApplicationError):
        services.map_stage_update(actor=owner, stage=stage, name="Compare offers", expected_emotion=5)

    stage.refresh_from_db()
    assert (stage.name, stage.expected_emotion) == ("Compare", 1)


def test_a_stage_moved_to_another_step_goes_last_there(owner, persona):
    journey_map = JourneyMapFactory(persona=persona)
    MapStageFactory(journey_map=journey_map, step="onboard", position=0)
    MapStageFactory(journey_map=journey_map, step="onboard", position=4)
    stage = MapStageFactory(journey_map=journey_map, step="agree", position=0)

    services.map_stage_update(actor=owner, stage=stage, step="onboard")

    stage.refresh_from_db()
    assert (stage.step, stage.step_number, stage.position) == ("onboard", 5, 5)


def test_a_stage_change_is_a_change_of_its_map(owner, persona):
    journey_map = JourneyMapFactory(persona=persona)
    before = journey_map.updated_at

    services.map_stage_create(actor=owner, journey_map=journey_map, step="offer", name="Compare")

    journey_map.refresh_from_db()
    assert journey_map.updated_at > before


def _order(journey_map, step):
    return list(
        journey_map.stages.filter(step=step).order_by("position", "pk").values_list("name", flat=True)
    )


def test_moving_a_stage_swaps_it_with_its_neighbour_in_the_step(owner, persona):
    journey_map = JourneyMapFactory(persona=persona)
    for position, name in enumerate(["Call", "Visit", "Quote"]):
        MapStageFactory(journey_map=journey_map, step="engage", position=position, name=name)
    MapStageFactory(journey_map=journey_map, step="offer", position=0, name="Elsewhere")
    quote = journey_map.stages.get(name="Quote")

    assert services.map_stage_move(actor=owner, stage=quote, direction="up") is True
    assert _order(journey_map, "engage") == ["Call", "Quote", "Visit"]

    call = journey_map.stages.get(name="Call")
    assert services.map_stage_move(actor=owner, stage=call, direction="up") is False
    assert services.map_stage_move(actor=owner, stage=call, direction="down") is True
    assert _order(journey_map, "engage") == ["Quote", "Call", "Visit"]
    assert _order(journey_map, "offer") == ["Elsewhere"]


def test_moving_copes_with_tied_positions(owner, persona):
    journey_map = JourneyMapFactory(persona=persona)
    first = MapStageFactory(journey_map=journey_map, step="engage", position=0, name="First")
    MapStageFactory(journey_map=journey_map, step="engage", position=0, name="Second")

    services.map_stage_move(actor=owner, stage=first, direction="down")

    assert _order(journey_map, "engage") == ["Second", "First"]


def test_a_move_in_no_known_direction_is_refused(owner):
    stage = MapStageFactory()

    with pytest.raises(ApplicationError) as caught:
        services.map_stage_move(actor=owner, stage=stage, direction="sideways")

    assert "direction" in caught.value.fields


# --- reads ----------------------------------------------------------------------------------------


def test_the_list_counts_stages_and_filters_by_persona_and_version(analyst, persona):
    as_is = JourneyMapFactory(persona=persona, name="Online")
    MapStageFactory.create_batch(3, journey_map=as_is)
    JourneyMapFactory(persona=persona, name="Online", version="to_be", based_on=as_is)
    JourneyMapFactory(name="Someone else's")

    maps = list(selectors.journey_map_list(user=analyst, persona=persona))
    assert [(m.name, m.version, m.stage_count) for m in maps] == [
        ("Online", "as_is", 3),
        ("Online", "to_be", 0),
    ]
    assert [m.version for m in selectors.journey_map_list(user=analyst, version="to_be")] == ["to_be"]
    assert len(selectors.maps_for_persona(user=analyst, persona=persona)) == 2


def test_users_without_a_role_read_no_map(persona):
    nobody = UserFactory(username="nobody")
    journey_map = JourneyMapFactory(persona=persona)

    assert not selectors.journey_map_list(user=nobody).exists()
    with pytest.raises(Http404):
        selectors.journey_map_get(user=nobody, pk=journey_map.pk)


def test_a_stage_is_found_only_under_its_own_map(analyst):
    stage = MapStageFactory()
    other = JourneyMapFactory()

    assert selectors.map_stage_get(user=analyst, journey_map=stage.journey_map, pk=stage.pk) == stage
    with pytest.raises(Http404):
        selectors.map_stage_get(user=analyst, journey_map=other, pk=stage.pk)


def test_the_map_columns_show_all_seven_steps_in_order_with_the_curve_across_stages(analyst):
    journey_map = JourneyMapFactory()
    MapStageFactory(journey_map=journey_map, step="offer", position=1, name="Decide", expected_emotion=2)
    MapStageFactory(journey_map=journey_map, step="offer", position=0, name="Compare", expected_emotion=-2)
    MapStageFactory(journey_map=journey_map, step="onboard", name="Kick-off", expected_emotion=0)

    columns = map_columns(selectors.journey_map_get(user=analyst, pk=journey_map.pk))

    assert [(c.step.value, c.stage.name if c.stage else None) for c in columns] == [
        ("explore", None),
        ("engage", None),
        ("offer", "Compare"),
        ("offer", "Decide"),
        ("agree", None),
        ("onboard", "Kick-off"),
        ("co_create", None),
        ("realize", None),
    ]
    groups = [(c.step, c.step_span) for c in columns if c.first_of_step]
    assert groups == [(step, 2 if step == JourneyStep.OFFER else 1) for step in JourneyStep]
    compare, decide, agree, kick_off = columns[2], columns[3], columns[4], columns[5]
    # The curve starts at the first stage, runs on through the empty Agree column, and ends at the last.
    assert (
        compare.curve.startswith("M50 ") and decide.curve.startswith("M0 ") and decide.curve.count("L") == 2
    )
    assert agree.curve.startswith("M0 ") and kick_off.curve.endswith(f"L50 {kick_off.point_y:g}")
    assert columns[0].curve == "" and columns[6].curve == ""
    assert compare.point_y > kick_off.point_y > decide.point_y  # −2 lowest, +2 highest on the page
    assert compare.emotion_label == "-2 Very negative"
