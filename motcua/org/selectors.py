"""Reads about units and roles."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from motcua.org.models import FocalPoint, Membership, Role, Staff, Unit


def in_force_q(on: date | None = None, *, prefix: str = "") -> Q:
    """A role in force on ``on`` (today in Vietnam by default): active, and its dates
    (``since_on``, ``until_on``, both inclusive, either open) around that day. ``prefix``
    ("memberships__") filters through a relation, in ONE filter() call."""
    on = on or timezone.localdate()
    p = prefix
    return (
        Q(**{f"{p}active": True})
        & (Q(**{f"{p}since_on__isnull": True}) | Q(**{f"{p}since_on__lte": on}))
        & (Q(**{f"{p}until_on__isnull": True}) | Q(**{f"{p}until_on__gte": on}))
    )


def current_memberships(on: date | None = None) -> QuerySet[Membership]:
    """Every role in force now, in an active unit: the one read of "who holds what" that every
    role check and every scope starts from."""
    return Membership.objects.filter(in_force_q(on), unit__active=True)


def list_memberships(staff: Staff) -> QuerySet[Membership]:
    return (
        current_memberships()
        .filter(staff=staff)
        .select_related("unit")
        .order_by("unit__code", "role")
    )


def units_of(staff: Staff, roles: Iterable[str] | None = None) -> QuerySet[Unit]:
    """Active units where the person holds a role in force (any role, or one of `roles`)."""
    memberships = current_memberships().filter(staff=staff)
    if roles is not None:
        memberships = memberships.filter(role__in=list(roles))
    return Unit.objects.filter(active=True, pk__in=memberships.values("unit_id"))


def roles_of(staff: Staff) -> frozenset[tuple[int, str]]:
    """The (unit id, role) pairs a person holds now: memberships in force (active, within their
    dates) of active units. Every
    permission of the system is judged from this one read (`motcua.dossiers.policy`)."""
    rows = current_memberships().filter(staff=staff).values_list("unit_id", "role")
    return frozenset((unit_id, role) for unit_id, role in rows)


def supervised_unit_ids(staff: Staff) -> set[int]:
    """The units a person inspects: where they hold the supervisor role, and every unit below.
    A supervisor reads what these units handle (dossiers, complaints); acting stays with the
    units' own staff."""
    ids: set[int] = set()
    for unit in units_of(staff, [Role.SUPERVISOR]):
        if unit.pk not in ids:
            ids |= subtree_ids(unit)
    return ids


def has_role(staff: Staff, unit: Unit, *roles: str) -> bool:
    return current_memberships().filter(staff=staff, unit=unit, role__in=roles).exists()


def subtree_ids(unit: Unit) -> set[int]:
    """The unit and every unit below it (one query per level)."""
    ids = {unit.pk}
    frontier = [unit.pk]
    while frontier:
        frontier = list(
            Unit.objects.filter(parent_id__in=frontier)
            .exclude(pk__in=ids)
            .values_list("pk", flat=True)
        )
        ids.update(frontier)
    return ids


def list_focal_points(unit: Unit | None = None) -> QuerySet[FocalPoint]:
    qs = FocalPoint.objects.filter(published=True, unit__active=True).select_related("unit")
    if unit is not None:
        qs = qs.filter(unit=unit)
    return qs.order_by("unit__code", "order", "title")


def unit_leaders(unit_id: int) -> list[Staff]:
    """The active leaders of a unit (who get its overdue notices)."""
    return list(
        Staff.objects.filter(
            is_active=True,
            pk__in=current_memberships()
            .filter(unit_id=unit_id, role=Role.LEADER)
            .values("staff_id"),
        ).order_by("pk")
    )


def unit_staff_with_role(unit_id: int, role: str) -> list[Staff]:
    """The active holders of ``role`` in a unit."""
    return list(
        Staff.objects.filter(
            is_active=True,
            pk__in=current_memberships().filter(unit_id=unit_id, role=role).values("staff_id"),
        ).order_by("pk")
    )
