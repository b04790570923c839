"""Who may do what to a dossier now, and if not, why and who can unblock it: the one place this
rule is written (DESIGN, rules of the house; DOMAIN §3, D8, D9).

Pure: it reads plain facts (:class:`DossierFacts`, :class:`Actor`, built from the models by
`motcua.dossiers.selectors.facts_of` / `actor_facts`) and imports nothing of Django's ORM. The
services enforce it (:func:`ensure`) under the dossier's row lock; the office and the portal
render from it (:func:`allowed`, :func:`signable`, :func:`gate`); the API lists it
(`Dossier.allowed_actions`). A button shown is an action the service accepts with valid input;
an action the service accepts has its button.

Who may do what (a staff member acts only for units where they hold the role):
* receive, accept, refuse, return the result, stop: a receptionist of the receiving unit;
* assign a step: a head of the step's unit;
* complete or return a step: the step's assignee, or anyone holding the step's role in the
  step's unit — and an overdue step only once an apology for it was signed since it (re)started
  (D9 b, the gate of seed 002);
* request / receive a supplement: those who may complete the current step, or a receptionist of
  the receiving unit (before acceptance: the receptionist);
* draft an apology: those who may complete the step, or a specialist or head of the step's unit;
* sign an apology: a leader of the step's unit or of the receiving unit; an apology carrying a
  new appointment only while the one extension is unused and the date is later than the
  current appointment.
A supervisor of a unit above reads the dossier (inspection, DOMAIN §3) and acts on nothing.

Refusals are the named DomainErrors of `motcua.dossiers.errors`: 403 (`NotAllowed`) names who
may act; 409 names the state and what must happen first.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from django.utils.translation import gettext as _

from motcua.core.clock import format_local
from motcua.core.errors import DomainError, InvalidInput, NotAllowed
from motcua.dossiers.errors import (
    ApologyAlreadySigned,
    ApologyRequired,
    AwaitingSupplement,
    DecisionAlreadyIssued,
    DossierNotFound,
    ExtensionAlreadyUsed,
    InvalidStatus,
    NoPreviousStep,
    NoSupplementPending,
    StepAlreadyFinished,
    StepNotActive,
    SupplementPending,
)

# The values of `dossiers.models.Status`, `StepStatus`, `ApologyStatus` and `org.models.Role`
# this module reasons about (tests/dossiers/test_policy.py checks that they agree).
SUBMITTED: Final = "submitted"
RECEIVED: Final = "received"
IN_PROGRESS: Final = "in_progress"
AWAITING_SUPPLEMENT: Final = "awaiting_supplement"
READY: Final = "ready"
RETURNED: Final = "returned"
REFUSED: Final = "refused"
STOPPED: Final = "stopped"
OPEN: Final = (RECEIVED, IN_PROGRESS, AWAITING_SUPPLEMENT)
RUNNING: Final = (RECEIVED, IN_PROGRESS)
DECIDED: Final = (READY, RETURNED, REFUSED)

STEP_PENDING: Final = "pending"
STEP_ACTIVE: Final = "active"
STEP_PAUSED: Final = "paused"
STEP_DONE: Final = "done"

DRAFT: Final = "draft"
SIGNED: Final = "signed"

RECEPTIONIST: Final = "receptionist"
SPECIALIST: Final = "specialist"
HEAD: Final = "head"
LEADER: Final = "leader"

# The actions, named as in API.md's `allowed_actions` (the action paths, `-` written `_`).
ACCEPT: Final = "accept"
REFUSE: Final = "refuse"
ASSIGN: Final = "assign"
COMPLETE_STEP: Final = "complete_step"
RETURN_STEP: Final = "return_step"
REQUEST_SUPPLEMENT: Final = "request_supplement"
RECEIVE_SUPPLEMENT: Final = "receive_supplement"
DRAFT_APOLOGY: Final = "draft_apology"
SIGN_APOLOGY: Final = "sign_apology"
RETURN: Final = "return"
STOP: Final = "stop"
ACTIONS: Final = (
    ACCEPT,
    ASSIGN,
    COMPLETE_STEP,
    RETURN_STEP,
    REQUEST_SUPPLEMENT,
    RECEIVE_SUPPLEMENT,
    DRAFT_APOLOGY,
    SIGN_APOLOGY,
    RETURN,
    REFUSE,
    STOP,
)


# ------------------------------------------------------------------------------------- facts
@dataclass(frozen=True)
class Actor:
    """A staff member and the roles they hold now: (unit id, role) of active memberships in
    active units."""

    id: int
    username: str
    active: bool
    roles: frozenset[tuple[int, str]]
    superuser: bool = False  # sees everything (scopes); acts only where they hold a role

    def has(self, unit_id: int | None, *roles: str) -> bool:
        return unit_id is not None and any((unit_id, r) in self.roles for r in roles)

    def units_with(self, *roles: str) -> set[int]:
        return {unit_id for unit_id, role in self.roles if role in roles}

    @property
    def unit_ids(self) -> set[int]:
        return {unit_id for unit_id, _role in self.roles}


@dataclass(frozen=True)
class Labels:
    """How a person reads a status and a role, in the active language."""

    status: Mapping[str, str]
    role: Mapping[str, str]


@dataclass(frozen=True)
class StepFacts:
    id: int
    order: int
    name: str
    unit_id: int
    unit_name: str
    role: str
    assignee_id: int | None
    assignee_name: str
    status: str
    counted: bool
    started_at: datetime | None
    due_at: datetime | None
    paused_at: datetime | None
    finished_at: datetime | None

    @property
    def open(self) -> bool:
        return self.status in (STEP_ACTIVE, STEP_PAUSED)


@dataclass(frozen=True)
class ApologyFacts:
    id: int
    step_id: int
    status: str
    new_due_at: datetime | None
    signed_at: datetime | None


@dataclass(frozen=True)
class DossierFacts:
    code: str
    status: str
    unit_id: int
    unit_name: str
    due_at: datetime | None
    extension_used: bool
    open_request: bool  # a supplement request (Mẫu 02) not yet answered
    steps: tuple[StepFacts, ...]  # in order
    apologies: tuple[ApologyFacts, ...]
    labels: Labels

    @property
    def current_step(self) -> StepFacts | None:
        return next((s for s in self.steps if s.open), None)

    def step(self, step_id: int) -> StepFacts | None:
        return next((s for s in self.steps if s.id == step_id), None)

    def status_label(self) -> str:
        return self.labels.status.get(self.status, self.status)

    def role_label(self, role: str) -> str:
        return self.labels.role.get(role, role)


# -------------------------------------------------------------------------------- time rules
def step_overdue(
    *,
    status: str,
    counted: bool,
    due_at: datetime | None,
    paused_at: datetime | None,
    now: datetime,
) -> bool:
    """A counted step past its due: running now, or already past it when it paused."""
    if due_at is None or not counted:
        return False
    if status == STEP_ACTIVE:
        return now > due_at
    if status == STEP_PAUSED and paused_at is not None:
        return paused_at > due_at
    return False


def dossier_overdue(
    *, status: str, due_at: datetime | None, paused_at: datetime | None, now: datetime
) -> bool:
    """An open dossier past its appointment (a paused one: past it when it paused)."""
    if due_at is None or status not in OPEN:
        return False
    return (paused_at if paused_at is not None else now) > due_at


@dataclass(frozen=True)
class Gate:
    """D9 (b): the current step is overdue and no apology for it was signed since it (re)started:
    it cannot move until the responsible officer explains and a leader signs."""

    step: StepFacts
    drafted: bool


def gate(d: DossierFacts, *, now: datetime, step: StepFacts | None = None) -> Gate | None:
    """The gate of ``step`` (default: the current step), or None when it is open."""
    step = step or d.current_step
    if step is None or not step_overdue(
        status=step.status,
        counted=step.counted,
        due_at=step.due_at,
        paused_at=step.paused_at,
        now=now,
    ):
        return None
    mine = [a for a in d.apologies if a.step_id == step.id]
    if any(
        a.status == SIGNED
        and a.signed_at is not None
        and (step.started_at is None or a.signed_at >= step.started_at)
        for a in mine
    ):
        return None
    return Gate(step=step, drafted=any(a.status == DRAFT for a in mine))


# --------------------------------------------------------------------------------- refusals
def _who(d: DossierFacts, roles: Sequence[str]) -> str:
    return _(" hoặc ").join(d.role_label(r) for r in roles)


def _active(actor: Actor) -> None:
    if not actor.active:
        raise NotAllowed(_("Tài khoản %(user)s đã bị khóa.") % {"user": actor.username})


def _require(
    d: DossierFacts,
    actor: Actor,
    unit_id: int,
    unit_name: str,
    roles: Sequence[str],
    action: str,
) -> None:
    """Refuse (403) unless ``actor`` holds one of ``roles`` in the unit, saying who can."""
    _active(actor)
    if not actor.has(unit_id, *roles):
        raise NotAllowed(
            _("Chỉ %(who)s của %(unit)s mới được %(action)s.")
            % {"who": _who(d, roles), "unit": unit_name, "action": action}
        )


def _desk(d: DossierFacts, actor: Actor, action: str) -> None:
    _require(d, actor, d.unit_id, d.unit_name, [RECEPTIONIST], action)


def may_act_on_step(actor: Actor, step: StepFacts) -> bool:
    """The step's assignee, or anyone holding the step's role in the step's unit."""
    return actor.active and (step.assignee_id == actor.id or actor.has(step.unit_id, step.role))


