"""The requirement board and a requirement's pages as their users see them: the columns with their
cards (WSJF score, INVEST status, status), the order by WSJF, the arrow buttons (plain forms that HTMX
enhances), the forms with their field errors, and who may see and change what."""

import re

import pytest
from django.urls import reverse

from journeys.models import JourneyEvent
from offerings.models import OfferEventType, Requirement
from tests.factories.journeys import JourneyFactory, OrganizationFactory
from tests.factories.offerings import RequirementFactory, ServiceOfferingFactory
from tests.helpers import HX, text_of

pytestmark = pytest.mark.django_db


def board_url(account, **query) -> str:
    url = reverse("offerings:requirement_board", args=[account.pk])
    return url + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def move(client, requirement, where: str, **extra):
    """Press a card's button: the column's form posts which card, and where to."""
    url = reverse("offerings:requirement_board_move", args=[requirement.organization_id])
    return client.post(url, {"move": f"{requirement.pk}:{where}", **extra.pop("data", {})}, **extra)


def column_text(response, key: str) -> str:
    found = re.search(
        rf'<section class="board-column board-column-{key}".*?</section>', response.content.decode(), re.S
    )
    return text_of(found.group(0)) if found else ""


def card_html(response, requirement) -> str:
    found = re.search(
        rf'<li class="board-card[^"]*" id="requirement-{requirement.pk}">.*?</li>',
        response.content.decode(),
        re.S,
    )
    return found.group(0) if found else ""


def order_in(account, moscow: str) -> list[str]:
    return list(
        Requirement.objects.filter(organization=account, moscow=moscow)
        .order_by("rank")
        .values_list("title", flat=True)
    )


@pytest.fixture
def board(account):
    """Two should-haves in the agreed order Export, Sign-on (Sign-on has the higher WSJF score), a
    must-have that fails two INVEST criteria, and one not yet prioritized."""
    return {
        "export": RequirementFactory(
            organization=account, title="Export invoices", moscow="should", rank=1, job_size=8, is_small=True
        ),
        "sign_on": RequirementFactory(
            organization=account, title="Single sign-on", moscow="should", rank=2, job_size=2
        ),
        "audit": RequirementFactory(
            organization=account,
            title="Audit trail",
            moscow="must",
            rank=1,
            kind="non_functional",
            non_functional_category="security",
            is_independent=True,
            is_negotiable=True,
            is_valuable=True,
            is_estimable=True,
        ),
        "triage": RequirementFactory(
            organization=account,
            title="Dark mode",
            moscow="",
            rank=1,
            service_impact=None,
            urgency=None,
            risk_reduction=None,
            job_size=None,
        ),
    }


# --- the board --------------------------------------------------------------------------------------


def test_the_board_shows_each_requirement_in_its_column_with_score_invest_and_status(
    as_user, owner, account, board
):
    response = as_user(owner).get(board_url(account))

    assert response.status_code == 200
    assert "<html" in response.content.decode()
    should = column_text(response, "should")
    assert should.index("Export invoices") < should.index("Single sign-on")
    assert "WSJF 1.25 (10 ÷ 8)" in should and "WSJF 5.00 (10 ÷ 2)" in should
    assert "Requirement drafted" in should
    must = column_text(response, "must")
    assert "Audit trail" in must and "non-functional: information security" in must
    assert "INVEST 4/6 · not yet small, testable" in must
    assert "Dark mode" in column_text(response, "unprioritized")
    assert "not scored" in column_text(response, "unprioritized")
    assert "None." in column_text(response, "could")
    assert "Should have (2)" in should


def test_a_story_that_meets_all_six_criteria_is_marked(as_user, owner, account):
    story = RequirementFactory(
        organization=account,
        acceptance_criteria="Booked in two taps.",
        **dict.fromkeys(
            ["is_independent", "is_negotiable", "is_valuable", "is_estimable", "is_small", "is_testable"],
            True,
        ),
    )

    response = as_user(owner).get(board_url(account))

    assert "INVEST ✓" in text_of(card_html(response, story))


def test_the_columns_show_their_share_of_the_effort(as_user, owner, account, board):
    response = as_user(owner).get(board_url(account))

    # Job sizes: should 8 + 2, must 5; the board's effort is 15.
    assert "effort 10 · 67 % of the board" in column_text(response, "should")
    assert "effort 5 · 33 % of the board" in column_text(response, "must")
    assert "no effort scored" in column_text(response, "unprioritized")


def test_the_board_alone_is_sent_to_htmx(as_user, owner, account, board):
    response = as_user(owner).get(board_url(account), **HX)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "Export invoices" in column_text(response, "should")
    assert "hx-request" in response.headers["Vary"].lower()


def test_ranking_by_wsjf_puts_the_highest_score_on_top(as_user, owner, account, board):
    response = as_user(owner).get(board_url(account, order="wsjf"))

    should = column_text(response, "should")
    assert should.index("Single sign-on") < should.index("Export invoices")
    assert f'id="move-{board["export"].pk}-up"' not in response.content.decode()
    assert "Adopt this order" in should


def test_the_board_can_be_narrowed_to_a_journey_and_an_offering(as_user, owner, account, board):
    journey = JourneyFactory(organization=account, name="Fleet app")
    offering = ServiceOfferingFactory(name="Mobility desk")
    RequirementFactory(
        organization=account, title="Offline booking", moscow="should", journey=journey, offering=offering
    )

    response = as_user(owner).get(board_url(account, journey=journey.pk, offering=offering.pk))

    text = text_of(response.content.decode())
    assert "Offline booking" in text
    assert "Export invoices" not in text
    assert "1 requirement of the journey “Fleet app” and the offering “Mobility desk”" in text


def test_an_unknown_view_value_is_ignored(as_user, owner, account, board):
    response = as_user(owner).get(board_url(account, order="sideways", journey="abc"))

    assert response.status_code == 200
    assert "Export invoices" in column_text(response, "should")


def test_a_narrowed_board_moves_a_card_past_its_visible_neighbour(as_user, owner, account, board):
    journey = JourneyFactory(organization=account)
    top = RequirementFactory(organization=account, title="Top", moscow="should", rank=3, journey=journey)
    bottom = RequirementFactory(
        organization=account, title="Bottom", moscow="should", rank=4, journey=journey
    )

    response = as_user(owner).get(board_url(account, journey=journey.pk))

    assert f'name="move" value="{bottom.pk}:3" id="move-{bottom.pk}-up"' in card_html(response, bottom)
    move(as_user(owner), bottom, "3", data={"board": f"journey={journey.pk}"})
    assert order_in(account, "should") == ["Export invoices", "Single sign-on", "Bottom", "Top"]
    assert top.pk


@pytest.mark.parametrize("size", [4, 40])
def test_the_board_costs_the_same_queries_whatever_its_size(
    as_user, teammate, account, size, django_assert_num_queries
):
    for number in range(size):
        RequirementFactory(organization=account, moscow=["must", "should", "could", "wont", ""][number % 5])
    client = as_user(teammate)

    # Session, user with roles and teams, organization, the journeys and offerings to narrow to,
    # the cards, the column figures.
    with django_assert_num_queries(7):
        response = client.get(board_url(account, order="wsjf"))

    assert response.status_code == 200
    assert len(re.findall(r'<li class="board-card[ "]', response.content.decode())) == size


def test_the_page_links_to_a_new_requirement_and_each_card_to_its_page(as_user, owner, account, board):
    html = as_user(owner).get(board_url(account)).content.decode()

    assert reverse("offerings:requirement_create", args=[account.pk]) in html
    assert reverse("offerings:requirement_detail", args=[board["export"].pk]) in html


# --- moving cards -----------------------------------------------------------------------------------


def test_a_move_without_javascript_redirects_back_to_the_card(as_user, owner, account, board):
    response = move(as_user(owner), board["sign_on"], "up")

    assert response.status_code == 302
    assert response["Location"] == board_url(account) + f"#requirement-{board['sign_on'].pk}"
    assert order_in(account, "should") == ["Single sign-on", "Export invoices"]
    assert JourneyEvent.objects.filter(event_type=OfferEventType.REQUIREMENT_REPRIORITIZED).count() == 1


def test_a_move_keeps_the_boards_view(as_user, owner, account, board):
    response = move(as_user(owner), board["export"], "must", data={"board": "order=wsjf"})

    assert response["Location"] == board_url(account, order="wsjf") + f"#requirement-{board['export'].pk}"


def test_the_view_carried_back_keeps_only_what_a_view_is_made_of(as_user, owner, account, board):
    response = move(
        as_user(owner), board["export"], "must", data={"board": "order=wsjf&next=//elsewhere.example"}
    )

    assert response["Location"] == board_url(account, order="wsjf") + f"#requirement-{board['export'].pk}"


def test_a_move_by_htmx_answers_with_the_new_board(as_user, owner, account, board):
    response = move(as_user(owner), board["export"], "must", **HX)

    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    must = column_text(response, "must")
    assert must.index("Audit trail") < must.index("Export invoices")
    assert order_in(account, "must") == ["Audit trail", "Export invoices"]


