"""A desk agent logs touchpoints at the service desk console with the keyboard alone: after opening the
page, the test only types and presses keys (never clicks), as an agent on a call would."""

import re

import pytest
from django.urls import reverse

from journeys.models import Channel, JourneyStep, Touchpoint, TouchpointKind
from tests.factories.journeys import JourneyFactory, OrganizationFactory, StakeholderFactory

pytestmark = pytest.mark.e2e


def _expect():
    from playwright.sync_api import expect

    return expect


@pytest.fixture
def callers(account, journey, other_account, sponsor):
    """Four accounts, two people to find by name or e-mail; Rentwheel's journey stands in Engage,
    Harbour's in Co-create, the others have none (Co-create is proposed)."""
    sponsor.email = "ana.ferreira@rentwheel.example"
    sponsor.save()
    harbour = OrganizationFactory(name="Harbour Logistics", city="Rotterdam")
    JourneyFactory(organization=harbour, name="Warehouse robots", current_step=JourneyStep.CO_CREATE)
    clinics = OrganizationFactory(name="Greenfield Clinics", city="Leiden")
    ravi = StakeholderFactory(
        organization=other_account, name="Ravi Patel", email="ravi.patel@northbank.example"
    )
    return {
        "rentwheel": account,
        "northbank": other_account,
        "harbour": harbour,
        "clinics": clinics,
        "ravi": ravi,
    }


def _focused_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def _pick(page, typed: str, option_text: str) -> None:
    """Type part of a name in the search box, wait for the match, pick it with ↓ and Enter."""
    expect = _expect()
    expect(page.locator("#console-search")).to_be_focused()
    page.keyboard.type(typed, delay=20)
    option = page.locator("#console-listbox [role='option']", has_text=option_text).first
    expect(option).to_be_visible()
    # ↓ until the wanted match is the marked one (it is usually the first).
    for _ in range(page.locator("#console-listbox [role='option']").count()):
        page.keyboard.press("ArrowDown")
        if option.get_attribute("aria-selected") == "true":
            break
    expect(option).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Enter")
    # The panel shows the account, and the form has the focus on its first choice (the channel).
    expect(page.locator("#console-log-form select[name='channel']")).to_be_focused()


def _log(
    page, *, keys_channel=(), keys_kind=(), keys_sentiment=(), moment_of_truth=False, summary: str
) -> None:
    """From the channel: choose channel, kind and sentiment with the arrow keys, leave the step as
    proposed, tick the moment of truth with Space, type the summary and press Enter."""
    for key in keys_channel:
        page.keyboard.press(key)
    page.keyboard.press("Tab")  # kind
    for key in keys_kind:
        page.keyboard.press(key)
    page.keyboard.press("Tab")  # journey step: the account's current one is proposed
    page.keyboard.press("Tab")  # sentiment: the checked radio button (neutral)
    for key in keys_sentiment:
        page.keyboard.press(key)
    page.keyboard.press("Tab")  # moment of truth
    if moment_of_truth:
        page.keyboard.press("Space")
    page.keyboard.press("Tab")  # summary
    assert _focused_id(page) == "id_summary"
    page.keyboard.type(summary, delay=5)
    page.keyboard.press("Enter")


def _after_logging(page, *, account_name: str, summary: str) -> None:
    expect = _expect()
    expect(page.locator("#console-status")).to_contain_text("Logged:")
    expect(page.locator("#console-status")).to_contain_text(account_name)
    expect(page.locator("#console-recent tbody")).to_contain_text(summary)
    expect(page.locator("#console-search")).to_be_focused()
    expect(page.locator("#console-search")).to_have_value("")


