"""Writes of SWOT and PESTLE analyses: subject rules, ranges, rights, and pulling PESTLE factors into a
SWOT. Every refusal names its field and leaves the database as it was."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from exploration import services
from exploration.models import (
    AnalysisSubject,
    PestleAnalysis,
    PestleFactor,
    SwotAnalysis,
    SwotItem,
)
from journeys.base import ApplicationError
from tests.factories.analyses import (
    PestleAnalysisFactory,
    PestleFactorFactory,
    SwotAnalysisFactory,
    SwotItemFactory,
)
from tests.factories.exploration import MarketSegmentFactory

pytestmark = pytest.mark.django_db


def fields_of(error: pytest.ExceptionInfo) -> set[str]:
    return set(error.value.fields)


# --- creating and changing analyses ---------------------------------------------------------------


def test_a_swot_of_our_own_organization_needs_only_a_title(owner):
    analysis = services.swot_analysis_create(actor=owner, title="  Where we stand  ")

    assert analysis.subject == AnalysisSubject.PROVIDER
    assert analysis.title == "Where we stand"
    assert analysis.owner == owner
    assert analysis.analysed_on == datetime.date.today()


def test_a_swot_of_an_organization_names_one_the_actor_may_see(owner, account):
    analysis = services.swot_analysis_create(
        actor=owner, title="Rentwheel", subject="organization", organization=account
    )

    assert analysis.organization == account


def test_an_organization_subject_without_organization_is_refused_under_organization(owner):
    with pytest.raises(ApplicationError) as error:
        services.swot_analysis_create(actor=owner, title="Nobody", subject="organization")

    assert fields_of(error) == {"organization"}
    assert not SwotAnalysis.objects.exists()


def test_an_organization_the_actor_may_not_see_is_refused_like_a_missing_one(outsider, other_team, account):
    with pytest.raises(ApplicationError) as error:
        services.pestle_analysis_create(
            actor=outsider, title="Spying", subject="organization", organization=account
        )

    assert error.value.fields == {"organization": ["Choose one of the organizations you look after."]}
    assert not PestleAnalysis.objects.exists()


def test_a_link_that_does_not_fit_the_subject_is_refused_under_its_field(owner, account):
    segment = MarketSegmentFactory()

    with pytest.raises(ApplicationError) as error:
        services.swot_analysis_create(
            actor=owner, title="Mixed", subject="provider", organization=account, segment=segment
        )

    assert fields_of(error) == {"organization", "segment"}
    assert not SwotAnalysis.objects.exists()


def test_a_segment_subject_needs_its_segment(owner):
    with pytest.raises(ApplicationError) as error:
        services.pestle_analysis_create(actor=owner, title="Which?", subject="segment")

    assert fields_of(error) == {"segment"}


def test_an_unknown_subject_and_an_empty_title_are_both_reported(owner):
    with pytest.raises(ApplicationError) as error:
        services.swot_analysis_create(actor=owner, title=" ", subject="planet")

    assert fields_of(error) == {"subject", "title"}
    assert not SwotAnalysis.objects.exists()


def test_switching_the_subject_to_our_own_organization_clears_the_organization(owner, account):
    analysis = SwotAnalysisFactory(organization=account)

    analysis = services.swot_analysis_update(actor=owner, analysis=analysis, subject="provider")

    analysis.refresh_from_db()
    assert (analysis.subject, analysis.organization) == ("provider", None)


def test_a_refused_update_changes_nothing(owner, account):
    analysis = SwotAnalysisFactory(organization=account, title="Before")

    with pytest.raises(ApplicationError):
        services.swot_analysis_update(actor=owner, analysis=analysis, title="After", subject="segment")

    analysis.refresh_from_db()
    assert (analysis.title, analysis.subject) == ("Before", "organization")


def test_desk_and_analyst_may_not_write(desk, analyst):
    for persona in (desk, analyst):
        with pytest.raises(PermissionDenied):
            services.swot_analysis_create(actor=persona, title="Not mine to make")
    assert not SwotAnalysis.objects.exists()


def test_an_outsider_gets_404_for_an_account_analysis_and_writes_nothing(outsider, other_team, account):
    analysis = SwotAnalysisFactory(organization=account)
    item = SwotItemFactory(analysis=analysis, text="Kept")

    with pytest.raises(Http404):
        services.swot_item_update(actor=outsider, item=item, text="Changed")
    with pytest.raises(Http404):
        services.swot_analysis_delete(actor=outsider, analysis=analysis)

    item.refresh_from_db()
    assert item.text == "Kept"


def test_any_relationship_manager_shapes_the_provider_wide_analyses(outsider, other_team):
    analysis = SwotAnalysisFactory()

    item = services.swot_item_add(
        actor=outsider, analysis=analysis, quadrant="strength", text="Round the clock"
    )

    assert item.analysis == analysis


def test_deleting_a_pestle_keeps_the_swot_items_pulled_from_it(owner):
    pestle = PestleAnalysisFactory()
    factor = PestleFactorFactory(analysis=pestle)
    swot = SwotAnalysisFactory()
    services.swot_pull_pestle_factors(actor=owner, analysis=swot, factors=[factor])

    services.pestle_analysis_delete(actor=owner, analysis=pestle)

    assert SwotItem.objects.filter(analysis=swot, pestle_factor=None).count() == 1


# --- SWOT items -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"quadrant": "luck", "text": "x", "weight": 1}, "quadrant"),
        ({"quadrant": "strength", "text": "   ", "weight": 1}, "text"),
        ({"quadrant": "strength", "text": "x" * 301, "weight": 1}, "text"),
        ({"quadrant": "strength", "text": "x", "weight": 0}, "weight"),
        ({"quadrant": "strength", "text": "x", "weight": 6}, "weight"),
        ({"quadrant": "strength", "text": "x", "weight": "heavy"}, "weight"),
    ],
)
def test_a_bad_item_is_refused_under_its_field_and_not_saved(owner, data, field):
    analysis = SwotAnalysisFactory()

    with pytest.raises(ApplicationError) as error:
        services.swot_item_add(actor=owner, analysis=analysis, **data)

    assert fields_of(error) == {field}
    assert not SwotItem.objects.exists()


def test_an_item_update_with_a_bad_weight_keeps_the_old_values(owner):
    item = SwotItemFactory(weight=2, text="Old")

    with pytest.raises(ApplicationError) as error:
        services.swot_item_update(actor=owner, item=item, text="New", weight=9)

    assert fields_of(error) == {"weight"}
    item.refresh_from_db()
    assert (item.text, item.weight) == ("Old", 2)


def test_an_item_pulled_from_pestle_stays_outside(owner):
    swot = SwotAnalysisFactory()
    [item] = services.swot_pull_pestle_factors(actor=owner, analysis=swot, factors=[PestleFactorFactory()])

    with pytest.raises(ApplicationError) as error:
        services.swot_item_update(actor=owner, item=item, quadrant="strength")

    assert fields_of(error) == {"quadrant"}


# --- pulling PESTLE factors -----------------------------------------------------------------------


def test_pulling_turns_opportunities_and_threats_into_items_weighted_by_impact(owner):
    pestle = PestleAnalysisFactory()
    chance = PestleFactorFactory(
        analysis=pestle,
        factor="Hybrid work",
        description="Support everywhere",
        impact=4,
        effect="opportunity",
    )
    risk = PestleFactorFactory(analysis=pestle, factor="Inflation", impact=5, effect="threat")
    swot = SwotAnalysisFactory()

    items = services.swot_pull_pestle_factors(actor=owner, analysis=swot, factors=[chance, risk.pk])

    assert {(item.quadrant, item.text, item.weight, item.pestle_factor) for item in items} == {
        ("opportunity", "Hybrid work: Support everywhere", 4, chance),
        ("threat", "Inflation", 5, risk),
    }


def test_pulling_the_same_factor_twice_adds_it_once(owner):
    factor = PestleFactorFactory()
    swot = SwotAnalysisFactory()
    services.swot_pull_pestle_factors(actor=owner, analysis=swot, factors=[factor])

    again = services.swot_pull_pestle_factors(actor=owner, analysis=swot, factors=[factor, factor.pk])

    assert again == []
    assert SwotItem.objects.filter(analysis=swot).count() == 1


def test_factors_of_an_analysis_the_actor_may_not_see_are_refused_under_factors(
    outsider, other_team, owner, account
):
    hidden = PestleFactorFactory(analysis=PestleAnalysisFactory(organization=account))
    visible = PestleFactorFactory()
    swot = SwotAnalysisFactory()

    with pytest.raises(ApplicationError) as error:
        services.swot_pull_pestle_factors(actor=outsider, analysis=swot, factors=[visible, hidden])

    assert fields_of(error) == {"factors"}
    assert str(hidden.pk) in error.value.fields["factors"][0]
    assert not SwotItem.objects.exists()


def test_factors_of_another_subject_are_refused(owner, account):
    provider_factor = PestleFactorFactory()
    swot = SwotAnalysisFactory(organization=account)

    with pytest.raises(ApplicationError) as error:
        services.swot_pull_pestle_factors(actor=owner, analysis=swot, factors=[provider_factor])

    assert fields_of(error) == {"factors"}


def test_pulling_nothing_or_unknown_ids_is_refused(owner):
    swot = SwotAnalysisFactory()

    for factors in ([], [987654]):
        with pytest.raises(ApplicationError) as error:
            services.swot_pull_pestle_factors(actor=owner, analysis=swot, factors=factors)
        assert fields_of(error) == {"factors"}


# --- PESTLE factors -------------------------------------------------------------------------------


def test_a_factor_is_recorded_with_its_area_effect_and_figures(owner):
    pestle = PestleAnalysisFactory()

    factor = services.pestle_factor_add(
        actor=owner,
        analysis=pestle,
        area="environmental",
        factor=" Energy supply ",
        effect="threat",
        impact=3,
        likelihood=4,
    )

    assert (factor.area, factor.factor, factor.effect, factor.impact, factor.likelihood) == (
        "environmental",
        "Energy supply",
        "threat",
        3,
        4,
    )


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        ({"area": "galactic"}, {"area"}),
        ({"effect": "maybe"}, {"effect"}),
        ({"impact": 0, "likelihood": 6}, {"impact", "likelihood"}),
        ({"factor": ""}, {"factor"}),
    ],
)
def test_a_bad_factor_is_refused_under_its_fields_and_not_saved(owner, change, fields):
    pestle = PestleAnalysisFactory()
    data = {"area": "legal", "factor": "Employment law", "effect": "threat"} | change

    with pytest.raises(ApplicationError) as error:
        services.pestle_factor_add(actor=owner, analysis=pestle, **data)

    assert fields_of(error) == fields
    assert not PestleFactor.objects.exists()


def test_a_factor_update_and_removal(owner):
    factor = PestleFactorFactory(impact=2)

    services.pestle_factor_update(actor=owner, pestle_factor=factor, impact=5, description="Now pressing")
    factor.refresh_from_db()
    assert (factor.impact, factor.description) == (5, "Now pressing")

    services.pestle_factor_remove(actor=owner, pestle_factor=factor)
    assert not PestleFactor.objects.exists()
