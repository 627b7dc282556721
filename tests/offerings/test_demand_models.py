"""The database's guards on requirements, demand profiles and opportunities, and the figures the
models derive (WSJF score, INVEST check, MoSCoW order in the database)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from offerings.models import (
    DemandDimension,
    DemandProfile,
    DemandProfileCell,
    DemandProfileSource,
    MoscowCategory,
    NonFunctionalCategory,
    Requirement,
    RequirementKind,
    RequirementStatus,
    moscow_order,
    wsjf_score_expression,
)
from offerings.prioritization import MOSCOW_ORDER, InvestCriterion
from tests.factories.offerings import (
    DemandProfileCellFactory,
    DemandProfileFactory,
    OpportunityFactory,
    RequirementFactory,
    ServiceOfferingFactory,
)

pytestmark = pytest.mark.django_db

UNSCORED = dict(service_impact=None, urgency=None, risk_reduction=None, job_size=None)


# --- WSJF -------------------------------------------------------------------------------------------


def test_the_database_refuses_a_job_size_of_zero(account):
    with pytest.raises(IntegrityError), transaction.atomic():
        RequirementFactory(organization=account, job_size=0)


def test_model_validation_explains_a_job_size_of_zero(account):
    requirement = RequirementFactory.build(organization=account, job_size=0)

    with pytest.raises(ValidationError) as error:
        requirement.full_clean()

    assert error.value.message_dict == {
        "job_size": ["The job size is 1 or more: a job of size zero cannot be ranked."]
    }


@pytest.mark.parametrize("field", ["service_impact", "urgency", "risk_reduction"])
@pytest.mark.parametrize("value", [0, 4, 21])
def test_the_database_refuses_a_cost_of_delay_component_off_the_scale(account, field, value):
    with pytest.raises(IntegrityError), transaction.atomic():
        RequirementFactory(organization=account, **{field: value})


@pytest.mark.parametrize("missing", ["service_impact", "urgency", "risk_reduction", "job_size"])
def test_the_wsjf_figures_are_scored_together(account, missing):
    with pytest.raises(IntegrityError), transaction.atomic():
        RequirementFactory(organization=account, **{missing: None})


def test_model_validation_names_the_wsjf_figures_left_out(account):
    requirement = RequirementFactory.build(organization=account, urgency=None, job_size=None)

    with pytest.raises(ValidationError) as error:
        requirement.full_clean()

    assert set(error.value.message_dict) == {"urgency", "job_size"}


def test_an_unscored_requirement_has_no_score(account):
    requirement = RequirementFactory(organization=account, **UNSCORED)

    assert not requirement.is_scored
    assert requirement.cost_of_delay is None
    assert requirement.wsjf_score is None


def test_a_scored_requirement_has_its_cost_of_delay_and_score(account):
    # (3 + 5 + 2) / 5 = 2.
    requirement = RequirementFactory(organization=account)

    assert requirement.cost_of_delay == 10
    assert requirement.wsjf_score == Decimal("2.00")


def test_the_database_ranks_by_the_same_wsjf_score_as_python(account):
    # Scores: 26/3 = 8.67, 10/5 = 2.00, 5/8 = 0.63, unscored last.
    for title, scores in [
        ("low", dict(service_impact=1, urgency=1, risk_reduction=3, job_size=8)),
        ("unscored", UNSCORED),
        ("high", dict(service_impact=8, urgency=13, risk_reduction=5, job_size=3)),
        ("middle", {}),
    ]:
        RequirementFactory(organization=account, title=title, **scores)

    ranked = Requirement.objects.annotate(score=wsjf_score_expression()).order_by(
        F("score").desc(nulls_last=True)
    )

    assert [(r.title, r.wsjf_score) for r in ranked] == [
        ("high", Decimal("8.67")),
        ("middle", Decimal("2.00")),
        ("low", Decimal("0.63")),
        ("unscored", None),
    ]
    assert ranked[0].score == pytest.approx(26 / 3)


def test_a_large_job_size_is_accepted(account):
    requirement = RequirementFactory(organization=account, job_size=40)

    assert requirement.wsjf_score == Decimal("0.25")


# --- kinds, lifecycle and MoSCoW ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [("kind", "functional"), ("status", "done"), ("moscow", "may"), ("non_functional_category", "speed")],
)
def test_unknown_choices_are_refused(account, field, value):
    kind = {"kind": RequirementKind.NON_FUNCTIONAL} if field == "non_functional_category" else {}

    with pytest.raises(IntegrityError), transaction.atomic():
        RequirementFactory(organization=account, **{**kind, field: value})


def test_only_a_non_functional_requirement_has_a_non_functional_category(account):
    RequirementFactory(
        organization=account,
        kind=RequirementKind.NON_FUNCTIONAL,
        non_functional_category=NonFunctionalCategory.SECURITY,
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        RequirementFactory(
            organization=account,
            kind=RequirementKind.UTILITY,
            non_functional_category=NonFunctionalCategory.SECURITY,
        )


@pytest.mark.parametrize(
    "status",
    [
        RequirementStatus.ACCEPTANCE_DEFINED,
        RequirementStatus.PRIORITIZED,
        RequirementStatus.IN_SPRINT,
    ],
)
def test_from_the_acceptance_test_on_a_requirement_needs_acceptance_criteria(account, status):
    with pytest.raises(IntegrityError), transaction.atomic():
        RequirementFactory(organization=account, status=status, acceptance_criteria="")


def test_before_the_acceptance_test_a_requirement_may_go_without_criteria(account):
    requirement = RequirementFactory(
        organization=account, status=RequirementStatus.DRAFTED, acceptance_criteria=""
    )

    assert requirement.pk


def test_a_prioritized_requirement_needs_its_moscow_category(account):
    with pytest.raises(IntegrityError), transaction.atomic():
        RequirementFactory(
            organization=account,
            status=RequirementStatus.PRIORITIZED,
            acceptance_criteria="Booked in 2 min",
            moscow="",
        )


def test_a_deferred_requirement_is_a_wont_have(account):
    RequirementFactory(organization=account, status=RequirementStatus.DEFERRED, moscow=MoscowCategory.WONT)

    with pytest.raises(IntegrityError), transaction.atomic():
        RequirementFactory(
            organization=account, status=RequirementStatus.DEFERRED, moscow=MoscowCategory.COULD
        )


def test_a_validated_requirement_records_when(account):
    with pytest.raises(IntegrityError), transaction.atomic():
        RequirementFactory(
            organization=account, status=RequirementStatus.VALIDATED, acceptance_criteria="Booked in 2 min"
        )

    requirement = RequirementFactory(
        organization=account,
        status=RequirementStatus.VALIDATED,
        acceptance_criteria="Booked in 2 min",
        validated_at=timezone.now(),
    )
    assert requirement.pk


def test_model_validation_explains_the_lifecycle_rules(account):
    requirement = RequirementFactory.build(
        organization=account, status=RequirementStatus.DEFERRED, moscow=MoscowCategory.MUST
    )

    with pytest.raises(ValidationError) as error:
        requirement.full_clean()

    assert error.value.message_dict["moscow"] == ["A deferred requirement is a won't-have for this time."]


def test_the_moscow_choices_and_the_ranking_order_agree():
    assert tuple(MoscowCategory.values) == MOSCOW_ORDER


def test_the_database_orders_requirements_must_should_could_wont_then_uncategorized(account):
    for title, moscow in [("c", "could"), ("none", ""), ("w", "wont"), ("m", "must"), ("s", "should")]:
        RequirementFactory(organization=account, title=title, moscow=moscow)

    titles = Requirement.objects.order_by(moscow_order(), "rank").values_list("title", flat=True)

    assert list(titles) == ["m", "s", "c", "w", "none"]


def test_reprioritizing_leaves_a_history_row(account):
    requirement = RequirementFactory(organization=account, moscow=MoscowCategory.SHOULD)

    requirement.moscow = MoscowCategory.MUST
    requirement.save()

    assert [row.moscow for row in requirement.history.all()] == ["must", "should"]


def test_the_requirement_reads_as_a_user_story_and_runs_the_invest_check(account):
    requirement = RequirementFactory(
        organization=account,
        is_independent=True,
        is_negotiable=True,
        is_valuable=True,
        is_estimable=True,
        is_small=False,
        is_testable=True,
        acceptance_criteria="",
    )

    assert requirement.user_story == (
        "As a fleet manager, I want to book a replacement car from my phone, "
        "so that drivers are back on the road the same day."
    )
    assert requirement.invest.failed_criteria == (InvestCriterion.SMALL, InvestCriterion.TESTABLE)


def test_deleting_the_offering_keeps_the_requirement(account):
    offering = ServiceOfferingFactory()
    requirement = RequirementFactory(organization=account, offering=offering)

    offering.delete()
    requirement.refresh_from_db()

    assert requirement.offering is None


# --- demand profiles --------------------------------------------------------------------------------


def test_an_offering_has_one_profile_of_each_source():
    profile = DemandProfileFactory(source=DemandProfileSource.ENTERED)
    DemandProfileFactory(
        offering=profile.offering, source=DemandProfileSource.COMPUTED, computed_at=timezone.now()
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        DemandProfile.objects.create(offering=profile.offering, source=DemandProfileSource.ENTERED)


def test_a_computed_profile_records_when_it_was_computed():
    with pytest.raises(IntegrityError), transaction.atomic():
        DemandProfileFactory(source=DemandProfileSource.COMPUTED, computed_at=None)


def test_a_profile_period_cannot_end_before_it_starts():
    today = timezone.localdate()

    with pytest.raises(IntegrityError), transaction.atomic():
        DemandProfileFactory(covers_from=today, covers_to=today.replace(year=today.year - 1))


@pytest.mark.parametrize(
    ("dimension", "bucket"),
    [
        (DemandDimension.HOUR_OF_DAY, 24),
        (DemandDimension.DAY_OF_WEEK, 7),
        (DemandDimension.MONTH, 0),
        (DemandDimension.MONTH, 13),
    ],
)
def test_the_database_refuses_a_bucket_outside_its_dimension(dimension, bucket):
    with pytest.raises(IntegrityError), transaction.atomic():
        DemandProfileCellFactory(dimension=dimension, bucket=bucket)


@pytest.mark.parametrize(
    ("dimension", "bucket"),
    [
        (DemandDimension.HOUR_OF_DAY, 0),
        (DemandDimension.HOUR_OF_DAY, 23),
        (DemandDimension.DAY_OF_WEEK, 0),
        (DemandDimension.DAY_OF_WEEK, 6),
        (DemandDimension.MONTH, 1),
        (DemandDimension.MONTH, 12),
    ],
)
def test_buckets_at_the_edges_of_their_dimension_are_accepted(dimension, bucket):
    assert DemandProfileCellFactory(dimension=dimension, bucket=bucket).pk


def test_an_unknown_dimension_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        DemandProfileCellFactory(dimension="week_of_year", bucket=1)


def test_a_negative_volume_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        DemandProfileCellFactory(volume=-1)


def test_a_bucket_is_counted_once_per_dimension():
    cell = DemandProfileCellFactory(dimension=DemandDimension.MONTH, bucket=11)
    DemandProfileCellFactory(profile=cell.profile, dimension=DemandDimension.HOUR_OF_DAY, bucket=11)

    with pytest.raises(IntegrityError), transaction.atomic():
        DemandProfileCell.objects.create(profile=cell.profile, dimension=DemandDimension.MONTH, bucket=11)


def test_model_validation_explains_the_bucket_range():
    cell = DemandProfileCellFactory.build(
        profile=DemandProfileFactory(), dimension=DemandDimension.MONTH, bucket=0
    )

    with pytest.raises(ValidationError) as error:
        cell.full_clean()

    assert error.value.message_dict == {"bucket": ["For this dimension the bucket runs 1 to 12."]}


# --- opportunities ----------------------------------------------------------------------------------


def test_an_opportunity_cannot_be_worth_less_than_nothing(account):
    with pytest.raises(IntegrityError), transaction.atomic():
        OpportunityFactory(organization=account, estimated_value=Decimal("-1.00"))


def test_an_unknown_stage_is_refused(account):
    with pytest.raises(IntegrityError), transaction.atomic():
        OpportunityFactory(organization=account, stage="won")


def test_agreed_and_lost_opportunities_are_closed(account):
    assert not OpportunityFactory(organization=account, stage="proposal").is_closed
    assert OpportunityFactory(organization=account, stage="agreed").is_closed
    assert OpportunityFactory(
        organization=account, stage="lost", lost_reason="Chose a cheaper provider"
    ).is_closed
