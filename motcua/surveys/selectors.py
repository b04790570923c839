"""Reads of the surveys: whether a dossier was rated, and the ratings counted per unit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, F, Q

from motcua.surveys.models import Overall, Rating


def has_rating(*, dossier_id: int) -> bool:
    return Rating.objects.filter(dossier_id=dossier_id).exists()


@dataclass(frozen=True)
class RatingCounts:
    """The ratings of one unit's dossiers, by level."""

    unit_id: int
    rated: int
    very_satisfied: int
    satisfied: int
    not_satisfied: int


def count_ratings_by_unit(
    *, start_at: datetime, end_at: datetime, unit_ids: frozenset[int] | None
) -> list[RatingCounts]:
    """Per unit that received the dossiers (all units, or those of ``unit_ids``): the ratings
    GIVEN in [start_at, end_at), by level. One aggregate query."""
    qs = Rating.objects.filter(at__gte=start_at, at__lt=end_at)
    if unit_ids is not None:
        qs = qs.filter(dossier__unit_id__in=sorted(unit_ids))
    rows = (
        qs.values(unit=F("dossier__unit_id"))
        .annotate(
            rated=Count("pk"),
            very=Count("pk", filter=Q(overall=Overall.VERY_SATISFIED)),
            ok=Count("pk", filter=Q(overall=Overall.SATISFIED)),
            not_ok=Count("pk", filter=Q(overall=Overall.NOT_SATISFIED)),
        )
        .order_by()
    )
    return [
        RatingCounts(
            unit_id=r["unit"],
            rated=r["rated"],
            very_satisfied=r["very"],
            satisfied=r["ok"],
            not_satisfied=r["not_ok"],
        )
        for r in rows
    ]
