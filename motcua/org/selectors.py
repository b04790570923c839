"""Reads about units and roles."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from motcua.org.models import FocalPoint, Membership, Role, Staff, Unit


def list_memberships(staff: Staff) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(staff=staff, active=True, unit__active=True)
        .select_related("unit")
        .order_by("unit__code", "role")
    )


def units_of(staff: Staff, roles: Iterable[str] | None = None) -> QuerySet[Unit]:
    """Active units where the person holds an active role (any role, or one of `roles`)."""
    memberships = Membership.objects.filter(staff=staff, active=True)
    if roles is not None:
        memberships = memberships.filter(role__in=list(roles))
    return Unit.objects.filter(active=True, pk__in=memberships.values("unit_id"))


def roles_of(staff: Staff) -> frozenset[tuple[int, str]]:
    """The (unit id, role) pairs a person holds now: active memberships of active units. Every
    permission of the system is judged from this one read (`motcua.dossiers.policy`)."""
    rows = Membership.objects.filter(staff=staff, active=True, unit__active=True).values_list(
        "unit_id", "role"
    )
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
    return Membership.objects.filter(
        staff=staff, unit=unit, role__in=roles, active=True, unit__active=True
    ).exists()


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
            memberships__unit_id=unit_id,
            memberships__role=Role.LEADER,
            memberships__active=True,
        )
        .distinct()
        .order_by("pk")
    )


def unit_staff_with_role(unit_id: int, role: str) -> list[Staff]:
    """The active holders of ``role`` in a unit."""
    return list(
        Staff.objects.filter(
            is_active=True,
            memberships__in=Membership.objects.filter(unit_id=unit_id, role=role, active=True),
        )
        .distinct()
        .order_by("pk")
    )
