"""The Engage template helpers that write HTML in Python (the rows of the plans table, the grid's cards,
the ladder step fields): what they show, and that whatever people type comes out escaped."""

from datetime import UTC, date, datetime

import pytest
from django.template import Context, RequestContext, Template
from django.test import RequestFactory, override_settings

from relationships.adherence import adherence_of
from relationships.forms.relationship import LadderStepForm, RelationshipTypesForm
from relationships.models import LadderStatus, LadderStep
from relationships.selectors import CommunicationRow, LadderRow
from relationships.selectors.grid import GridPerson
from relationships.templatetags.relationships_tags import (
    communication_row,
    day,
    ladder_step_fields,
    plain_field,
)
from tests.factories.journeys import StakeholderFactory
from tests.factories.relationships import CommunicationPlanFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 31)


@override_settings(TIME_ZONE="Europe/Amsterdam")
def test_a_day_is_written_in_the_current_time_zone():
    # 23:30 UTC on 31 March is already 1 April in Amsterdam.
    assert day(datetime(2026, 3, 31, 23, 30, tzinfo=UTC)) == "1 Apr 2026"
    assert day(date(2026, 12, 5)) == "5 Dec 2026"
    assert day(None) == ""


def test_a_plan_row_shows_the_figures_and_escapes_the_name(account):
    person = StakeholderFactory(organization=account, name="<b>Ana</b>", influence=5, is_sponsor=True)
    plan = CommunicationPlanFactory(
        stakeholder=person, cadence_days=30, preferred_channel="email", starts_on=date(2025, 1, 1)
    )
    figures = adherence_of(
        starts_on=plan.starts_on,
        cadence_days=30,
        contacts=3,
        contacts_on_channel=2,
        last_contact_at=datetime(2026, 3, 1, 12, tzinfo=UTC),
        today=TODAY,
    )
    row = CommunicationRow(
        stakeholder=person, plan=plan, last_contact_at=figures.last_contact_at, figures=figures
    )

    html = communication_row(row, can_manage=True, editing=None)

    assert "<b>Ana</b>" not in html and "&lt;b&gt;Ana&lt;/b&gt;" in html
    assert "Monthly by e-mail" in html
    assert "3 of 6 contacts" in html and "50 %" in html and "67 % " in html
    assert "1 Mar 2026" in html and "31 Mar 2026" in html  # last contact, next due
    assert '<span class="badge">key</span>' in html
    assert "Change the plan for &lt;b&gt;Ana&lt;/b&gt;" in html


def test_a_row_without_a_plan_offers_one_only_to_those_who_may_manage(account):
    person = StakeholderFactory(organization=account, name="Bo", influence=2)
    row = CommunicationRow(stakeholder=person, plan=None)

    assert "Never contacted." in communication_row(row, can_manage=False, editing=None)
    assert "Plan contact with Bo" not in communication_row(row, can_manage=False, editing=None)
    assert "Plan contact with Bo" in communication_row(row, can_manage=True, editing=None)


def test_the_ladder_fields_keep_the_choice_and_escape_the_evidence():
    form = LadderStepForm(prefix="build_trust", initial={"status": "done", "evidence": "<i>kick-off</i>"})

    html = ladder_step_fields(form)

    assert '<option value="done" selected>Done</option>' in html
    assert '<option value="in_progress">In progress</option>' in html
    assert "&lt;i&gt;kick-off&lt;/i&gt;" in html and "<i>" not in html
    assert 'name="build_trust-evidence"' in html and 'for="id_build_trust-status"' in html


def test_a_refused_ladder_choice_is_marked_invalid_with_its_error():
    form = LadderStepForm({"build_trust-status": "finished"}, prefix="build_trust")
    assert not form.is_valid()

    html = ladder_step_fields(form)

    assert 'aria-invalid="true" aria-describedby="id_build_trust-status_error"' in html
    assert 'id="id_build_trust-status_error"' in html and "Select a valid choice" in html


