"""Warnings before lateness (issue 22, item 3): the transparent forecast, recomputed by hand."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from motcua.dossiers.services import assign_step
from motcua.reports.forecast import Forecaster, at_risk_steps, evaluate
from motcua.workdays.services import calendar_for
from tests.dossiers.helpers import at
from tests.reports.accountability_helpers import History

pytestmark = pytest.mark.django_db


def start_before(cal, now: datetime, hours: float) -> datetime:
    """The moment ``hours`` working hours before ``now`` (searched by quarter hours)."""
    t = now
    while cal.working_hours_between(t, now) < hours:
        t -= timedelta(minutes=15)
    return t


def seed(h: History, *, late: int, on_time: int, first_day: int = 5) -> None:
    """Step 2 of ``late`` dossiers took 6 h (budget 4), of ``on_time`` ones 3.5 h."""
    day = first_day
    for i in range(late + on_time):
        h.play(day=day, who=h.a, second_hours=6 if i < late else 3.5)
        day += 1 if day not in (9, 16) else 3  # weekdays of January 2026


def test_the_risk_is_the_share_late_among_those_still_running(office):
    h = History(office)
    seed(h, late=10, on_time=4)
    now = at(26, 11, 45)
    start = start_before(calendar_for(h.division), now, 3.75)
    d = h.open_second(start=start, who=h.b)
    step = d.steps.get(order=2)
    risk = Forecaster(history_before=now).risk(step, at=now)
    # history ratios: 10 × 1.5, 4 × 0.875; used 3.75 / 4 = 0.9375: 10 still running, all late
    assert risk is not None and risk.late_risk == round((10 + 1) / (10 + 2), 4)
    assert risk.flagged and risk.hours_left == 0.25
    assert "10 trên 10 bước cùng loại tại đơn vị này" in risk.reason


def test_a_step_early_in_its_budget_is_judged_on_all_the_history(office):
    h = History(office)
    seed(h, late=3, on_time=9)
    now = at(26, 9)
    d = h.open_second(start=now, who=h.b)
    risk = Forecaster(history_before=now).risk(d.steps.get(order=2), at=now)
    assert risk is not None and risk.late_risk == round((3 + 1) / (12 + 2), 4)
    assert risk.hours_left == 4 and not risk.flagged  # within a working day, but unlikely


def test_no_history_says_so_and_does_not_flag_a_far_due(office):
    h = History(office)
    now = at(26, 9)
    d = h.open_second(start=now, who=h.b)
    risk = Forecaster(history_before=now).risk(d.steps.get(order=2), at=now)
    assert risk is not None and risk.late_risk == 0.5
    assert "Chưa có lịch sử" in risk.reason and risk.hours_left == 4 and not risk.flagged
    assert at_risk_steps(list(d.steps.select_related("dossier__procedure")), now=now) == []


def test_the_held_out_evaluation_counts_precision_and_recall(office):
    h = History(office)
    seed(h, late=6, on_time=2, first_day=5)  # training: before 16/01
    for i, hours in enumerate((6, 6, 3.5, 6)):  # test: from 19/01
        h.play(day=19 + i, who=h.b, second_hours=hours)
    result = evaluate(train_before=at(16, 0), test_until=at(31, 0))
    # steps 1-3 of the 4 test dossiers (budgets within a working day: judged at their start);
    # step 2's history says 6 of 8 late -> (6 + 1) / (8 + 2) = 0.7: all four flagged, three
    # late; steps 1 and 3 were never late -> 0.1, not flagged.
    assert (result.tested, result.predicted_late) == (12, 4)
    assert (result.actually_late, result.true_positives) == (3, 3)
    assert (result.precision, result.recall) == (0.75, 1.0)


def test_a_step_of_a_dossier_already_behind_is_judged_on_steps_that_started_behind(office):
    h = History(office)
    # history: 10 dossiers whose step 2 ran late (6 h of 4) and whose step 3 at the agency then
    # ran late too in 9 of them (6 h of 4); 10 dossiers on time throughout
    late_thirds = iter([6] * 9 + [2])
    for day in (5, 6, 7, 8, 9, 12, 13, 14, 15, 16):
        h.play(received=at(day, 8), who=h.a, second_hours=6, third_hours=next(late_thirds))
        h.play(received=at(day, 9), who=h.b, second_hours=3, third_hours=2)
    d = h.open_second(start=at(26, 8), who=h.a)
    cal = calendar_for(h.division)
    second = d.steps.get(order=2)
    end2 = cal.add_working_hours(second.started_at, Decimal(6))
    h.finish(d, 2, h.a, end2, late=True)
    assign_step(dossier_id=d.pk, actor=h.agency_head, assignee=h.c.username, now=end2)
    third = d.steps.get(order=3)
    assert third.started_at == end2
    split = Forecaster(history_before=end2).risk(third, at=end2)
    # judged at its start: of the 10 steps 3 that started behind, 9 ran late -> 10 / 12
    assert split is not None and split.late_risk == round((9 + 1) / (10 + 2), 4)
    assert split.flagged and split.hours_left == 4
    assert "9 trên 10 bước cùng loại tại đơn vị này, bắt đầu khi hồ sơ đã có bước" in split.reason
    # the first model, on all 20: 10 / 22, not flagged
    first = Forecaster(history_before=end2, by_behind=False).risk(third, at=end2)
    assert first is not None and first.late_risk == round((9 + 1) / (20 + 2), 4)
    assert not first.flagged
    # a dossier on time at the same point is judged on the 10 that started on time: 1 / 12
    e = h.open_second(start=at(26, 9), who=h.b)
    end2e = cal.add_working_hours(e.steps.get(order=2).started_at, Decimal(3))
    h.finish(e, 2, h.b, end2e)
    assign_step(dossier_id=e.pk, actor=h.agency_head, assignee=h.c.username, now=end2e)
    on_time = Forecaster(history_before=end2e).risk(e.steps.get(order=3), at=end2e)
    assert on_time is not None and on_time.late_risk == round(1 / 12, 4)
