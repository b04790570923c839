"""What the database itself guarantees about the calendar tables."""

from __future__ import annotations

from datetime import date, time

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from motcua.workdays.models import (
    CalendarException,
    CalendarRevision,
    OfficeHours,
    OfficeSession,
)

pytestmark = pytest.mark.django_db


def test_the_migrations_leave_the_revision_row_that_every_write_renews(db):
    assert CalendarRevision.objects.filter(pk=1).exists()


def test_a_date_has_at_most_one_exception(db):
    CalendarException.objects.create(
        on=date(2026, 3, 3), kind="HOLIDAY", name="Nghỉ", legal_reference="QĐ 1"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        CalendarException.objects.create(
            on=date(2026, 3, 3), kind="MAKEUP_WORKDAY", name="Làm", legal_reference="QĐ 2"
        )


def test_a_unit_has_at_most_one_set_of_office_hours(office):
    OfficeHours.objects.create(unit=office.ward)
    with pytest.raises(IntegrityError), transaction.atomic():
        OfficeHours.objects.create(unit=office.ward)


def test_there_is_at_most_one_system_default(db):
    OfficeHours.objects.create(unit=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        OfficeHours.objects.create(unit=None)


def test_a_second_system_default_is_refused_by_the_form_check_in_vietnamese(db):
    OfficeHours.objects.create(unit=None)
    with pytest.raises(ValidationError, match="đã có giờ làm việc"):
        OfficeHours(unit=None).validate_constraints()


def test_a_session_must_start_before_it_ends(db):
    hours = OfficeHours.objects.create(unit=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        OfficeSession.objects.create(hours=hours, weekday=0, starts_at=time(12), ends_at=time(8))


def test_a_session_is_on_a_day_of_the_week(db):
    hours = OfficeHours.objects.create(unit=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        OfficeSession.objects.create(hours=hours, weekday=7, starts_at=time(8), ends_at=time(12))


def test_rows_read_as_vietnamese_sentences(office):
    holiday = CalendarException(
        on=date(2026, 1, 2), kind="SWAP_OFF", name="Nghỉ bù", legal_reference="CV"
    )
    assert str(holiday) == "02/01/2026 — Nghỉ bù"
    assert not holiday.working
    hours = OfficeHours.objects.create(unit=office.ward)
    assert "Phường Hoàn Kiếm Thử" in str(hours)
    assert str(OfficeHours(unit=None)) == "Giờ làm việc mặc định của hệ thống"
    session = OfficeSession(hours=hours, weekday=5, starts_at=time(7, 30), ends_at=time(11, 30))
    assert str(session) == "Thứ Bảy 07:30–11:30"
