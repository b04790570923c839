"""A year of dossier history for the demo city, made through the real services.

`generate_history(n)` receives ``n`` dossiers at random working moments of the past year in the
demo wards and service centres, and plays each one forward with the services and a pinned ``now``:
steps completed early, on time or late (a late step waits for its explanation and the leader's
signed apology, the first of which may move the appointment), supplement requests that pause the
clock, green-lane dossiers, online submissions accepted or refused at the desk, dossiers found
not eligible or stopped at the applicant's request, results handed over. A dossier whose next
action would fall after the present is left where it is: the recent ones are still in progress.
Each run adds ``n`` more dossiers (the sequence numbers of the codes continue).
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from motcua.catalog.models import GreenLaneGroup, Procedure
from motcua.catalog.selectors import in_force
from motcua.core.errors import DomainError
from motcua.core.progress import progress
from motcua.documents.services import add_document
from motcua.dossiers import services
from motcua.dossiers.models import Dossier, DossierStep, StepStatus
from motcua.org.models import Membership, Role, Staff, Unit
from motcua.workdays.rules import CalendarError, WorkCalendar
from motcua.workdays.services import calendar_for

_FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Phan")
_MIDDLE = ("Văn", "Thị", "Đức", "Minh", "Thu", "Ngọc", "Quang", "Thanh", "Hữu", "Hồng")
_GIVEN = (
    "An", "Bình", "Cường", "Dung", "Giang", "Hà", "Hùng", "Lan", "Long", "Mai", "Nam",
    "Nga", "Phong", "Quân", "Sơn", "Thảo", "Trang", "Tuấn", "Vân", "Yến",
)  # fmt: skip
_STREETS = ("Nguyễn Văn Cừ", "Ngọc Lâm", "Long Biên", "Hàng Bạc", "Kim Mã", "Láng Hạ", "Giải Phóng")
_DELAYS = (
    "Hồ sơ phải xác minh thêm tại địa phương nơi cư trú trước đây",
    "Cán bộ thụ lý nghỉ ốm đột xuất, chưa kịp bàn giao",
    "Chờ ý kiến phối hợp của cơ quan chuyên môn",
    "Khối lượng hồ sơ tăng đột biến cuối năm",
)
_SUPPLEMENTS = (
    "Bản sao có chứng thực Giấy chứng nhận quyền sử dụng đất",
    "Văn bản ủy quyền có chứng thực",
    "Bản vẽ hiện trạng có chữ ký của đơn vị đo đạc",
    "Tờ khai còn thiếu chữ ký của người yêu cầu",
)

PROFILES = ("fast", "normal", "late_step", "supplement", "late_dossier", "not_eligible", "stopped")
WEIGHTS = (30, 35, 12, 10, 6, 4, 3)


@dataclass
class HistoryReport:
    statuses: Counter[str] = field(default_factory=Counter)
    timeliness: Counter[str] = field(default_factory=Counter)
    apologies: int = 0
    supplements: int = 0
    green_lane: int = 0
    skipped: Counter[str] = field(default_factory=Counter)

    def line(self) -> str:
        parts = [f"{status}: {n}" for status, n in sorted(self.statuses.items())]
        judged = ", ".join(f"{k}: {n}" for k, n in sorted(self.timeliness.items()))
        return (
            f"{sum(self.statuses.values())} hồ sơ ({', '.join(parts)}); tiến độ ({judged}); "
            f"{self.apologies} phiếu xin lỗi, {self.supplements} lần bổ sung, "
            f"{self.green_lane} hồ sơ làn xanh"
            + (f"; bỏ qua {sum(self.skipped.values())}" if self.skipped else "")
        )


class _Stop(Exception):
    """The next action lies in the future: the dossier stays where it is."""


@dataclass
class _World:
    now: datetime
    rng: random.Random
    staff: dict[tuple[int, str], list[Staff]]
    calendars: dict[int, WorkCalendar] = field(default_factory=dict)

    def cal(self, unit: Unit) -> WorkCalendar:
        if unit.pk not in self.calendars:
            self.calendars[unit.pk] = calendar_for(unit)
        return self.calendars[unit.pk]

    def who(self, unit: Unit, role: str) -> Staff:
        return self.rng.choice(self.staff[(unit.pk, role)])

    def later(self, unit: Unit, at: datetime, hours: float) -> datetime:
        moment = self.cal(unit).add_working_hours(at, Decimal(str(round(max(hours, 0.05), 2))))
        if moment > self.now:
            raise _Stop
        return moment


def _staff_map() -> dict[tuple[int, str], list[Staff]]:
    out: dict[tuple[int, str], list[Staff]] = {}
    for m in Membership.objects.filter(active=True, staff__is_active=True).select_related("staff"):
        out.setdefault((m.unit_id, m.role), []).append(m.staff)
    return out


def _offers(staff: dict[tuple[int, str], list[Staff]]) -> list[tuple[Unit, Procedure]]:
    """(receiving unit, procedure) pairs where every step has someone to do it."""
    offers = []
    procedures = Procedure.objects.filter(in_force()).prefetch_related(
        "units", "steps__responsible_unit"
    )
    for procedure in procedures:
        steps = list(procedure.steps.all())
        for unit in procedure.units.all():
            if not unit.active or (unit.pk, Role.RECEPTIONIST) not in staff:
                continue
            if (unit.pk, Role.LEADER) not in staff:
                continue
            if all((s.resolve_unit(unit).pk, s.role) in staff for s in steps):
                offers.append((unit, procedure))
    return offers


def _moment(world: _World, unit: Unit, procedure: Procedure) -> datetime:
    """A random moment of office hours in the past year while the procedure version is in force
    (weekends and lunch move on to the next opening, as a reception would)."""
    cal = world.cal(unit)
    since = datetime.combine(procedure.effective_from, time(8), tzinfo=cal.tz)
    first = max(world.now - timedelta(days=365), since)
    days = max((world.now - first).total_seconds() / 86400 - 1, 0)
    for _ in range(100):
        day = (first + timedelta(days=world.rng.uniform(0, days))).astimezone(cal.tz)
        at = day.replace(hour=8, minute=0, second=0, microsecond=0)
        at += timedelta(minutes=world.rng.randrange(0, 510))
        effective = cal.effective_reception(at)
        if since <= at and effective < world.now - timedelta(hours=1):
            return effective
    raise _Stop


def _start_of(procedure: Procedure, at: datetime) -> datetime:
    return datetime.combine(procedure.effective_from, time(0), tzinfo=at.tzinfo)


def _papers(procedure: Procedure) -> list[services.DocumentData]:
    """Every paper of the procedure's list, as a complete dossier hands them in."""
    return [services.DocumentData(d.name, d.copies or 1) for d in procedure.documents.all()]


def _applicant(rng: random.Random) -> services.ApplicantData:
    name = f"{rng.choice(_FAMILY)} {rng.choice(_MIDDLE)} {rng.choice(_GIVEN)}"
    return services.ApplicantData(
        name=name,
        id_number=f"0{rng.randrange(1, 96):02d}{rng.randrange(0, 10**9):09d}",
        phone=f"09{rng.randrange(10**7, 10**8)}",
        address=f"Số {rng.randrange(1, 200)} phố {rng.choice(_STREETS)}, Hà Nội",
    )


def _actor(world: _World, step: DossierStep) -> Staff:
    return step.assignee or world.who(step.unit, step.role)


def _leader(world: _World, dossier: Dossier, step: DossierStep) -> Staff:
    if (step.unit.pk, Role.LEADER) in world.staff:
        return world.who(step.unit, Role.LEADER)
    return world.who(dossier.unit, Role.LEADER)


def _open_step(dossier: Dossier) -> DossierStep | None:
    return (
        dossier.steps.filter(status__in=[StepStatus.ACTIVE, StepStatus.PAUSED], counted=True)
        .select_related("unit", "assignee")
        .order_by("order")
        .first()
    )


#: A one-page PDF, the demo's stand-in for a citizen's scan.
DEMO_PDF = (
    b"%PDF-1.3\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<\n/Producer (pypdf)\n>>\nendobj\n2 0 obj\n<<\n/Type /Pages\n"
    b"/Count 1\n/Kids [ 4 0 R ]\n>>\nendobj\n3 0 obj\n<<\n/Type /Catalog\n/Pages 2 0 R\n>>\nendobj\n"
    b"4 0 obj\n<<\n/Type /Page\n/Resources <<\n>>\n/MediaBox [ 0.0 0.0 100 100 ]\n/Parent 2 0 R\n>>\n"
    b"endobj\nxref\n0 5\n0000000000 65535 f \n0000000015 00000 n \n0000000054 00000 n \n"
    b"0000000113 00000 n \n0000000162 00000 n \ntrailer\n<<\n/Size 5\n/Root 3 0 R\n/Info 1 0 R\n>>\n"
    b"startxref\n256\n%%EOF\n"
)


def _attach_scans(dossier: Dossier, procedure: Procedure) -> None:
    """An online demo dossier carries a file for each mandatory paper, as the portal stores."""
    for paper in procedure.documents.all():
        if paper.mandatory:
            add_document(
                dossier_id=dossier.pk,
                data=DEMO_PDF,
                name=f"giay-to-{paper.pk}.pdf",
                kind="submitted",
                source="online",
                paper_id=paper.pk,
            )


def _play(
    world: _World, unit: Unit, procedure: Procedure, report: HistoryReport, made: list[int]
) -> None:
    rng = world.rng
    at = _moment(world, unit, procedure)
    group = procedure.green_lane_group or (
        rng.choice(GreenLaneGroup.values) if rng.random() < 0.06 else ""
    )
    online = procedure.online_mode != Procedure.OnlineMode.NONE and rng.random() < 0.35
    desk = world.who(unit, Role.RECEPTIONIST)
    if online:
        submitted = max(at - timedelta(hours=rng.uniform(0, 14)), _start_of(procedure, at))
        created = services.submit_online(
            procedure_code=procedure.code,
            unit_code=unit.code,
            applicant=_applicant(rng),
            green_lane_group=group,
            documents=_papers(procedure),
            now=submitted,
        )
        dossier = created.dossier
        made.append(dossier.pk)
        _attach_scans(dossier, procedure)
        at = world.later(unit, max(at, submitted), rng.uniform(0.2, 3))
        if rng.random() < 0.04:
            services.refuse_dossier(
                dossier_id=dossier.pk,
                actor=desk,
                reason="Thủ tục không thuộc thẩm quyền giải quyết của đơn vị",
                now=at,
            )
            return
        dossier = services.accept_dossier(dossier_id=dossier.pk, actor=desk, now=at)
    else:
        channel = "postal" if rng.random() < 0.1 else "counter"
        dossier = services.receive_dossier(
            actor=desk,
            procedure_code=procedure.code,
            unit_code=unit.code,
            applicant=_applicant(rng),
            channel=channel,
            green_lane_group=group,
            documents=_papers(procedure),
            now=at,
        ).dossier
        made.append(dossier.pk)
    report.green_lane += bool(group)
    profile = rng.choices(PROFILES, WEIGHTS)[0]
    steps = list(dossier.steps.filter(counted=True).order_by("order"))
    late_at = rng.randrange(len(steps)) if steps else 0
    pause_at = rng.randrange(len(steps)) if steps else 0
    for index in range(len(steps)):
        step = _open_step(dossier)
        if step is None:
            break
        budget = float(step.duration_working_hours)
        if profile == "stopped" and index == 1:
            services.stop_dossier(
                dossier_id=dossier.pk,
                actor=desk,
                reason="Người nộp hồ sơ đề nghị rút hồ sơ",
                now=world.later(unit, at, rng.uniform(1, 6)),
            )
            return
        if profile == "not_eligible" and index == len(steps) - 1:
            services.refuse_dossier(
                dossier_id=dossier.pk,
                actor=desk,
                reason="Hồ sơ không đủ điều kiện giải quyết theo quy định",
                now=world.later(unit, at, rng.uniform(0.5, 4)),
            )
            return
        if step.role == Role.SPECIALIST and (step.unit.pk, Role.HEAD) in world.staff:
            services.assign_step(
                dossier_id=dossier.pk,
                actor=world.who(step.unit, Role.HEAD),
                assignee=world.who(step.unit, Role.SPECIALIST).username,
                now=at,
            )
            step.refresh_from_db()
        factor = {"fast": rng.uniform(0.1, 0.5), "normal": rng.uniform(0.4, 1.0)}.get(
            profile, rng.uniform(0.3, 0.95)
        )
        if (profile == "late_step" and index == late_at) or profile == "late_dossier":
            factor = rng.uniform(1.3, 3.5)
        if profile == "supplement" and index == pause_at:
            asked = world.later(step.unit, at, budget * rng.uniform(0.1, 0.5))
            services.request_supplement(
                dossier_id=dossier.pk,
                actor=_actor(world, step),
                items=[rng.choice(_SUPPLEMENTS)],
                note="Đề nghị bổ sung để đủ căn cứ giải quyết",
                now=asked,
            )
            report.supplements += 1
            at = world.later(unit, asked, rng.uniform(4, 60))
            services.receive_supplement(dossier_id=dossier.pk, actor=desk, now=at)
            step.refresh_from_db()
        done = world.later(step.unit, at, budget * factor)
        if step.due_at is not None and done > step.due_at:
            dossier.refresh_from_db()
            extend = dossier.due_at is not None and done > dossier.due_at
            new_due = None
            if extend and not dossier.extension_used:
                new_due = world.cal(unit).add_working_days(done, rng.randrange(2, 6))
            apology = services.draft_apology(
                dossier_id=dossier.pk,
                actor=_actor(world, step),
                reason=rng.choice(_DELAYS),
                explanation="Cán bộ thụ lý đã giải trình với lãnh đạo đơn vị",
                new_due_at=new_due,
                now=done,
            )
            services.sign_apology(
                apology_id=apology.pk, actor=_leader(world, dossier, step), now=done
            )
            report.apologies += 1
        services.complete_step(step_id=step.pk, actor=_actor(world, step), now=done)
        at = done
    dossier.refresh_from_db()
    if dossier.status == "ready" and rng.random() < 0.9:
        services.return_to_applicant(
            dossier_id=dossier.pk, actor=desk, now=world.later(unit, at, rng.uniform(0.5, 24))
        )