def test_the_cards_buttons_keep_their_ids_so_the_focus_stays_on_them(as_user, owner, account, board):
    card = board["triage"]

    response = move(as_user(owner), card, "must", **HX)

    html = card_html(response, card)
    for button in ("up", "down", "left", "right"):
        assert f'id="move-{card.pk}-{button}"' in html
    assert 'aria-label="Move Dark mode to Not yet prioritized"' in html


def test_a_refused_move_shows_the_reason_and_saves_nothing(as_user, owner, account, board):
    response = move(as_user(owner), board["export"], "up")

    assert response.status_code == 400
    assert "Export invoices: “Export invoices” is already at the top of its column." in text_of(
        response.content.decode()
    )
    assert "<html" in response.content.decode()
    assert order_in(account, "should") == ["Export invoices", "Single sign-on"]


def test_a_refused_move_by_htmx_shows_the_reason_in_the_board(as_user, owner, account):
    prioritized = RequirementFactory(
        organization=account,
        title="Export",
        moscow="must",
        status="prioritized",
        acceptance_criteria="Opens.",
    )

    response = move(as_user(owner), prioritized, "unprioritized", **HX)

    assert response.status_code == 200
    assert "Nothing was changed." in text_of(response.content.decode())
    prioritized.refresh_from_db()
    assert prioritized.moscow == "must"


def test_a_move_without_a_target_is_refused(as_user, owner, account, board):
    response = move(as_user(owner), board["export"], "urgent")

    assert response.status_code == 400
    assert "“urgent” is no place on the board" in text_of(response.content.decode())
    assert order_in(account, "should") == ["Export invoices", "Single sign-on"]


def test_a_card_of_another_account_is_not_moved_from_this_board(
    as_user, administrator, account, other_account
):
    theirs = RequirementFactory(organization=other_account, moscow="should", rank=1)
    url = reverse("offerings:requirement_board_move", args=[account.pk])

    response = as_user(administrator).post(url, {"move": f"{theirs.pk}:must"})

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.moscow == "should"


def test_the_columns_form_posts_the_pressed_button(as_user, owner, account, board):
    html = as_user(owner).get(board_url(account)).content.decode()

    url = reverse("offerings:requirement_board_move", args=[account.pk])
    assert html.count(f'<form method="post" action="{url}" hx-post="{url}" hx-target="#board"') == 3
    assert f'name="move" value="{board["export"].pk}:down"' in html


def test_a_column_adopts_the_wsjf_order(as_user, owner, account, board):
    url = reverse("offerings:requirement_rank_by_wsjf", args=[account.pk])

    response = as_user(owner).post(url, {"column": "should", "board": "order=wsjf"}, **HX)

    assert response.status_code == 200
    assert "Should have: 2 requirements took their place by WSJF score." in text_of(response.content.decode())
    assert order_in(account, "should") == ["Single sign-on", "Export invoices"]


def test_adopting_an_unknown_column_is_refused(as_user, owner, account, board):
    url = reverse("offerings:requirement_rank_by_wsjf", args=[account.pk])

    response = as_user(owner).post(url, {"column": "urgent"})

    assert response.status_code == 400
    assert "Choose one of the board's columns." in text_of(response.content.decode())


# --- who sees and moves what ------------------------------------------------------------------------


def test_an_outsider_finds_no_board_and_moves_nothing(as_user, outsider, other_team, account, board):
    client = as_user(outsider)

    assert client.get(board_url(account)).status_code == 404
    assert move(client, board["sign_on"], "up").status_code == 404
    assert client.get(reverse("offerings:requirement_detail", args=[board["export"].pk])).status_code == 404
    assert order_in(account, "should") == ["Export invoices", "Single sign-on"]


def test_an_analyst_sees_the_board_without_buttons_and_may_not_move(as_user, analyst, account, board):
    client = as_user(analyst)

    response = client.get(board_url(account))

    assert response.status_code == 200
    assert "Export invoices" in column_text(response, "should")
    assert "board-moves" not in response.content.decode()
    assert "New requirement" not in response.content.decode()
    assert move(client, board["sign_on"], "up").status_code == 403
    assert order_in(account, "should") == ["Export invoices", "Single sign-on"]


def test_a_teammate_moves_cards_too(as_user, teammate, account, board):
    move(as_user(teammate), board["sign_on"], "up")

    assert order_in(account, "should") == ["Single sign-on", "Export invoices"]


def test_an_integrator_may_not_use_the_pages(as_user, integrator, account, board):
    client = as_user(integrator)

    assert client.get(board_url(account)).status_code == 403
    assert move(client, board["sign_on"], "up").status_code == 403


