"""Value reviews through their services: planning with its defaults, preparing from the business case
(amounts prorated by hand below), the targets and the period's figures, the lifecycle, the sponsor's
sign-off and what it records, read-only afterwards, actions, and who may write.

The business case's year 0 starts on the agreement's start, 1 March 2026: year 0 runs to 28 Feb 2027
(365 days), year 1 from 1 Mar 2027 to 29 Feb 2028 (366 days, 2028 is a leap year)."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from agreements.models import (
    Aggregation,
    AgreementReview,
    AgreementStatus,
    ComplianceStatus,
    ReviewCadence,
    TargetKind,
)
from journeys.base import ApplicationError
from journeys.models import JourneyEvent
from offerings.models import BusinessCaseStatus, Recurrence
from realization import selectors, services
from realization.models import (
    RealizeEventType,
    ReviewActionStatus,
    ReviewBenefit,
    ReviewTarget,
    SnapshotLevel,
    ValueReview,
    ValueReviewStatus,
    ValueSnapshot,
)
from tests.factories.agreements import AgreementFactory, ServiceLevelTargetFactory, TargetScoreFactory
from tests.factories.journeys import StakeholderFactory
from tests.factories.offerings import BenefitLineFactory, BusinessCaseFactory
from tests.factories.realization import ReviewBenefitFactory, ValueReviewFactory

pytestmark = pytest.mark.django_db

Q3_START, Q3_END = date(2026, 7, 1), date(2026, 9, 30)
HELD_ON = date(2026, 10, 14)


def snapshot(organization, month: date, *, step: str = "", **counts) -> ValueSnapshot:
    return ValueSnapshot.objects.create(
        level=SnapshotLevel.ACCOUNT,
        organization=organization,
        step=step,
        month=month,
        computed_at=datetime(2026, 10, 1, tzinfo=UTC),
        **counts,
    )


def quarter_scenario(account, sponsor) -> dict:
    """An active agreement from 1 March 2026 reviewed quarterly, its approved baseline case, two
    targets reviewed (one outcome, one experience) and one not (warranty), their scores and the
    account's value snapshots around the third quarter of 2026."""
    agreement = AgreementFactory(
        organization=account,
        title="Fleet booking SLA",
        status=AgreementStatus.ACTIVE,
        starts_on=date(2026, 3, 1),
        ends_on=date(2028, 2, 29),
        review_cadence=ReviewCadence.QUARTERLY,
        next_review_on=HELD_ON,
        customer_contact=sponsor,
    )
    case = BusinessCaseFactory(
        organization=account,
        title="Fleet booking platform",
        status=BusinessCaseStatus.APPROVED,
        is_baseline=True,
        approved_at=datetime(2026, 1, 15, 12, tzinfo=UTC),
        horizon_years=3,
    )
    savings = BenefitLineFactory(
        business_case=case,
        description="Fewer hours lost to outages",
        recurrence=Recurrence.RECURRING,
        year=0,
        last_year=2,
        amount=Decimal("36500.00"),
    )
    first_year = BenefitLineFactory(
        business_case=case,
        description="Less overtime at the depots",
        recurrence=Recurrence.RECURRING,
        year=0,
        last_year=0,
        amount=Decimal("7300.00"),
    )
    BenefitLineFactory(  # year 0 starts on 1 March: not in the third quarter
        business_case=case,
        description="Old servers sold",
        recurrence=Recurrence.ONE_OFF,
        year=0,
        last_year=None,
        amount=Decimal("5000.00"),
    )
    BenefitLineFactory(  # from year 1 on: not yet
        business_case=case,
        description="Licence savings",
        recurrence=Recurrence.RECURRING,
        year=1,
        last_year=3,
        amount=Decimal("7320.00"),
    )
    outcome = ServiceLevelTargetFactory(
        agreement=agreement,
        name="Bookings without a call",
        kind=TargetKind.OUTCOME,
        unit="%",
        comparator="gte",
        target_value=Decimal("60"),
        warning_threshold=None,
        baseline=Decimal("40"),
        aggregation=Aggregation.AVERAGE,
    )
    experience = ServiceLevelTargetFactory(
        agreement=agreement,
        name="Booking satisfaction",
        kind=TargetKind.EXPERIENCE,
        unit="of 5",
        comparator="gte",
        target_value=Decimal("4"),
        warning_threshold=None,
        aggregation=Aggregation.LATEST,
    )
    warranty = ServiceLevelTargetFactory(agreement=agreement, name="Portal availability")
    for month, value, status in (
        (date(2026, 6, 1), Decimal("10"), ComplianceStatus.BREACHED),  # before the period
        (date(2026, 7, 1), Decimal("55"), ComplianceStatus.BREACHED),
        (date(2026, 8, 1), Decimal("62"), ComplianceStatus.MET),
        (date(2026, 9, 1), Decimal("65"), ComplianceStatus.MET),
    ):
        TargetScoreFactory(
            target=outcome,
            period_start=month,
            period_end=_month_end(month),
            achieved_value=value,
            status=status,
        )
    for month, value in ((date(2026, 7, 1), Decimal("4.1")), (date(2026, 8, 1), Decimal("4.3"))):
        TargetScoreFactory(
            target=experience, period_start=month, period_end=_month_end(month), achieved_value=value
        )
    TargetScoreFactory(target=warranty, period_start=date(2026, 7, 1), period_end=date(2026, 7, 31))
    counts_july = dict(
        invitations=10,
        responses=4,
        nps_responses=4,
        promoters=2,
        detractors=1,
        csat_responses=3,
        csat_satisfied=2,
        csat_sum=11,
        ces_responses=2,
        ces_sum=11,
        touchpoints=20,
        sentiment_sum=8,
        sla_measured=4,
        sla_met=4,
    )
    snapshot(account, date(2026, 7, 1), health_score=Decimal("72.5"), health_band="healthy", **counts_july)
    snapshot(
        account,
        date(2026, 8, 1),
        invitations=10,
        responses=6,
        nps_responses=6,
        promoters=3,
        detractors=1,
        csat_responses=5,
        csat_satisfied=4,
        csat_sum=20,
        touchpoints=10,
        sentiment_sum=-2,
        sla_measured=4,
        sla_met=3,
        experience_missed=1,
        health_score=Decimal("65.0"),
        health_band="watch",
    )
    # Outside the period, or one step only: not counted.
    snapshot(account, date(2026, 6, 1), invitations=500, responses=500, nps_responses=500, promoters=500)
    snapshot(account, date(2026, 10, 1), invitations=500, responses=500, nps_responses=500, detractors=500)
    snapshot(account, date(2026, 7, 1), step="onboard", invitations=500, responses=500)
    return {
        "agreement": agreement,
        "case": case,
        "savings": savings,
        "first_year": first_year,
        "outcome": outcome,
        "experience": experience,
    }


def _month_end(first: date) -> date:
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


@pytest.fixture
def scenario(account, sponsor):
    return quarter_scenario(account, sponsor)


def plan_q3(owner, account, scenario, **extra) -> ValueReview:
    return services.review_plan(
        actor=owner, organization=account, agreement=scenario["agreement"], today=date(2026, 10, 1), **extra
    )


# --- planning ---------------------------------------------------------------------------------------


def test_a_review_of_an_agreement_takes_its_defaults_from_the_agreement(owner, account, sponsor, scenario):
    review = plan_q3(owner, account, scenario)

    assert review.status == ValueReviewStatus.PLANNED
    assert review.scheduled_on == HELD_ON  # the agreement's next review
    assert (review.period_start, review.period_end) == (Q3_START, Q3_END)  # the quarter before it
    assert review.business_case == scenario["case"]
    assert review.sponsor == sponsor  # the agreement's contact, a sponsor
    assert review.owner == owner
    assert review.title == "Value review Jul–Sep 2026: Fleet booking SLA"


def test_a_review_of_the_account_alone_looks_back_a_quarter_from_its_day(owner, account, sponsor):
    review = services.review_plan(actor=owner, organization=account, scheduled_on=date(2026, 11, 20))

    assert (review.period_start, review.period_end) == (date(2026, 8, 1), date(2026, 10, 31))
    assert review.business_case is None
    assert review.agreement is None
    assert review.sponsor == sponsor


def test_a_yearly_agreement_reviews_twelve_months_but_not_before_it_started(owner, account):
    agreement = AgreementFactory(
        organization=account,
        status=AgreementStatus.ACTIVE,
        starts_on=date(2026, 3, 10),
        review_cadence=ReviewCadence.YEARLY,
    )
    review = services.review_plan(
        actor=owner, organization=account, agreement=agreement, scheduled_on=date(2026, 12, 15)
    )

    assert (review.period_start, review.period_end) == (date(2026, 3, 10), date(2026, 11, 30))


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"period_start": date(2026, 9, 1), "period_end": date(2026, 8, 1)}, "period_end"),
        ({"period_start": date(2026, 9, 1)}, "period_end"),
        ({"scheduled_on": "2026-10-14"}, "scheduled_on"),
        ({"title": "x" * 201}, "title"),
        (
            {
                "scheduled_on": date(2026, 6, 1),
                "period_start": date(2026, 7, 1),
                "period_end": date(2026, 9, 30),
            },
            "scheduled_on",
        ),
    ],
)
def test_bad_planning_input_names_its_field_and_saves_nothing(owner, account, arguments, field):
    with pytest.raises(ApplicationError) as refused:
        services.review_plan(actor=owner, organization=account, **arguments)

    assert field in refused.value.fields
    assert not ValueReview.objects.exists()


def test_only_an_approved_baseline_of_the_account_is_reviewed_against(owner, account, other_account):
    draft = BusinessCaseFactory(organization=account, status=BusinessCaseStatus.DRAFT)
    elsewhere = BusinessCaseFactory(
        organization=other_account, status=BusinessCaseStatus.APPROVED, is_baseline=True
    )
    for case in (draft, elsewhere):
        with pytest.raises(ApplicationError) as refused:
            services.review_plan(actor=owner, organization=account, business_case=case)
        assert list(refused.value.fields) == ["business_case"]
    assert not ValueReview.objects.exists()


def test_the_sponsor_must_be_a_sponsor_of_the_account(owner, account, other_account):
    user = StakeholderFactory(organization=account, name="Tom Berg", is_sponsor=False)
    stranger = StakeholderFactory(organization=other_account, is_sponsor=True)
    for person in (user, stranger):
        with pytest.raises(ApplicationError) as refused:
            services.review_plan(actor=owner, organization=account, sponsor=person)
        assert list(refused.value.fields) == ["sponsor"]
    with pytest.raises(ApplicationError, match="Tom Berg is not a sponsor of Rentwheel Car Hire"):
        services.review_plan(actor=owner, organization=account, sponsor=user)


def test_a_draft_agreement_is_not_reviewed(owner, account):
    draft = AgreementFactory(organization=account, status=AgreementStatus.DRAFT)
    with pytest.raises(ApplicationError) as refused:
        services.review_plan(actor=owner, organization=account, agreement=draft)
    assert list(refused.value.fields) == ["agreement"]


def test_who_may_plan_a_review(owner, teammate, outsider, analyst, desk, administrator, account):
    assert services.review_plan(actor=teammate, organization=account, scheduled_on=date(2026, 10, 1))
    assert services.review_plan(actor=administrator, organization=account, scheduled_on=date(2026, 10, 1))
    with pytest.raises(Http404):
        services.review_plan(actor=outsider, organization=account)
    for reader in (analyst, desk):
        with pytest.raises(PermissionDenied):
            services.review_plan(actor=reader, organization=account)
    assert ValueReview.objects.count() == 2


# --- preparing --------------------------------------------------------------------------------------


