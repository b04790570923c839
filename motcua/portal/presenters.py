"""What the citizen's pages show, as plain values: no model reaches a template that could leak
a field (the look-up's template receives a :class:`PublicDossier`, never a Dossier)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from motcua.catalog.models import GreenLaneGroup, Procedure
from motcua.catalog.selectors import accepts_online
from motcua.core.text import fold as core_fold
from motcua.dossiers.models import (
    Dossier,
    DossierStep,
    Outcome,
    Status,
    StepStatus,
    SupplementRequest,
    Timeliness,
)
from motcua.dossiers.policy import may_be_rated
from motcua.dossiers.rules import mask_name


# ------------------------------------------------------------------------------------ numbers
def number(value: Decimal | int) -> str:
    """3, 0,5 (Vietnamese decimal comma; a point in English)."""
    text = f"{Decimal(value).normalize():f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",") if get_language() != "en" else text


def money(amount: int) -> str:
    """50.000 đồng / 50,000 VND."""
    if get_language() == "en":
        return f"{amount:,} VND"
    return f"{amount:,}".replace(",", ".") + " đồng"


def fold(text: str) -> str:
    """Lower case without diacritics, so that "dang ky khai sinh" finds "Đăng ký khai sinh"
    (the one rule of `motcua.core.text.fold`)."""
    return core_fold(text)


def _count(value: Decimal) -> int:
    """The number ngettext chooses the form by (a fraction takes the plural, as 0,5 days)."""
    return int(value) if value == value.to_integral_value() else 2


def working_hours(hours: Decimal) -> str:
    return ngettext("%(n)s giờ làm việc", "%(n)s giờ làm việc", _count(hours)) % {
        "n": number(hours)
    }


def working_days(days: Decimal) -> str:
    return ngettext("%(n)s ngày làm việc", "%(n)s ngày làm việc", _count(days)) % {
        "n": number(days)
    }


def legal_time(p: Procedure) -> str:
    if p.legal_working_hours is not None:
        return working_hours(p.legal_working_hours)
    days = p.legal_working_days or Decimal(0)
    if days == 0:
        return _("Trả kết quả trong ngày")
    return working_days(days)


def fee_text(p: Procedure) -> str:
    if not p.fee:
        return _("Không mất phí, lệ phí")
    return money(p.fee)


def online_explanation(p: Procedure) -> str:
    if p.online_mode == Procedure.OnlineMode.FULL:
        return _(
            "Nộp hồ sơ, theo dõi và nhận thông báo kết quả trực tuyến, không phải đến Bộ phận "
            "Một cửa để nộp giấy tờ."
        )
    if p.online_mode == Procedure.OnlineMode.PARTIAL:
        return _(
            "Nộp hồ sơ và theo dõi trực tuyến; nhận kết quả (và xuất trình bản chính nếu được "
            "yêu cầu) tại Bộ phận Một cửa."
        )
    return _(
        "Thủ tục này chưa nhận hồ sơ trực tuyến: hãy nộp trực tiếp hoặc qua dịch vụ bưu chính "
        "công ích tại một trong các đơn vị tiếp nhận dưới đây."
    )


def green_lane_note(p: Procedure) -> str:
    if not p.green_lane_group:
        return ""
    hours = p.green_lane_hours
    return _(
        "Thủ tục thuộc “làn xanh” (nhóm %(group)s) theo Văn bản 991/UBND-TH của UBND Thành phố "
        "Hà Nội: hồ sơ được ưu tiên xử lý, thời gian giải quyết mục tiêu là %(hours)s giờ làm "
        "việc (khoảng %(days)s ngày làm việc), ngắn hơn thời hạn theo quy định."
    ) % {
        "group": GreenLaneGroup(p.green_lane_group).label,
        "hours": number(hours),
        "days": number((hours / 8).quantize(Decimal("0.1"))),
    }


@dataclass(frozen=True)
class ProcedureRow:
    code: str
    name: str
    field_name: str
    time: str
    fee: str
    online: bool
    online_label: str
    green_lane: bool


def procedure_row(p: Procedure) -> ProcedureRow:
    return ProcedureRow(
        code=p.code,
        name=p.name,
        field_name=p.field.name,
        time=legal_time(p),
        fee=fee_text(p),
        online=accepts_online(p),
        online_label=str(Procedure.OnlineMode(p.online_mode).label),
        green_lane=bool(p.green_lane_group),
    )


# ------------------------------------------------------------------------------------ look-up
@dataclass(frozen=True)
class PublicStep:
    order: int
    name: str
    unit_name: str
    status: str
    status_label: str
    started_at: datetime | None
    finished_at: datetime | None
    current: bool


@dataclass(frozen=True)
class PublicApology:
    reason: str
    new_due_at: datetime | None
    signed_at: datetime | None


@dataclass(frozen=True)
class PublicSupplement:
    items: list[str]
    note: str
    requested_at: datetime
    answered_at: datetime | None
    paused_hours: str


@dataclass(frozen=True)
class PublicDossier:
    """Everything the look-up page may show. The applicant appears only as a masked name."""

    code: str
    procedure_code: str
    procedure_name: str
    unit_name: str
    unit_address: str
    status: str
    status_label: str
    outcome: str
    outcome_label: str
    submitted_at: datetime | None
    received_at: datetime | None
    due_at: datetime | None
    original_due_at: datetime | None
    ready_at: datetime | None
    returned_at: datetime | None
    paused_at: datetime | None
    timeliness_label: str
    masked_name: str
    steps: list[PublicStep]
    apologies: list[PublicApology]
    supplements: list[PublicSupplement]
    open_supplement: PublicSupplement | None
    paused_total: str
    clock: str
    next_action: str
    may_rate: bool = False
    rated: bool = False


def _hours_text(delta: timedelta) -> str:
    hours = Decimal(delta.total_seconds()) / Decimal(3600)
    return number(hours.quantize(Decimal("0.1")))


def _supplement(s: SupplementRequest) -> PublicSupplement:
    return PublicSupplement(
        items=[str(i) for i in (s.items or [])],
        note=s.note,
        requested_at=s.requested_at,
        answered_at=s.answered_at,
        paused_hours=_hours_text(s.paused_working) if s.paused_working else "",
    )


def _step(s: DossierStep, current_id: int | None) -> PublicStep:
    return PublicStep(
        order=s.order,
        name=s.name,
        unit_name=s.unit.name,
        status=s.status,
        status_label=str(StepStatus(s.status).label),
        started_at=s.started_at,
        finished_at=s.finished_at,
        current=s.pk == current_id,
    )


def _fmt(at: datetime | None) -> str:
    if at is None:
        return "—"
    return timezone.localtime(at).strftime("%H:%M %d/%m/%Y")


def _next_action(d: Dossier, open_supplement: SupplementRequest | None) -> str:
    unit = d.unit.name
    if open_supplement is not None:
        return _(
            "Hãy bổ sung các giấy tờ trong danh sách dưới đây (tải tệp lên ngay trên trang này). "
            "Thời gian giải quyết tạm dừng cho đến khi nhận được hồ sơ bổ sung."
        )
    if d.status == Status.SUBMITTED:
        return _(
            "Ông/bà chưa cần làm gì. Bộ phận Một cửa của %(unit)s sẽ kiểm tra hồ sơ trong giờ "
            "làm việc; khi hồ sơ được tiếp nhận, ngày hẹn trả kết quả sẽ hiện trên trang này."
        ) % {"unit": unit}
    if d.status in (Status.RECEIVED, Status.IN_PROGRESS):
        return _(
            "Ông/bà chưa cần làm gì. Hồ sơ đang được giải quyết; hẹn trả kết quả lúc %(due)s."
        ) % {"due": _fmt(d.due_at)}
    if d.status == Status.READY and d.outcome == Outcome.NOT_ELIGIBLE:
        return _(
            "Hồ sơ không đủ điều kiện giải quyết. Mời ông/bà nhận văn bản thông báo lý do tại Bộ "
            "phận Một cửa của %(unit)s (mang theo giấy tờ tùy thân và mã hồ sơ)."
        ) % {"unit": unit}
    if d.status == Status.READY:
        return _(
            "Đã có kết quả. Mời ông/bà nhận kết quả tại Bộ phận Một cửa của %(unit)s, mang theo "
            "giấy tờ tùy thân và mã hồ sơ (hoặc giấy ủy quyền nếu nhận thay)."
        ) % {"unit": unit}
    if d.status == Status.RETURNED:
        return _("Hồ sơ đã trả kết quả. Cảm ơn ông/bà đã sử dụng dịch vụ.")
    if d.status == Status.REFUSED:
        return _(
            "Hồ sơ không được tiếp nhận. Lý do được ghi trên Phiếu từ chối tiếp nhận; nếu cần giải "
            "thích thêm, hãy liên hệ đầu mối của %(unit)s (mục “Liên hệ, phản ánh”)."
        ) % {"unit": unit}
    return _("Hồ sơ đã dừng giải quyết theo đề nghị.")


def _clock(d: Dossier) -> str:
    if d.status == Status.AWAITING_SUPPLEMENT:
        if d.paused_at is not None:
            return _("Tạm dừng tính thời gian từ %(at)s, chờ ông/bà bổ sung hồ sơ.") % {
                "at": _fmt(d.paused_at)
            }
        return _("Chờ ông/bà bổ sung hồ sơ.")
    if d.status in (Status.RECEIVED, Status.IN_PROGRESS):
        if d.paused_working:
            return _(
                "Thời gian giải quyết đang được tính tiếp (đã tạm dừng %(h)s giờ làm việc chờ bổ "
                "sung; ngày hẹn đã lùi tương ứng)."
            ) % {"h": _hours_text(d.paused_working)}
        return _("Thời gian giải quyết đang được tính.")
    return ""


def public_dossier(
    d: Dossier, supplements: list[SupplementRequest], *, rated: bool = False
) -> PublicDossier:
    """The look-up's view of ``d`` (from ``get_public_dossier``): steps without officers, signed
    apologies, supplement requests, the masked applicant name and nothing else about them."""
    steps = list(d.steps.all())
    current = next((s for s in steps if s.status in (StepStatus.ACTIVE, StepStatus.PAUSED)), None)
    open_request = next(
        (s for s in supplements if s.answered_at is None)
        if d.status in (Status.SUBMITTED, Status.AWAITING_SUPPLEMENT)
        else iter(()),
        None,
    )
    return PublicDossier(
        code=d.code,
        procedure_code=d.procedure.code,
        procedure_name=d.procedure.name,
        unit_name=d.unit.name,
        unit_address=d.unit.address,
        status=d.status,
        status_label=str(Status(d.status).label),
        outcome=d.outcome,
        outcome_label=str(Outcome(d.outcome).label) if d.outcome else "",
        submitted_at=d.submitted_at,
        received_at=d.received_at,
        due_at=d.due_at,
        original_due_at=d.original_due_at,
        ready_at=d.ready_at,
        returned_at=d.returned_at,
        paused_at=d.paused_at,
        timeliness_label=str(Timeliness(d.timeliness).label) if d.timeliness else "",
        masked_name=mask_name(d.applicant.name),
        steps=[_step(s, current.pk if current else None) for s in steps],
        apologies=[
            PublicApology(reason=a.reason, new_due_at=a.new_due_at, signed_at=a.signed_at)
            for a in d.apologies.all()
        ],
        supplements=[_supplement(s) for s in supplements],
        open_supplement=_supplement(open_request) if open_request is not None else None,
        paused_total=_hours_text(d.paused_working) if d.paused_working else "",
        clock=_clock(d),
        next_action=_next_action(d, open_request),
        may_rate=may_be_rated(d.status) and not rated,
        rated=rated,
    )