def test_a_non_consumer_board_says_why_it_is_empty(as_user, owner, team):
    partner = OrganizationFactory(name="Quay Hosting", kind="partner", owner=owner, team=team)

    response = as_user(owner).get(board_url(partner))

    assert "Quay Hosting is not a service consumer" in text_of(response.content.decode())
    assert "New requirement" not in response.content.decode()


# --- a requirement's pages --------------------------------------------------------------------------


def test_the_requirement_page_explains_the_wsjf_score_and_the_invest_check(as_user, owner, account, board):
    response = as_user(owner).get(reverse("offerings:requirement_detail", args=[board["audit"].pk]))

    text = text_of(response.content.decode())
    assert response.status_code == 200
    assert "As a fleet manager, I want to book a replacement car from my phone" in text
    assert "= Cost of delay 10 ÷ Job size 5 = WSJF score 2.00" in text
    assert "2 of the six criteria are not met yet" in text
    assert "Small: It is too big to finish within one sprint; split it." in text
    assert "Testable: There is no way yet to tell whether it is done." in text
    assert "Must have, #1" in text


def test_creating_a_requirement_from_the_form(as_user, owner, account):
    response = as_user(owner).post(
        reverse("offerings:requirement_create", args=[account.pk]),
        {
            "title": "Book from the phone",
            "kind": "utility",
            "status": "drafted",
            "moscow": "could",
            "service_impact": "5",
            "urgency": "3",
            "risk_reduction": "2",
            "job_size": "2",
            "is_small": "on",
        },
    )

    requirement = Requirement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("offerings:requirement_detail", args=[requirement.pk])
    assert (requirement.moscow, requirement.wsjf_score, requirement.is_small) == ("could", 5, True)


def test_the_new_form_starts_in_the_column_it_was_opened_from(as_user, owner, account):
    response = as_user(owner).get(reverse("offerings:requirement_create", args=[account.pk]) + "?column=wont")

    assert '<option value="wont" selected>' in response.content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("job_size", "0", "cannot be ranked"),
        ("urgency", "4", "Use one of 1, 2, 3, 5, 8, 13, 20"),
    ],
)
def test_bad_wsjf_input_is_a_field_error_and_saves_nothing(as_user, owner, account, field, value, message):
    data = {"title": "Export", "kind": "utility", "status": "drafted", "service_impact": "3", "urgency": "5"}
    data |= {"risk_reduction": "2", "job_size": "3", field: value}

    response = as_user(owner).post(reverse("offerings:requirement_create", args=[account.pk]), data)

    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert message in text_of(html)
    assert not Requirement.objects.exists()


def test_editing_a_requirement_saves_it(as_user, owner, account, board):
    requirement = board["export"]
    url = reverse("offerings:requirement_edit", args=[requirement.pk])
    form = as_user(owner).get(url)
    assert 'value="Export invoices"' in form.content.decode()

    response = as_user(owner).post(
        url,
        {
            "title": "Export all invoices",
            "kind": "utility",
            "status": "drafted",
            "moscow": "should",
            "service_impact": "3",
            "urgency": "5",
            "risk_reduction": "2",
            "job_size": "",
        },
    )

    assert response.status_code == 400  # the four WSJF figures go together
    assert "Score all four WSJF figures" in text_of(response.content.decode())
    response = as_user(owner).post(
        url, {"title": "Export all invoices", "kind": "utility", "status": "drafted", "moscow": "should"}
    )
    assert response.status_code == 302
    requirement.refresh_from_db()
    assert (requirement.title, requirement.job_size) == ("Export all invoices", None)


def test_deleting_asks_first_then_closes_the_gap(as_user, owner, account, board):
    url = reverse("offerings:requirement_delete", args=[board["export"].pk])

    assert "Delete “Export invoices”?" in text_of(as_user(owner).get(url).content.decode())
    response = as_user(owner).post(url)

    assert response["Location"] == board_url(account)
    assert list(Requirement.objects.filter(moscow="should").values_list("title", "rank")) == [
        ("Single sign-on", 1)
    ]


@pytest.mark.parametrize("name", ["requirement_edit", "requirement_delete"])
def test_read_only_roles_get_no_forms(as_user, analyst, account, board, name):
    assert as_user(analyst).get(reverse(f"offerings:{name}", args=[board["export"].pk])).status_code == 403


def test_the_outsider_cannot_record_requirements_for_the_account(as_user, outsider, other_team, account):
    response = as_user(outsider).post(
        reverse("offerings:requirement_create", args=[account.pk]), {"title": "Peek", "kind": "utility"}
    )

    assert response.status_code == 404
    assert not Requirement.objects.exists()
