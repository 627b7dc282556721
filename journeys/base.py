"""Shared building blocks every app may use: the base model and the one error type."""

from __future__ import annotations

from django.db import models


class BaseModel(models.Model):
    """Every DSV model records when it was created and last changed (incremental sync reads these)."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=False)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        abstract = True


class ApplicationError(Exception):
    """The one error type for rule violations raised by services.

    `fields` maps a field name (or row label) to its messages, so forms and the API can show the error
    next to the input that caused it. Views turn it into a form error, the API into a 400/409 envelope.
    """

    def __init__(
        self,
        message: str,
        *,
        code: str = "invalid",
        fields: dict[str, list[str]] | None = None,
        status: int = 400,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.fields = fields or {}
        self.status = status

    @classmethod
    def for_field(cls, field: str, message: str, *, code: str = "invalid", status: int = 400):
        return cls(message, code=code, fields={field: [message]}, status=status)
