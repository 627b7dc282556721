"""Reads of closed requests for the steps after Co-create, which pull their work instead of being told
(Realize asks for a survey after a request is closed). Not scoped to a user: the callers are jobs.

A closing is the history row (`RequestUpdate`) that moved the request to closed; its author is the
person who closed it. The window is on when that row was written, not on the moment it names, so a
closing dated in the past (logged late) is still found by a job that reads since its last run."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from cocreation.models import RequestStatus, RequestUpdate

__all__ = ["ClosedRequest", "requests_closed_between"]


@dataclass(frozen=True)
class ClosedRequest:
    request_id: int
    reference: str
    title: str
    organization_id: int
    journey_id: int | None
    step: str
    requester_id: int | None
    closed_at: datetime
    recorded_at: datetime
    assignee_id: int | None
    assignee_email: str
    closed_by_id: int | None
    closed_by_email: str


def requests_closed_between(*, since: datetime | None, until: datetime) -> list[ClosedRequest]:
    """The requests closed now whose (latest) closing was recorded after `since` (everything when None)
    and up to `until`, oldest closing first, each once, with the requester, the assignee and whoever
    closed it. A request reopened since is left out: its next closing will be found then."""
    closings = RequestUpdate.objects.filter(
        to_status=RequestStatus.CLOSED, request__status=RequestStatus.CLOSED, updated_at__lte=until
    )
    if since is not None:
        closings = closings.filter(updated_at__gt=since)
    rows = closings.order_by("updated_at", "id").values_list(
        "request_id",
        "request__title",
        "request__organization_id",
        "request__journey_id",
        "request__step",
        "request__requester_id",
        "request__closed_at",
        "updated_at",
        "request__assignee_id",
        "request__assignee__email",
        "author_id",
        "author__email",
    )
    latest: dict[int, ClosedRequest] = {}
    for row in rows:
        (request_id, title, organization_id, journey_id, step, requester_id, closed_at, recorded_at) = row[:8]
        assignee_id, assignee_email, author_id, author_email = row[8:]
        latest.pop(request_id, None)  # a later closing of the same request replaces (and follows) it
        latest[request_id] = ClosedRequest(
            request_id=request_id,
            reference=f"REQ-{request_id:06d}",
            title=title,
            organization_id=organization_id,
            journey_id=journey_id,
            step=step,
            requester_id=requester_id,
            closed_at=closed_at or recorded_at,
            recorded_at=recorded_at,
            assignee_id=assignee_id,
            assignee_email=assignee_email or "",
            closed_by_id=author_id,
            closed_by_email=author_email or "",
        )
    return list(latest.values())
