"""The base of every refusal a service can give.

A DomainError carries a stable machine `code` (API.md's problem+json `code`), the HTTP status the
web faces answer with, and a sentence in Vietnamese that a person can act on: what is wrong and,
where someone else must act, who.
"""

from __future__ import annotations


class DomainError(Exception):
    code = "domain_error"
    status = 409

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.field = field

    def __str__(self) -> str:
        return self.message


class InvalidInput(DomainError):
    """Input that no state of the system would accept (answered as 422)."""

    code = "invalid"
    status = 422


class NotAllowed(DomainError):
    """The actor's roles do not allow this action (answered as 403)."""

    code = "forbidden"
    status = 403