def _step_actor(
    d: DossierFacts,
    actor: Actor,
    step: StepFacts,
    action: str,
    *,
    also: Sequence[tuple[int, str, str]] = (),
) -> None:
    """Refuse unless ``actor`` may act on ``step`` or holds one of the ``also`` (unit id, unit
    name, role) roles."""
    _active(actor)
    if may_act_on_step(actor, step) or any(actor.has(u, role) for u, _n, role in also):
        return
    who = _("người được phân công thụ lý hoặc %(role)s của %(unit)s") % {
        "role": d.role_label(step.role),
        "unit": step.unit_name,
    }
    for _unit_id, unit_name, role in also:
        who += _(", hoặc %(role)s của %(unit)s") % {"role": d.role_label(role), "unit": unit_name}
    raise NotAllowed(
        _("Chỉ %(who)s mới được %(action)s ở bước “%(step)s”.")
        % {"who": who, "action": action, "step": step.name}
    )


def _status(d: DossierFacts, message: str) -> InvalidStatus:
    return InvalidStatus(message % {"code": d.code, "status": d.status_label()})


def _pick(d: DossierFacts, step_id: int | None) -> StepFacts | None:
    """Step ``step_id`` of the dossier (422 when it is not one of its steps), or its open one.
    The step id comes in the body of an action, like a procedure code: a reference that does
    not fit is bad input, whether or not it exists elsewhere."""
    if step_id is None:
        return d.current_step
    step = d.step(step_id)
    if step is None:
        raise InvalidInput(_("Bước xử lý không thuộc hồ sơ này."), field="step")
    return step


