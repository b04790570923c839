"""Who consumed the time (issue 22, item 1): a seeded history with known overtime per officer;
the report, its drill-down, its Excel and the API match a plain Python recount, step by step, for
every grouping."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from motcua.access.services import issue_token
from motcua.dossiers.models import DossierStep
from motcua.reports.accountability_xlsx import overtime_workbook
from motcua.reports.attribution import GROUPS, dossier_attribution, drill_down, overtime_report
from motcua.reports.selectors import Period
from tests.dossiers.helpers import at
from tests.reports.accountability_helpers import History, plain_working_minutes

pytestmark = pytest.mark.django_db

NOW = at(23, 10)
WEEK = Period(date(2026, 1, 19), date(2026, 1, 24))


@pytest.fixture
def history(office):
    h = History(office)
    h.play(day=19, who=h.a, second_hours=5)  # A: 1 h over
    h.play(day=20, who=h.a, second_hours=13, third_hours=6)  # A: 9 h over; C: 2 h over
    h.play(day=21, who=h.b, second_hours=3)  # on time
    h.play(day=21, who=h.b, second_hours=7)  # B: 3 h over
    h.play(day=22, who=h.a, second_hours=2)  # on time
    return h


def _recount(group_by: str, h: History) -> dict[str, tuple[int, int, set[int]]]:
    """Plain Python: every counted step that began, its end (finish, or now), its overtime in
    minutes past its own due, grouped by hand."""
    agency_of = {h.division.code: h.office.ward.code}
    out: dict[str, list] = defaultdict(lambda: [0, 0, set()])
    for s in DossierStep.objects.select_related("unit", "assignee", "dossier__procedure"):
        if not s.counted or s.started_at is None or s.due_at is None:
            continue
        if not (WEEK.start_at <= s.due_at < min(WEEK.end_at, NOW)):
            continue
        end = s.finished_at or NOW
        minutes = plain_working_minutes(s.due_at, end) if end > s.due_at else 0
        if minutes <= 0:
            continue
        key = {
            "unit": agency_of.get(s.unit.code, s.unit.code),
            "division": s.unit.code,
            "officer": s.assignee.username if s.assignee else "-",
            "procedure": s.dossier.procedure.code,
            "step": f"{s.dossier.procedure.code}#{s.order}",
        }[group_by]
        row = out[key]
        row[0] += 1
        row[1] += minutes
        row[2].add(s.dossier_id)
    return {k: (v[0], v[1], v[2]) for k, v in out.items()}


@pytest.mark.parametrize("group_by", GROUPS)
def test_the_report_matches_a_plain_recount_for_every_grouping(history, group_by):
    result = overtime_report(period=WEEK, unit_ids=None, group_by=group_by, now=NOW)
    expected = _recount(group_by, history)
    got = {r.key: (r.late_steps, int(r.overtime * 60), r.dossier_ids) for r in result.rows}
    assert got == expected
    assert result.total.late_steps == sum(v[0] for v in expected.values())
    assert result.total.dossiers_late == len(set().union(*(v[2] for v in expected.values())))


def test_the_known_overtime_of_each_officer(history):
    rows = {
        r.key: r
        for r in overtime_report(period=WEEK, unit_ids=None, group_by="officer", now=NOW).rows
    }
    assert rows["cva"].overtime_working_hours == Decimal("10.00")
    assert (rows["cva"].late_steps, rows["cva"].dossiers_late) == (2, 2)
    assert rows["cvb"].overtime_working_hours == Decimal("3.00")
    assert rows["cvc"].overtime_working_hours == Decimal("2.00")  # the other agency's step
    assert "cvc" in rows and rows["cvc"].name == "Lê Văn C"


def test_the_excel_export_says_the_same_as_the_page(history):
    for group_by in GROUPS:
        result = overtime_report(period=WEEK, unit_ids=None, group_by=group_by, now=NOW)
        wb = load_workbook(BytesIO(overtime_workbook(result)))
        sheet = wb.worksheets[0]
        rows = [r for r in sheet.iter_rows(min_row=5, values_only=True) if r[0]]
        assert rows[:-1] == [
            (r.key, r.name, r.late_steps, float(r.overtime_working_hours), r.dossiers_late)
            for r in result.rows
        ]
        assert rows[-1][2:] == (
            result.total.late_steps,
            float(result.total.overtime_working_hours),
            result.total.dossiers_late,
        )
        detail = list(wb.worksheets[1].iter_rows(min_row=2, values_only=True))
        assert len(detail) == result.total.late_steps
        assert sum(Decimal(str(r[8])) for r in detail) == result.total.overtime_working_hours


def test_the_drill_down_lists_the_dossiers_and_their_apologies(history):
    result = overtime_report(period=WEEK, unit_ids=None, group_by="officer", now=NOW)
    items = drill_down(result, "cva")
    assert len(items) == 2
    assert all(i["officer"] == "Nguyễn Văn A" for i in items)
    assert all(a.status == "signed" for i in items for a in i["apologies"])
    assert {i["overtime_words"] for i in items} == {"1 giờ", "1 ngày 1 giờ"}


def test_a_step_that_crossed_the_due_is_named_on_the_dossier(office):
    h = History(office)
    d = h.play(day=19, who=h.a, second_hours=26)  # due 21/01 17:00; step 2 ran to 22/01
    steps = list(d.steps.select_related("unit", "assignee").order_by("order"))
    d.refresh_from_db()
    who = dossier_attribution(d, steps, now=at(22, 16))
    assert who.crossing is not None and who.crossing.step.order == 2
    assert who.line == "Chậm do bước 2 — Kiểm tra, ghi sổ — Nguyễn Văn A, vượt 2 ngày 6 giờ"
    third = next(u for u in who.steps if u.step.order == 3)
    assert third.other_unit and who.other_units_hours == third.used_hours


def test_the_api_answers_the_same_and_refuses_bad_input(client, history, office):
    auth = {"Authorization": f"Bearer {issue_token(staff=office.leader)[0]}"}
    params = {"from": "2026-01-19", "to": "2026-01-24", "group_by": "officer"}
    answer = client.get("/api/v1/stats/overtime", params, headers=auth)
    assert answer.status_code == 200, answer.content
    body = answer.json()
    expected = _recount("officer", history)
    assert {i["key"]: i["late_steps"] for i in body["items"]} == {
        k: v[0] for k, v in expected.items()
    }
    assert body["total"]["key"] == "total"
    bad = client.get("/api/v1/stats/overtime", {**params, "group_by": "moon"}, headers=auth)
    assert bad.status_code == 422 and bad["Content-Type"].startswith("application/problem+json")
    later = client.get("/api/v1/stats/overtime", {**params, "to": "2026-01-01"}, headers=auth)
    assert later.status_code == 422
    other = client.get(
        "/api/v1/stats/overtime", {**params, "unit": office.other_ward.code}, headers=auth
    )
    assert other.status_code == 404


def test_the_api_step_carries_its_overtime(client, history, office, time_machine):
    time_machine.move_to(NOW)
    auth = {"Authorization": f"Bearer {issue_token(staff=office.leader)[0]}"}
    code = DossierStep.objects.filter(assignee__username="cvb").order_by("pk").last().dossier.code
    body = client.get(f"/api/v1/dossiers/{code}", headers=auth).json()
    second = next(s for s in body["steps"] if s["order"] == 2)
    assert Decimal(str(second["overtime_working_hours"])) == Decimal("3")
    assert second["late_risk"] is None  # finished
    current = body["current_step"]
    assert 0 <= current["late_risk"] <= 1 and current["late_risk_reason"]
