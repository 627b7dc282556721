"""Agreements as their users see them: the lists with their filters (whole page and HTMX region), the
agreement's page with its lifecycle buttons (and what stops the disabled ones), targets, reviews and
history, the forms with their field errors, the moves, and who may see and change what."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.models import AgreeEventType, Agreement, AgreementReview
from agreements.services import agreement_update, target_update
from journeys.models import JourneyEvent, OrganizationKind
from tests.factories.agreements import (
    AgreementFactory,
    AgreementReviewFactory,
    BusinessCalendarFactory,
    ScorecardFactory,
    ServiceLevelTargetFactory,
    TargetScoreFactory,
)
from tests.factories.journeys import OrganizationFactory
from tests.factories.offerings import ServiceOfferingFactory
from tests.factories.relationships import ServiceRelationshipFactory
from tests.helpers import HX, text_of

pytestmark = pytest.mark.django_db


def url(name, *args, **query) -> str:
    path = reverse(f"agreements:{name}", args=args)
    return path + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def page_text(response) -> str:
    return text_of(response.content.decode())


@pytest.fixture
def fleet(account, owner):
    return AgreementFactory(
        organization=account,
        owner=owner,
        title="Fleet booking SLA",
        reference="C-2026-014",
        status="active",
        starts_on=date(2026, 1, 1),
        ends_on=timezone.localdate() + timedelta(days=200),
        next_review_on=timezone.localdate() + timedelta(days=30),
    )


# --- lists ------------------------------------------------------------------------------------------


def test_the_list_shows_each_agreement_with_its_figures(as_user, owner, fleet):
    ServiceLevelTargetFactory(agreement=fleet)
    ScorecardFactory(agreement=fleet, month=date(2026, 2, 1), compliance_pct=Decimal("92.5"))

    response = as_user(owner).get(url("agreement_list"))

    assert response.status_code == 200
    assert "<html" in response.content.decode()
    text = page_text(response)
    assert "Fleet booking SLA C-2026-014 Rentwheel Car Hire Active Service level agreement (SLA)" in text
    assert "92.5 % Feb 2026" in text
    assert url("agreement_detail", fleet.pk) in response.content.decode()


def test_the_results_alone_are_sent_to_htmx(as_user, owner, fleet):
    response = as_user(owner).get(url("agreement_list", status="active"), **HX)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and "<form" not in html
    assert "Fleet booking SLA" in html
    assert "hx-request" in response.headers["Vary"].lower()


def test_the_filter_form_works_without_htmx(as_user, owner, account, fleet):
    offering = ServiceOfferingFactory(status="published", name="Kiosk desk")
    AgreementFactory(organization=account, title="Kiosk XLA", kind="experience_based", offerings=[offering])
    client = as_user(owner)

    html = client.get(url("agreement_list")).content.decode()
    assert 'method="get"' in html and f'hx-get="{url("agreement_list")}"' in html
    assert "Kiosk XLA" not in page_text(client.get(url("agreement_list", kind="sla")))
    assert "Fleet booking SLA" not in page_text(client.get(url("agreement_list", offering=offering.pk)))
    assert "Kiosk XLA" not in page_text(client.get(url("agreement_list", q="C-2026")))
    assert "No agreement matches these filters" in page_text(
        client.get(url("agreement_list", status="expired"))
    )
    assert "Fleet booking SLA" in page_text(client.get(url("agreement_list", status="bogus")))


def test_the_filters_show_what_was_chosen(as_user, owner, fleet):
    html = as_user(owner).get(url("agreement_list", status="active", kind="sla", q="Fleet")).content.decode()

    assert '<option value="active" selected>Active</option>' in html
    assert '<option value="sla" selected>Service level agreement (SLA)</option>' in html
    assert '<option value="" selected>Any offering</option>' in html
    assert 'name="q" value="Fleet"' in html
    # An offering that is not offered any more is flagged as the field's error, as Django writes it.
    flagged = as_user(owner).get(url("agreement_list", offering=999999)).content.decode()
    assert '<select name="offering" aria-invalid="true"' in flagged


def test_the_list_pages_on(as_user, owner, account, settings):
    for number in range(27):
        AgreementFactory(organization=account, title=f"SLA {number:02d}")
    client = as_user(owner)

    first = client.get(url("agreement_list", status="draft")).content.decode()
    second = page_text(client.get(url("agreement_list", status="draft", page=2)))

    assert "SLA 24" in text_of(first) and "SLA 25" not in text_of(first)
    assert 'href="?status=draft&amp;page=2"' in first
    assert "SLA 25" in second and "SLA 26" in second and "← Previous" in second


@pytest.mark.parametrize("size", [1, 5])
def test_the_list_costs_the_same_queries_whatever_its_length(
    as_user, owner, account, size, django_assert_num_queries
):
    for _ in range(size):
        agreement = AgreementFactory(organization=account, owner=owner)
        ServiceLevelTargetFactory(agreement=agreement)
    client = as_user(owner)

    # Session, user with roles and teams, the offerings to filter by, the rows.
    with django_assert_num_queries(4):
        assert client.get(url("agreement_list")).status_code == 200
    # The account's list reads the account too.
    with django_assert_num_queries(5):
        assert client.get(url("account_agreements", account.pk)).status_code == 200


def test_the_list_escapes_what_people_typed(as_user, owner, account):
    account.name = "Acme <b>&</b>"
    account.save()
    owner.first_name = "<i>Jess</i>"
    owner.save()
    AgreementFactory(organization=account, owner=owner, title="<script>x</script>", reference="R&D <1>")

    html = as_user(owner).get(url("agreement_list")).content.decode()

    assert "<script>x</script>" not in html and "&lt;script&gt;x&lt;/script&gt;" in html
    assert "R&amp;D &lt;1&gt;" in html and "Acme &lt;b&gt;&amp;&lt;/b&gt;" in html
    assert "&lt;i&gt;Jess&lt;/i&gt;" in html


def test_the_accounts_list_offers_a_new_agreement_to_those_who_may(as_user, owner, analyst, account, fleet):
    new = url("agreement_create", account.pk)

    mine = as_user(owner).get(url("account_agreements", account.pk))
    assert "Agreements with Rentwheel Car Hire" in page_text(mine) and new in mine.content.decode()
    assert new not in as_user(analyst).get(url("account_agreements", account.pk)).content.decode()


def test_a_non_consumer_account_gets_no_new_agreement_button(as_user, owner):
    supplier = OrganizationFactory(kind=OrganizationKind.SUPPLIER, owner=owner)

    response = as_user(owner).get(url("account_agreements", supplier.pk))

    assert url("agreement_create", supplier.pk) not in response.content.decode()


# --- the agreement's page ---------------------------------------------------------------------------


def test_the_page_shows_header_targets_reviews_and_history(as_user, owner, account, fleet, sponsor):
    Agreement.objects.filter(pk=fleet.pk).update(customer_contact=sponsor, scope="All depots.")
    target = ServiceLevelTargetFactory(agreement=fleet, name="Availability", calendar=None)
    TargetScoreFactory(target=target, status="breached", achieved_value=Decimal("98.1"))
    AgreementReviewFactory(agreement=fleet, summary="Two slow months.", compliance_pct=Decimal("88.0"))

    response = as_user(owner).get(url("agreement_detail", fleet.pk))

    assert response.status_code == 200
    text = page_text(response)
    assert "Fleet booking SLA Active" in text
    assert "Ana Ferreira" in text and "All depots." in text
    assert (
        "Availability % of agreed service time available Warranty: availability ≥ 99.5 % ≥ 99.7 % "
        "Average per month round the clock Breached 98.1 %" in text
    )
    assert "Two slow months." in text and "compliance then 88.0 %" in text
    assert f'href="{reverse("account_detail", args=[account.pk])}"' in response.content.decode()
    assert f'href="{reverse("agreements:target_detail", args=[target.pk])}"' in response.content.decode()
    assert "History" in text


@pytest.mark.parametrize("size", [1, 4])
def test_the_page_costs_the_same_queries_whatever_the_number_of_targets(
    as_user, owner, teammate, account, sponsor, size, django_assert_num_queries
):
    agreement = AgreementFactory(organization=account, owner=owner, status="active")
    for number in range(size):
        target = ServiceLevelTargetFactory(agreement=agreement, calendar=BusinessCalendarFactory())
        target_update(actor=owner, target=target, name=f"Target {number}", calendar=BusinessCalendarFactory())
        TargetScoreFactory(target=target)
        AgreementReviewFactory(agreement=agreement)
    agreement_update(actor=owner, agreement=agreement, owner=teammate, customer_contact=sponsor)
    client = as_user(owner)

    # Session, user with roles and teams, the agreement with its relationship type, targets with their
    # scores, offerings, reviews, the agreement's and its targets' history; then the compliance
    # section: scorecards, scores, open breaches (its targets are the page's).
    with django_assert_num_queries(11):
        assert client.get(url("agreement_detail", agreement.pk)).status_code == 200


def test_the_page_escapes_what_people_typed(as_user, owner, account):
    agreement = AgreementFactory(organization=account, owner=owner, status="active", title="<b>SLA</b>")
    target = ServiceLevelTargetFactory(agreement=agreement, name="<i>Uptime</i>", metric="<u>%</u>")
    target_update(actor=owner, target=target, name="<s>Uptime</s>")

    html = as_user(owner).get(url("agreement_detail", agreement.pk)).content.decode()

    for typed in ("<b>SLA</b>", "<i>Uptime</i>", "<u>%</u>", "<s>Uptime</s>"):
        assert typed not in html
    assert "&lt;s&gt;Uptime&lt;/s&gt;" in html and "&lt;u&gt;%&lt;/u&gt;" in html
    assert "Name: &lt;i&gt;Uptime&lt;/i&gt; → &lt;s&gt;Uptime&lt;/s&gt;" in html
    assert 'aria-label="Edit &lt;s&gt;Uptime&lt;/s&gt;"' in html


def test_the_page_flags_an_overdue_review(as_user, owner, fleet):
    Agreement.objects.filter(pk=fleet.pk).update(next_review_on=timezone.localdate() - timedelta(days=3))

    text = page_text(as_user(owner).get(url("agreement_detail", fleet.pk)))

    assert "overdue, record the review once it is held" in text


def test_the_page_shows_the_relationship_type_warning(as_user, owner, account, fleet):
    ServiceRelationshipFactory(organization=account, current_type="partnership")

    text = page_text(as_user(owner).get(url("agreement_detail", fleet.pk)))

    assert "Service level agreement (SLA) is unusual in a partnership" in text


def test_disabled_moves_say_what_they_lack(as_user, owner, account):
    agreement = AgreementFactory(organization=account, status="negotiating")

    html = as_user(owner).get(url("agreement_detail", agreement.pk)).content.decode()

    assert '<button type="submit" name="status" value="agreed" disabled' in html
    assert "Add a target before it can be agreed." in text_of(html)
    assert '<button type="submit" name="status" value="draft"' in html
    assert f'href="{url("agreement_transition", agreement.pk)}?status=terminated"' in html


def test_readers_see_no_buttons(as_user, analyst, fleet):
    html = as_user(analyst).get(url("agreement_detail", fleet.pk)).content.decode()

    assert url("agreement_transition", fleet.pk) not in html
    assert url("agreement_edit", fleet.pk) not in html
    assert url("target_create", fleet.pk) not in html


# --- forms ------------------------------------------------------------------------------------------


def test_drafting_an_agreement_from_the_account(as_user, owner, account, sponsor):
    offering = ServiceOfferingFactory(status="published")
    client = as_user(owner)
    form = client.get(url("agreement_create", account.pk))
    assert form.status_code == 200 and 'name="offerings"' in form.content.decode()

    response = client.post(
        url("agreement_create", account.pk),
        {
            "title": "Fleet booking SLA",
            "form": "agreement_based",
            "kind": "sla",
            "offerings": [offering.pk],
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
            "review_cadence": "quarterly",
            "owner": owner.pk,
            "customer_contact": sponsor.pk,
        },
    )

    agreement = Agreement.objects.get()
    assert response.status_code == 302 and response["Location"] == url("agreement_detail", agreement.pk)
    assert (agreement.status, agreement.owner, agreement.customer_contact) == ("draft", owner, sponsor)
    assert list(agreement.offerings.all()) == [offering]


def test_an_unusual_kind_is_saved_with_a_warning(as_user, owner, account):
    ServiceRelationshipFactory(organization=account, current_type="basic")
    client = as_user(owner)

    form = client.get(url("agreement_create", account.pk))
    assert "unusual" not in page_text(form)  # an SLA suits a basic relationship
    response = client.post(
        url("agreement_create", account.pk),
        {
            "title": "Outcome deal",
            "form": "agreement_based",
            "kind": "outcome_based",
            "review_cadence": "quarterly",
        },
        follow=True,
    )

    assert "Outcome-based agreement is unusual in a basic relationship" in page_text(response)


def test_bad_input_comes_back_with_the_error_next_to_its_field(as_user, owner, account):
    response = as_user(owner).post(
        url("agreement_create", account.pk),
        {
            "title": "SLA",
            "form": "agreement_based",
            "kind": "sla",
            "review_cadence": "quarterly",
            "starts_on": "2026-06-01",
            "ends_on": "2026-05-01",
        },
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_ends_on_error"' in html
    assert "The end date comes before the start date" in text_of(html)
    assert not Agreement.objects.exists()


def test_editing_an_agreement(as_user, owner, fleet):
    client = as_user(owner)
    form = client.get(url("agreement_edit", fleet.pk))
    assert 'value="Fleet booking SLA"' in form.content.decode()

    response = client.post(
        url("agreement_edit", fleet.pk),
        {
            "title": "Fleet SLA 2026",
            "form": "agreement_based",
            "kind": "sla",
            "review_cadence": "quarterly",
            "starts_on": "2026-01-01",
            "owner": owner.pk,
        },
    )

    fleet.refresh_from_db()
    assert response.status_code == 302
    assert (fleet.title, fleet.ends_on) == ("Fleet SLA 2026", None)


def test_an_ended_agreement_cannot_be_edited(as_user, owner, fleet):
    Agreement.objects.filter(pk=fleet.pk).update(status="terminated")

    response = as_user(owner).post(
        url("agreement_edit", fleet.pk),
        {"title": "Revived", "form": "agreement_based", "kind": "sla", "review_cadence": "quarterly"},
    )

    assert response.status_code == 400
    assert "no longer changes" in page_text(response)
    fleet.refresh_from_db()
    assert fleet.title == "Fleet booking SLA"


def test_a_draft_is_deleted_after_confirmation_and_others_are_kept(as_user, owner, account, fleet):
    draft = AgreementFactory(organization=account, title="Mistake")
    client = as_user(owner)

    assert "Delete a draft only when" in page_text(client.get(url("agreement_delete", draft.pk)))
    response = client.post(url("agreement_delete", draft.pk))
    assert response.status_code == 302 and not Agreement.objects.filter(pk=draft.pk).exists()

    refused = client.post(url("agreement_delete", fleet.pk))
    assert refused.status_code == 409 and "Only a draft can be deleted" in page_text(refused)
    assert Agreement.objects.filter(pk=fleet.pk).exists()


# --- moves ------------------------------------------------------------------------------------------


def test_a_move_from_the_buttons(as_user, owner, account):
    agreement = AgreementFactory(organization=account, status="draft")

    response = as_user(owner).post(url("agreement_transition", agreement.pk), {"status": "negotiating"})

    assert response.status_code == 302 and response["Location"] == url("agreement_detail", agreement.pk)
    agreement.refresh_from_db()
    assert agreement.status == "negotiating"
    assert JourneyEvent.objects.filter(event_type=AgreeEventType.AGREEMENT_STATUS_CHANGED).count() == 1


def test_terminating_asks_why_and_refuses_without_a_reason(as_user, owner, fleet):
    client = as_user(owner)

    ask = client.get(url("agreement_transition", fleet.pk, status="terminated"))
    assert ask.status_code == 200 and 'name="reason"' in ask.content.decode()

    refused = client.post(url("agreement_transition", fleet.pk), {"status": "terminated", "reason": ""})
    assert refused.status_code == 400
    assert 'id="id_reason_error"' in refused.content.decode()
    fleet.refresh_from_db()
    assert fleet.status == "active"

    done = client.post(
        url("agreement_transition", fleet.pk), {"status": "terminated", "reason": "Fleet sold."}
    )
    assert done.status_code == 302
    fleet.refresh_from_db()
    assert (fleet.status, fleet.termination_reason) == ("terminated", "Fleet sold.")


def test_a_refused_move_comes_back_with_its_reason(as_user, owner, account):
    agreement = AgreementFactory(organization=account, status="negotiating")

    illegal = as_user(owner).post(url("agreement_transition", agreement.pk), {"status": "active"})
    assert illegal.status_code == 400
    assert "A negotiating agreement cannot become active" in page_text(illegal)

    blocked = as_user(owner).post(url("agreement_transition", agreement.pk), {"status": "agreed"})
    assert "Nothing was changed. Add a target before it can be agreed." in page_text(blocked)
    agreement.refresh_from_db()
    assert agreement.status == "negotiating"


# --- reviews ----------------------------------------------------------------------------------------


def test_recording_a_review(as_user, owner, fleet):
    client = as_user(owner)
    assert client.get(url("agreement_review_create", fleet.pk)).status_code == 200
    held = timezone.localdate()

    response = client.post(
        url("agreement_review_create", fleet.pk),
        {"held_on": held.isoformat(), "outcome": "continue", "summary": "Fine."},
    )

    assert response.status_code == 302 and response["Location"].endswith("#reviews")
    review = AgreementReview.objects.get()
    assert (review.held_on, review.reviewed_by) == (held, owner)


def test_a_review_in_the_future_is_refused_next_to_its_date(as_user, owner, fleet):
    tomorrow = timezone.localdate() + timedelta(days=1)

    response = as_user(owner).post(
        url("agreement_review_create", fleet.pk),
        {"held_on": tomorrow.isoformat(), "outcome": "continue", "summary": "x"},
    )

    assert response.status_code == 400 and 'id="id_held_on_error"' in response.content.decode()
    assert not AgreementReview.objects.exists()


def test_a_draft_is_not_reviewed(as_user, owner, account):
    draft = AgreementFactory(organization=account)

    response = as_user(owner).post(
        url("agreement_review_create", draft.pk),
        {"held_on": timezone.localdate().isoformat(), "outcome": "continue", "summary": "x"},
    )

    assert response.status_code == 400 and "only agreed and active agreements are reviewed" in page_text(
        response
    )