def _movable_step(d: DossierFacts, step_id: int | None) -> StepFacts:
    """The step to complete or return: it must be the running, counted step of a running
    dossier."""
    step = _pick(d, step_id)
    if step is None:
        raise _status(d, _("Hồ sơ %(code)s không có bước đang xử lý."))
    if step.status == STEP_DONE:
        raise StepAlreadyFinished(
            _("Bước “%(step)s” của hồ sơ %(code)s đã hoàn thành lúc %(at)s.")
            % {"step": step.name, "code": d.code, "at": format_local(step.finished_at)}
        )
    if d.status == AWAITING_SUPPLEMENT or step.status == STEP_PAUSED:
        raise AwaitingSupplement(
            _(
                "Hồ sơ %(code)s đang chờ công dân bổ sung; hãy ghi nhận hồ sơ bổ sung trước khi "
                "xử lý tiếp."
            )
            % {"code": d.code}
        )
    if d.status not in RUNNING or not step.counted:
        raise _status(d, _("Hồ sơ %(code)s đang ở trạng thái “%(status)s”; không thể chuyển bước."))
    if step.status != STEP_ACTIVE:
        raise StepNotActive(
            _("Hồ sơ %(code)s chưa đến bước “%(step)s”.") % {"code": d.code, "step": step.name}
        )
    return step


