"""Reads of the procedure catalog: the version in force, searches, what a unit offers."""

from __future__ import annotations

from datetime import date

from django.db.models import Case, Exists, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from motcua.catalog.models import Procedure, ProcedureStep
from motcua.catalog.rules import matched_words
from motcua.core.text import fold
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
    qs = qs.prefetch_related("documents", _steps(), "units")
    if q:
        return _ranked(qs, q)
    return qs.order_by("name", "code")


#: Query words kept for a procedure search (a pasted paragraph is not a search).
MAX_QUERY_WORDS = 12


def _ranked(qs: QuerySet[Procedure], q: str) -> QuerySet[Procedure]:
    """``qs`` reduced to the procedures matching at least one word of ``q`` (folded: with or
    without diacritics, any case, "đ" as "d"), most matched words first, then by name. The
    catalog in force is a few thousand rows at most: names are folded here, in one query."""
    words = fold(q).split()[:MAX_QUERY_WORDS]
    scored = []
    for pk, name, code in qs.values_list("pk", "name", "code"):
        n = matched_words(words, fold(f"{name} {code}").split())
        if n:
            scored.append((-n, fold(name), code, pk))
    order = [pk for *_, pk in sorted(scored)]
    rank = Case(*(When(pk=pk, then=Value(i)) for i, pk in enumerate(order)), default=Value(0))
    return qs.filter(pk__in=order).order_by(rank) if order else qs.none()
