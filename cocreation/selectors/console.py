"""Reads of the service desk console: the type-ahead search for a caller (organizations, and people
with their organization), the context panel of the account picked, and the touchpoints the agent
logged last. Each reads only what the user may see, in a fixed number of queries.

The search matches the start of a name (or of an e-mail address) and the start of any later word of a
name ("car" finds "Rentwheel Car Hire"), which needs a scan of the names the user may see.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.http import Http404

from agreements.models import AgreementStatus
from agreements.selectors import AgreementRow, account_agreements_compliance, target_scope
from cocreation.selectors.requests import _own_accounts_sql, _scope_sql, requests_open_for_account
from journeys import roles
from journeys.models import (
    AccountSummary,
    Journey,
    JourneyStatus,
    JourneyStep,
    Organization,
    Stakeholder,
)
from journeys.selectors import organization_scope, touchpoint_timeline
from journeys.sql import as_moment, fetch
from relationships.models import RelationshipType
from relationships.selectors import with_relationship_type

__all__ = [
    "CONSOLE_PANEL_TOUCHPOINTS",
    "CONSOLE_RECENT_LIMIT",
    "CONSOLE_SEARCH_LIMIT",
    "CONSOLE_SEARCH_MIN_LENGTH",
    "ConsoleAgreement",
    "ConsoleMatch",
    "ConsolePanel",
    "ConsoleTouchpoint",
    "console_account",
    "console_account_touchpoints",
    "console_default_step",
    "console_journey",
    "console_panel",
    "console_people",
    "console_recent",
    "console_search",
]

CONSOLE_SEARCH_MIN_LENGTH = 2
# Per kind: up to this many organizations and this many people.
CONSOLE_SEARCH_LIMIT = 6
CONSOLE_PANEL_TOUCHPOINTS = 5
CONSOLE_RECENT_LIMIT = 10


# --- search ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ConsoleMatch:
    """One option of the caller search: an organization, or a person with their organization."""

    organization_id: int
    organization_name: str
    city: str = ""
    person_id: int | None = None
    person_name: str = ""
    email: str = ""
    job_title: str = ""

    @property
    def is_person(self) -> bool:
        return self.person_id is not None

    @property
    def option_id(self) -> str:
        return (
            f"console-option-person-{self.person_id}"
            if self.is_person
            else (f"console-option-organization-{self.organization_id}")
        )


def _search_text(query: str) -> str:
    return " ".join((query or "").split())[:100].lower()


# A name with a space before it: `LIKE '% needle%'` finds the needle at the start of any of its words.
_WORDS = "' ' || LOWER({name})"


def _like(expression: str) -> str:
    """`expression LIKE %s`, the pattern's wildcards escaped with a backslash on every database."""
    return f"{expression} LIKE %s" + ("" if connection.vendor == "postgresql" else " ESCAPE '\\'")


def console_search(*, user, query: str, limit: int = CONSOLE_SEARCH_LIMIT) -> list[ConsoleMatch]:
    """Organizations by name and people by name or e-mail (active people only), each with their
    organization: up to `limit` of each, best matches first (the name starts with what was typed, or
    the e-mail does), then by name. Two queries in plain SQL; nothing below CONSOLE_SEARCH_MIN_LENGTH
    characters.

    "Starts with, or has a later word that starts with" is one test on the name with a space before it
    (`' ' || lower(name) LIKE '% needle%'`): each name is lower-cased once, where the three tests of
    the ORM's query did it twice."""
    needle = _search_text(query)
    own = _own_accounts_sql(user, "o")
    if len(needle) < CONSOLE_SEARCH_MIN_LENGTH or own is None:
        return []
    escaped = connection.ops.prep_for_like_query(needle)
    starts, words = f"{escaped}%", f"% {escaped}%"
    visible = f"{own[0]} AND " if own[0] else ""
    organizations = fetch(
        f"SELECT o.id, o.name, o.city FROM journeys_organization o WHERE {visible}"  # noqa: S608 - names only
        f"{_like(_WORDS.format(name='o.name'))}"
        f" ORDER BY CASE WHEN {_like('LOWER(o.name)')} THEN 0 ELSE 1 END, o.name, o.id LIMIT %s",
        [*own[1], words, starts, limit],
    )
    scope = _scope_sql(user, "s.organization_id")
    people = fetch(
        "SELECT s.id, s.name, s.email, s.job_title, s.organization_id, o.name, o.city"  # noqa: S608 - names only
        " FROM journeys_stakeholder s INNER JOIN journeys_organization o ON o.id = s.organization_id"
        f" WHERE {scope[0] + ' AND ' if scope[0] else ''}s.is_active"
        f" AND ({_like(_WORDS.format(name='s.name'))} OR {_like('LOWER(s.email)')})"
        f" ORDER BY CASE WHEN {_like('LOWER(s.name)')} OR {_like('LOWER(s.email)')} THEN 0 ELSE 1 END,"
        " s.name, s.id LIMIT %s",
        [*scope[1], words, starts, starts, starts, limit],
    )
    return [
        ConsoleMatch(organization_id=pk, organization_name=name, city=city)
        for pk, name, city in organizations
    ] + [
        ConsoleMatch(
            organization_id=organization_id,
            organization_name=organization_name,
            city=city,
            person_id=pk,
            person_name=name,
            email=email,
            job_title=job_title,
        )
        for pk, name, email, job_title, organization_id, organization_name, city in people
    ]


# --- the account picked ---------------------------------------------------------------------------