def test_preparing_prorates_the_expected_benefits_over_the_days_of_the_period(owner, account, scenario):
    review = services.review_prepare(actor=owner, review=plan_q3(owner, account, scenario))

    assert review.status == ValueReviewStatus.PREPARED
    lines = {line.description: line.expected for line in review.benefits.all()}
    # 92 days of year 0's 365: 36,500 × 92 / 365 and 7,300 × 92 / 365. The one-off of year 0 fell on
    # 1 March, the licence savings start in year 1: neither is in the quarter.
    assert lines == {
        "Fewer hours lost to outages": Decimal("9200.00"),
        "Less overtime at the depots": Decimal("1840.00"),
    }
    assert review.figures["case"]["year_zero"] == "2026-03-01"
    assert review.figures["case"]["year_zero_basis"] == "agreement_start"


def test_a_period_across_two_case_years_prorates_each_year_by_its_own_days(owner, account, scenario):
    review = plan_q3(
        owner,
        account,
        scenario,
        scheduled_on=date(2027, 4, 12),
        period_start=date(2027, 1, 1),
        period_end=date(2027, 3, 31),
    )
    review = services.review_prepare(actor=owner, review=review)

    lines = {line.description: line.expected for line in review.benefits.order_by("position")}
    # 1 Jan–28 Feb 2027: 59 days of year 0 (365 days); March 2027: 31 days of year 1 (366 days).
    assert lines == {
        # 36,500 × 59/365 + 36,500 × 31/366 = 5,900.00 + 3,091.53
        "Fewer hours lost to outages": Decimal("8991.53"),
        # only year 0, which ends on 28 February: 7,300 × 59/365
        "Less overtime at the depots": Decimal("1180.00"),
        # years 1–3: 7,320 × 31/366
        "Licence savings": Decimal("620.00"),
    }  # the one-off of year 0 fell on 1 March 2026, outside the period


def test_a_one_off_benefit_counts_in_full_in_the_period_holding_its_year_start(owner, account, scenario):
    BenefitLineFactory(
        business_case=scenario["case"],
        description="Depot kiosks retired",
        recurrence=Recurrence.ONE_OFF,
        year=1,
        last_year=None,
        amount=Decimal("10000.00"),
    )
    before = plan_q3(
        owner,
        account,
        scenario,
        scheduled_on=date(2027, 3, 5),
        period_start=date(2027, 1, 1),
        period_end=date(2027, 2, 28),
    )
    holding = plan_q3(
        owner,
        account,
        scenario,
        scheduled_on=date(2027, 6, 5),
        period_start=date(2027, 3, 1),
        period_end=date(2027, 5, 31),
    )

    services.review_prepare(actor=owner, review=before)
    services.review_prepare(actor=owner, review=holding)

    assert not before.benefits.filter(description="Depot kiosks retired").exists()
    assert holding.benefits.get(description="Depot kiosks retired").expected == Decimal("10000.00")


def test_without_an_agreement_year_zero_starts_on_the_day_the_case_was_approved(owner, account, scenario):
    review = services.review_plan(
        actor=owner,
        organization=account,
        business_case=scenario["case"],
        scheduled_on=date(2026, 7, 10),
        period_start=date(2026, 4, 1),
        period_end=date(2026, 6, 30),
    )
    review = services.review_prepare(actor=owner, review=review)

    # Year 0 from 15 Jan 2026 (365 days); April–June is 91 days of it: 36,500 × 91/365, 7,300 × 91/365.
    assert {line.description: line.expected for line in review.benefits.all()} == {
        "Fewer hours lost to outages": Decimal("9100.00"),
        "Less overtime at the depots": Decimal("1820.00"),
    }
    assert review.figures["case"]["year_zero_basis"] == "case_approval"
    assert not review.targets.exists()


def test_preparing_copies_the_outcome_and_experience_targets_with_what_they_achieved(
    owner, account, scenario
):
    review = services.review_prepare(actor=owner, review=plan_q3(owner, account, scenario))

    targets = {line.name: line for line in review.targets.all()}
    assert set(targets) == {"Bookings without a call", "Booking satisfaction"}  # not the warranty one
    outcome = targets["Bookings without a call"]
    # The average of July to September (55, 62, 65), June left out; the worst status of the three.
    assert outcome.achieved == Decimal("60.6667")
    assert outcome.status == ComplianceStatus.BREACHED
    assert (outcome.baseline, outcome.target_value, outcome.comparator) == (
        Decimal("40"),
        Decimal("60"),
        "gte",
    )
    experience = targets["Booking satisfaction"]
    assert experience.achieved == Decimal("4.3")  # its latest period with a value: August
    assert experience.status == ComplianceStatus.MET
    detail = review.figures["targets"][str(scenario["outcome"].pk)]
    assert (detail["periods"], detail["met"], detail["breached"]) == (3, 2, 1)


