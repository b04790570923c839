"""The working-time calendar (API.md, "Working-time calendar"; DOMAIN §6, §8; D1–D5). Public."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field as PydanticField

from motcua.api.problems import Problem
from motcua.core.errors import InvalidInput
from motcua.org.models import Unit
from motcua.workdays.models import FIRST_YEAR, LAST_YEAR
from motcua.workdays.rules import (
    CalendarError,
    NaiveDatetimeError,
    NegativeDurationError,
    OutOfRangeError,
)
from motcua.workdays.selectors import compute_deadline, in_calendar_years, list_days

router = Router(tags=["calendar"])

MAX_DAYS_PER_REQUEST = 366
# Beyond these the due falls after the last year of the calendar anyway.
MAX_WORKING_DAYS = Decimal(4_000)
MAX_WORKING_HOURS = MAX_WORKING_DAYS * 8

# A "+07:00" offset sent unencoded in a query string arrives as " 07:00".
_SPACE_FOR_PLUS = re.compile(r"^(.*[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?) (\d{2}(?::?\d{2})?)$")


class DaysQuery(Schema):
    from_: date = PydanticField(..., alias="from", description="first date, included (YYYY-MM-DD)")
    to: date = PydanticField(..., description="last date, included; at most 366 days in all")
    unit: str | None = PydanticField(
        None, max_length=40, description="unit code; empty: the system calendar"
    )


class DayOut(Schema):
    date: date
    working: bool
    kind: Literal["working", "weekend", "holiday", "swap_off", "makeup_workday"]
    name: str
    source: str


class DaysOut(Schema):
    items: list[DayOut]


class DeadlineQuery(Schema):
    received_at: str = PydanticField(
        ...,
        max_length=64,
        description="ISO 8601 with an offset, e.g. 2026-01-16T10:00:00+07:00 (encode + as %2B)",
        examples=["2026-01-16T10:00:00+07:00"],
    )
    working_days: Decimal | None = PydanticField(
        None, description="number of working days (mode=hour: 8 working hours each)"
    )
    working_hours: Decimal | None = PydanticField(
        None, description="number of working hours, instead of working_days (mode=hour)"
    )
    mode: Literal["day", "hour"] | None = PydanticField(
        None, description="day (default with working_days) or hour (default with working_hours)"
    )
    unit: str | None = PydanticField(None, max_length=40, description="unit code")
    channel: Literal["counter", "online", "postal"] = "counter"
    cutoff: time | None = PydanticField(
        None,
        description="the procedure's cut-off, e.g. 15:00: a later reception counts from "
        "the next working day",
    )


class DeadlineOut(Schema):
    received_at: datetime
    effective_received_at: datetime
    due_at: datetime
    mode: Literal["day", "hour"]
    explanation: list[str]


def _unit(code: str | None) -> Unit | None:
    if not code:
        return None
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        raise InvalidInput(
            _("Không có đơn vị mã %(code)s; xem danh sách tại /api/v1/units.") % {"code": code},
            code="unknown_unit",
            field="unit",
        )
    return unit


def _out_of_years(field: str) -> InvalidInput:
    return InvalidInput(
        _("Lịch làm việc chỉ có các năm %(first)s–%(last)s; hãy dùng thời điểm trong khoảng này.")
        % {"first": FIRST_YEAR, "last": LAST_YEAR},
        code="out_of_range",
        field=field,
    )


def _parse_instant(text: str) -> datetime:
    text = text.strip()
    text = _SPACE_FOR_PLUS.sub(r"\1+\2", text)
    try:
        at = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            _(
                "received_at không đúng định dạng ISO 8601 có múi giờ, ví dụ "
                "2026-01-16T10:00:00+07:00 (trong địa chỉ, dấu + cần được mã hoá)."
            ),
            field="received_at",
        ) from None
    if at.tzinfo is None or at.utcoffset() is None:
        raise InvalidInput(
            _(
                "received_at phải có múi giờ, ví dụ 2026-01-16T10:00:00+07:00; thời điểm không có "
                "múi giờ không được chấp nhận."
            ),
            code="naive_datetime",
            field="received_at",
        )
    return at


def _calendar_error(exc: CalendarError, duration_field: str) -> InvalidInput:
    if isinstance(exc, OutOfRangeError):
        # The engine's sentence names the instant in English; say it plainly instead.
        return InvalidInput(
            _(
                "Hạn giải quyết rơi ra ngoài lịch làm việc (các năm %(first)s–%(last)s); hãy kiểm "
                "tra thời hạn và thời điểm tiếp nhận."
            )
            % {"first": FIRST_YEAR, "last": LAST_YEAR},
            code="out_of_range",
            field=duration_field,
        )
    if isinstance(exc, NegativeDurationError):
        return InvalidInput(exc.message_vi, code="negative_duration", field=duration_field)
    if isinstance(exc, NaiveDatetimeError):
        return InvalidInput(exc.message_vi, code="naive_datetime", field="received_at")
    return InvalidInput(exc.message_vi, code="calendar_error", field=duration_field)


@router.get(
    "/days",
    response={200: DaysOut, 422: Problem},
    auth=None,
    summary="Working and non-working days of a date range",
)
def days(request: HttpRequest, query: Query[DaysQuery]) -> DaysOut:
    unit = _unit(query.unit)
    if query.to < query.from_:
        raise InvalidInput(_("Ngày cuối (to) phải từ ngày đầu (from) trở đi."), field="to")
    if (query.to - query.from_).days + 1 > MAX_DAYS_PER_REQUEST:
        raise InvalidInput(
            _("Mỗi lần xem tối đa %(n)s ngày; hãy chia khoảng ngày nhỏ hơn.")
            % {"n": MAX_DAYS_PER_REQUEST},
            code="range_too_long",
            field="to",
        )
    for field, value in (("from", query.from_), ("to", query.to)):
        if not in_calendar_years(value):
            raise _out_of_years(field)
    return DaysOut(
        items=[
            DayOut(date=d.on, working=d.working, kind=d.kind, name=d.name, source=d.source)
            for d in list_days(first=query.from_, last=query.to, unit=unit)
        ]
    )


@router.get(
    "/deadline",
    response={200: DeadlineOut, 422: Problem},
    auth=None,
    summary="The due of a dossier received at a given instant (D1–D5)",
)
def deadline(request: HttpRequest, query: Query[DeadlineQuery]) -> DeadlineOut:
    received_at = _parse_instant(query.received_at)
    if not in_calendar_years(received_at.date()) or not in_calendar_years(
        received_at.astimezone(timezone.get_default_timezone()).date()
    ):
        raise _out_of_years("received_at")
    unit = _unit(query.unit)
    if query.cutoff is not None and query.cutoff.tzinfo is not None:
        raise InvalidInput(
            _("Giờ chốt (cutoff) là giờ địa phương không kèm múi giờ, ví dụ 15:00."),
            field="cutoff",
        )
    duration_field = "working_days" if query.working_days is not None else "working_hours"
    for value, limit in (
        (query.working_days, MAX_WORKING_DAYS),
        (query.working_hours, MAX_WORKING_HOURS),
    ):
        if value is not None and value > limit:
            raise _calendar_error(OutOfRangeError("", ""), duration_field)
        if value is not None and value < -limit:  # refused before any arithmetic on it
            raise _calendar_error(
                NegativeDurationError("", _("Thời hạn không được âm; hãy nhập từ 0 trở lên.")),
                duration_field,
            )
    try:
        answer = compute_deadline(
            received_at=received_at,
            unit=unit,
            mode=query.mode,
            working_days=query.working_days,
            working_hours=query.working_hours,
            cutoff=query.cutoff,
            channel=query.channel,
        )
    except CalendarError as exc:
        raise _calendar_error(exc, duration_field) from None
    return DeadlineOut(
        received_at=answer.received_at,
        effective_received_at=answer.effective_received_at,
        due_at=answer.due_at,
        mode=answer.mode,
        explanation=answer.explanation,
    )