def test_a_grid_card_carries_its_move_form_and_escapes_the_name(account):
    person = StakeholderFactory(organization=account, name="<Cy>", influence=5, interest=1)
    template = Template(
        "{% load relationships_tags %}"
        "{% grid_card person can_move=True compare=compare compared_with=compare %}"
    )

    html = template.render(
        Context(
            {"person": GridPerson(stakeholder=person, compared=True, was=(3, 3)), "compare": date(2026, 1, 1)}
        )
    )

    assert "&lt;Cy&gt;" in html and "<Cy>" not in html
    assert f'data-move-url="/relationships/stakeholders/{person.pk}/grid-move/"' in html
    assert f'<form method="post" action="/relationships/stakeholders/{person.pk}/grid-move/"' in html
    assert 'data-compare="2026-01-01"' in html and 'name="compare" value="2026-01-01"' in html
    up = f'id="move-{person.pk}-up" title="More influence" aria-label="More influence for &lt;Cy&gt;"'
    right = f'id="move-{person.pk}-right" title="More interest" aria-label="More interest for &lt;Cy&gt;"'
    assert f'{up} aria-disabled="true">' in html  # influence 5 is the top
    assert f"{right}>" in html
    assert "moved from 3×3 (Monitor)" in html


def test_a_plain_field_writes_label_help_and_error_and_links_them():
    form = RelationshipTypesForm({"current_type": "friendship", "target_type": "basic", "notes": "<why>"})
    assert not form.is_valid()

    select = plain_field(form["current_type"])
    notes = plain_field(form["notes"])

    assert '<label for="id_current_type">Type today <span aria-hidden="true">*</span></label>' in select
    assert 'aria-invalid="true" aria-describedby="id_current_type_helptext id_current_type_error"' in select
    assert '<small id="id_current_type_helptext">' in select and "Select a valid choice" in select
    assert '<option value="basic">Basic relationship</option>' in select
    assert 'aria-describedby="id_notes_helptext"' in notes and 'rows="3"' in notes
    assert "&lt;why&gt;</textarea>" in notes and "*</span>" not in notes  # notes are optional


def _ladder_html(account, row, form, *, saved=False):
    request = RequestFactory().get("/")
    template = Template("{% load relationships_tags %}{% ladder_step row form saved=saved %}")
    return template.render(
        RequestContext(request, {"row": row, "form": form, "saved": saved, "organization": account})
    )


def test_a_ladder_step_with_its_form_posts_to_the_step_with_a_csrf_token(account):
    row = LadderRow(
        step=LadderStep.BUILD_TRUST,
        status=LadderStatus.IN_PROGRESS,
        missing=(LadderStep.CREATE_ENVIRONMENT,),
    )
    form = LadderStepForm(prefix="build_trust", initial={"status": "in_progress", "evidence": ""})

    html = _ladder_html(account, row, form, saved=True)

    url = f"/relationships/accounts/{account.pk}/ladder/build_trust/"
    assert f'<form method="post" action="{url}" hx-post="{url}"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert "Can be marked done once ‘Create an environment for relational patterns’ is done." in html
    assert '<p class="ladder-saved" role="status">Saved.</p>' in html
    assert "Save step 2" in html


def test_a_ladder_step_without_a_form_shows_the_evidence_escaped(account, owner):
    owner.first_name, owner.last_name = "Ola", "<Nordmann>"
    row = LadderRow(
        step=LadderStep.CREATE_ENVIRONMENT,
        status=LadderStatus.DONE,
        evidence="<b>Workshop</b>\nsecond line",
        completed_at=datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
        updated_by=owner,
        blocking=(LadderStep.BUILD_TRUST,),
    )

    html = _ladder_html(account, row, None)

    assert "<form" not in html and "Saved." not in html
    assert "<p>&lt;b&gt;Workshop&lt;/b&gt;<br>second line</p>" in html
    assert "since 2 Mar 2026" in html and "last changed by Ola &lt;Nordmann&gt;" in html
    assert "Stays done while ‘Build and sustain trust and relationship’ is done." in html