def console_account(*, user, pk) -> Organization | None:
    """The organization the caller belongs to, with its summary (its journey step) and its service
    relationship's type (`relationship_type`, None while none is recorded); None when there is no such
    organization or the user may not see it. One query."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    accounts = with_relationship_type(organization_scope(user).select_related("summary"))
    return accounts.filter(pk=pk).first()


def console_default_step(organization: Organization | None) -> str:
    """The step a touchpoint of the account is logged in unless the agent picks another: where the
    account's most recently moved active journey stands (what journeys.services.touchpoint_log takes
    when given no step), Co-create without one."""
    if organization is None:
        return ""
    try:
        step = organization.summary.journey_step
    except AccountSummary.DoesNotExist:
        step = ""
    return step or JourneyStep.CO_CREATE


def console_journey(*, organization: Organization) -> Journey | None:
    """The journey a touchpoint of the account belongs to: its only active journey; None when it has
    none or several (the step then comes from the account, journeys.services.touchpoint_log). One
    query."""
    journeys = list(
        Journey.objects.filter(organization=organization, status=JourneyStatus.ACTIVE)
        .only("pk", "current_step", "organization_id")
        .order_by("pk")[:2]
    )
    return journeys[0] if len(journeys) == 1 else None


def console_people(*, organization: Organization | None) -> list[Stakeholder]:
    """The account's active people, by name (the form's person choices). One query; none without an
    account. The caller has checked that the user may see the organization."""
    if organization is None:
        return []
    return list(
        Stakeholder.objects.filter(organization=organization, is_active=True)
        .only("pk", "name", "job_title", "organization_id")
        .order_by("name", "pk")
    )


def console_account_touchpoints(*, user, organization: Organization) -> list[dict]:
    """The account's latest touchpoints (CONSOLE_PANEL_TOUCHPOINTS) as timeline rows. One query."""
    return list(touchpoint_timeline(user=user, organization=organization)[:CONSOLE_PANEL_TOUCHPOINTS])


@dataclass
class ConsoleAgreement:
    """An active agreement of the account with its active targets."""

    row: AgreementRow
    targets: list

    @property
    def pk(self) -> int:
        return self.row.pk

    @property
    def title(self) -> str:
        return self.row.title


@dataclass
class ConsolePanel:
    organization: Organization
    relationship_type: RelationshipType
    relationship_recorded: bool
    journeys: list[Journey]
    default_step: str
    agreements: list[ConsoleAgreement]
    open_requests: list
    touchpoints: list[dict]
    people: list[Stakeholder]

    @property
    def default_step_label(self) -> str:
        return JourneyStep(self.default_step).label if self.default_step else ""


def console_panel(*, user, organization: Organization) -> ConsolePanel:
    """What the agent sees of the caller's account (`organization` from console_account): the
    relationship type, the active journeys, the active agreements with their active targets, the open
    requests with their SLA clocks, the latest touchpoints and the account's people. Eight queries at
    most, whatever their numbers."""
    if organization is None:
        raise Http404("Not found.")
    journeys = list(
        Journey.objects.filter(organization=organization, status=JourneyStatus.ACTIVE).order_by(
            "-step_entered_at", "-pk"
        )
    )
    agreements = account_agreements_compliance(user=user, organization=organization, active_only=True)
    targets: dict[int, list] = {}
    for target in (
        target_scope(user)
        .filter(
            agreement__organization=organization, agreement__status=AgreementStatus.ACTIVE, is_active=True
        )
        .order_by("agreement_id", "position", "pk")
    ):
        targets.setdefault(target.agreement_id, []).append(target)
    recorded = getattr(organization, "relationship_type", None)
    return ConsolePanel(
        organization=organization,
        relationship_type=RelationshipType(recorded or RelationshipType.BASIC),
        relationship_recorded=recorded is not None,
        journeys=journeys,
        default_step=console_default_step(organization),
        agreements=[ConsoleAgreement(row=row, targets=targets.get(row.pk, [])) for row in agreements],
        open_requests=requests_open_for_account(user=user, organization=organization),
        touchpoints=console_account_touchpoints(user=user, organization=organization),
        people=console_people(organization=organization),
    )


# --- the agent's own list -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ConsoleTouchpoint:
    """A row of the agent's list: a touchpoint with the names of its account and person."""

    pk: int
    occurred_at: datetime
    organization_id: int
    organization_name: str
    stakeholder_name: str
    channel: str
    kind: str
    step: str
    sentiment: int
    moment_of_truth: bool
    summary: str


def console_recent(*, user, limit: int = CONSOLE_RECENT_LIMIT) -> list[ConsoleTouchpoint]:
    """The touchpoints the user logged last (for those who may log), or the latest of the accounts the
    user may see (for read-only roles): newest first, with their account's and person's names. One
    query, in plain SQL."""
    own = _own_accounts_sql(user, "o")
    if own is None:
        return []
    conditions, params = ([own[0]], list(own[1])) if own[0] else ([], [])
    if roles.may_log_touchpoints(user):
        conditions.append("t.logged_by_id = %s")
        params.append(user.pk)
    where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
    rows = fetch(
        "SELECT t.id, t.occurred_at, t.organization_id, o.name, s.name, t.channel, t.kind, t.step,"  # noqa: S608 - names only
        " t.sentiment, t.moment_of_truth, t.summary FROM journeys_touchpoint t"
        " INNER JOIN journeys_organization o ON o.id = t.organization_id"
        f" LEFT OUTER JOIN journeys_stakeholder s ON s.id = t.stakeholder_id {where}"
        " ORDER BY t.occurred_at DESC, t.id DESC LIMIT %s",
        [*params, limit],
    )
    found = []
    for pk, occurred, account, account_name, person, *rest in rows:
        channel, kind, step, sentiment, moment, summary = rest
        found.append(
            ConsoleTouchpoint(
                pk,
                as_moment(occurred),
                account,
                account_name,
                person or "",
                channel,
                kind,
                step,
                sentiment,
                bool(moment),
                summary,
            )
        )
    return found
