"""Signed links for the consumer's owners of actions: issued for an e-mail, opened without an account,
used once to mark the action done or to comment on it.

The link's token is signed with the site's secret (django.core.signing) and names an `ActionLink` row
by its random nonce; the row says when the link expires and whether it was used. A token that was
tampered with, has expired, or was already used is refused with a clear error and writes nothing. The
link answers for its stakeholder only while they still own the action.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone

from journeys.base import ApplicationError
from journeys.models import Stakeholder
from onboarding.models import ActionComment, ActionLink, ActionStatus, OnboardingPlan, PlanAction
from onboarding.services.actions import apply_status
from onboarding.services.common import save

__all__ = ["LINK_SALT", "link_comment", "link_issue", "link_mark_done", "link_open"]

LINK_SALT = "onboarding.action-link"


def _days() -> int:
    return int(getattr(settings, "DSV_ACTION_LINK_DAYS", 14))


def link_issue(*, action: PlanAction, stakeholder: Stakeholder | None = None) -> tuple[ActionLink, str]:
    """A new link for the action's consumer owner (or `stakeholder`), valid DSV_ACTION_LINK_DAYS days,
    with its token. Each e-mail gets its own link."""
    stakeholder = stakeholder or action.owner_stakeholder
    if stakeholder is None:
        raise ApplicationError(
            "The action has no consumer owner to send a link to.", code="no_consumer_owner"
        )
    link = ActionLink(
        action=action,
        stakeholder=stakeholder,
        nonce=secrets.token_urlsafe(24),
        expires_at=timezone.now() + timedelta(days=_days()),
    )
    save(link)
    return link, signing.dumps(link.nonce, salt=LINK_SALT, compress=False)


def _refused(message: str, code: str, status: int = 410) -> ApplicationError:
    return ApplicationError(message, code=code, status=status)


def link_open(*, token: str, lock: bool = False) -> ActionLink:
    """The link the token names, with its action, plan and stakeholder, if it may still be used."""
    try:
        nonce = signing.loads(token, salt=LINK_SALT)
    except signing.BadSignature:
        raise _refused(
            "This link is not valid: copy the whole address from the e-mail.", "link_invalid", 404
        ) from None
    rows = ActionLink.objects.select_related(
        "action", "action__plan", "action__plan__organization", "stakeholder"
    )
    if lock:
        rows = rows.select_for_update(of=("self",))
    link = rows.filter(nonce=nonce).first()
    if link is None:
        raise _refused("This link is not valid: copy the whole address from the e-mail.", "link_invalid", 404)
    if link.used_at is not None:
        raise _refused(
            f"This link was already used on {timezone.localtime(link.used_at):%-d %b %Y at %H:%M}; each link"
            " works once. The next reminder brings a new one.",
            "link_used",
        )
    if link.expires_at <= timezone.now():
        raise _refused(
            f"This link expired on {timezone.localtime(link.expires_at):%-d %b %Y}. Ask your contact for a"
            " new one.",
            "link_expired",
        )
    if link.action.owner_stakeholder_id != link.stakeholder_id:
        raise _refused(
            "This action has been given to someone else, so this link no longer works.", "link_owner_changed"
        )
    return link


def _spend(link: ActionLink, used_for: str) -> None:
    link.used_at = timezone.now()
    link.used_for = used_for
    link.save(update_fields=["used_at", "used_for", "updated_at"])


@transaction.atomic
def link_mark_done(*, token: str, evidence: str = "") -> PlanAction:
    """The consumer owner marks the action done through the link (spent once it worked)."""
    link = link_open(token=token, lock=True)
    plan = (
        OnboardingPlan.objects.select_for_update(of=("self",))
        .select_related("organization", "journey")
        .get(pk=link.action.plan_id)
    )
    action = PlanAction.objects.select_for_update().get(pk=link.action_id)
    if action.status == ActionStatus.DONE:
        raise _refused("This action is already marked done.", "already_done", 409)
    action = apply_status(
        action=action, plan=plan, status=ActionStatus.DONE, evidence=evidence, stakeholder=link.stakeholder
    )
    _spend(link, "done")
    return action


@transaction.atomic
def link_comment(*, token: str, body: str) -> ActionComment:
    """The consumer owner comments on the action through the link (spent once it worked)."""
    link = link_open(token=token, lock=True)
    body = (body or "").strip()
    if not body:
        raise ApplicationError.for_field("body", "Write your comment.")
    if len(body) > 4000:
        raise ApplicationError.for_field("body", "Keep the comment to 4000 characters.")
    comment = ActionComment(action=link.action, body=body, author_stakeholder=link.stakeholder)
    save(comment)
    _spend(link, "comment")
    return comment