def test_preparing_adds_up_the_periods_value_figures_in_the_database(owner, account, scenario):
    review = services.review_prepare(actor=owner, review=plan_q3(owner, account, scenario))

    figures = review.figures
    # July + August only (no September snapshot); June, October and the per-step row left out.
    assert figures["months"] == 2
    assert (figures["invitations"], figures["responses"]) == (20, 10)
    assert figures["response_rate"] == "50.0"
    assert figures["nps"] == "30.0"  # (5 promoters − 2 detractors) / 10 answers
    assert figures["csat_pct"] == "75.0"  # 6 of 8
    assert figures["csat_mean"] == "3.88"  # 31 / 8 = 3.875
    assert figures["ces_mean"] == "5.50"  # 11 / 2
    assert figures["sla_compliance"] == "87.5"  # 7 of 8
    assert figures["sentiment_avg"] == "0.20"  # 6 / 30
    assert figures["experience_missed"] == 1
    assert figures["health"] == {
        "month": "2026-08-01",
        "score": "65.0",
        "band": "watch",
        "is_watermelon": False,
    }


def test_a_period_without_snapshots_has_no_figures_rather_than_zeros(owner, account):
    review = services.review_plan(actor=owner, organization=account, scheduled_on=date(2026, 10, 1))
    review = services.review_prepare(actor=owner, review=review)

    assert review.figures["months"] == 0
    assert review.figures["nps"] is None
    assert review.figures["sla_compliance"] is None
    assert review.figures["health"] is None


def test_preparing_again_refreshes_the_lines_and_keeps_what_was_entered(owner, account, scenario):
    review = services.review_prepare(actor=owner, review=plan_q3(owner, account, scenario))
    savings = review.benefits.get(benefit_line=scenario["savings"])
    services.review_lines_update(
        actor=owner, review=review, benefits=[{"id": savings.pk, "realized": "9000.00", "comment": "Close."}]
    )
    scenario["savings"].amount = Decimal("73000.00")
    scenario["savings"].save()

    review = services.review_prepare(actor=owner, review=review)

    again = review.benefits.get(benefit_line=scenario["savings"])
    assert again.expected == Decimal("18400.00")
    assert (again.realized, again.comment) == (Decimal("9000.00"), "Close.")


# --- editing ----------------------------------------------------------------------------------------


@pytest.fixture
def prepared(owner, account, scenario):
    return services.review_prepare(actor=owner, review=plan_q3(owner, account, scenario))


def test_realized_values_and_comments_are_saved_per_line(owner, prepared):
    savings = prepared.benefits.get(description="Fewer hours lost to outages")
    outcome = prepared.targets.get(name="Bookings without a call")

    services.review_lines_update(
        actor=owner,
        review=prepared,
        benefits=[{"id": savings.pk, "realized": Decimal("10120.00"), "comment": "Two outages fewer."}],
        targets=[{"id": outcome.pk, "achieved": "61", "comment": "Recounted with the depots."}],
    )

    savings.refresh_from_db()
    outcome.refresh_from_db()
    assert savings.realized == Decimal("10120.00")
    assert savings.variance == Decimal("920.00")
    assert savings.variance_pct == Decimal("10")
    assert outcome.achieved == Decimal("61")
    assert outcome.status == ComplianceStatus.MET  # follows the rule (≥ 60) when not given
    assert outcome.comment == "Recounted with the depots."


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ({"realized": "12.345"}, "benefits.1.realized"),
        ({"realized": "lots"}, "benefits.1.realized"),
        ({"id": 999999, "realized": "1"}, "benefits.1.id"),
        ({"colour": "red"}, "benefits.1.colour"),
        ({"comment": 5}, "benefits.1.comment"),
    ],
)
def test_a_bad_line_names_its_place_and_nothing_is_saved(owner, prepared, row, field):
    savings = prepared.benefits.get(description="Fewer hours lost to outages")
    overtime = prepared.benefits.get(description="Less overtime at the depots")

    with pytest.raises(ApplicationError) as refused:
        services.review_lines_update(
            actor=owner,
            review=prepared,
            benefits=[{"id": overtime.pk, "realized": "5"}, {"id": savings.pk, **row}],
        )

    assert list(refused.value.fields) == [field]
    overtime.refresh_from_db()
    assert overtime.realized is None