def generate_history(
    n: int,
    *,
    now: datetime | None = None,
    seed: int = 2026,
    stream: TextIO | None = None,
    units: Sequence[Unit] | None = None,
) -> HistoryReport:
    """Make ``n`` dossiers of the past year through the services; see the module docstring."""
    report = HistoryReport()
    if n <= 0:
        return report
    world = _World(now=now or timezone.now(), rng=random.Random(seed), staff=_staff_map())
    offers = _offers(world.staff)
    if units is not None:
        wanted = {u.pk for u in units}
        offers = [o for o in offers if o[0].pk in wanted]
    if not offers:
        raise DomainError(
            "Chưa có thủ tục nào đủ người thực hiện; hãy nạp thành phố mẫu trước (motcua demo)."
        )
    made: list[int] = []
    for _ in progress(range(n), total=n, label="Hồ sơ", stream=stream):
        unit, procedure = world.rng.choice(offers)
        mine: list[int] = []
        try:
            with transaction.atomic():
                try:
                    _play(world, unit, procedure, report, mine)
                except _Stop:
                    pass  # the rest of its life is in the future
        except (DomainError, CalendarError) as exc:
            report.skipped[f"{type(exc).__name__}: {exc}"] += 1
            continue
        made.extend(mine)
    for status, timeliness in Dossier.objects.filter(pk__in=made).values_list(
        "status", "timeliness"
    ):
        report.statuses[status] += 1
        if timeliness:
            report.timeliness[timeliness] += 1
    return report
