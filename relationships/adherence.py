"""How well a communication plan is kept: the figures derived from three facts the database counts per
person (contacts in the window, those on the preferred channel, the last contact). The counting runs in
SQL (relationships.selectors.communication); the arithmetic on its three results runs here, once per
row, because spelling it out in SQL repeated each counting subquery in every expression built on it.

Over the window from the later of the plan's start and `today` − ADHERENCE_WINDOW_DAYS, up to today:

- expected_contacts: ⌈window days ÷ cadence⌉, at least 1;
- channel_share = contacts_on_channel ÷ contacts (None without contacts);
- adherence = min(contacts ÷ expected, 1), None for a plan that has not started yet;
- next_due: the later of the last contact's day and the plan's start, plus the cadence;
  overdue when next_due is before today.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

# Adherence looks back this far (or to the plan's start, if later): long enough for a twice-yearly
# cadence to count, short enough that last year's habits do not hide today's silence.
ADHERENCE_WINDOW_DAYS = 180


@dataclass(frozen=True)
class Adherence:
    window_start: date
    expected_contacts: int
    contacts: int
    contacts_on_channel: int
    adherence: float | None
    channel_share: float | None
    last_contact_at: datetime | None
    next_due: date
    overdue: bool

    @property
    def adherence_percent(self) -> int | None:
        return None if self.adherence is None else round(self.adherence * 100)

    @property
    def channel_share_percent(self) -> int | None:
        return None if self.channel_share is None else round(self.channel_share * 100)


def window_start(starts_on: date, today: date) -> date:
    return max(starts_on, today - timedelta(days=ADHERENCE_WINDOW_DAYS))


def next_due_of(*, starts_on: date, cadence_days: int, last_contact_at: datetime | None) -> date:
    """When the plan's next contact is due: a cadence after the last contact, or after the plan's start
    when there has been no contact since."""
    last_day = timezone.localdate(last_contact_at) if last_contact_at else None
    return max(last_day or starts_on, starts_on) + timedelta(days=cadence_days)


def adherence_of(
    *,
    starts_on: date,
    cadence_days: int,
    contacts: int,
    contacts_on_channel: int,
    last_contact_at: datetime | None,
    today: date,
) -> Adherence:
    """The figures of one plan from what the database counted for it (see the module's docstring)."""
    start = window_start(starts_on, today)
    window_days = (today - start).days
    expected = max(-(-window_days // cadence_days), 1)
    next_due = next_due_of(starts_on=starts_on, cadence_days=cadence_days, last_contact_at=last_contact_at)
    return Adherence(
        window_start=start,
        expected_contacts=expected,
        contacts=contacts,
        contacts_on_channel=contacts_on_channel,
        adherence=None if starts_on > today else min(contacts / expected, 1.0),
        channel_share=contacts_on_channel / contacts if contacts else None,
        last_contact_at=last_contact_at,
        next_due=next_due,
        overdue=next_due < today,
    )
