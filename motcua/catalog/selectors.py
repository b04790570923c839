"""Reads of the procedure catalog: the version in force, searches, what a unit offers."""

from __future__ import annotations

from datetime import date

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from motcua.catalog.models import Procedure, ProcedureStep
from motcua.org.models import Unit


def in_force(on: date | None = None) -> Q:
    on = on or timezone.localdate()
    return Q(effective_from__lte=on) & (Q(effective_to__isnull=True) | Q(effective_to__gte=on))


def get_procedure_in_force(code: str, on: date | None = None) -> Procedure | None:
    return (
        Procedure.objects.filter(in_force(on), code=code)
        .select_related("field")
        .prefetch_related("documents", _steps(), "units")
        .first()
    )


def get_procedure_to_receive(code: str, unit: Unit, on: date) -> Procedure | None:
    """The version of ``code`` in force on ``on``, annotated ``offered`` (whether ``unit``
    receives it), its steps (in order, with their responsible units) and its papers prefetched:
    what a reception needs, in three queries."""
    offered = Procedure.units.through.objects.filter(procedure=OuterRef("pk"), unit=unit)
    return (
        Procedure.objects.filter(in_force(on), code=code)
        .annotate(offered=Exists(offered))
        .prefetch_related(_steps(), "documents")
        .first()
    )


def accepts_online(procedure: Procedure, unit: Unit | None = None) -> bool:
    """Whether ``procedure`` takes online submissions (at ``unit``, or at any unit offering it):
    its online mode is not "none" and the unit is active. The portal shows the online button
    and the submission service accepts by this one rule."""
    if procedure.online_mode == Procedure.OnlineMode.NONE:
        return False
    units = [unit] if unit is not None else list(procedure.units.all())
    return any(u.active for u in units)


def _steps() -> Prefetch[str]:
    return Prefetch("steps", queryset=ProcedureStep.objects.select_related("responsible_unit"))


def list_procedures(
    *,
    unit: Unit | None = None,
    field_code: str | None = None,
    q: str | None = None,
    on: date | None = None,
) -> QuerySet[Procedure]:
    """The versions in force, filtered; documents, steps and units prefetched."""
    qs = Procedure.objects.filter(in_force(on)).select_related("field")
    if unit is not None:
        qs = qs.filter(units=unit)
    if field_code:
        qs = qs.filter(field__code=field_code)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q))
    return qs.prefetch_related("documents", _steps(), "units").order_by("name", "code")
