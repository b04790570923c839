"""Reads about units and roles."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from motcua.org.models import FocalPoint, Membership, Staff, Unit


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
