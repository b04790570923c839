"""The named refusals of the documents app (DomainError: a code, a status, a sentence)."""

from __future__ import annotations

from motcua.core.errors import DomainError, InvalidInput


class FileRefused(InvalidInput):
    """A file that is not accepted (too large, empty, wrong type, broken or encrypted PDF, a
    path in its name, over the dossier's or the session's limits): the sentence names the file
    and the reason; nothing is stored."""

    code = "file_refused"


class DocumentNotFound(DomainError):
    code = "not_found"
    status = 404


class StoredFileMissing(DocumentNotFound):
    """The row names bytes the storage does not have (deleted or lost outside MotCua)."""


class AlreadyChecked(DomainError):
    code = "already_checked"


class ResultNotAllowed(DomainError):
    """A result cannot be registered in the dossier's current state."""

    code = "result_not_allowed"


class DuplicateResultNumber(DomainError):
    code = "duplicate_result_number"


class ReuseNotAllowed(DomainError):
    """The document is not the same person's, or the dossier cannot take it."""

    code = "reuse_not_allowed"