def _gate(d: DossierFacts, step: StepFacts, now: datetime) -> None:
    if gate(d, now=now, step=step) is not None:
        raise ApologyRequired(
            _(
                "Bước “%(step)s” đã quá hạn (hạn %(due)s). Người thụ lý cần giải trình, dự thảo "
                "phiếu xin lỗi và Lãnh đạo đơn vị ký phiếu trước khi chuyển tiếp hoặc trả lại "
                "hồ sơ."
            )
            % {"step": step.name, "due": format_local(step.due_at)}
        )


# -------------------------------------------------------------------------------- the rules
@dataclass(frozen=True)
class _Ask:
    d: DossierFacts
    actor: Actor
    now: datetime
    step_id: int | None
    apology_id: int | None


def _accept(a: _Ask) -> None:
    d = a.d
    _desk(d, a.actor, _("tiếp nhận hồ sơ"))
    if d.status != SUBMITTED:
        raise _status(
            d, _("Hồ sơ %(code)s đang ở trạng thái “%(status)s”, không còn chờ tiếp nhận.")
        )
    if d.open_request:
        raise SupplementPending(
            _(
                "Hồ sơ %(code)s còn yêu cầu bổ sung chưa được đáp ứng; hãy ghi nhận hồ sơ bổ "
                "sung trước khi tiếp nhận."
            )
            % {"code": d.code}
        )


def _refuse(a: _Ask) -> None:
    d = a.d
    _desk(d, a.actor, _("từ chối hồ sơ"))
    if d.status == SUBMITTED or d.status in OPEN:
        return
    if d.status in (READY, RETURNED):
        raise DecisionAlreadyIssued(
            _("Hồ sơ %(code)s đã có kết quả giải quyết; không thể từ chối.") % {"code": d.code}
        )
    raise _status(d, _("Hồ sơ %(code)s đang ở trạng thái “%(status)s”; không thể từ chối."))


def _assign(a: _Ask) -> None:
    d = a.d
    if d.status not in OPEN:
        raise _status(d, _("Hồ sơ %(code)s đang ở trạng thái “%(status)s”; không thể phân công."))
    step = _pick(d, a.step_id)
    if step is None:  # pragma: no cover - an open dossier always has an open step
        raise InvalidStatus(_("Hồ sơ không có bước đang xử lý."))
    if step.status == STEP_DONE:
        raise StepAlreadyFinished(
            _("Bước “%(step)s” đã hoàn thành; không phân công lại được.") % {"step": step.name}
        )
    _require(d, a.actor, step.unit_id, step.unit_name, [HEAD], _("phân công thụ lý"))


def _complete(a: _Ask) -> None:
    step = _movable_step(a.d, a.step_id)
    _step_actor(a.d, a.actor, step, _("hoàn thành bước xử lý"))
    _gate(a.d, step, a.now)


def _return_step(a: _Ask) -> None:
    step = _movable_step(a.d, a.step_id)
    _step_actor(a.d, a.actor, step, _("trả lại bước trước"))
    _gate(a.d, step, a.now)
    if not any(s.order < step.order for s in a.d.steps):
        raise NoPreviousStep(
            _("“%(step)s” là bước đầu tiên; không có bước trước để trả lại.") % {"step": step.name}
        )


