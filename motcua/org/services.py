"""Every write to units, staff, roles and focal points.

Each function takes the ``actor`` (None: the system — the demo loader, a command, a migration)
and leaves a history row on every unit and membership it changes, carrying the actor and a reason
in Vietnamese (``motcua.core.history``).
"""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_update_with_history

from motcua.core.errors import DomainError, InvalidInput
from motcua.core.history import reason, stamp
from motcua.org.models import Membership, Role, Staff, Unit


class UnitCycle(InvalidInput):
    code = "unit_cycle"


class UnitRetired(DomainError):
    code = "unit_retired"


class MembershipExists(InvalidInput):
    code = "duplicate"


def _check_parent(unit: Unit | None, parent: Unit | None) -> None:
    if parent is None:
        return
    if not parent.active:
        raise UnitRetired(
            _("Đơn vị cấp trên %(name)s đã ngừng hoạt động; hãy chọn đơn vị đang hoạt động.")
            % {"name": parent.name},
            field="parent",
        )
    if unit is not None and unit.pk is not None:
        if parent.pk == unit.pk or any(a.pk == unit.pk for a in parent.ancestors()):
            raise UnitCycle(
                _("Không thể đặt %(parent)s làm cấp trên của %(unit)s: sẽ tạo vòng lặp.")
                % {"parent": parent.name, "unit": unit.name},
                field="parent",
            )


@transaction.atomic
def create_unit(
    *,
    code: str,
    name: str,
    kind: str,
    parent: Unit | None = None,
    address: str = "",
    actor: Staff | None,
) -> Unit:
    if kind not in Unit.Kind.values:
        raise InvalidInput(_("Loại đơn vị không hợp lệ: %(kind)s.") % {"kind": kind}, field="kind")
    if Unit.objects.filter(code=code).exists():
        raise InvalidInput(
            _("Mã đơn vị %(code)s đã được dùng.") % {"code": code}, code="duplicate", field="code"
        )
    _check_parent(None, parent)
    unit = Unit(code=code, name=name, kind=kind, parent=parent, address=address)
    unit.full_clean()
    stamp(unit, actor=actor, reason=reason(gettext_lazy("Tạo đơn vị")))
    unit.save()
    return unit


@transaction.atomic
def move_unit(*, unit_id: int, parent: Unit | None, actor: Staff | None) -> Unit:
    unit = Unit.objects.select_for_update().get(pk=unit_id)
    _check_parent(unit, parent)
    unit.parent = parent
    if parent is None:
        why = reason(gettext_lazy("Chuyển thành đơn vị cấp cao nhất"))
    else:
        why = reason(gettext_lazy("Chuyển về trực thuộc %(parent)s"), parent=parent.name)
    stamp(unit, actor=actor, reason=why)
    unit.save(update_fields=["parent"])
    return unit


@transaction.atomic
def retire_unit(
    *, unit_id: int, on: date, successor: Unit | None = None, actor: Staff | None
) -> Unit:
    """Retire a unit (merged or dissolved): it keeps its dossiers, staff history and statistics.

    The roles held there end on ``on``; each closed membership gets its own history row."""
    unit = Unit.objects.select_for_update().get(pk=unit_id)
    if not unit.active:
        raise UnitRetired(
            _("Đơn vị %(name)s đã ngừng hoạt động từ %(on)s.")
            % {"name": unit.name, "on": unit.retired_on}
        )
    if unit.children.filter(active=True).exists():
        raise DomainError(
            _(
                "Đơn vị %(name)s còn đơn vị trực thuộc đang hoạt động; hãy chuyển hoặc giải thể "
                "các đơn vị đó trước."
            )
            % {"name": unit.name},
            code="unit_has_active_children",
        )
    if successor is not None and (successor.pk == unit.pk or not successor.active):
        raise InvalidInput(
            _("Đơn vị kế thừa phải là một đơn vị khác đang hoạt động."), field="successor"
        )
    why = reason(gettext_lazy("Ngừng hoạt động đơn vị"))
    unit.active = False
    unit.retired_on = on
    unit.successor = successor
    stamp(unit, actor=actor, reason=why)
    unit.save(update_fields=["active", "retired_on", "successor"])
    closing = list(Membership.objects.select_for_update().filter(unit=unit, active=True))
    for membership in closing:
        membership.active = False
        membership.until_on = on
        stamp(membership, actor=actor, reason=why)
    bulk_update_with_history(
        closing,
        Membership,
        ["active", "until_on"],
        default_user=actor,
        default_change_reason=why,
    )
    return unit


