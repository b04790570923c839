"""Who may do what to a complaint now, and if not, why: the one place this rule is written.

Pure, like `motcua.dossiers.policy`: it reads plain facts (:class:`FeedbackFacts`, built by
`motcua.feedback.selectors.facts_of` with the actor's relation to the item) and imports nothing of
Django's ORM. The services enforce it under the item's row lock; the office page and the API
(`Feedback.allowed_actions`) render from it.

* classify (and route, or close as out of scope): a supervisor of the receiving unit or above,
  while the item waits for an answer (new, classified, forwarded);
* answer: a head, leader or specialist of the responsible unit, once the item is classified and
  until it is answered;
* close, return: the supervisor, once the unit answered;
* publish (or stop publishing) the answer: the supervisor or the answering unit, once there is an
  answer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Final

from django.utils.translation import gettext as _

from motcua.core.errors import DomainError, NotAllowed
from motcua.feedback.errors import (
    FeedbackAlreadyAnswered,
    FeedbackClosed,
    FeedbackNotAnswered,
    FeedbackNotClassified,
)

# The values of `feedback.models.Status` (tests/feedback/test_policy.py checks that they agree).
NEW: Final = "new"
CLASSIFIED: Final = "classified"
FORWARDED: Final = "forwarded"
ANSWERED: Final = "answered"
CLOSED: Final = "closed"

CLASSIFY: Final = "classify"
ANSWER: Final = "answer"
CLOSE: Final = "close"
RETURN: Final = "return"
PUBLISH: Final = "publish"
ACTIONS: Final = (CLASSIFY, ANSWER, CLOSE, RETURN, PUBLISH)


@dataclass(frozen=True)
class FeedbackFacts:
    """An item as the policy sees it, with the actor's relation to it."""

    id: int
    status: str
    has_answer: bool
    unit_name: str  # the responsible unit ("" before routing)
    active: bool  # the actor's account
    supervises: bool  # the actor supervises the receiving unit (or the city's queue)
    answers: bool  # the actor is a head, leader or specialist of the responsible unit


def _supervisor(f: FeedbackFacts, action: str) -> None:
    if not (f.active and f.supervises):
        raise NotAllowed(
            _("Chỉ cán bộ kiểm tra, giám sát của đơn vị tiếp nhận mới được %(action)s.")
            % {"action": action}
        )


def _closed(f: FeedbackFacts) -> FeedbackClosed:
    return FeedbackClosed(_("Phản ánh số %(id)s đã kết thúc.") % {"id": f.id})


def _classify(f: FeedbackFacts) -> None:
    _supervisor(f, _("phân loại, chuyển xử lý phản ánh"))
    if f.status == CLOSED:
        raise FeedbackClosed(
            _("Phản ánh số %(id)s đã kết thúc; không phân loại lại được.") % {"id": f.id}
        )
    if f.status == ANSWERED:
        raise FeedbackAlreadyAnswered(
            _(
                "Phản ánh số %(id)s đã được trả lời; hãy kết thúc, hoặc trả lại cho đơn vị "
                "trước khi phân loại lại."
            )
            % {"id": f.id}
        )


def _answer(f: FeedbackFacts) -> None:
    if not (f.active and f.answers):
        raise NotAllowed(
            _("Chỉ lãnh đạo, chuyên viên của %(unit)s mới được trả lời phản ánh này.")
            % {"unit": f.unit_name or _("đơn vị được giao")}
        )
    if f.status == NEW:
        raise FeedbackNotClassified(
            _("Phản ánh số %(id)s chưa được phân loại, chuyển xử lý.") % {"id": f.id}
        )
    if f.status == ANSWERED:
        raise FeedbackAlreadyAnswered(
            _("Phản ánh số %(id)s đã được trả lời, đang chờ cán bộ giám sát kết thúc.")
            % {"id": f.id}
        )
    if f.status == CLOSED:
        raise _closed(f)


def _answered(f: FeedbackFacts, action: str, not_yet: str) -> None:
    """Close or return: the supervisor, once the unit answered (``not_yet`` says why not)."""
    _supervisor(f, action)
    if f.status == CLOSED:
        raise _closed(f)
    if f.status != ANSWERED:
        raise FeedbackNotAnswered(not_yet % {"id": f.id})


def _close(f: FeedbackFacts) -> None:
    _answered(
        f,
        _("kết thúc phản ánh"),
        _("Phản ánh số %(id)s chưa được đơn vị trả lời; chưa kết thúc được."),
    )


def _return(f: FeedbackFacts) -> None:
    _answered(
        f,
        _("trả lại phản ánh cho đơn vị"),
        _("Phản ánh số %(id)s chưa được trả lời; không có gì để trả lại."),
    )


def _publish(f: FeedbackFacts) -> None:
    if not (f.active and (f.supervises or f.answers)):
        raise NotAllowed(
            _("Chỉ cán bộ giám sát hoặc đơn vị trả lời mới được công khai câu trả lời.")
        )
    if f.status not in (ANSWERED, CLOSED) or not f.has_answer:
        raise FeedbackNotAnswered(
            _("Phản ánh số %(id)s chưa có câu trả lời để công khai.") % {"id": f.id}
        )


_RULES: Final[Mapping[str, Callable[[FeedbackFacts], None]]] = {
    CLASSIFY: _classify,
    ANSWER: _answer,
    CLOSE: _close,
    RETURN: _return,
    PUBLISH: _publish,
}


def ensure(action: str, f: FeedbackFacts) -> None:
    """Raise the DomainError that refuses ``action`` now, or return when it is allowed."""
    _RULES[action](f)


def answer_shown_to_citizen(*, status: str, published: bool) -> bool:
    """Whether the person who complained sees the answer when looking the item up (API and
    portal): once it is published, or once the supervisor closed the item. An answer waiting for
    the supervisor's check may still be returned to the unit, so it is not shown yet."""
    return published or status == CLOSED


def allowed(f: FeedbackFacts) -> list[str]:
    """The actions allowed now, in the order of :data:`ACTIONS`."""
    out: list[str] = []
    for action in ACTIONS:
        try:
            ensure(action, f)
        except DomainError:
            continue
        out.append(action)
    return out
