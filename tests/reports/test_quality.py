"""Satisfaction, feedback figures (766 formulas) and the ranking (motcua/reports/quality.py)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from motcua.dossiers.models import Dossier, DossierStep, SupplementRequest
from motcua.feedback.models import Feedback
from motcua.reports.quality import (
    UnitNotFound,
    feedback_figures,
    ranking,
    satisfaction,
    tthc_satisfaction_rate,
    unit_scope,
    visible_unit_ids,
)
from motcua.reports.selectors import Period
from motcua.surveys.models import Rating
from tests.factories import make_procedure, make_staff
from tests.reports.helpers import at, dossier_row

pytestmark = pytest.mark.django_db

JAN = Period(date(2026, 1, 1), date(2026, 2, 1))
NOW = at(2026, 2, 10)


@pytest.fixture
def resolved(office):
    """Four dossiers of the ward resolved in January: early, early, on time, late."""
    procedure = make_procedure(units=[office.ward])
    due = at(2026, 1, 15, 17)
    dossiers = []
    for ready in (at(2026, 1, 12), at(2026, 1, 13), at(2026, 1, 15, 16), at(2026, 1, 16)):
        d = dossier_row(
            unit=office.ward,
            procedure=procedure,
            received_at=at(2026, 1, 9),
            due_at=due,
            ready_at=ready,
        )
        d.save()
        dossiers.append(d)
    return dossiers


def test_ratings_give_the_shares_and_circular_01_indicators(office, resolved):
    levels = ["very_satisfied", "satisfied", "satisfied", "not_satisfied"]
    for d, overall in zip(resolved, levels, strict=True):
        Rating.objects.create(dossier=d, overall=overall, at=d.ready_at + timedelta(hours=2))
    step = DossierStep.objects.create(
        dossier=resolved[0],
        order=1,
        name="Thẩm định",
        unit=office.ward,
        role="specialist",
        duration_working_hours=Decimal(8),
        status="done",
        timeliness="on_time",
    )
    SupplementRequest.objects.create(
        dossier=resolved[3], step=step, requested_at=at(2026, 1, 10), requested_by=office.specialist
    )
    s = satisfaction(period=JAN, unit_ids=frozenset({office.ward.pk}))[office.ward.pk]
    assert (s.rated, s.very_satisfied, s.satisfied, s.not_satisfied) == (4, 1, 2, 1)
    assert s.satisfaction_rate == Decimal("75.00") and s.share("not_satisfied") == Decimal("25.00")
    assert s.resolved == 4
    assert s.indicator_1 == Decimal("1.25")  # (2 + 2 + 1 + 0) / 4
    assert s.indicator_2 == Decimal("1.00")
    assert s.indicator_3 == Decimal("1.75")  # (2 + 2 + 2 + 1) / 4
    # 766: (4 resolved − 1 not satisfied) / 4
    assert tthc_satisfaction_rate(period=JAN, unit_ids=None) == Decimal("75.00")


def _feedback(office, **kwargs):
    defaults = {
        "channel": "hotline",
        "received_at": at(2026, 1, 5),
        "created_at": at(2026, 1, 5),
        "updated_at": at(2026, 1, 5),
        "content": "Chậm trả kết quả",
        "unit": office.ward,
        "category": "delay",
        "in_scope": True,
        "status": "classified",
        "respond_by": at(2026, 1, 7),
    }
    defaults.update(kwargs)
    return Feedback.objects.create(**defaults)


def test_feedback_figures_count_channels_scope_and_answers_on_time(office):
    _feedback(office, status="answered", answered_at=at(2026, 1, 6))
    _feedback(office, status="answered", answered_at=at(2026, 1, 8), channel="zalo")
    _feedback(office)  # still open: overdue
    _feedback(office, in_scope=False, respond_by=None, status="closed", category="regulation")
    _feedback(
        office,
        unit=None,
        intake_unit=office.ward,
        in_scope=None,
        category="",
        respond_by=None,
        status="new",
        channel="web",
    )
    _feedback(office, unit=office.other_ward)  # another ward: not in this scope
    rows, total = feedback_figures(period=JAN, unit_ids=frozenset({office.ward.pk}), now=NOW)
    assert [r.key for r in rows] == ["TP.01"]
    ward = rows[0]
    assert (ward.received, ward.in_scope, ward.out_of_scope, ward.unclassified) == (5, 3, 1, 1)
    assert ward.by_channel == {"hotline": 3, "zalo": 1, "web": 1}
    assert ward.by_category == {"delay": 3, "regulation": 1}
    assert (ward.due, ward.answered_on_time, ward.answered_late, ward.overdue) == (3, 1, 1, 1)
    assert ward.on_time_rate == Decimal("33.33")
    assert ward.handling_satisfaction_rate == Decimal("33.33")  # (3 − 1 late − 1 overdue) / 3
    assert total.received == 5


def test_a_unit_outside_the_callers_units_is_not_found(office):
    assert visible_unit_ids(office.leader) == frozenset({office.ward.pk})
    with pytest.raises(UnitNotFound):
        unit_scope(office.leader, "TP.02")
    city_leader = make_staff(roles=[(office.city, "leader")])
    unit, ids = unit_scope(city_leader, "TP")
    assert unit == office.city and ids == {office.city.pk, office.ward.pk, office.other_ward.pk}


def test_three_dossiers_never_top_the_ranking(office):
    procedure = make_procedure(units=[office.ward, office.other_ward])
    rows = [
        dossier_row(
            unit=office.ward,
            procedure=procedure,
            received_at=at(2026, 1, 5),
            ready_at=at(2026, 1, 6) if i % 10 else at(2026, 1, 20),
        )
        for i in range(40)
    ]
    rows += [
        dossier_row(
            unit=office.other_ward,
            procedure=procedure,
            received_at=at(2026, 1, 5),
            ready_at=at(2026, 1, 6),
            channel="online",
        )
        for _ in range(3)
    ]
    Dossier.objects.bulk_create(rows)
    ranked, apart = ranking(period=JAN, unit_ids=None, now=NOW)
    assert [(e.code, e.rank) for e in ranked] == [("TP.01", 1)]
    assert [e.code for e in apart] == ["TP.02"]
    assert apart[0].score == Decimal("100.00") and apart[0].rank is None