def test_a_line_given_twice_is_refused(owner, prepared):
    savings = prepared.benefits.get(description="Fewer hours lost to outages")
    with pytest.raises(ApplicationError) as refused:
        services.review_lines_update(
            actor=owner, review=prepared, benefits=[{"id": savings.pk, "realized": "1"}, {"id": savings.pk}]
        )
    assert list(refused.value.fields) == ["benefits.1.id"]


def test_the_analysis_answers_merge_by_question_and_an_unknown_question_is_named(owner, prepared):
    services.review_update(actor=owner, review=prepared, analysis={"targets_met": "Mostly.", "trends": "Up."})
    services.review_update(actor=owner, review=prepared, analysis={"trends": "", "structural": "None found."})
    prepared.refresh_from_db()
    assert prepared.analysis == {"targets_met": "Mostly.", "structural": "None found."}

    with pytest.raises(ApplicationError) as refused:
        services.review_update(
            actor=owner, review=prepared, analysis={"weather": "Sunny"}, decisions="Keep on."
        )
    assert list(refused.value.fields) == ["analysis.weather"]
    prepared.refresh_from_db()
    assert prepared.decisions == ""


def test_the_next_review_comes_after_this_one(owner, prepared):
    with pytest.raises(ApplicationError) as refused:
        services.review_update(actor=owner, review=prepared, next_review_on=date(2026, 10, 1))
    assert list(refused.value.fields) == ["next_review_on"]


def test_changing_the_period_of_a_prepared_review_prepares_it_again(owner, prepared):
    services.review_update(
        actor=owner, review=prepared, period_start=date(2026, 7, 1), period_end=date(2026, 7, 31)
    )
    savings = prepared.benefits.get(description="Fewer hours lost to outages")
    assert savings.expected == Decimal("3100.00")  # 36,500 × 31/365


# --- the lifecycle and the sign-off --------------------------------------------------------------------


def test_a_move_the_lifecycle_does_not_allow_is_refused_naming_to_status(owner, account, scenario):
    review = plan_q3(owner, account, scenario)

    with pytest.raises(ApplicationError) as refused:
        services.review_transition(actor=owner, review=review, to_status=ValueReviewStatus.HELD)

    assert refused.value.status == 409
    assert refused.value.code == "transition_not_allowed"
    assert "to_status" in refused.value.fields
    assert "it can move to “prepared” or “cancelled”" in refused.value.message
    with pytest.raises(ApplicationError) as unknown:
        services.review_transition(actor=owner, review=review, to_status="done")
    assert list(unknown.value.fields) == ["to_status"]


def test_holding_a_review_dates_it(owner, prepared):
    held = services.review_transition(actor=owner, review=prepared, to_status="held", today=HELD_ON)
    assert (held.status, held.held_on) == (ValueReviewStatus.HELD, HELD_ON)

    back = services.review_transition(actor=owner, review=held, to_status="prepared")
    assert back.status == ValueReviewStatus.PREPARED
    assert back.benefits.count() == 2  # going back does not prepare it again


def test_signing_off_is_not_a_plain_move(owner, prepared):
    held = services.review_transition(actor=owner, review=prepared, to_status="held", today=HELD_ON)
    with pytest.raises(ApplicationError) as refused:
        services.review_transition(actor=owner, review=held, to_status="signed_off")
    assert list(refused.value.fields) == ["to_status"]


