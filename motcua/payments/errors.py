"""The refusals of the payment services: a code, a status, a sentence a person can act on."""

from __future__ import annotations

from motcua.core.errors import DomainError, InvalidInput, NotAllowed


class DossierNotFound(DomainError):
    code = "not_found"
    status = 404


class ReceiptNotFound(DomainError):
    code = "not_found"
    status = 404


class AlreadyPaid(DomainError):
    code = "already_paid"


class NothingToPay(DomainError):
    code = "nothing_to_pay"


class WrongAmount(InvalidInput):
    code = "wrong_amount"


class NotReceptionist(NotAllowed):
    code = "not_receptionist"


class LeaderApprovalRequired(NotAllowed):
    code = "leader_approval_required"


class ReceiptNotIssued(DomainError):
    code = "receipt_not_issued"


class RefundNotAllowed(DomainError):
    code = "refund_not_allowed"


class CallbackRefused(DomainError):
    """A gateway notice that is forged or does not match its order (answered 400)."""

    code = "callback_refused"
    status = 400


class SeriesMissing(DomainError):
    code = "receipt_series_missing"