def _request_supplement(a: _Ask) -> None:
    d = a.d
    if d.status == AWAITING_SUPPLEMENT or (d.status == SUBMITTED and d.open_request):
        raise SupplementPending(
            _("Hồ sơ %(code)s đã có yêu cầu bổ sung chưa được đáp ứng.") % {"code": d.code}
        )
    action = _("yêu cầu bổ sung hồ sơ")
    if d.status == SUBMITTED:
        _desk(d, a.actor, action)
    elif d.status in RUNNING:
        step = d.current_step
        if step is None:  # pragma: no cover - an open dossier always has an open step
            raise InvalidStatus(_("Hồ sơ không có bước đang xử lý."))
        _step_actor(d, a.actor, step, action, also=[(d.unit_id, d.unit_name, RECEPTIONIST)])
    else:
        raise _status(
            d, _("Hồ sơ %(code)s đang ở trạng thái “%(status)s”; không thể yêu cầu bổ sung.")
        )


def ensure_supplement_awaited(d: DossierFacts) -> None:
    """A supplement can be received (at the desk, or sent by the applicant online) only while a
    request waits for it."""
    if not d.open_request or d.status not in (SUBMITTED, AWAITING_SUPPLEMENT):
        raise NoSupplementPending(
            _("Hồ sơ %(code)s không có yêu cầu bổ sung nào đang chờ.") % {"code": d.code}
        )


def _receive_supplement(a: _Ask) -> None:
    d = a.d
    ensure_supplement_awaited(d)
    action = _("nhận hồ sơ bổ sung")
    step = d.current_step
    if d.status == SUBMITTED or step is None:
        _desk(d, a.actor, action)
    else:
        _step_actor(d, a.actor, step, action, also=[(d.unit_id, d.unit_name, RECEPTIONIST)])


def _draft_apology(a: _Ask) -> None:
    d = a.d
    if d.status not in OPEN:
        raise _status(
            d, _("Hồ sơ %(code)s đang ở trạng thái “%(status)s”; không lập phiếu xin lỗi được.")
        )
    step = _pick(d, a.step_id)
    if step is None or not step.open:
        raise StepNotActive(_("Chỉ lập phiếu xin lỗi cho bước đang xử lý."))
    _step_actor(
        d,
        a.actor,
        step,
        _("lập phiếu xin lỗi"),
        also=[(step.unit_id, step.unit_name, SPECIALIST), (step.unit_id, step.unit_name, HEAD)],
    )


def _sign_apology(a: _Ask) -> None:
    d = a.d
    apology = next((x for x in d.apologies if x.id == a.apology_id), None)
    step = d.step(apology.step_id) if apology is not None else None
    if apology is None or step is None:
        raise DossierNotFound(_("Không tìm thấy phiếu xin lỗi."))
    _active(a.actor)
    if not (a.actor.has(step.unit_id, LEADER) or a.actor.has(d.unit_id, LEADER)):
        units = step.unit_name
        if step.unit_id != d.unit_id:
            units += _(" hoặc ") + d.unit_name
        raise NotAllowed(
            _("Chỉ Lãnh đạo đơn vị của %(units)s mới được ký phiếu xin lỗi.") % {"units": units}
        )
    if apology.status == SIGNED:
        raise ApologyAlreadySigned(
            _("Phiếu xin lỗi này đã được ký lúc %(at)s.") % {"at": format_local(apology.signed_at)}
        )
    if d.status not in OPEN:
        raise _status(
            d, _("Hồ sơ %(code)s đang ở trạng thái “%(status)s”; không ký phiếu xin lỗi được.")
        )
    if apology.new_due_at is not None:
        if d.extension_used:
            raise ExtensionAlreadyUsed(
                _(
                    "Hồ sơ %(code)s đã được hẹn lại một lần (hẹn hiện tại %(due)s); phiếu này "
                    "không thể gia hạn thêm. Hãy lập phiếu không kèm ngày hẹn mới."
                )
                % {"code": d.code, "due": format_local(d.due_at)}
            )
        if d.due_at is not None and apology.new_due_at <= d.due_at:
            raise InvalidStatus(
                _("Ngày hẹn mới %(new)s không sau hẹn hiện tại %(due)s; hãy lập phiếu mới.")
                % {"new": format_local(apology.new_due_at), "due": format_local(d.due_at)}
            )


