"""The playbook timeline chart: one row per action in dependency order, a bar from the day its
prerequisites are due to its own due day, the warning style when it is due too early, and a text
alternative that states every row."""

import re

import pytest

from offerings import selectors
from offerings.playbook_timeline import playbook_timeline_chart
from tests.factories.offerings import (
    OnboardingPlaybookFactory,
    PlaybookActionDependencyFactory,
    PlaybookActionFactory,
)

pytestmark = pytest.mark.django_db


def chart_for(user, playbook) -> str:
    return str(playbook_timeline_chart(selectors.playbook_timeline(user=user, playbook=playbook)))


def test_an_empty_playbook_draws_nothing(owner):
    assert chart_for(owner, OnboardingPlaybookFactory()) == ""


def test_each_action_is_a_row_with_a_bar_from_its_prerequisites(owner):
    playbook = OnboardingPlaybookFactory()
    sign = PlaybookActionFactory(
        playbook=playbook, title="Sign <the> order", owner_party="consumer", due_after_days=0
    )
    ship = PlaybookActionFactory(playbook=playbook, title="Ship laptops", due_after_days=20)
    PlaybookActionDependencyFactory(action=ship, depends_on=sign)

    svg = chart_for(owner, playbook)

    assert svg.count('class="row-label"') == 2
    assert "1. Sign &lt;the&gt; order" in svg  # titles are escaped
    assert (
        len(re.findall(r'<rect class="bar bar-provider"', svg)) == 1
    )  # only the action that waits spans days
    assert 'class="bar bar-consumer due"' in svg
    assert (
        "2. Ship laptops: carried out by the service provider, due on day 20, after Sign &lt;the&gt; order"
        in svg
    )
    # Ticks at a readable step: 0, 5, … 20.
    assert re.findall(r'text-anchor="middle">(\d+)</text>', svg) == ["0", "5", "10", "15", "20"]


def test_an_action_due_before_its_prerequisite_is_drawn_as_late(owner):
    playbook = OnboardingPlaybookFactory()
    ship = PlaybookActionFactory(playbook=playbook, title="Ship", due_after_days=10)
    train = PlaybookActionFactory(playbook=playbook, title="Train", due_after_days=4)
    PlaybookActionDependencyFactory(action=train, depends_on=ship)

    svg = chart_for(owner, playbook)

    assert 'class="bar bar-provider bar-late"' in svg
    assert (
        "Train: carried out by the service provider, due on day 4, after Ship (due by day 10); it is due "
        in svg
    )
