"""The SWOT and PESTLE pages as a user sees them: the list, the forms, the two boards with their inline
adds, edits and removals (HTMX fragments and plain forms alike), and who may do what."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from exploration.models import PestleAnalysis, PestleFactor, SwotAnalysis, SwotItem
from tests.factories.analyses import (
    PestleAnalysisFactory,
    PestleFactorFactory,
    SwotAnalysisFactory,
    SwotItemFactory,
)
from tests.factories.exploration import MarketSegmentFactory
from tests.helpers import HX, text_of

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"exploration:{name}", args=args)


def field_error(response, field_id: str) -> str:
    found = re.search(
        rf'<ul class="errorlist" id="{field_id}_error">(.*?)</ul>', response.content.decode(), re.S
    )
    return text_of(found.group(1)) if found else ""


def page_text(response) -> str:
    return text_of(response.content.decode())


@pytest.fixture
def board(account):
    """An account SWOT whose weaknesses outnumber and outweigh its strengths."""
    analysis = SwotAnalysisFactory(title="Rentwheel renewal", organization=account)
    SwotItemFactory(analysis=analysis, quadrant="strength", text="Fast desk", weight=2)
    SwotItemFactory(analysis=analysis, quadrant="weakness", text="Old tablets", weight=4)
    SwotItemFactory(analysis=analysis, quadrant="weakness", text="No spares", weight=1)
    return analysis


# --- list -----------------------------------------------------------------------------------------


def test_the_list_shows_the_analyses_with_their_balance(as_user, owner, board):
    PestleAnalysisFactory(title="Around us")

    response = as_user(owner).get(url("analysis_list"))

    text = page_text(response)
    assert "Rentwheel renewal Rentwheel Car Hire" in text
    assert "1 2 0 0 Gap to bridge" in text
    assert "Around us Our own organization" in text
    assert url("market_segment_list") in response.content.decode()
    assert url("swot_create") in response.content.decode()


def test_the_list_hides_account_analyses_from_outsiders(as_user, outsider, other_team, board):
    response = as_user(outsider).get(url("analysis_list"))

    assert "Rentwheel renewal" not in page_text(response)


def test_filtering_by_organization_links_the_account_and_prefills_new_analyses(
    as_user, owner, account, board
):
    response = as_user(owner).get(url("analysis_list"), {"organization": account.pk})

    page = response.content.decode()
    assert reverse("account_detail", args=[account.pk]) in page
    assert f"{url('swot_create')}?organization={account.pk}" in page


def test_the_list_results_come_alone_for_htmx(as_user, owner, board):
    response = as_user(owner).get(url("analysis_list"), **HX)

    assert "<html" not in response.content.decode()
    assert "Rentwheel renewal" in page_text(response)


def test_analysts_see_the_list_without_write_buttons(as_user, analyst, board):
    response = as_user(analyst).get(url("analysis_list"))

    assert "Rentwheel renewal" in page_text(response)
    assert url("swot_create") not in response.content.decode()


# --- create, edit, delete -------------------------------------------------------------------------


def test_creating_a_swot_for_an_account_goes_to_its_board(as_user, owner, account):
    response = as_user(owner).post(
        url("swot_create"), {"title": "Renewal", "subject": "organization", "organization": account.pk}
    )

    analysis = SwotAnalysis.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("swot_detail", analysis.pk)
    assert (analysis.organization, analysis.owner) == (account, owner)


def test_the_new_form_starts_on_the_organization_given(as_user, owner, account):
    page = as_user(owner).get(url("swot_create"), {"organization": account.pk}).content.decode()

    assert f'<option value="{account.pk}" selected>' in page
    assert re.search(r'value="organization"[^>]*checked', page)


def test_the_new_form_starts_on_the_segment_given(as_user, owner):
    segment = MarketSegmentFactory(name="Benelux")

    page = as_user(owner).get(url("pestle_create"), {"segment": segment.pk}).content.decode()

    assert f'<option value="{segment.pk}" selected>' in page


def test_an_organization_subject_without_organization_shows_the_error_under_organization(as_user, owner):
    response = as_user(owner).post(url("swot_create"), {"title": "Renewal", "subject": "organization"})

    assert response.status_code == 400
    assert "Choose one of the organizations you look after." in field_error(response, "id_organization")
    assert not SwotAnalysis.objects.exists()


def test_an_outsider_cannot_pick_another_teams_organization(as_user, outsider, other_team, account):
    response = as_user(outsider).post(
        url("pestle_create"), {"title": "Peek", "subject": "organization", "organization": account.pk}
    )

    assert response.status_code == 400
    assert "Choose one of the organizations you look after." in field_error(response, "id_organization")
    assert not PestleAnalysis.objects.exists()


def test_editing_an_analysis_saves_and_goes_back_to_the_board(as_user, teammate, board):
    response = as_user(teammate).post(
        url("swot_edit", board.pk),
        {"title": "Renewal 2026", "subject": "organization", "organization": board.organization_id},
    )

    assert response.status_code == 302
    board.refresh_from_db()
    assert board.title == "Renewal 2026"


def test_deleting_asks_first_then_deletes(as_user, owner, board):
    client = as_user(owner)

    assert "Delete “Rentwheel renewal”?" in page_text(client.get(url("swot_delete", board.pk)))
    response = client.post(url("swot_delete", board.pk))

    assert response["Location"] == url("analysis_list")
    assert not SwotAnalysis.objects.exists()


# --- the SWOT board -------------------------------------------------------------------------------


def test_the_board_shows_quadrants_handling_and_the_balance_warning(as_user, owner, board):
    response = as_user(owner).get(url("swot_detail", board.pk))

    text = page_text(response)
    assert "Balance: a gap to bridge" in text
    assert (
        "outnumber and outweigh strengths (2 weaknesses against 1 strength; a weight of 5 against 2)" in text
    )
    assert "Raised by the number of items and their weights." in text
    assert "Strengths (1) Build upon." in text
    assert "Weaknesses (2) Manage or turn into strengths." in text
    assert "Opportunities (0) Identify." in text
    assert "Threats (0) Manage." in text
    assert "4 Old tablets" in text
    page = response.content.decode()
    assert reverse("account_detail", args=[board.organization_id]) in page
    assert url("market_segment_list") in page


def test_a_balanced_board_says_so(as_user, owner):
    analysis = SwotAnalysisFactory()
    SwotItemFactory(analysis=analysis, quadrant="strength", weight=3)

    text = page_text(as_user(owner).get(url("swot_detail", analysis.pk)))

    assert "Strengths match or exceed weaknesses" in text
    assert "gap to bridge" not in text


def test_the_board_comes_alone_for_htmx(as_user, owner, board):
    response = as_user(owner).get(url("swot_detail", board.pk), **HX)

    page = response.content.decode()
    assert "<html" not in page
    assert "Old tablets" in page
    assert response["Vary"].find("HX-Request") >= 0


def test_adding_an_item_without_htmx_redirects_to_the_board(as_user, owner, board):
    response = as_user(owner).post(
        url("swot_item_add", board.pk), {"quadrant": "strength", "text": "Local engineers", "weight": "3"}
    )

    assert response["Location"] == url("swot_detail", board.pk)
    assert board.items.filter(text="Local engineers", weight=3, quadrant="strength").exists()


def test_adding_an_item_with_htmx_answers_with_the_new_board(as_user, owner, board):
    response = as_user(owner).post(
        url("swot_item_add", board.pk),
        {"quadrant": "strength", "text": "Local engineers", "weight": "5"},
        **HX,
    )

    text = page_text(response)
    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    assert "Item added." in text
    assert "5 Local engineers" in text
    # 2 strengths weighing 7 against 2 weaknesses weighing 5: balanced now.
    assert "Strengths match or exceed weaknesses" in text


def test_a_bad_item_shows_its_error_and_saves_nothing(as_user, owner, board):
    response = as_user(owner).post(
        url("swot_item_add", board.pk), {"quadrant": "threat", "text": "", "weight": "9"}
    )

    assert response.status_code == 400
    assert field_error(response, "id_add_threat_text")
    assert field_error(response, "id_add_threat_weight")
    assert "Nothing was saved." in page_text(response)
    assert board.items.count() == 3


def test_a_bad_item_with_htmx_comes_back_as_the_board_with_its_errors(as_user, owner, board):
    response = as_user(owner).post(
        url("swot_item_add", board.pk), {"quadrant": "weakness", "text": " ", "weight": "1"}, **HX
    )

    assert response.status_code == 200
    assert "Nothing was saved. Item: This field is required." in page_text(response)
    assert board.items.count() == 3


def test_editing_an_item_opens_it_on_the_board_and_saves(as_user, owner, board):
    item = board.items.get(text="No spares")
    client = as_user(owner)

    form = client.get(url("swot_item_edit", board.pk, item.pk), **HX).content.decode()
    assert f'id="id_item_{item.pk}_text"' in form and 'value="No spares"' in form
    response = client.post(
        url("swot_item_edit", board.pk, item.pk),
        {"quadrant": "weakness", "text": "No spare pool", "weight": "2"},
    )

    assert response["Location"] == url("swot_detail", board.pk)
    item.refresh_from_db()
    assert (item.text, item.weight) == ("No spare pool", 2)


def test_a_bad_edit_keeps_the_item_and_shows_the_error(as_user, owner, board):
    item = board.items.get(text="No spares")

    response = as_user(owner).post(
        url("swot_item_edit", board.pk, item.pk), {"quadrant": "weakness", "text": "No spares", "weight": "0"}
    )

    assert response.status_code == 400
    assert field_error(response, f"id_item_{item.pk}_weight")
    item.refresh_from_db()
    assert item.weight == 1


def test_removing_an_item_with_htmx(as_user, owner, board):
    item = board.items.get(text="No spares")

    response = as_user(owner).post(url("swot_item_remove", board.pk, item.pk), **HX)

    assert "“No spares” removed." in page_text(response)
    assert not SwotItem.objects.filter(pk=item.pk).exists()


def test_an_item_of_another_board_is_not_found(as_user, owner, board):
    other = SwotItemFactory()

    response = as_user(owner).post(url("swot_item_remove", board.pk, other.pk))

    assert response.status_code == 404
    assert SwotItem.objects.filter(pk=other.pk).exists()


def test_pulling_pestle_factors_puts_them_on_the_board_once(as_user, owner, board, account):
    pestle = PestleAnalysisFactory(organization=account, title="Around Rentwheel")
    factor = PestleFactorFactory(analysis=pestle, factor="Fuel prices", effect="threat", impact=4)
    client = as_user(owner)

    page = client.get(url("swot_detail", board.pk)).content.decode()
    assert "Threat or constraint: Fuel prices (Economic, impact 4) — Around Rentwheel" in text_of(page)
    response = client.post(url("swot_pull_pestle", board.pk), {"factors": [factor.pk]}, **HX)

    text = page_text(response)
    assert "1 PESTLE factor pulled in." in text
    assert "4 Fuel prices · from PESTLE (Economic)" in text
    assert "Nothing to pull in" in text
    client.post(url("swot_pull_pestle", board.pk), {"factors": [factor.pk]})
    assert board.items.filter(pestle_factor=factor).count() == 1


def test_pulling_a_factor_of_another_subject_is_refused_under_factors(as_user, owner, board):
    foreign = PestleFactorFactory()  # of our own organization, not of the account

    response = as_user(owner).post(url("swot_pull_pestle", board.pk), {"factors": [foreign.pk]})

    assert response.status_code == 400
    assert "cannot be pulled into this analysis" in field_error(response, "id_factors")
    assert board.items.count() == 3


# --- the PESTLE board -----------------------------------------------------------------------------


def test_the_pestle_board_shows_areas_scores_and_suggestions(as_user, owner):
    pestle = PestleAnalysisFactory(title="Around us")
    PestleFactorFactory(analysis=pestle, area="legal", factor="NIS2", effect="threat", impact=4, likelihood=5)

    response = as_user(owner).get(url("pestle_detail", pestle.pk))

    text = page_text(response)
    page = response.content.decode()
    assert "Legal (1)" in text and "20 NIS2 · Threat or constraint · impact 4 × likelihood 5" in text
    assert '<datalist id="suggestions-environmental">' in page
    assert '<option value="Energy supply">' in page
    assert 'list="suggestions-political"' in page
    assert url("market_segment_list") in page


def test_adding_a_factor_with_htmx_and_a_bad_one_without(as_user, owner):
    pestle = PestleAnalysisFactory()
    client = as_user(owner)
    data = {"area": "economic", "factor": "Inflation", "effect": "threat", "impact": "4", "likelihood": "4"}

    response = client.post(url("pestle_factor_add", pestle.pk), data, **HX)
    assert "16 Inflation" in page_text(response)
    response = client.post(url("pestle_factor_add", pestle.pk), data | {"impact": "7"})

    assert response.status_code == 400
    assert field_error(response, "id_add_economic_impact")
    assert PestleFactor.objects.count() == 1


def test_editing_and_removing_a_factor(as_user, owner):
    factor = PestleFactorFactory(area="political", factor="Elections", impact=2, likelihood=2)
    pestle = factor.analysis
    client = as_user(owner)

    assert 'value="Elections"' in client.get(url("pestle_factor_edit", pestle.pk, factor.pk)).content.decode()
    client.post(
        url("pestle_factor_edit", pestle.pk, factor.pk),
        {"area": "political", "factor": "Elections", "effect": "threat", "impact": "5", "likelihood": "3"},
    )
    factor.refresh_from_db()
    assert (factor.effect, factor.impact) == ("threat", 5)

    client.post(url("pestle_factor_remove", pestle.pk, factor.pk))
    assert not PestleFactor.objects.exists()


# --- who may do what ------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["owner", "teammate", "desk", "analyst"])
def test_everyone_who_may_see_the_account_reads_its_boards(request, as_user, persona, board):
    pestle = PestleAnalysisFactory(organization=board.organization)

    client = as_user(request.getfixturevalue(persona))

    assert client.get(url("swot_detail", board.pk)).status_code == 200
    assert client.get(url("pestle_detail", pestle.pk)).status_code == 200


def test_an_outsider_gets_404_on_every_page_of_an_account_analysis(as_user, outsider, other_team, board):
    item = board.items.first()
    pestle = PestleAnalysisFactory(organization=board.organization)
    factor = PestleFactorFactory(analysis=pestle)
    client = as_user(outsider)

    for name, args in [
        ("swot_detail", [board.pk]),
        ("swot_edit", [board.pk]),
        ("swot_delete", [board.pk]),
        ("swot_item_edit", [board.pk, item.pk]),
        ("pestle_detail", [pestle.pk]),
        ("pestle_factor_edit", [pestle.pk, factor.pk]),
    ]:
        assert client.get(url(name, *args)).status_code == 404, name
    assert (
        client.post(url("swot_item_add", board.pk), {"quadrant": "strength", "text": "x"}).status_code == 404
    )
    assert client.post(url("swot_item_remove", board.pk, item.pk)).status_code == 404
    assert client.post(url("pestle_factor_remove", pestle.pk, factor.pk)).status_code == 404
    assert SwotItem.objects.filter(pk=item.pk).exists() and PestleFactor.objects.filter(pk=factor.pk).exists()


@pytest.mark.parametrize("persona", ["desk", "analyst"])
def test_desk_and_analyst_may_not_write(request, as_user, persona, board):
    client = as_user(request.getfixturevalue(persona))
    item = board.items.first()

    assert client.get(url("swot_create")).status_code == 403
    assert client.get(url("swot_edit", board.pk)).status_code == 403
    assert (
        client.post(url("swot_item_add", board.pk), {"quadrant": "strength", "text": "x"}).status_code == 403
    )
    assert client.post(url("swot_item_remove", board.pk, item.pk)).status_code == 403
    assert client.post(url("swot_delete", board.pk)).status_code == 403
    assert client.post(url("pestle_create"), {"title": "x", "subject": "provider"}).status_code == 403
    assert board.items.count() == 3 and not PestleAnalysis.objects.exists()
    assert "Add to strengths" not in page_text(client.get(url("swot_detail", board.pk)))


def test_integrators_may_not_use_the_pages(as_user, integrator, board):
    client = as_user(integrator)

    assert client.get(url("analysis_list")).status_code == 403
    assert client.get(url("swot_detail", board.pk)).status_code == 403


def test_the_pages_sit_under_the_explore_navigation(as_user, owner):
    page = as_user(owner).get(url("analysis_list")).content.decode()

    assert re.search(rf'href="{url("analysis_list")}"\s+aria-current="page"', page)


# --- constant queries -----------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["swot_detail", "pestle_detail", "analysis_list"])
def test_the_pages_run_the_same_number_of_queries_at_two_sizes(as_user, owner, account, page):
    swot = SwotAnalysisFactory(organization=account)
    pestle = PestleAnalysisFactory(organization=account)
    client = as_user(owner)
    path = {"swot_detail": url("swot_detail", swot.pk), "pestle_detail": url("pestle_detail", pestle.pk)}.get(
        page, url("analysis_list")
    )
    counts = []
    for size in (2, 12):
        for index in range(size):
            SwotItemFactory(
                analysis=swot, quadrant=["strength", "weakness", "opportunity", "threat"][index % 4]
            )
            PestleFactorFactory(analysis=pestle, area=["legal", "economic"][index % 2])
            SwotAnalysisFactory(organization=account)
            PestleAnalysisFactory(segment=MarketSegmentFactory())
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1] <= 12, counts