def _return(a: _Ask) -> None:
    d = a.d
    _desk(d, a.actor, _("trả kết quả"))
    if d.status != READY:
        raise _status(
            d,
            _("Hồ sơ %(code)s đang ở trạng thái “%(status)s”; chỉ trả được hồ sơ đã có kết quả."),
        )


def _stop(a: _Ask) -> None:
    d = a.d
    _desk(d, a.actor, _("dừng giải quyết hồ sơ"))
    if d.status in DECIDED:
        raise DecisionAlreadyIssued(
            _(
                "Hồ sơ %(code)s đã có kết quả hoặc thông báo từ chối (%(status)s); không thể dừng "
                "giải quyết."
            )
            % {"code": d.code, "status": d.status_label()}
        )
    if d.status == STOPPED:
        raise InvalidStatus(_("Hồ sơ %(code)s đã dừng giải quyết.") % {"code": d.code})


_RULES: Final[Mapping[str, Callable[[_Ask], None]]] = {
    ACCEPT: _accept,
    REFUSE: _refuse,
    ASSIGN: _assign,
    COMPLETE_STEP: _complete,
    RETURN_STEP: _return_step,
    REQUEST_SUPPLEMENT: _request_supplement,
    RECEIVE_SUPPLEMENT: _receive_supplement,
    DRAFT_APOLOGY: _draft_apology,
    SIGN_APOLOGY: _sign_apology,
    RETURN: _return,
    STOP: _stop,
}


# ------------------------------------------------------------------------------- the answers
def ensure(
    action: str,
    d: DossierFacts,
    actor: Actor,
    *,
    now: datetime,
    step_id: int | None = None,
    apology_id: int | None = None,
) -> None:
    """Raise the DomainError that refuses ``action`` now, or return when it is allowed.
    ``step_id`` names the step of a step action (default: the current step); ``apology_id``
    the apology to sign."""
    _RULES[action](_Ask(d=d, actor=actor, now=now, step_id=step_id, apology_id=apology_id))


def refusal(action: str, d: DossierFacts, actor: Actor, **which: Any) -> DomainError | None:
    """The refusal :func:`ensure` would raise (same arguments), or None when ``action`` is
    allowed."""
    try:
        ensure(action, d, actor, **which)
    except DomainError as exc:
        return exc
    return None


def signable(d: DossierFacts, actor: Actor, *, now: datetime) -> list[int]:
    """The draft apologies ``actor`` may sign now."""
    return [
        x.id
        for x in d.apologies
        if x.status == DRAFT and refusal(SIGN_APOLOGY, d, actor, now=now, apology_id=x.id) is None
    ]


def allowed(d: DossierFacts, actor: Actor, *, now: datetime) -> list[str]:
    """The actions ``actor`` may take on the dossier now (step actions: on its current step),
    in the order of :data:`ACTIONS`."""
    out: list[str] = []
    for action in ACTIONS:
        if action == SIGN_APOLOGY:
            if signable(d, actor, now=now):
                out.append(action)
        elif refusal(action, d, actor, now=now) is None:
            out.append(action)
    return out


def may_be_rated(status: str) -> bool:
    """The citizen rates a dossier (D13) once its result is ready or returned."""
    return status in (READY, RETURNED)


def ensure_may_receive(actor: Actor, *, unit_id: int, unit_name: str, labels: Labels) -> None:
    """Reception (Mẫu 01) at a unit: a receptionist of that unit (403 otherwise)."""
    _active(actor)
    if not actor.has(unit_id, RECEPTIONIST):
        raise NotAllowed(
            _("Chỉ %(who)s của %(unit)s mới được %(action)s.")
            % {
                "who": labels.role.get(RECEPTIONIST, RECEPTIONIST),
                "unit": unit_name,
                "action": _("tiếp nhận hồ sơ"),
            }
        )
