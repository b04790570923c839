"""Open work for every demo unit, so queues, boards, homes and the apology gate can be seen
without building cases by hand (issue 19, finding 12).

`open_work()` leaves, at every unit that receives dossiers, one dossier in each open state of
the day, made through the real services with a pinned ``now`` and consistent with the unit's
calendar: in progress (past the desk, with the specialist it is assigned to), due today (when
today is a working day that has a due), overdue with no apology (the gate locks its step),
overdue with a signed apology, overdue with an apology waiting for the leader's signature, a
result waiting for the leader's signature (at the leader's step), awaiting a supplement, ready
to return — and two open complaints
(one waiting to be classified, one routed to the unit and waiting for its answer). A state the
unit's procedures or staff cannot reach is counted as skipped, never forced.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from motcua.catalog.models import Procedure
from motcua.core.errors import DomainError
from motcua.demo.dossiers import (
    _actor,
    _applicant,
    _leader,
    _offers,
    _open_step,
    _papers,
    _staff_map,
    _Stop,
    _World,
)
from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import dossier_is_overdue
from motcua.feedback.services import Sender, classify_feedback, receive_feedback
from motcua.org.models import Role, Unit
from motcua.workdays.rules import CalendarError

STATES = (
    "in_progress",
    "due_today",
    "overdue",
    "overdue_apologised",
    "awaiting_signature",
    "result_to_sign",
    "awaiting_supplement",
    "ready",
    "complaints",
)


class _Miss(Exception):
    """This attempt did not reach the wanted state: its savepoint is rolled back."""


def _receive(world: _World, unit: Unit, procedure: Procedure, at: datetime) -> Dossier:
    return services.receive_dossier(
        actor=world.who(unit, Role.RECEPTIONIST),
        procedure_code=procedure.code,
        unit_code=unit.code,
        applicant=_applicant(world.rng),
        channel="counter",
        documents=_papers(procedure),
        now=at,
    ).dossier


def _assign(world: _World, dossier: Dossier) -> None:
    step = _open_step(dossier)
    if step is None or step.assignee_id is not None or step.role != Role.SPECIALIST:
        return
    if (step.unit.pk, Role.HEAD) in world.staff:
        services.assign_step(
            dossier_id=dossier.pk,
            actor=world.who(step.unit, Role.HEAD),
            assignee=world.who(step.unit, Role.SPECIALIST).username,
            now=world.now,
        )


def _overdue(world: _World, unit: Unit, procedure: Procedure) -> Dossier:
    """Received long enough ago that its first step and the dossier are past due."""
    days = int(procedure.legal_hours / 8) * 2 + 10
    at = datetime.combine(
        timezone.localdate(world.now) - timedelta(days=days),
        time(9, 0),
        tzinfo=timezone.get_current_timezone(),
    )
    dossier = _receive(world, unit, procedure, at)
    dossier.refresh_from_db()
    if not dossier_is_overdue(dossier, world.now):
        raise _Miss
    return dossier


def _apology(world: _World, dossier: Dossier, *, sign: bool) -> None:
    step = _open_step(dossier)
    if step is None:
        raise _Miss
    apology = services.draft_apology(
        dossier_id=dossier.pk,
        actor=_actor(world, step),
        reason="Hồ sơ phải xác minh thêm tại địa phương nơi cư trú trước đây",
        explanation="Cán bộ thụ lý đã giải trình với lãnh đạo đơn vị",
        now=world.now,
    )
    if sign:
        services.sign_apology(
            apology_id=apology.pk, actor=_leader(world, dossier, step), now=world.now
        )


def _due_today(world: _World, unit: Unit, procedure: Procedure) -> Dossier:
    """Received on the working day whose due falls today, later than now."""
    cal = world.cal(unit)
    today = timezone.localdate(world.now)
    if not cal.is_working_day(today):
        raise _Miss
    for back in range(0, 40):
        day = today - timedelta(days=back)
        if not cal.is_working_day(day):
            continue
        at = datetime.combine(day, time(8, 30), tzinfo=timezone.get_current_timezone())
        if at > world.now:
            continue
        due: datetime | None = None
        try:
            with transaction.atomic():
                dossier = _receive(world, unit, procedure, at)
                due = dossier.due_at
                if due is None or due <= world.now or timezone.localdate(due) != today:
                    raise _Miss
                return dossier
        except _Miss:
            if due is not None and timezone.localdate(due) < today:
                break  # received earlier only makes it due earlier
    raise _Miss


def _advance(world: _World, dossier: Dossier, *, to: str) -> None:
    """Complete the steps of ``dossier`` (each by its holder, assigned first) until its open
    step is one of role ``to``; none such: _Miss."""
    for _i in range(20):
        _assign(world, dossier)
        step = _open_step(dossier)
        if step is None:
            raise _Miss
        if step.role == to:
            return
        services.complete_step(step_id=step.pk, actor=_actor(world, step), now=world.now)
    raise _Miss


def _ready(world: _World, dossier: Dossier) -> None:
    for _i in range(20):
        _assign(world, dossier)
        step = _open_step(dossier)
        if step is None:
            break
        services.complete_step(step_id=step.pk, actor=_actor(world, step), now=world.now)
    dossier.refresh_from_db()
    if dossier.status != "ready":
        raise _Miss


def _complaints(world: _World, unit: Unit) -> None:
    desk = world.who(unit, Role.RECEPTIONIST)
    for n, text in enumerate(
        (
            "Tôi nộp hồ sơ đã quá ngày hẹn mà chưa nhận được kết quả, cũng chưa có thư xin lỗi.",
            "Cán bộ yêu cầu nộp thêm giấy tờ không có trong danh mục thủ tục.",
        )
    ):
        received = receive_feedback(
            actor=desk,
            channel="hotline",
            content=text,
            sender=Sender(name=_applicant(world.rng).name, phone=f"09120000{n:02d}"),
            intake_unit_code=unit.code,
            now=world.now,
        )
        if n == 1 and (unit.pk, Role.SUPERVISOR) in world.staff:
            classify_feedback(
                feedback_id=received.feedback.pk,
                actor=world.who(unit, Role.SUPERVISOR),
                category="delay",
                in_scope=True,
                unit_code=unit.code,
                now=world.now,
            )


def _make(world: _World, state: str, unit: Unit, procedure: Procedure) -> None:
    if state == "in_progress":
        _advance(world, _receive(world, unit, procedure, world.now), to=Role.SPECIALIST)
    elif state == "due_today":
        _assign(world, _due_today(world, unit, procedure))
    elif state == "overdue":
        _overdue(world, unit, procedure)
    elif state == "overdue_apologised":
        _apology(world, _overdue(world, unit, procedure), sign=True)
    elif state == "awaiting_signature":
        _apology(world, _overdue(world, unit, procedure), sign=False)
    elif state == "result_to_sign":
        _advance(world, _receive(world, unit, procedure, world.now), to=Role.LEADER)
    elif state == "awaiting_supplement":
        dossier = _receive(world, unit, procedure, world.now)
        step = _open_step(dossier)
        if step is None:
            raise _Miss
        services.request_supplement(
            dossier_id=dossier.pk,
            actor=_actor(world, step),
            items=["Bản sao có chứng thực Giấy chứng nhận quyền sử dụng đất"],
            note="Đề nghị bổ sung để đủ căn cứ giải quyết",
            now=world.now,
        )
    elif state == "ready":
        _ready(world, _receive(world, unit, procedure, world.now))
    elif state == "complaints":
        _complaints(world, unit)


def open_work(
    *, now: datetime | None = None, seed: int = 2026, units: list[Unit] | None = None
) -> dict[str, Any]:
    """One dossier in each open state at every receiving demo unit (see the module docstring);
    returns {"made": Counter of states, "skipped": Counter of (state, reason)}."""
    world = _World(now=now or timezone.now(), rng=random.Random(seed), staff=_staff_map())
    by_unit: dict[int, tuple[Unit, list[Procedure]]] = {}
    for unit, procedure in _offers(world.staff):
        by_unit.setdefault(unit.pk, (unit, []))[1].append(procedure)
    wanted = {u.pk for u in units} if units is not None else None
    made: Counter[str] = Counter()
    skipped: Counter[str] = Counter()
    for unit, procedures in sorted(by_unit.values(), key=lambda pair: pair[0].code):
        if wanted is not None and unit.pk not in wanted:
            continue
        # a procedure of a day or more, so that "in progress" and "due today" differ
        procedures.sort(key=lambda p: (p.legal_hours < 8, p.code))
        for state in STATES:
            done = False
            for procedure in procedures[: 8 if state == "due_today" else 3]:
                try:
                    with transaction.atomic():
                        _make(world, state, unit, procedure)
                except (_Miss, _Stop):
                    continue
                except (DomainError, CalendarError) as exc:
                    skipped[f"{state}: {type(exc).__name__}: {exc}"] += 1
                    continue
                made[state] += 1
                done = True
                break
            if not done:
                skipped[f"{state}: {unit.code}"] += 1
    return {"made": made, "skipped": skipped}
