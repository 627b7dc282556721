"""The survey reads behind the pages (and the value dashboard and the API): the formulas against sets
counted by hand, the months and the distribution of one survey, the scope of each list (an outsider's
accounts never count), and a constant number of queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from realization import selectors
from realization.models import FollowUpStatus, InvitationReason, InvitationStatus, SurveyType
from realization.services import month_bounds, month_of
from tests.factories.journeys import StakeholderFactory
from tests.factories.realization import (
    FollowUpFactory,
    SurveyFactory,
    SurveyInvitationFactory,
    SurveyResponseFactory,
)

pytestmark = pytest.mark.django_db


def answers(survey, organization, scores, **extra):
    for score in scores:
        SurveyResponseFactory(survey=survey, organization=organization, score=score, **extra)


def row_of(rows, survey):
    return next(row for row in rows if row.pk == survey.pk)


# --- the formulas ------------------------------------------------------------------------------------


def test_nps_is_promoters_less_detractors(owner, account):
    survey = SurveyFactory(name="Relationship", survey_type=SurveyType.NPS)
    answers(survey, account, [10, 9, 9, 8, 3, 6])  # 3 promoters, 1 passive, 2 detractors

    figures = row_of(selectors.survey_list(user=owner), survey).figures

    assert (figures.positive, figures.neutral, figures.negative) == (3, 1, 2)
    assert figures.nps == 17  # 50 % − 33.3 % = 16.7
    assert figures.headline == "+17"


def test_a_negative_nps_reads_with_a_minus(owner, account):
    survey = SurveyFactory(survey_type=SurveyType.NPS)
    answers(survey, account, [0, 5, 9])

    figures = row_of(selectors.survey_list(user=owner), survey).figures

    assert figures.nps == -33
    assert figures.headline == "−33"


def test_csat_is_the_share_of_four_and_five_and_the_mean(owner, account):
    survey = SurveyFactory(survey_type=SurveyType.CSAT)
    answers(survey, account, [5, 4, 4, 3, 1])

    figures = row_of(selectors.survey_list(user=owner), survey).figures

    assert figures.csat_percent == 60
    assert str(figures.mean) == "3.4"
    assert figures.headline == "60 %"
    assert figures.nps is None


def test_ces_is_the_mean(owner, account):
    survey = SurveyFactory(survey_type=SurveyType.CES)
    answers(survey, account, [7, 6, 2])

    figures = row_of(selectors.survey_list(user=owner), survey).figures

    assert str(figures.mean) == "5.0"
    assert figures.headline == "5.0"
    assert (figures.positive, figures.neutral, figures.negative) == (2, 0, 1)


def test_the_response_rate_is_answered_over_sent_in_the_last_90_days(owner, account):
    survey = SurveyFactory()
    for status in ("responded", "responded", "sent", "expired"):
        SurveyInvitationFactory(
            survey=survey,
            organization=account,
            status=status,
            responded_at=timezone.now() if status == "responded" else None,
        )
    SurveyInvitationFactory(
        survey=survey, organization=account, sent_at=timezone.now() - timedelta(days=120)
    )  # too old
    SurveyInvitationFactory(
        survey=survey,
        organization=account,
        status="not_invited",
        reason="cooldown",
        sent_at=None,
        send_after=None,
    )

    row = row_of(selectors.survey_list(user=owner), survey)

    assert (row.invited, row.answered, row.response_rate) == (4, 2, 50)


def test_a_survey_without_anything_has_no_figures(owner):
    survey = SurveyFactory()

    row = row_of(selectors.survey_list(user=owner), survey)

    assert (row.invited, row.answered, row.response_rate) == (0, 0, None)
    assert row.figures.headline == "—"


# --- scope -------------------------------------------------------------------------------------------


def test_figures_count_only_the_accounts_the_user_sees(owner, outsider, analyst, account, other_account):
    survey = SurveyFactory(survey_type=SurveyType.NPS)
    answers(survey, account, [10, 10])
    answers(survey, other_account, [0])

    assert row_of(selectors.survey_list(user=owner), survey).figures.nps == 100
    assert row_of(selectors.survey_list(user=outsider), survey).figures.nps == -100
    assert row_of(selectors.survey_list(user=analyst), survey).figures.nps == 33


def test_every_list_leaves_out_other_teams(owner, outsider, account, other_account):
    survey = SurveyFactory()
    mine = SurveyInvitationFactory(survey=survey, organization=account)
    SurveyInvitationFactory(survey=survey, organization=other_account)
    answer = SurveyResponseFactory(survey=survey, organization=account, score=1, comment="Slow.")
    SurveyResponseFactory(survey=survey, organization=other_account, score=1, comment="Rude.")
    follow_up = FollowUpFactory(response=answer, owner=owner)

    assert list(selectors.invitation_list(user=owner, survey=survey)) == [mine]
    assert list(selectors.response_list(user=owner)) == [answer]
    assert list(selectors.follow_up_list(user=owner)) == [follow_up]
    assert list(selectors.follow_up_list(user=outsider)) == []
    with pytest.raises(Http404):
        selectors.follow_up_get(user=outsider, pk=follow_up.pk)
    assert selectors.invitation_summary(user=outsider, survey=survey).total == 1


# --- one survey's results ----------------------------------------------------------------------------


def test_results_by_month_and_the_distribution(owner, account):
    survey = SurveyFactory(survey_type=SurveyType.NPS)
    now = timezone.now()
    last_month = month_bounds(month_of(now), month_of(now))[0] - timedelta(days=15)
    answers(survey, account, [10, 9, 2])
    answers(survey, account, [7, 7], answered_at=last_month)
    SurveyInvitationFactory(survey=survey, organization=account, status="responded", responded_at=now)
    SurveyInvitationFactory(survey=survey, organization=account)

    results = selectors.survey_results(survey=survey, user=owner, months=3)

    assert [row.month for row in results.months][-1] == month_of(now)
    assert len(results.months) == 3
    this, before = results.months[-1], results.months[-2]
    assert (this.figures.answers, this.figures.nps, this.invited, this.answered) == (3, 33, 2, 1)
    assert this.response_rate == 50
    assert (before.figures.answers, before.figures.nps) == (2, 0)
    assert results.totals.nps == 20  # 2 promoters, 2 passives, 1 detractor of 5
    bars = {bar.score: bar for bar in results.distribution}
    assert sorted(bars) == list(range(11))
    assert (bars[7].count, bars[7].band, bars[7].band_label, bars[7].percent) == (2, "neutral", "Passive", 40)
    assert bars[2].band == "negative" and bars[10].band == "positive"


def test_results_show_the_latest_comments(owner, account, other_account):
    survey = SurveyFactory()
    SurveyResponseFactory(survey=survey, organization=account, comment="Quick and kind.")
    SurveyResponseFactory(survey=survey, organization=account)
    SurveyResponseFactory(survey=survey, organization=other_account, comment="Not for the owner.")

    results = selectors.survey_results(survey=survey, user=owner)

    assert [answer.comment for answer in results.comments] == ["Quick and kind."]


# --- lists -------------------------------------------------------------------------------------------


def test_invitations_filter_by_reason_and_status_and_count_per_reason(owner, account):
    survey = SurveyFactory()
    invited = SurveyInvitationFactory(survey=survey, organization=account)
    cooled = SurveyInvitationFactory(
        survey=survey, organization=account, status="not_invited", reason="cooldown", sent_at=None
    )
    SurveyInvitationFactory(
        survey=survey, organization=account, status="not_invited", reason="no_consent", sent_at=None
    )

    assert list(selectors.invitation_list(user=owner, reason="cooldown")) == [cooled]
    assert len(selectors.invitation_list(user=owner, reason="not_invited")) == 2
    assert list(selectors.invitation_list(user=owner, status="sent")) == [invited]
    summary = selectors.invitation_summary(user=owner, survey=survey)
    counts = {reason: count for reason, _, count in summary.reasons}
    assert counts[InvitationReason.INVITED] == 1
    assert counts[InvitationReason.COOLDOWN] == 1
    assert counts[InvitationReason.NO_CONSENT] == 1
    assert counts[InvitationReason.SAMPLED_OUT] == 0
    assert (summary.total, summary.invited, summary.not_invited) == (3, 1, 2)
    assert dict((status, count) for status, _, count in summary.statuses)[InvitationStatus.SENT] == 1


@pytest.mark.parametrize(
    ("band", "kept"),
    [("positive", [10, 5, 6]), ("neutral", [8, 3, 4]), ("negative", [6, 2, 3])],
)
def test_answers_filter_by_band_across_the_scales(owner, account, band, kept):
    nps = SurveyFactory(survey_type=SurveyType.NPS)
    csat = SurveyFactory(survey_type=SurveyType.CSAT)
    ces = SurveyFactory(survey_type=SurveyType.CES)
    answers(nps, account, [10, 8, 6])
    answers(csat, account, [5, 3, 2])
    answers(ces, account, [6, 4, 3])

    found = selectors.response_list(user=owner, band=band)

    assert sorted(answer.score for answer in found) == sorted(kept)


def test_answers_with_a_comment_only(owner, account):
    survey = SurveyFactory()
    SurveyResponseFactory(survey=survey, organization=account, comment="Helpful.")
    SurveyResponseFactory(survey=survey, organization=account)

    assert [answer.comment for answer in selectors.response_list(user=owner, with_comment=True)] == [
        "Helpful."
    ]


def test_follow_ups_put_mine_first_then_by_due_date_and_flag_the_overdue(owner, teammate, account):
    today = timezone.localdate()
    theirs_overdue = FollowUpFactory(
        response=SurveyResponseFactory(organization=account, score=1),
        owner=teammate,
        due_on=today - timedelta(days=2),
    )
    mine_later = FollowUpFactory(
        response=SurveyResponseFactory(organization=account, score=2),
        owner=owner,
        due_on=today + timedelta(days=4),
    )
    mine_sooner = FollowUpFactory(
        response=SurveyResponseFactory(organization=account, score=1),
        owner=owner,
        due_on=today + timedelta(days=1),
    )
    FollowUpFactory(
        response=SurveyResponseFactory(organization=account, score=1),
        owner=owner,
        status=FollowUpStatus.DONE,
        closed_at=timezone.now(),
        due_on=today - timedelta(days=9),
    )

    found = list(selectors.follow_up_list(user=owner))

    assert found == [mine_sooner, mine_later, theirs_overdue]
    assert [item.is_overdue for item in found] == [False, False, True]
    assert [item.is_mine for item in found] == [True, True, False]
    assert selectors.follow_ups_open(user=owner, limit=2) == [mine_sooner, mine_later]
    counts = selectors.follow_up_counts(user=owner)
    assert (counts.open, counts.overdue, counts.mine, counts.done_recently) == (3, 1, 2, 1)


def test_survey_get_is_404_for_nothing():
    with pytest.raises(Http404):
        selectors.survey_get(user=None, pk=1)


def test_the_survey_list_is_one_query_whatever_the_numbers(owner, account):
    few = SurveyFactory(survey_type=SurveyType.NPS)
    answers(few, account, [9])
    selectors.survey_list(user=owner)  # the user's roles and teams, read once per request
    with CaptureQueriesContext(connection) as one:
        selectors.survey_list(user=owner)
    for index in range(5):
        survey = SurveyFactory(survey_type=(SurveyType.NPS, SurveyType.CSAT, SurveyType.CES)[index % 3])
        answers(survey, account, [1, 2, 3])
        SurveyInvitationFactory(
            survey=survey, organization=account, stakeholder=StakeholderFactory(organization=account)
        )

    with CaptureQueriesContext(connection) as many:
        rows = selectors.survey_list(user=owner)

    assert len(rows) == 6
    assert len(one) == len(many) == 1