@pytest.fixture
def held(owner, prepared):
    return services.review_transition(actor=owner, review=prepared, to_status="held", today=HELD_ON)


def test_the_sponsor_signs_a_held_review_off(owner, held, sponsor, scenario):
    signed = services.review_sign_off(
        actor=owner,
        review=held,
        sponsor=sponsor,
        signed_off_by_name=" Ana Ferreira ",
        sign_off_note="Agreed.",
    )

    assert signed.status == ValueReviewStatus.SIGNED_OFF
    assert (signed.signed_off_by_name, signed.sign_off_note) == ("Ana Ferreira", "Agreed.")
    assert signed.signed_off_at is not None
    assert signed.sign_off_recorded_by == owner
    event = JourneyEvent.objects.get(event_type=RealizeEventType.VALUE_REVIEW_SIGNED_OFF)
    assert event.organization_id == held.organization_id
    assert event.payload["review"] == held.pk
    assert event.payload["benefits_expected"] == "11040.00"
    # The agreement's review is recorded, and its next review planned a quarter after the day held.
    agreement_review = AgreementReview.objects.get(agreement=scenario["agreement"])
    assert agreement_review.held_on == HELD_ON
    scenario["agreement"].refresh_from_db()
    assert scenario["agreement"].next_review_on == date(2027, 1, 14)
    assert signed.next_review_on == date(2027, 1, 14)


def test_the_sign_off_needs_a_sponsor_of_the_account_and_the_signed_name(owner, held, account):
    colleague = StakeholderFactory(organization=account, is_sponsor=False)
    with pytest.raises(ApplicationError) as refused:
        services.review_sign_off(actor=owner, review=held, sponsor=colleague, signed_off_by_name="")
    assert set(refused.value.fields) == {"sponsor", "signed_off_by_name"}
    held.refresh_from_db()
    assert held.status == ValueReviewStatus.HELD
    assert not AgreementReview.objects.exists()
    assert not JourneyEvent.objects.filter(event_type=RealizeEventType.VALUE_REVIEW_SIGNED_OFF).exists()


def test_only_a_held_review_is_signed_off(owner, prepared, sponsor):
    with pytest.raises(ApplicationError) as refused:
        services.review_sign_off(actor=owner, review=prepared, sponsor=sponsor, signed_off_by_name="Ana")
    assert refused.value.status == 409


def test_a_signed_off_review_no_longer_changes(owner, held, sponsor):
    signed = services.review_sign_off(actor=owner, review=held, signed_off_by_name="Ana Ferreira")
    line = signed.benefits.first()
    writes = [
        lambda: services.review_update(actor=owner, review=signed, comments="Changed my mind."),
        lambda: services.review_lines_update(
            actor=owner, review=signed, benefits=[{"id": line.pk, "realized": "1"}]
        ),
        lambda: services.review_action_add(actor=owner, review=signed, description="Another"),
        lambda: services.review_prepare(actor=owner, review=signed),
        lambda: services.review_transition(actor=owner, review=signed, to_status="prepared"),
        lambda: services.review_sign_off(actor=owner, review=signed, signed_off_by_name="Someone else"),
    ]
    for write in writes:
        with pytest.raises(ApplicationError) as refused:
            write()
        assert refused.value.status == 409
    signed.refresh_from_db()
    assert signed.comments == "" and signed.signed_off_by_name == "Ana Ferreira"
    line.refresh_from_db()
    assert line.realized is None


def test_a_cancelled_review_keeps_why(owner, account, scenario):
    review = plan_q3(owner, account, scenario)
    cancelled = services.review_cancel(actor=owner, review=review, reason="The sponsor left the company.")
    assert cancelled.status == ValueReviewStatus.CANCELLED
    assert "The sponsor left the company." in cancelled.comments
    with pytest.raises(ApplicationError):
        services.review_update(actor=owner, review=cancelled, title="Again")


# --- actions ----------------------------------------------------------------------------------------


