"""The named refusals of the dossier engine (each a DomainError with its API.md `code`)."""

from __future__ import annotations

from motcua.core.errors import DomainError, InvalidInput


class DossierNotFound(DomainError):
    """Unknown, or not visible to the caller (another unit's dossier is 404, not 403)."""

    code = "not_found"
    status = 404


class InvalidStatus(DomainError):
    """The action is not possible in the dossier's current status."""

    code = "invalid_status"


class ApologyRequired(DomainError):
    """D9 (b): an overdue step waits for the explanation and the leader's signed apology."""

    code = "apology_required"


class ExtensionAlreadyUsed(DomainError):
    """D9: the appointment may be moved once per dossier."""

    code = "extension_already_used"


class ApologyAlreadySigned(DomainError):
    code = "apology_already_signed"


class StepAlreadyFinished(DomainError):
    code = "step_already_finished"


class StepNotActive(DomainError):
    """The step is not the one the dossier is at."""

    code = "step_not_active"


class NoPreviousStep(DomainError):
    code = "no_previous_step"


class AwaitingSupplement(DomainError):
    """The clock is paused for the citizen's supplement; the step waits."""

    code = "awaiting_supplement"


class SupplementPending(DomainError):
    """A supplement request is already open."""

    code = "supplement_pending"


class NoSupplementPending(DomainError):
    code = "no_supplement_pending"


class DecisionAlreadyIssued(DomainError):
    """A result or a refusal exists: the dossier can no longer be stopped or refused."""

    code = "decision_already_issued"


class UnknownProcedure(InvalidInput):
    code = "unknown_procedure"


class UnknownUnit(InvalidInput):
    code = "unknown_unit"


class ProcedureNotOffered(InvalidInput):
    """The unit does not receive this procedure, or not through this channel."""

    code = "procedure_not_offered"


class MissingPapers(InvalidInput):
    """A mandatory paper of the procedure is not among those handed in."""

    code = "missing_papers"


class PapersWithoutFiles(DomainError):
    """Acceptance of an online dossier: a mandatory paper has no file (a check registered with
    `dossiers.services.intake.register_acceptance_check`, by the documents app)."""

    code = "papers_without_files"