def test_a_desk_agent_logs_five_touchpoints_in_a_row_without_the_mouse(
    page_as, desk, callers, live_server, screenshot
):
    expect = _expect()
    page = page_as(desk)
    page.goto(reverse("cocreation:console"))
    expect(page.locator("#console-search")).to_be_focused()
    screenshot(page, "0-start")

    # 1. An organization by the start of its name; e-mail (↓ from telephone), a query, positive.
    _pick(page, "rentw", "Rentwheel Car Hire")
    expect(page.locator("#console-panel-heading")).to_have_text("Rentwheel Car Hire")
    screenshot(page, "1-picked")
    _log(
        page,
        keys_channel=["ArrowDown"],
        keys_sentiment=["ArrowRight"],
        summary="Asked for a second depot login",
    )
    _after_logging(page, account_name="Rentwheel Car Hire", summary="Asked for a second depot login")
    screenshot(page, "1-logged")

    # 2. A person by name: their account comes with them; a complaint, very negative, a moment of truth.
    _pick(page, "ravi", "Ravi Patel")
    expect(page.locator("#console-panel-heading")).to_have_text("Northbank Savings")
    expect(page.locator("#console-log-form select[name='person'] option:checked")).to_contain_text(
        "Ravi Patel"
    )
    expect(page.locator("#console-log-form select[name='channel']")).to_have_value(Channel.EMAIL)
    _log(
        page,
        keys_kind=["ArrowDown"] * 3,
        keys_sentiment=["ArrowLeft", "ArrowLeft"],
        moment_of_truth=True,
        summary="Card payments failed all morning",
    )
    _after_logging(page, account_name="Northbank Savings", summary="Card payments failed all morning")
    screenshot(page, "2-logged")

    # 3. Channel and kind stay as the agent left them; the step proposed is the account's (Co-create).
    _pick(page, "harbour", "Harbour Logistics")
    expect(page.locator("#console-log-form select[name='kind']")).to_have_value(TouchpointKind.COMPLAINT)
    expect(page.locator("#console-log-form select[name='step']")).to_have_value(JourneyStep.CO_CREATE)
    _log(
        page,
        keys_channel=["ArrowUp"],
        keys_kind=["ArrowUp", "ArrowUp", "ArrowUp"],
        summary="Robot fleet update",
    )
    _after_logging(page, account_name="Harbour Logistics", summary="Robot fleet update")
    screenshot(page, "3-logged")

    # 4. A person by the start of their e-mail address; very positive.
    _pick(page, "ana.f", "Ana Ferreira")
    _log(page, keys_sentiment=["ArrowRight", "ArrowRight"], summary="Thanked the team for the quick fix")
    _after_logging(page, account_name="Rentwheel Car Hire", summary="Thanked the team for the quick fix")
    screenshot(page, "4-logged")

    # 5. An organization by a later word of its name.
    _pick(page, "clinic", "Greenfield Clinics")
    _log(page, summary="Asked when the portal moves")
    _after_logging(page, account_name="Greenfield Clinics", summary="Asked when the portal moves")
    screenshot(page, "5-logged")

    logged = list(
        Touchpoint.objects.order_by("pk").values_list(
            "organization__name",
            "stakeholder__name",
            "channel",
            "kind",
            "step",
            "sentiment",
            "moment_of_truth",
            "summary",
            "logged_by__username",
        )
    )
    assert logged == [
        (
            "Rentwheel Car Hire",
            None,
            "email",
            "query",
            "engage",
            1,
            False,
            "Asked for a second depot login",
            "desk",
        ),
        (
            "Northbank Savings",
            "Ravi Patel",
            "email",
            "complaint",
            "co_create",
            -2,
            True,
            "Card payments failed all morning",
            "desk",
        ),
        (
            "Harbour Logistics",
            None,
            "telephone",
            "query",
            "co_create",
            0,
            False,
            "Robot fleet update",
            "desk",
        ),
        (
            "Rentwheel Car Hire",
            "Ana Ferreira",
            "telephone",
            "query",
            "engage",
            2,
            False,
            "Thanked the team for the quick fix",
            "desk",
        ),
        (
            "Greenfield Clinics",
            None,
            "telephone",
            "query",
            "co_create",
            0,
            False,
            "Asked when the portal moves",
            "desk",
        ),
    ]
    rows = page.locator("#console-recent tbody tr")
    expect(rows).to_have_count(5)
    expect(rows.first).to_contain_text("Asked when the portal moves")


def test_enter_pressed_twice_logs_one_touchpoint(page_as, desk, callers, screenshot):
    expect = _expect()
    page = page_as(desk)
    page.goto(reverse("cocreation:console"))
    _pick(page, "rentw", "Rentwheel Car Hire")
    _log(page, summary="Called twice by mistake")
    page.keyboard.press("Enter")
    _after_logging(page, account_name="Rentwheel Car Hire", summary="Called twice by mistake")
    screenshot(page, "enter-twice")

    assert Touchpoint.objects.filter(summary="Called twice by mistake").count() == 1
    expect(page.locator("#console-recent tbody tr")).to_have_count(1)


def test_a_refused_form_names_the_field_and_takes_the_focus_to_it(page_as, desk, callers, screenshot):
    expect = _expect()
    page = page_as(desk)
    page.goto(reverse("cocreation:console"))
    _pick(page, "rentw", "Rentwheel Car Hire")
    _log(page, summary="")

    expect(page.locator("#console-errors")).to_contain_text("Summary: Say in a few words what happened.")
    expect(page.locator("#id_summary")).to_be_focused()
    screenshot(page, "refused")
    page.keyboard.type("Now with a summary")
    page.keyboard.press("Enter")
    _after_logging(page, account_name="Rentwheel Car Hire", summary="Now with a summary")
    assert list(Touchpoint.objects.values_list("summary", flat=True)) == ["Now with a summary"]


def test_the_page_loads_nothing_from_outside_the_app(page_as, desk, live_server):
    page = page_as(desk)
    outside = []
    page.on("requestfailed", lambda request: outside.append(request.url))

    page.goto(reverse("cocreation:console"))

    assert page.evaluate("typeof window.htmx") == "object", "htmx comes from /static/"
    assert not [url for url in outside if not re.match(re.escape(live_server.url), url)]