def test_actions_are_added_assigned_and_done_even_after_the_sign_off(owner, teammate, held):
    action = services.review_action_add(
        actor=owner,
        review=held,
        description="Agree a new baseline",
        owner=teammate,
        due_on=date(2026, 11, 30),
    )
    services.review_sign_off(actor=owner, review=held, signed_off_by_name="Ana Ferreira")

    done = services.review_action_update(actor=teammate, action=action, status=ReviewActionStatus.DONE)
    assert done.status == ReviewActionStatus.DONE and done.done_at is not None
    with pytest.raises(ApplicationError) as refused:
        services.review_action_update(actor=owner, action=action, description="Something else")
    assert refused.value.status == 409 and list(refused.value.fields) == ["description"]


def test_an_action_needs_what_is_to_be_done_and_an_owner_who_works_with_accounts(owner, analyst, prepared):
    with pytest.raises(ApplicationError) as refused:
        services.review_action_add(actor=owner, review=prepared, description=" ", owner=analyst)
    assert set(refused.value.fields) == {"description", "owner"}
    assert not prepared.actions.exists()


# --- what is coming up ------------------------------------------------------------------------------


def test_upcoming_lists_reviews_due_and_agreements_due_without_a_review(
    owner, outsider, account, other_account
):
    today = date(2026, 11, 23)
    due = ValueReviewFactory(organization=account, title="Due soon", scheduled_on=date(2026, 12, 1))
    ValueReviewFactory(organization=account, title="Far away", scheduled_on=date(2027, 6, 1))
    ValueReviewFactory(organization=account, title="Done", scheduled_on=date(2026, 12, 2), status="cancelled")
    overdue = ValueReviewFactory(organization=account, title="Overdue", scheduled_on=date(2026, 11, 1))
    lonely = AgreementFactory(
        organization=account,
        title="No review yet",
        status=AgreementStatus.ACTIVE,
        next_review_on=date(2026, 12, 10),
    )
    covered = AgreementFactory(
        organization=account, title="Covered", status=AgreementStatus.ACTIVE, next_review_on=date(2026, 12, 5)
    )
    ValueReviewFactory(
        organization=account, agreement=covered, title="Covering", scheduled_on=date(2026, 12, 5)
    )
    ValueReviewFactory(organization=other_account, title="Not mine", scheduled_on=date(2026, 12, 1))

    items = selectors.reviews_upcoming(user=owner, today=today)

    assert [(item.kind, item.title) for item in items] == [
        ("review", "Overdue"),
        ("review", "Due soon"),
        ("review", "Covering"),
        ("agreement", "No review yet"),
    ]
    assert items[0].is_overdue and items[0].url == f"/realize/reviews/{overdue.pk}/"
    assert items[1].review_id == due.pk
    assert items[3].url == f"/realize/reviews/new/?organization={account.pk}&agreement={lonely.pk}"
    assert selectors.reviews_upcoming(user=owner, today=today, limit=2)[1].title == "Due soon"
    assert [item.title for item in selectors.reviews_upcoming(user=outsider, today=today)] == ["Not mine"]
    other = AgreementFactory(
        organization=other_account, status=AgreementStatus.ACTIVE, next_review_on=date(2026, 12, 1)
    )
    of_one = selectors.reviews_upcoming(user=outsider, organization=other_account, today=today)
    assert [(item.kind, item.title) for item in of_one] == [
        ("review", "Not mine"),
        ("agreement", other.title),
    ]
    assert selectors.reviews_upcoming(user=owner, organization=other_account.pk, today=today) == []


def test_the_totals_compare_only_the_lines_with_a_realized_value(owner, account):
    review = ValueReviewFactory(organization=account)
    ReviewBenefitFactory(review=review, expected=Decimal("1000.00"), realized=Decimal("1200.00"))
    ReviewBenefitFactory(review=review, expected=Decimal("500.00"), realized=None)

    totals = selectors.review_totals(review)

    assert totals["expected"] == Decimal("1500.00")
    assert totals["realized"] == Decimal("1200.00")
    assert totals["variance"] == Decimal("200.00")
    assert totals["variance_pct"] == Decimal("20.0")
    assert totals["missing"] == 1
    assert ReviewBenefit.objects.count() == 2 and ReviewTarget.objects.count() == 0
