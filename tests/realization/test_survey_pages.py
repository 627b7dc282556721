"""The survey pages as a customer-success lead uses them: the list of surveys with their figures, a
survey's definition form, its results with the invitation log, a test to oneself and a send by hand,
the answers, and the follow-ups with the form that closes one. Figures are checked against sets counted
by hand; bad input comes back next to its field with nothing saved; every list reads a constant number
of queries."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from realization.models import (
    FollowUp,
    FollowUpStatus,
    Survey,
    SurveyInvitation,
    SurveyTrigger,
    SurveyType,
)
from tests.factories.journeys import OrganizationFactory, StakeholderFactory
from tests.factories.realization import (
    FollowUpFactory,
    SurveyFactory,
    SurveyInvitationFactory,
    SurveyResponseFactory,
)
from tests.helpers import HX, text_of

pytestmark = pytest.mark.django_db

LIST = reverse("realization:survey_list")
NEW = reverse("realization:survey_new")
RESPONSES = reverse("realization:response_list")
FOLLOW_UPS = reverse("realization:follow_up_list")


def test_the_pages_live_under_realize():
    assert LIST == "/realize/surveys/"
    assert NEW == "/realize/surveys/new/"
    assert reverse("realization:survey_detail", args=[3]) == "/realize/surveys/3/"
    assert reverse("realization:survey_edit", args=[3]) == "/realize/surveys/3/edit/"
    assert RESPONSES == "/realize/responses/"
    assert FOLLOW_UPS == "/realize/follow-ups/"


def answered(survey, organization, scores, **extra):
    return [
        SurveyResponseFactory(survey=survey, organization=organization, score=score, **extra)
        for score in scores
    ]


@pytest.fixture
def nps(account, other_account):
    """An NPS survey: 3 promoters, 1 passive, 2 detractors in the owner's account (NPS +17); four
    invitations sent there, three answered; one detractor in another team's account."""
    survey = SurveyFactory(
        name="Relationship NPS",
        survey_type=SurveyType.NPS,
        question="How likely are you to recommend us to a colleague?",
        trigger=SurveyTrigger.PERIODIC,
        period_months=6,
    )
    answered(survey, account, [10, 9, 9, 8, 3, 6])
    for status in ("responded", "responded", "responded", "sent"):
        SurveyInvitationFactory(
            survey=survey,
            organization=account,
            status=status,
            responded_at=timezone.now() if status == "responded" else None,
        )
    answered(survey, other_account, [0], comment="Northbank is unhappy.")
    return survey


@pytest.fixture
def csat(account):
    """A CSAT survey: 5, 4, 4, 2 → 75 % satisfied, mean 3.8."""
    survey = SurveyFactory(name="Request closed CSAT", survey_type=SurveyType.CSAT)
    answered(survey, account, [5, 4, 4, 2])
    return survey


# --- the list ----------------------------------------------------------------------------------------


def test_the_list_shows_each_survey_with_its_figures(as_user, owner, nps, csat):
    response = as_user(owner).get(LIST)

    assert response.status_code == 200
    rows = {row.name: row for row in response.context["surveys"]}
    assert rows["Relationship NPS"].figures.headline == "+17"
    assert (rows["Relationship NPS"].invited, rows["Relationship NPS"].answered) == (4, 3)
    assert rows["Relationship NPS"].response_rate == 75
    assert rows["Request closed CSAT"].figures.headline == "75 %"
    text = text_of(response.content.decode())
    assert (
        "Relationship NPS NPS Periodic relationship survey every 6 months Active never tested 4 3 75 % 6 +17"
        in text
    )
    assert "75 %" in text
    assert "New survey" in text


def test_the_figures_are_those_of_the_users_own_accounts(as_user, outsider, nps):
    response = as_user(outsider).get(LIST)

    row = next(iter(response.context["surveys"]))
    assert row.figures.headline == "−100"
    assert row.invited == 0


def test_readers_see_no_new_survey_button(as_user, analyst, desk, nps):
    for reader in (analyst, desk):
        text = as_user(reader).get(LIST).content.decode()

        assert "New survey" not in text
        assert "Relationship NPS" in text


