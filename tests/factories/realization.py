"""Factories for Realize: surveys, invitations, answers, follow-ups and value reviews. They write rows
directly, without the services' rules (no governance, no e-mail, no follow-up opened by an answer), so
tests can set up any state; a test about those rules goes through `realization.services`."""

import secrets
from datetime import date, timedelta

import factory
from django.utils import timezone

from journeys.models import JourneyStep
from realization.models import (
    FollowUp,
    FollowUpReason,
    InvitationReason,
    InvitationStatus,
    ReviewAction,
    ReviewBenefit,
    ReviewTarget,
    Survey,
    SurveyInvitation,
    SurveyResponse,
    SurveyTrigger,
    SurveyType,
    ValueReview,
)
from tests.factories.journeys import OrganizationFactory, StakeholderFactory


class SurveyFactory(factory.django.DjangoModelFactory):
    """An active CSAT survey after closed requests, to customers and users, everyone sampled."""

    class Meta:
        model = Survey

    name = factory.Sequence(lambda n: f"After a request {n}")
    survey_type = SurveyType.CSAT
    question = "How satisfied are you with how we handled your request?"
    trigger = SurveyTrigger.REQUEST_CLOSED
    sampling_percent = 100
    send_delay_hours = 24
    expiry_days = 14
    reminder_after_days = 5


class SurveyInvitationFactory(factory.django.DjangoModelFactory):
    """An invitation sent an hour ago to a consenting person of the survey's account."""

    class Meta:
        model = SurveyInvitation

    survey = factory.SubFactory(SurveyFactory)
    organization = factory.SubFactory(OrganizationFactory)
    stakeholder = factory.SubFactory(
        StakeholderFactory,
        organization=factory.SelfAttribute("..organization"),
        survey_consent=True,
        is_user=True,
        email=factory.Sequence(lambda n: f"person{n}@example.com"),
    )
    trigger_key = factory.Sequence(lambda n: f"request:{n}")
    subject = "Your request"
    step = JourneyStep.CO_CREATE
    triggered_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1, hours=1))
    status = InvitationStatus.SENT
    reason = InvitationReason.INVITED
    send_after = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    sent_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))
    nonce = factory.LazyFunction(lambda: secrets.token_hex(16))


class SurveyResponseFactory(factory.django.DjangoModelFactory):
    """An answer of 4 (satisfied) to a CSAT survey, given now, without an invitation unless given."""

    class Meta:
        model = SurveyResponse

    survey = factory.SubFactory(SurveyFactory)
    survey_type = factory.SelfAttribute("survey.survey_type")
    organization = factory.SubFactory(OrganizationFactory)
    stakeholder = factory.SubFactory(StakeholderFactory, organization=factory.SelfAttribute("..organization"))
    step = JourneyStep.CO_CREATE
    score = 4
    answered_at = factory.LazyFunction(timezone.now)


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUp

    response = factory.SubFactory(SurveyResponseFactory, score=1)
    organization = factory.SelfAttribute("response.organization")
    reason = FollowUpReason.DISSATISFIED
    due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=5))


class ValueReviewFactory(factory.django.DjangoModelFactory):
    """A planned review of last quarter, due in two weeks."""

    class Meta:
        model = ValueReview

    organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"Quarterly value review {n}")
    period_start = date(2026, 7, 1)
    period_end = date(2026, 9, 30)
    scheduled_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=14))


class ReviewBenefitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReviewBenefit

    review = factory.SubFactory(ValueReviewFactory)
    description = "Fewer hours lost to outages"
    benefit_type = "cost_reduction"
    indicator = "Hours of downtime per month"
    expected = 12000


class ReviewTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReviewTarget

    review = factory.SubFactory(ValueReviewFactory)
    name = "Invoices processed within a day"
    kind = "experience"
    comparator = "gte"
    target_value = 95
    unit = "%"


class ReviewActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReviewAction

    review = factory.SubFactory(ValueReviewFactory)
    description = "Agree a new baseline for invoice throughput"


# --- appended by the survey engine's tests: the triggers a scan reads -----------------------------------

from cocreation.models import RequestStatus  # noqa: E402
from onboarding.models import PlanStatus  # noqa: E402
from tests.factories.cocreation import RequestUpdateFactory, ServiceRequestFactory  # noqa: E402
from tests.factories.onboarding import OnboardingPlanFactory  # noqa: E402


class ClosedRequestFactory(ServiceRequestFactory):
    """A request opened two hours ago and closed an hour ago, with the history row that closed it
    (its author: `closed_by`, else nobody). Give `requester` and `assignee` as needed."""

    class Meta:
        skip_postgeneration_save = True

    status = RequestStatus.CLOSED
    opened_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=2))
    responded_at = factory.LazyAttribute(lambda request: request.opened_at)
    resolved_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))
    closed_at = factory.LazyAttribute(lambda request: request.resolved_at)
    resolution = "Reset the export settings."

    @factory.post_generation
    def closed_by(self, create, extracted, **kwargs):
        if create:
            RequestUpdateFactory(
                request=self,
                occurred_at=self.closed_at,
                author=extracted,
                from_status=RequestStatus.RESOLVED,
                to_status=RequestStatus.CLOSED,
                note="Closed.",
            )


class CompletedPlanFactory(OnboardingPlanFactory):
    """An onboarding plan completed just now."""

    status = PlanStatus.COMPLETED
    completed_at = factory.LazyFunction(timezone.now)