def check_membership(
    *,
    unit: Unit,
    role: str,
    active: bool = True,
    since_on: date | None = None,
    until_on: date | None = None,
) -> None:
    """The checks of a role held in a unit, shared by the services and the admin's forms."""
    if role not in Role.values:
        raise InvalidInput(_("Vai trò không hợp lệ: %(role)s.") % {"role": role}, field="role")
    if active and not unit.active:
        raise UnitRetired(
            _("Không thể giao vai trò tại %(name)s: đơn vị đã ngừng hoạt động.")
            % {"name": unit.name},
            field="unit",
        )
    if since_on is not None and until_on is not None and until_on < since_on:
        raise InvalidInput(
            _("Ngày kết thúc vai trò (%(until)s) phải sau ngày bắt đầu (%(since)s).")
            % {"until": until_on.strftime("%d/%m/%Y"), "since": since_on.strftime("%d/%m/%Y")},
            field="until_on",
        )


def _current(unit: Unit) -> Unit:
    """``unit`` as it is now, locked: a unit retired meanwhile is seen as retired."""
    return Unit.objects.select_for_update().get(pk=unit.pk)


def _role_label(role: str) -> Promise | str:
    """The role's name, still lazy: :func:`reason` renders it in the site's language."""
    return Role(role).label if role in Role.values else role


@transaction.atomic
def grant_role(
    *,
    staff: Staff,
    unit: Unit,
    role: str,
    since_on: date | None = None,
    actor: Staff | None,
) -> Membership:
    """Give ``staff`` the ``role`` in ``unit`` (again, if it had ended). Refused at a retired unit."""
    check_membership(unit=_current(unit), role=role)
    why = reason(gettext_lazy("Giao vai trò %(role)s"), role=_role_label(role))
    membership = (
        Membership.objects.select_for_update().filter(staff=staff, unit=unit, role=role).first()
    )
    if membership is not None:
        if membership.active:
            return membership
        membership.active = True
        membership.until_on = None
        if since_on is not None:
            membership.since_on = since_on
        stamp(membership, actor=actor, reason=why)
        membership.save(update_fields=["active", "until_on", "since_on"])
        return membership
    membership = Membership(staff=staff, unit=unit, role=role, since_on=since_on)
    stamp(membership, actor=actor, reason=why)
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError:  # granted at the same moment by someone else: one membership stays
        return Membership.objects.get(staff=staff, unit=unit, role=role)
    return membership


@transaction.atomic
def revoke_role(*, staff: Staff, unit: Unit, role: str, on: date, actor: Staff | None) -> None:
    """End ``staff``'s ``role`` in ``unit`` on ``on`` (nothing to do if it holds none)."""
    membership = (
        Membership.objects.select_for_update()
        .filter(staff=staff, unit=unit, role=role, active=True)
        .first()
    )
    if membership is None:
        return
    membership.active = False
    membership.until_on = on
    stamp(
        membership,
        actor=actor,
        reason=reason(gettext_lazy("Thu hồi vai trò %(role)s"), role=_role_label(role)),
    )
    membership.save(update_fields=["active", "until_on"])


@transaction.atomic
def update_membership(
    *,
    membership_id: int,
    unit: Unit,
    role: str,
    active: bool,
    since_on: date | None,
    until_on: date | None,
    actor: Staff | None,
) -> Membership:
    """Change a role held by someone (its unit, role, dates or whether it is in force), with the
    checks of :func:`grant_role`: no role in force at a retired unit, no role held twice."""
    membership = Membership.objects.select_for_update().get(pk=membership_id)
    check_membership(
        unit=_current(unit), role=role, active=active, since_on=since_on, until_on=until_on
    )
    if (unit.pk, role) != (membership.unit_id, membership.role) and Membership.objects.filter(
        staff_id=membership.staff_id, unit=unit, role=role
    ).exists():
        raise MembershipExists(
            _("%(staff)s đã có vai trò %(role)s tại %(unit)s.")
            % {"staff": membership.staff, "role": _role_label(role), "unit": unit.name},
            field="role",
        )
    wanted = {
        "unit_id": unit.pk,
        "role": role,
        "active": active,
        "since_on": since_on,
        "until_on": until_on,
    }
    if all(getattr(membership, name) == value for name, value in wanted.items()):
        return membership
    if membership.active and not active:
        why = reason(gettext_lazy("Thu hồi vai trò %(role)s"), role=_role_label(role))
    elif active and not membership.active:
        why = reason(gettext_lazy("Giao vai trò %(role)s"), role=_role_label(role))
    else:
        why = reason(gettext_lazy("Sửa vai trò %(role)s"), role=_role_label(role))
    for name, value in wanted.items():
        setattr(membership, name, value)
    membership.unit = unit
    stamp(membership, actor=actor, reason=why)
    membership.save()
    return membership