def test_the_list_reads_a_constant_number_of_queries(as_user, owner, account):
    client = as_user(owner)
    SurveyFactory()
    client.get(LIST)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    for index in range(8):
        survey = SurveyFactory(survey_type=(SurveyType.NPS, SurveyType.CSAT, SurveyType.CES)[index % 3])
        answered(survey, account, [1, 2, 3])
        SurveyInvitationFactory(survey=survey, organization=account)

    with CaptureQueriesContext(connection) as many:
        response = client.get(LIST)

    assert len(response.context["surveys"]) == 9
    assert len(many) == len(few)


# --- the definition form -----------------------------------------------------------------------------

VALID = {
    "name": "Onboarding done",
    "survey_type": "ces",
    "question": "It was easy to get started with the service.",
    "audience": ["customer", "sponsor"],
    "trigger": "onboarding_completed",
    "sampling_percent": "50",
    "send_delay_hours": "48",
    "expiry_days": "10",
    "reminder_after_days": "4",
    "step": "",
    "is_active": "on",
}


def test_the_form_explains_each_field(as_user, owner):
    response = as_user(owner).get(NEW)

    text = response.content.decode()
    assert response.status_code == 200
    assert "Which of the account&#x27;s people are asked" in text
    assert "the others are logged as not drawn" in text
    assert 'id="id_reminder_after_days_helptext"' in text


def test_a_new_survey_is_saved_as_asked(as_user, owner):
    response = as_user(owner).post(NEW, VALID)

    survey = Survey.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("realization:survey_detail", args=[survey.pk])
    assert (survey.survey_type, survey.trigger, survey.sampling_percent) == (
        "ces",
        "onboarding_completed",
        50,
    )
    assert (survey.to_customers, survey.to_users, survey.to_sponsors) == (True, False, True)
    assert (survey.send_delay_hours, survey.expiry_days, survey.reminder_after_days) == (48, 10, 4)
    assert survey.is_active and survey.owner == owner


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"name": ""}, "name", "Give the survey a name"),
        ({"question": "  "}, "question", "Write the question"),
        ({"audience": []}, "audience", "Choose at least one role"),
        ({"survey_type": "stars"}, "survey_type", "is not a survey type"),
        ({"sampling_percent": "0"}, "sampling_percent", "from 1 to 100"),
        ({"expiry_days": "many"}, "expiry_days", "Enter a whole number from 1 to 365"),
        ({"reminder_after_days": "10"}, "reminder_after_days", "before the invitation expires"),
        ({"trigger": "periodic"}, "period_months", "needs its period"),
    ],
)
def test_bad_input_comes_back_next_to_its_field_and_saves_nothing(as_user, owner, change, field, words):
    response = as_user(owner).post(NEW, {**VALID, **change})

    assert response.status_code == 400
    assert words in " ".join(response.context["form"].errors[field])
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not Survey.objects.exists()


def test_a_taken_name_is_refused_on_the_name(as_user, owner):
    SurveyFactory(name="Onboarding done")

    response = as_user(owner).post(NEW, VALID)

    assert response.status_code == 400
    assert "already called" in response.context["form"].errors["name"][0]
    assert Survey.objects.count() == 1


def test_editing_changes_the_survey(as_user, owner, csat):
    url = reverse("realization:survey_edit", args=[csat.pk])
    form = as_user(owner).get(url)
    assert form.context["form"].initial["audience"] == ["customer", "user"]

    response = as_user(owner).post(url, {**VALID, "survey_type": "csat", "is_active": ""})

    csat.refresh_from_db()
    assert response.status_code == 302
    assert csat.name == "Onboarding done" and not csat.is_active


def test_the_type_stays_once_answered(as_user, owner, csat):
    response = as_user(owner).post(reverse("realization:survey_edit", args=[csat.pk]), VALID)

    csat.refresh_from_db()
    assert response.status_code == 400
    assert "survey_type" in response.context["form"].errors
    assert csat.survey_type == "csat" and csat.name == "Request closed CSAT"


