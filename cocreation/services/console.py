"""The service desk console's one write: log a touchpoint once per form.

Each console form carries a one-time token. The key row (`journeys.models.IdempotencyKey`, endpoint
`console:touchpoint`) is inserted first, in the same transaction as the touchpoint, so a second post of
the same form (Enter pressed twice, a retried request) waits for the first, finds its key and gets the
first touchpoint back instead of logging another; an error rolls the key back with the work, so the
corrected form may be sent again with its token.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from journeys import services as journey_services
from journeys.base import ApplicationError
from journeys.models import IdempotencyKey, Touchpoint

__all__ = ["CONSOLE_ENDPOINT", "console_touchpoint_log"]

CONSOLE_ENDPOINT = "console:touchpoint"


def console_touchpoint_log(
    *, actor, token: str, fingerprint: str, organization, journey=None, **fields: Any
) -> tuple[Touchpoint, bool]:
    """Log the touchpoint unless this form's token logged one already: (touchpoint, True when it had).
    The same token with other input is refused, naming `token`."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = IdempotencyKey.objects.create(
                    user=actor, key=token, endpoint=CONSOLE_ENDPOINT, request_fingerprint=fingerprint
                )
        except IntegrityError:
            stored = IdempotencyKey.objects.get(user=actor, endpoint=CONSOLE_ENDPOINT, key=token)
            touchpoint_id = (stored.response_body or {}).get("touchpoint_id")
            if stored.request_fingerprint != fingerprint or touchpoint_id is None:
                raise ApplicationError.for_field(
                    "token", "This form was saved already with other input: check it and save again."
                ) from None
            return Touchpoint.objects.select_related("organization", "stakeholder").get(
                pk=touchpoint_id
            ), True
        touchpoint = journey_services.touchpoint_log(
            actor=actor, organization=organization, journey=journey, **fields
        )
        record.response_status = 201
        record.response_body = {"touchpoint_id": touchpoint.pk}
        record.save(update_fields=["response_status", "response_body"])
    return touchpoint, False
