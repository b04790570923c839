"""Every write to units, staff, roles and focal points."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError, InvalidInput
from motcua.org.models import Membership, Role, Staff, Unit


class UnitCycle(InvalidInput):
    code = "unit_cycle"


class UnitRetired(DomainError):
    code = "unit_retired"


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
    unit.save()
    return unit


@transaction.atomic
def move_unit(*, unit_id: int, parent: Unit | None) -> Unit:
    unit = Unit.objects.select_for_update().get(pk=unit_id)
    _check_parent(unit, parent)
    unit.parent = parent
    unit.save(update_fields=["parent"])
    return unit


@transaction.atomic
def retire_unit(*, unit_id: int, on: date, successor: Unit | None = None) -> Unit:
    """Retire a unit (merged or dissolved): it keeps its dossiers, staff history and statistics."""
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
    unit.active = False
    unit.retired_on = on
    unit.successor = successor
    unit.save(update_fields=["active", "retired_on", "successor"])
    Membership.objects.filter(unit=unit, active=True).update(active=False, until_on=on)
    return unit


@transaction.atomic
def grant_role(*, staff: Staff, unit: Unit, role: str) -> Membership:
    if role not in Role.values:
        raise InvalidInput(_("Vai trò không hợp lệ: %(role)s.") % {"role": role}, field="role")
    if not unit.active:
        raise UnitRetired(
            _("Không thể giao vai trò tại %(name)s: đơn vị đã ngừng hoạt động.")
            % {"name": unit.name}
        )
    membership, created = Membership.objects.get_or_create(staff=staff, unit=unit, role=role)
    if not created and not membership.active:
        membership.active = True
        membership.until_on = None
        membership.save(update_fields=["active", "until_on"])
    return membership


@transaction.atomic
def revoke_role(*, staff: Staff, unit: Unit, role: str, on: date) -> None:
    Membership.objects.filter(staff=staff, unit=unit, role=role, active=True).update(
        active=False, until_on=on
    )