@pytest.mark.parametrize("persona", ["analyst", "desk"])
def test_readers_may_not_define_or_change_surveys(client_as, csat, persona):
    client = client_as(persona)

    assert client.get(NEW).status_code == 403
    assert client.post(NEW, VALID).status_code == 403
    assert client.post(reverse("realization:survey_edit", args=[csat.pk]), VALID).status_code == 403
    csat.refresh_from_db()
    assert Survey.objects.count() == 1 and csat.name == "Request closed CSAT"


# --- a survey's results and log ----------------------------------------------------------------------


def test_the_results_show_the_headline_trend_scores_and_comments(as_user, owner, account, nps):
    SurveyResponseFactory(survey=nps, organization=account, score=10, comment="Top.")

    response = as_user(owner).get(reverse("realization:survey_detail", args=[nps.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    text = text_of(page)
    assert "+29 NPS" in text  # 4 promoters, 1 passive, 2 detractors of 7
    assert "75 % response rate 3 of 4 invitations sent answered" in text
    assert 'class="survey-chart"' in page and "<desc" in page
    results = response.context["results"]
    assert results.months[-1].figures.nps == 29
    bars = {bar.score: bar for bar in results.distribution}
    assert (bars[9].count, bars[9].band) == (2, "positive")
    assert 'class="score-bar band-negative"' in page
    assert "Top." in text
    assert "Northbank is unhappy." not in text


def test_a_csat_survey_shows_its_share_and_mean(as_user, owner, csat):
    response = as_user(owner).get(reverse("realization:survey_detail", args=[csat.pk]))

    text = text_of(response.content.decode())
    assert "75 % satisfied (CSAT 4–5) mean 3.8 of 5; 3 satisfied, 0 neutral, 1 dissatisfied" in text
    assert "75 %" in response.context["results"].months[-1].figures.headline


def test_a_ces_survey_shows_its_mean_and_the_chart_states_it(as_user, owner, account):
    survey = SurveyFactory(name="Onboarding effort", survey_type=SurveyType.CES)
    answered(survey, account, [7, 6, 5, 1])  # mean 4.75

    response = as_user(owner).get(reverse("realization:survey_detail", args=[survey.pk]))

    page = response.content.decode()
    assert "4.8 mean effort score (CES, 7 easiest)" in text_of(page)
    assert f"{timezone.localdate():%b %Y}: 4.8 from 4 answers" in page


def test_the_log_says_who_was_not_invited_and_why(as_user, owner, account, nps):
    person = StakeholderFactory(organization=account, name="Greta Lindqvist")
    SurveyInvitationFactory(
        survey=nps,
        organization=account,
        stakeholder=person,
        status="not_invited",
        reason="cooldown",
        reason_detail="Asked on 2 Oct",
        sent_at=None,
    )
    url = reverse("realization:survey_detail", args=[nps.pk])

    response = as_user(owner).get(url)

    text = text_of(response.content.decode())
    assert "4 invited" in text and "1 surveyed too recently" in text and "0 not drawn in the sample" in text
    assert "Greta Lindqvist" in text and "Not invited surveyed too recently Asked on 2 Oct" in text

    filtered = as_user(owner).get(url, {"reason": "not_invited"}, **HX)

    fragment = filtered.content.decode()
    assert "<html" not in fragment
    assert "Greta Lindqvist" in fragment
    assert "Invited" not in text_of(fragment).replace("Not invited", "")


def test_an_outsider_sees_none_of_the_teams_log(as_user, outsider, account, nps):
    url = reverse("realization:survey_detail", args=[nps.pk])

    response = as_user(outsider).get(url)

    assert response.status_code == 200
    assert response.context["log_page"].object_list == []
    assert as_user(outsider).get(url, {"organization": account.pk}).status_code == 404


def test_the_results_page_reads_a_constant_number_of_queries(as_user, owner, account, nps):
    client = as_user(owner)
    url = reverse("realization:survey_detail", args=[nps.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for index in range(12):
        person = StakeholderFactory(organization=account)
        SurveyInvitationFactory(survey=nps, organization=account, stakeholder=person)
        SurveyResponseFactory(
            survey=nps, organization=account, stakeholder=person, score=index % 11, comment=f"Comment {index}"
        )

    with CaptureQueriesContext(connection) as many:
        client.get(url)

    assert len(many) == len(few)


def test_no_buttons_for_readers(as_user, analyst, nps):
    text = as_user(analyst).get(reverse("realization:survey_detail", args=[nps.pk])).content.decode()

    assert "Send a test to me" not in text and "Send now" not in text and ">Edit<" not in text


# --- a test to oneself, a send by hand --------------------------------------------------------------


def test_a_test_goes_to_the_user_and_marks_the_survey_tested(as_user, owner, csat):
    response = as_user(owner).post(reverse("realization:survey_test", args=[csat.pk]), follow=True)

    csat.refresh_from_db()
    assert csat.tested_at is not None
    assert [message.to for message in mail.outbox] == [[owner.email]] or mail.outbox[0].to[0].endswith(
        f"<{owner.email}>"
    )
    assert "on its way" in response.content.decode()
    assert not SurveyInvitation.objects.exists()


def test_readers_may_not_send_a_test(client_as, csat):
    assert client_as("analyst").post(reverse("realization:survey_test", args=[csat.pk])).status_code == 403
    csat.refresh_from_db()
    assert csat.tested_at is None and not mail.outbox


def test_send_now_finds_the_account_first(as_user, owner, account, other_account, csat):
    url = reverse("realization:survey_send", args=[csat.pk])

    response = as_user(owner).get(url, {"q": "wheel"})

    page = response.content.decode()
    assert f"{url}?organization={account.pk}" in page
    assert "Northbank" not in page
    assert as_user(owner).get(url, {"organization": other_account.pk}).status_code == 404


def test_send_now_shows_who_was_invited_and_who_not(as_user, owner, account, csat):
    willing = StakeholderFactory(
        organization=account, name="Willem Smit", survey_consent=True, email="willem@rentwheel.example"
    )
    StakeholderFactory(
        organization=account, name="Nora Quist", survey_consent=False, email="nora@rentwheel.example"
    )
    url = reverse("realization:survey_send", args=[csat.pk])
    form = as_user(owner).get(url, {"organization": account.pk})
    assert "Nora Quist (user; no consent to surveys)" in form.content.decode()

    response = as_user(owner).post(url, {"organization": account.pk})

    text = text_of(response.content.decode())
    assert response.status_code == 200
    assert "1 person invited" in text
    assert "Willem Smit willem@rentwheel.example Invited" in text
    assert "Nora Quist nora@rentwheel.example Not invited has not agreed to receive surveys" in text
    invited = SurveyInvitation.objects.get(reason="invited")
    assert invited.stakeholder == willing and invited.status == "scheduled"


def test_send_now_to_people_of_another_account_is_refused(as_user, owner, account, other_account, csat):
    stranger = StakeholderFactory(organization=other_account, survey_consent=True)

    response = as_user(owner).post(
        reverse("realization:survey_send", args=[csat.pk]),
        {"organization": account.pk, "stakeholders": [stranger.pk]},
    )

    assert response.status_code == 400
    assert "stakeholders" in response.context["form"].errors
    assert not SurveyInvitation.objects.exists()


@pytest.mark.parametrize(("persona", "status"), [("analyst", 403), ("desk", 403), ("outsider", 404)])
def test_send_now_is_for_the_accounts_managers(client_as, account, csat, persona, status):
    StakeholderFactory(organization=account, survey_consent=True)

    response = client_as(persona).post(
        reverse("realization:survey_send", args=[csat.pk]), {"organization": account.pk}
    )

    assert response.status_code == status
    assert not SurveyInvitation.objects.exists()


# --- answers -----------------------------------------------------------------------------------------


def test_the_answers_filter_by_score_band_and_comment(as_user, owner, nps, csat):
    client = as_user(owner)

    detractors = client.get(RESPONSES, {"band": "negative"})
    commented = client.get(RESPONSES, {"with_comment": "on"})
    of_csat = client.get(RESPONSES, {"survey": csat.pk}, **HX)

    assert sorted(answer.score for answer in detractors.context["page"].object_list) == [2, 3, 6]
    assert "Detractor" in detractors.content.decode() or "detractor" in detractors.content.decode()
    assert commented.context["page"].object_list == []
    assert "<html" not in of_csat.content.decode()
    assert sorted(answer.score for answer in of_csat.context["page"].object_list) == [2, 4, 4, 5]


def test_the_answers_leave_out_other_teams(as_user, owner, outsider, other_account, nps):
    assert "Northbank is unhappy." not in as_user(owner).get(RESPONSES).content.decode()
    assert as_user(owner).get(RESPONSES, {"organization": other_account.pk}).status_code == 404
    assert "Northbank is unhappy." in as_user(outsider).get(RESPONSES).content.decode()


def test_the_answers_read_a_constant_number_of_queries(as_user, owner, account, csat):
    client = as_user(owner)
    client.get(RESPONSES)
    with CaptureQueriesContext(connection) as few:
        client.get(RESPONSES)
    for index in range(20):
        answer = SurveyResponseFactory(
            survey=csat,
            organization=account,
            score=1 + index % 5,
            stakeholder=StakeholderFactory(organization=account),
        )
        if answer.score <= 2:
            FollowUpFactory(response=answer, owner=None)

    with CaptureQueriesContext(connection) as many:
        response = client.get(RESPONSES)

    assert len(response.context["page"].object_list) == 24
    assert len(many) == len(few)


# --- follow-ups --------------------------------------------------------------------------------------


@pytest.fixture
def follow_ups(owner, teammate, account, csat):
    today = timezone.localdate()
    low = csat.responses.get(score=2)
    low.comment = "Nobody called back."
    low.save()
    person = low.stakeholder
    person.name = "Piet de Vries"
    person.save()
    theirs = FollowUpFactory(
        response=SurveyResponseFactory(survey=csat, organization=account, score=1),
        owner=teammate,
        due_on=today - timedelta(days=3),
    )
    mine = FollowUpFactory(response=low, owner=owner, due_on=today + timedelta(days=2))
    return {"mine": mine, "theirs": theirs}


def test_the_follow_ups_show_mine_first_and_mark_the_overdue(as_user, owner, account, follow_ups):
    response = as_user(owner).get(FOLLOW_UPS)

    page = response.content.decode()
    assert [item.pk for item in response.context["page"].object_list] == [
        follow_ups["mine"].pk,
        follow_ups["theirs"].pk,
    ]
    assert "Nobody called back." in page and "Piet de Vries" in page
    assert f'href="{reverse("account_detail", args=[account.pk])}"' in page
    assert "follow-up-overdue" in page and "overdue: was due" in page
    assert page.index(f'id="follow-up-{follow_ups["mine"].pk}"') < page.index(
        f'id="follow-up-{follow_ups["theirs"].pk}"'
    )
    counts = response.context["counts"]
    assert (counts.open, counts.overdue, counts.mine) == (2, 1, 1)


def test_closing_a_follow_up_records_what_was_learned(as_user, owner, follow_ups):
    follow_up = follow_ups["mine"]

    response = as_user(owner).post(
        reverse("realization:follow_up_close", args=[follow_up.pk]),
        {"outcome": "Called Piet: the callback queue was lost; fixed.", "back": FOLLOW_UPS},
    )

    follow_up.refresh_from_db()
    assert response.status_code == 302 and response["Location"] == FOLLOW_UPS
    assert follow_up.status == FollowUpStatus.DONE and follow_up.closed_by == owner
    assert follow_up.outcome == "Called Piet: the callback queue was lost; fixed."
    assert follow_up.pk not in [
        item.pk for item in as_user(owner).get(FOLLOW_UPS).context["page"].object_list
    ]


def test_closing_with_htmx_swaps_the_follow_up(as_user, owner, follow_ups):
    follow_up = follow_ups["mine"]

    response = as_user(owner).post(
        reverse("realization:follow_up_close", args=[follow_up.pk]), {"outcome": "Sorted it out."}, **HX
    )

    text = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in text and f'id="follow-up-{follow_up.pk}"' in text
    assert "Sorted it out." in text and "Closed." in text


@pytest.mark.parametrize("headers", [{}, HX])
def test_closing_without_an_outcome_says_so_and_saves_nothing(as_user, owner, follow_ups, headers):
    follow_up = follow_ups["mine"]

    response = as_user(owner).post(
        reverse("realization:follow_up_close", args=[follow_up.pk]), {"outcome": "  "}, **headers
    )

    follow_up.refresh_from_db()
    assert response.status_code == 400
    assert f'id="id_follow_up_{follow_up.pk}_outcome_error"' in response.content.decode()
    assert "Say what you learned and did" in response.content.decode()
    assert follow_up.status == FollowUpStatus.OPEN and follow_up.outcome == ""


def test_a_closed_follow_up_cannot_be_closed_again(as_user, owner, follow_ups):
    follow_up = follow_ups["mine"]
    url = reverse("realization:follow_up_close", args=[follow_up.pk])
    as_user(owner).post(url, {"outcome": "Done."})

    response = as_user(owner).post(url, {"outcome": "Again."})

    follow_up.refresh_from_db()
    assert response.status_code == 409
    assert follow_up.outcome == "Done."


@pytest.mark.parametrize(("persona", "status"), [("outsider", 404), ("analyst", 403), ("desk", 403)])
def test_only_the_accounts_people_close_follow_ups(client_as, follow_ups, persona, status):
    follow_up = follow_ups["theirs"]

    response = client_as(persona).post(
        reverse("realization:follow_up_close", args=[follow_up.pk]), {"outcome": "Not mine to say."}
    )

    follow_up.refresh_from_db()
    assert response.status_code == status
    assert follow_up.status == FollowUpStatus.OPEN


def test_a_teammate_closes_the_owners_follow_up(as_user, teammate, follow_ups):
    response = as_user(teammate).post(
        reverse("realization:follow_up_close", args=[follow_ups["mine"].pk]),
        {"outcome": "Covered for the owner."},
    )

    assert response.status_code == 302
    assert FollowUp.objects.get(pk=follow_ups["mine"].pk).closed_by == teammate


def test_the_follow_up_page_is_the_teams_alone(as_user, owner, outsider, analyst, follow_ups):
    url = reverse("realization:follow_up_detail", args=[follow_ups["mine"].pk])

    assert as_user(outsider).get(url).status_code == 404
    assert as_user(outsider).get(FOLLOW_UPS).context["page"].object_list == []
    shown = as_user(analyst).get(url)
    assert shown.status_code == 200 and "Close the follow-up" not in shown.content.decode()
    assert "Close the follow-up" in as_user(owner).get(url).content.decode()


def test_readers_see_no_close_form(as_user, analyst, follow_ups):
    text = as_user(analyst).get(FOLLOW_UPS).content.decode()

    assert "Nobody called back." in text
    assert "Close the follow-up" not in text


def test_the_follow_ups_read_a_constant_number_of_queries(as_user, owner, teammate, account, follow_ups):
    client = as_user(owner)
    client.get(FOLLOW_UPS)
    with CaptureQueriesContext(connection) as few:
        client.get(FOLLOW_UPS)
    for index in range(10):
        FollowUpFactory(
            response=SurveyResponseFactory(
                organization=account, score=1, stakeholder=StakeholderFactory(organization=account)
            ),
            owner=(owner, teammate, None)[index % 3],
        )

    with CaptureQueriesContext(connection) as many:
        response = client.get(FOLLOW_UPS)

    assert len(response.context["page"].object_list) == 12
    assert len(many) == len(few)


def test_the_follow_ups_of_one_account(as_user, owner, account, follow_ups):
    elsewhere = OrganizationFactory(owner=owner, name="Second account")
    FollowUpFactory(response=SurveyResponseFactory(organization=elsewhere, score=1), owner=owner)

    response = as_user(owner).get(FOLLOW_UPS, {"organization": account.pk})

    assert len(response.context["page"].object_list) == 2
    assert "Follow-ups of Rentwheel Car Hire" in response.content.decode()
