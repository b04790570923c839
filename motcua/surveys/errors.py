"""The named refusals of the surveys (each a DomainError with its API.md `code`)."""

from __future__ import annotations

from motcua.core.errors import DomainError


class AlreadyRated(DomainError):
    """A dossier is rated once."""

    code = "already_rated"


class NotReadyToRate(DomainError):
    """Only a dossier whose result is ready or returned can be rated."""

    code = "not_ready"


class TicketNotRateable(DomainError):
    """Only a ticket that was served, with the right token, recently, can be rated."""

    code = "not_ready"
