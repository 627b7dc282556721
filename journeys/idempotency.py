"""The `Idempotency-Key` header on POST endpoints: a client that retries a request (a timeout, a lost
answer) with the same key gets the first answer back instead of creating a second row.

The key row is inserted first, inside the same transaction as the work it guards. The unique
constraint (user, endpoint, key) makes a concurrent duplicate wait for the first transaction and then
fail to insert; that failure is the signal to replay the stored answer. A request that fails rolls
back its key with its work, so the client may correct the body and retry with the same key.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.http.request import RawPostDataException
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from journeys.base import ApplicationError
from journeys.models import IdempotencyKey

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
KEY_MAX_LENGTH = IdempotencyKey._meta.get_field("key").max_length
ENDPOINT_MAX_LENGTH = IdempotencyKey._meta.get_field("endpoint").max_length

Handler = Callable[..., Response]


def request_fingerprint(request: Request) -> str:
    """The sha256 of the raw body, read before the view parses it (DRF then parses the cached bytes).
    A multipart body already consumed by the CSRF check falls back to its parsed data."""
    try:
        body = request.body
    except RawPostDataException:
        body = json.dumps(request.data, cls=JSONEncoder, sort_keys=True, default=str).encode()
    return hashlib.sha256(body).hexdigest()


def _endpoint(request: Request) -> str:
    return f"{request.method} {request.path}"[:ENDPOINT_MAX_LENGTH]


def _key_from(request: Request) -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > KEY_MAX_LENGTH:
        raise ApplicationError.for_field(HEADER, f"Use a key of 1 to {KEY_MAX_LENGTH} characters.")
    return key


def _replay(*, request: Request, key: str, endpoint: str, fingerprint: str) -> Response:
    stored = IdempotencyKey.objects.get(user=request.user, endpoint=endpoint, key=key)
    if stored.request_fingerprint != fingerprint:
        raise ApplicationError.for_field(
            HEADER,
            "This Idempotency-Key was already used with a different request body; use a new key.",
            code="idempotency_key_reused",
            status=422,
        )
    return Response(stored.response_body, status=stored.response_status, headers={REPLAYED_HEADER: "true"})


def idempotent(handler: Handler) -> Handler:
    """Decorate an API view's `post` so it honours the Idempotency-Key header (without the header the
    request runs as usual). Only successful answers are stored; errors roll the key back."""

    @functools.wraps(handler)
    def wrapper(view, request: Request, *args, **kwargs) -> Response:
        key = _key_from(request)
        if key is None:
            return handler(view, request, *args, **kwargs)
        endpoint = _endpoint(request)
        fingerprint = request_fingerprint(request)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    record = IdempotencyKey.objects.create(
                        user=request.user, key=key, endpoint=endpoint, request_fingerprint=fingerprint
                    )
            except IntegrityError:
                return _replay(request=request, key=key, endpoint=endpoint, fingerprint=fingerprint)
            response = handler(view, request, *args, **kwargs)
            if response.status_code >= 400:
                transaction.set_rollback(True)
                return response
            # Stored as plain JSON, exactly as the client will read it (dates and decimals as strings).
            record.response_status = response.status_code
            record.response_body = json.loads(json.dumps(response.data, cls=JSONEncoder))
            record.save(update_fields=["response_status", "response_body"])
        return response

    return wrapper


def idempotency_keys_prune(*, keep_hours: int) -> int:
    """Forget keys older than `keep_hours`; a client retrying later than that sends a new request."""
    from datetime import timedelta

    from django.utils import timezone

    cutoff = timezone.now() - timedelta(hours=keep_hours)
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted
