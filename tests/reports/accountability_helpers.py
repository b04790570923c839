"""A seeded history with known overtime per officer, made through the real services, and a plain
Python recount of working time (minute by minute over Mon–Fri 08:00–12:00, 13:00–17:00) that
shares no code with the calendar."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from motcua.dossiers.models import DossierStep
from motcua.dossiers.services import (
    assign_step,
    complete_step,
    draft_apology,
    sign_apology,
)
from motcua.workdays.services import calendar_for
from tests.dossiers.helpers import at, procedure_with, receive
from tests.factories import make_staff, make_unit

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def plain_working_minutes(a: datetime, b: datetime) -> int:
    """Working minutes from ``a`` to ``b`` (weekdays 08–12, 13–17; 19–30/01/2026 has no
    holiday), counted one minute at a time."""
    a, b = a.astimezone(VN), b.astimezone(VN)
    n, t = 0, a
    while t < b:
        if t.weekday() < 5 and (8 <= t.hour < 12 or 13 <= t.hour < 17):
            n += 1
        t += timedelta(minutes=1)
    return n


class History:
    """Two officers of the ward's land division, one at another agency (inter-agency step)."""

    def __init__(self, office):
        self.office = office
        ward = office.ward
        self.division = make_unit(
            code="TP.01.DC", name="Phòng Địa chính Thử", kind="division", parent=ward
        )
        self.agency = make_unit(
            code="TP.TN", name="Sở Tài nguyên Thử", kind="department", parent=office.city
        )
        self.head = make_staff(username="tpdiachinh", roles=[(self.division, "head")])
        self.a = make_staff(
            username="cva", full_name="Nguyễn Văn A", roles=[(self.division, "specialist")]
        )
        self.b = make_staff(
            username="cvb", full_name="Trần Thị B", roles=[(self.division, "specialist")]
        )
        self.c = make_staff(
            username="cvc", full_name="Lê Văn C", roles=[(self.agency, "specialist")]
        )
        self.agency_head = make_staff(username="tpso", roles=[(self.agency, "head")])
        self.procedure = procedure_with(
            units=[ward],
            code="9.220001",
            legal_working_days="2",
            steps=[
                ("Tiếp nhận", "receptionist", "2"),
                ("Kiểm tra, ghi sổ", "specialist", "4"),
                ("Lấy ý kiến Sở", "specialist", "4"),
                ("Ký duyệt", "leader", "2"),
                ("Trả kết quả", "receptionist", "0"),
            ],
        )
        # the steps' units: 2 at the division, 3 at the agency (set on the procedure's steps)
        steps = list(self.procedure.steps.order_by("order"))
        steps[1].responsible_unit = self.division
        steps[1].save(update_fields=["responsible_unit"])
        steps[2].responsible_unit = self.agency
        steps[2].save(update_fields=["responsible_unit"])

    def step(self, dossier, order) -> DossierStep:
        return DossierStep.objects.get(dossier=dossier, order=order)

    def finish(self, dossier, order, actor, when, *, late=False):
        if late:
            apology = draft_apology(
                dossier_id=dossier.pk, actor=actor, reason="Hồ sơ phức tạp", now=when
            )
            sign_apology(apology_id=apology.pk, actor=self.office.leader, now=when)
        complete_step(step_id=self.step(dossier, order).pk, actor=actor, now=when)

    def open_second(self, *, start: datetime, who):
        """A dossier received at ``start`` whose step 2 opened at the same moment, held by
        ``who`` and still open."""
        office = self.office
        d = receive(office, self.procedure, now=start).dossier
        self.finish(d, 1, office.receptionist, start)
        assign_step(dossier_id=d.pk, actor=self.head, assignee=who.username, now=start)
        return d

    def play(
        self,
        *,
        who,
        second_hours: float,
        third_hours: float = 2,
        day: int = 0,
        received: datetime | None = None,
    ):
        """One dossier received ``day``/01 at 08:00 (or at ``received``); step 1 takes an hour,
        step 2 by ``who`` ``second_hours`` working hours from its start, step 3 at the agency
        ``third_hours``."""
        office = self.office
        cal = calendar_for(self.division)
        received = received or at(day, 8)
        d = receive(office, self.procedure, now=received).dossier
        first = cal.add_working_hours(d.effective_received_at, Decimal(1))
        self.finish(d, 1, office.receptionist, first)
        assign_step(dossier_id=d.pk, actor=self.head, assignee=who.username, now=first)
        s2 = self.step(d, 2)
        end2 = cal.add_working_hours(s2.started_at, Decimal(str(second_hours)))
        self.finish(d, 2, who, end2, late=end2 > s2.due_at)
        assign_step(dossier_id=d.pk, actor=self.agency_head, assignee=self.c.username, now=end2)
        s3 = self.step(d, 3)
        end3 = cal.add_working_hours(s3.started_at, Decimal(str(third_hours)))
        self.finish(d, 3, self.c, end3, late=end3 > s3.due_at)
        return d
