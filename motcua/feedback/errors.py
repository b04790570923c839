"""The named refusals of the feedback desk (each a DomainError with its API.md `code`)."""

from __future__ import annotations

from motcua.core.errors import DomainError, InvalidInput
from motcua.core.text import ContentTooLong

__all__ = ["ContentTooLong"]  # the one class of `motcua.core.text`, named here too


class FeedbackNotFound(DomainError):
    """Unknown, or not visible to the caller (another unit's item is 404, not 403)."""

    code = "not_found"
    status = 404


class UnitNotFound(DomainError):
    code = "not_found"
    status = 404


class UnknownUnit(InvalidInput):
    code = "unknown_unit"


class UnknownDossier(InvalidInput):
    code = "unknown_dossier"


class UnknownCategory(InvalidInput):
    code = "unknown_category"


class UnknownChannel(InvalidInput):
    code = "unknown_channel"


class IdempotencyConflict(InvalidInput):
    """The same Idempotency-Key was sent before with a different body."""

    code = "idempotency_key_reused"


class InvalidFeedbackStatus(DomainError):
    code = "invalid_status"


class FeedbackClosed(InvalidFeedbackStatus):
    code = "feedback_closed"


class FeedbackNotClassified(InvalidFeedbackStatus):
    code = "not_classified"


class FeedbackAlreadyAnswered(InvalidFeedbackStatus):
    code = "already_answered"


class FeedbackNotAnswered(InvalidFeedbackStatus):
    code = "not_answered"
