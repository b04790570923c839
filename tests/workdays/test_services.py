"""The merged calendar behind `calendar_for`, its cache, the calendar writes and the recomputers."""

from __future__ import annotations

from datetime import date, datetime, time
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from motcua.core.errors import InvalidInput
from motcua.workdays import services
from motcua.workdays.models import CalendarChange, CalendarException, CalendarRevision
from motcua.workdays.official import LIBRARY_SOURCE, build_calendar
from motcua.workdays.selectors import Origin
from motcua.workdays.services import (
    CalendarExceptionNotFound,
    DuplicateCalendarDay,
    add_calendar_exception,
    calendar_day_info,
    calendar_for,
    change_calendar_exception,
    office_hours_for,
    register_recomputer,
    remove_calendar_exception,
    set_office_hours,
    unregister_recomputer,
)
from tests.factories import make_unit

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
MON_FRI = {wd: [(time(8), time(12)), (time(13), time(17))] for wd in range(5)}
WITH_SATURDAY_MORNING = {**MON_FRI, 5: [(time(7, 30), time(11, 30))]}


def at(y: int, m: int, d: int, hh: int = 10, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=VN)


def a_holiday(actor, on=date(2026, 3, 3), **extra):
    fields = {
        "kind": "HOLIDAY",
        "name": "Nghỉ theo quyết định riêng",
        "legal_reference": "Quyết định 1/QĐ-UBND ngày 01/03/2026",
    }
    fields.update(extra)
    return add_calendar_exception(on=on, actor=actor, **fields)


@pytest.fixture
def calls():
    """A recomputer of the test itself: it records each call and reports 2 deadlines changed."""
    seen: list[dict] = []

    def recompute(change):
        seen.append(
            {
                "dates": change.dates,
                "unit_ids": change.unit_ids,
                "actor": change.actor,
                "reason": change.reason,
                "working_on_3_march": calendar_for().is_working_day(date(2026, 3, 3)),
            }
        )
        return 2

    register_recomputer(recompute)
    yield seen
    unregister_recomputer(recompute)


# ----------------------------------------------------------------------------- the merged calendar
def test_without_rows_the_system_calendar_is_exactly_the_shipped_one(db):
    shipped = build_calendar()
    ours = calendar_for()
    for year in range(2020, 2031):
        day = date(year, 1, 1)
        while day.year == year:
            assert ours.is_working_day(day) is shipped.is_working_day(day), day
            assert ours.reason(day) == shipped.reason(day), day
            assert ours.source(day) == shipped.source(day), day
            day = date.fromordinal(day.toordinal() + 1)


def test_an_administrators_day_off_wins_over_the_library(office):
    assert calendar_for().is_working_day(date(2026, 3, 3))
    a_holiday(office.leader)
    assert not calendar_for().is_working_day(date(2026, 3, 3))
    assert calendar_for().reason(date(2026, 3, 3)) == "Nghỉ theo quyết định riêng"
    info = calendar_day_info()[date(2026, 3, 3)]
    assert info.origin is Origin.ADMIN and "1/QĐ-UBND" in info.source


def test_an_administrators_row_wins_over_the_shipped_official_decision(office):
    # Friday 2 January 2026 ships as a swapped day off; an administrator can overrule it.
    assert not calendar_for().is_working_day(date(2026, 1, 2))
    a_holiday(
        office.leader,
        on=date(2026, 1, 2),
        kind="MAKEUP_WORKDAY",
        name="Làm việc bình thường",
        legal_reference="Công văn thử nghiệm",
    )
    assert calendar_for().is_working_day(date(2026, 1, 2))
    assert calendar_day_info()[date(2026, 1, 2)].origin is Origin.ADMIN


def test_a_make_up_row_makes_a_library_holiday_a_working_day(office):
    assert not calendar_for().is_working_day(date(2026, 2, 17))
    a_holiday(office.leader, on=date(2026, 2, 17), kind="MAKEUP_WORKDAY")
    assert calendar_for().is_working_day(date(2026, 2, 17))


def test_removing_a_row_gives_the_day_back_to_the_shipped_data(office):
    row = a_holiday(office.leader, on=date(2026, 1, 2), kind="MAKEUP_WORKDAY")
    remove_calendar_exception(exception_id=row.pk, actor=office.leader)
    assert not calendar_for().is_working_day(date(2026, 1, 2))
    assert calendar_day_info()[date(2026, 1, 2)].origin is Origin.OFFICIAL


def test_library_days_keep_the_library_as_their_source(db):
    assert calendar_for().source(date(2026, 2, 17)) == LIBRARY_SOURCE
    assert calendar_day_info()[date(2026, 2, 17)].origin is Origin.LIBRARY


# ------------------------------------------------------------------------------------ office hours
def test_a_unit_without_hours_of_its_own_works_the_default_d1_hours(office):
    hours = office_hours_for(office.ward)
    assert hours.builtin and hours.owner is None
    periods = calendar_for(office.ward).working_periods(date(2026, 1, 19))
    assert [(a.time(), b.time()) for a, b in periods] == [(time(8), time(12)), (time(13), time(17))]


def test_a_ward_uses_its_own_hours_then_its_parents_then_the_system_default(office):
    set_office_hours(unit=None, sessions={wd: [(time(7), time(11))] for wd in range(5)}, actor=None)
    assert calendar_for(office.ward).working_periods(date(2026, 1, 19))[0][0].time() == time(7)

    set_office_hours(unit=office.city, sessions=MON_FRI, actor=office.leader)
    assert office_hours_for(office.ward).owner == office.city
    assert calendar_for(office.ward).working_periods(date(2026, 1, 19))[0][0].time() == time(8)

    set_office_hours(unit=office.ward, sessions=WITH_SATURDAY_MORNING, actor=office.leader)
    assert office_hours_for(office.ward).owner == office.ward
    assert calendar_for(office.ward).is_working_day(date(2026, 1, 17))  # a Saturday
    assert not calendar_for(office.other_ward).is_working_day(date(2026, 1, 17))

    set_office_hours(unit=office.ward, sessions=None, actor=office.leader)
    assert office_hours_for(office.ward).owner == office.city


def test_a_grandchild_inherits_from_its_nearest_ancestor(office):
    division = make_unit(code="TP.01.TN", kind="division", parent=office.ward)
    set_office_hours(unit=office.ward, sessions=WITH_SATURDAY_MORNING, actor=office.leader)
    assert office_hours_for(division).owner == office.ward
    assert calendar_for(division) is calendar_for(office.ward)


def test_units_with_the_same_hours_share_one_calendar(office):
    assert calendar_for(office.ward) is calendar_for(office.other_ward) is calendar_for()


def test_a_make_up_saturday_uses_monday_hours_in_a_unit_without_saturday_hours(office):
    set_office_hours(
        unit=office.ward,
        sessions={wd: [(time(7, 30), time(11, 30)), (time(13), time(16, 30))] for wd in range(5)},
        actor=office.leader,
    )
    periods = calendar_for(office.ward).working_periods(date(2026, 1, 10))
    assert [(a.time(), b.time()) for a, b in periods] == [
        (time(7, 30), time(11, 30)),
        (time(13), time(16, 30)),
    ]


@pytest.mark.parametrize(
    ("sessions", "words"),
    [
        ({0: [(time(12), time(8))]}, "phải trước giờ kết thúc"),
        ({0: [(time(8), time(12)), (time(11), time(17))]}, "chồng lên"),
        ({}, "ít nhất một ca"),
        ({7: [(time(8), time(12))]}, "không hợp lệ"),
    ],
)
def test_impossible_office_hours_are_refused_in_vietnamese(office, sessions, words):
    with pytest.raises(InvalidInput) as refused:
        set_office_hours(unit=office.ward, sessions=sessions, actor=office.leader)
    assert words in refused.value.message
    assert not CalendarChange.objects.exists()


# ------------------------------------------------------------------------------- cache and revision
def test_the_calendar_is_built_once_and_each_later_call_costs_one_small_query(
    office, django_assert_num_queries
):
    first = calendar_for(office.ward)
    with django_assert_num_queries(1):
        again = calendar_for(office.ward)
    assert again is first


def test_a_change_made_by_another_process_is_seen_on_the_next_call(office):
    assert calendar_for().is_working_day(date(2026, 3, 3))
    # Another gunicorn worker writes the row and renews the token; this process's cache is stale.
    CalendarException.objects.create(
        on=date(2026, 3, 3), kind="HOLIDAY", name="Nghỉ", legal_reference="QĐ khác"
    )
    CalendarRevision.objects.filter(pk=1).update(token="written-elsewhere", number=7)
    assert not calendar_for().is_working_day(date(2026, 3, 3))


def test_a_calendar_built_inside_a_rolled_back_change_is_never_reused(office):
    with pytest.raises(RuntimeError), transaction.atomic():
        a_holiday(office.leader)
        assert not calendar_for().is_working_day(date(2026, 3, 3))
        raise RuntimeError("the administrator's transaction fails")
    assert calendar_for().is_working_day(date(2026, 3, 3))


def test_every_write_renews_the_revision(office):
    start = CalendarRevision.objects.get(pk=1)
    a_holiday(office.leader)
    after = CalendarRevision.objects.get(pk=1)
    assert after.number == start.number + 1 and after.token != start.token


def test_forget_calendars_rebuilds_after_rows_written_by_hand(office):
    calendar_for()
    CalendarException.objects.create(
        on=date(2026, 3, 4), kind="HOLIDAY", name="Nghỉ", legal_reference="QĐ"
    )
    services.forget_calendars()
    assert not calendar_for().is_working_day(date(2026, 3, 4))


def test_the_calendar_still_answers_when_the_revision_row_is_missing(office):
    CalendarRevision.objects.all().delete()
    assert calendar_for().is_working_day(date(2026, 3, 3))
    a_holiday(office.leader)
    assert not calendar_for().is_working_day(date(2026, 3, 3))


# ------------------------------------------------------------------------------- writes and audit
def test_adding_a_day_off_records_who_what_and_the_after_state(office, calls):
    a_holiday(office.leader)
    change = CalendarChange.objects.get()
    assert change.what == CalendarChange.What.EXCEPTION_ADDED
    assert change.actor == office.leader and change.actor_name == office.leader.full_name
    assert change.before is None
    assert change.after["on"] == "2026-03-03" and change.after["kind"] == "HOLIDAY"
    assert "03/03/2026" in change.subject
    assert change.deadlines_recomputed == 2


def test_changing_a_row_keeps_before_and_after(office, calls):
    row = a_holiday(office.leader)
    change_calendar_exception(exception_id=row.pk, actor=office.head, on=date(2026, 3, 5))
    change = CalendarChange.objects.order_by("-pk").first()
    assert change.what == CalendarChange.What.EXCEPTION_CHANGED
    assert change.before["on"] == "2026-03-03" and change.after["on"] == "2026-03-05"
    row.refresh_from_db()
    assert row.updated_by == office.head and row.created_by == office.leader


def test_a_change_that_changes_nothing_writes_nothing(office, calls):
    row = a_holiday(office.leader)
    change_calendar_exception(exception_id=row.pk, actor=office.leader, name=row.name)
    assert CalendarChange.objects.count() == 1 and len(calls) == 1


def test_a_second_row_for_the_same_date_is_refused_with_the_existing_name(office):
    a_holiday(office.leader)
    with pytest.raises(DuplicateCalendarDay) as refused:
        a_holiday(office.leader, name="Lần hai")
    assert "đã có ngoại lệ “Nghỉ theo quyết định riêng”" in refused.value.message


def test_moving_a_row_onto_a_taken_date_is_refused(office):
    a_holiday(office.leader)
    other = a_holiday(office.leader, on=date(2026, 3, 4))
    with pytest.raises(DuplicateCalendarDay):
        change_calendar_exception(exception_id=other.pk, actor=office.leader, on=date(2026, 3, 3))


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"on": date(2031, 1, 2)}, "on"),
        ({"on": date(2019, 12, 31)}, "on"),
        ({"kind": "HOLIDAYS"}, "kind"),
        ({"name": "  "}, "name"),
        ({"legal_reference": ""}, "legal_reference"),
    ],
)
def test_a_row_outside_the_calendar_or_without_name_or_basis_is_refused(office, fields, field):
    with pytest.raises(InvalidInput) as refused:
        a_holiday(office.leader, **fields)
    assert refused.value.field == field
    assert not CalendarException.objects.exists()


def test_changing_or_removing_a_missing_row_is_a_404(office):
    with pytest.raises(CalendarExceptionNotFound):
        change_calendar_exception(exception_id=999_999, actor=office.leader, name="x")
    with pytest.raises(CalendarExceptionNotFound):
        remove_calendar_exception(exception_id=999_999, actor=office.leader)


def test_setting_office_hours_records_before_and_after(office):
    set_office_hours(unit=office.ward, sessions=MON_FRI, actor=office.leader)
    set_office_hours(unit=office.ward, sessions=WITH_SATURDAY_MORNING, actor=office.leader)
    change = CalendarChange.objects.order_by("-pk").first()
    assert change.what == CalendarChange.What.OFFICE_HOURS_SET and change.unit == office.ward
    assert [0, "08:00", "12:00"] in change.before["sessions"]
    assert [5, "07:30", "11:30"] in change.after["sessions"]
    assert [5, "07:30", "11:30"] not in change.before["sessions"]


def test_setting_the_same_hours_again_writes_nothing(office):
    set_office_hours(unit=office.ward, sessions=MON_FRI, actor=office.leader)
    set_office_hours(unit=office.ward, sessions=MON_FRI, actor=office.leader)
    assert CalendarChange.objects.count() == 1


# ----------------------------------------------------------------------------------- recomputers
def test_a_calendar_change_calls_every_recomputer_with_the_changed_date(office, calls):
    a_holiday(office.leader)
    assert calls == [
        {
            "dates": {date(2026, 3, 3)},
            "unit_ids": None,
            "actor": office.leader,
            "reason": calls[0]["reason"],
            "working_on_3_march": False,  # the recomputer already sees the new calendar
        }
    ]
    assert "03/03/2026" in calls[0]["reason"]


def test_moving_a_row_recomputes_around_both_dates_and_renaming_recomputes_nothing(office, calls):
    row = a_holiday(office.leader)
    change_calendar_exception(exception_id=row.pk, actor=office.leader, on=date(2026, 3, 6))
    assert calls[-1]["dates"] == {date(2026, 3, 3), date(2026, 3, 6)}
    change_calendar_exception(exception_id=row.pk, actor=office.leader, name="Tên mới")
    assert len(calls) == 2
    assert CalendarChange.objects.order_by("-pk").first().deadlines_recomputed == 0


def test_office_hours_of_a_ward_recompute_the_ward_and_the_units_that_inherit_them(office, calls):
    division = make_unit(code="TP.01.A", kind="division", parent=office.ward)
    own = make_unit(code="TP.01.B", kind="division", parent=office.ward)
    set_office_hours(unit=own, sessions=MON_FRI, actor=office.leader)
    set_office_hours(unit=office.ward, sessions=WITH_SATURDAY_MORNING, actor=office.leader)
    assert calls[-1]["dates"] is None
    assert calls[-1]["unit_ids"] == {office.ward.pk, division.pk}


def test_system_hours_recompute_every_unit_that_follows_them(office, calls):
    set_office_hours(unit=None, sessions=MON_FRI, actor=None)
    assert calls[-1]["unit_ids"] is None  # no unit has hours of its own: all of them
    set_office_hours(unit=office.ward, sessions=MON_FRI, actor=None)
    set_office_hours(unit=None, sessions=WITH_SATURDAY_MORNING, actor=None)
    assert calls[-1]["unit_ids"] == {office.city.pk, office.other_ward.pk}


def test_a_failing_recomputer_rolls_the_calendar_change_back(office):
    def broken(change):
        raise RuntimeError("the dossier engine failed")

    register_recomputer(broken)
    try:
        with pytest.raises(RuntimeError):
            a_holiday(office.leader)
    finally:
        unregister_recomputer(broken)
    assert not CalendarException.objects.exists() and not CalendarChange.objects.exists()
    assert calendar_for().is_working_day(date(2026, 3, 3))


def test_a_recomputer_registered_twice_is_called_once(office, calls):
    register_recomputer(services.registered_recomputers()[-1])
    a_holiday(office.leader)
    assert len(calls) == 1


# ------------------------------------------------------------------------- the management command
def test_the_command_recomputes_a_unit_and_its_subtree_over_a_date_range(office, calls):
    division = make_unit(code="TP.01.C", kind="division", parent=office.ward)
    out = StringIO()
    call_command(
        "recompute_deadlines",
        "--unit",
        "TP.01",
        "--from",
        "2026-01-30",
        "--to",
        "2026-02-02",
        stdout=out,
    )
    assert calls[-1]["unit_ids"] == {office.ward.pk, division.pk}
    assert calls[-1]["dates"] == {
        date(2026, 1, 30),
        date(2026, 1, 31),
        date(2026, 2, 1),
        date(2026, 2, 2),
    }
    assert calls[-1]["actor"] is None
    assert "2 hạn thay đổi" in out.getvalue()


def test_the_command_without_options_recomputes_everything(office, calls):
    call_command("recompute_deadlines", stdout=StringIO())
    assert calls[-1]["unit_ids"] is None and calls[-1]["dates"] is None


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--unit", "KHONGCO"], "Không có đơn vị mã KHONGCO"),
        (["--from", "2026-01-01"], "cả --from và --to"),
        (["--from", "2026-13-01", "--to", "2026-12-01"], "YYYY-MM-DD"),
        (["--from", "2026-02-01", "--to", "2026-01-01"], "--to phải từ ngày --from"),
        (["--from", "2019-02-01", "--to", "2026-01-01"], "2020–2030"),
    ],
)
def test_the_command_refuses_bad_options_in_vietnamese(office, args, words):
    with pytest.raises(CommandError, match=words):
        call_command("recompute_deadlines", *args, stdout=StringIO())


def test_the_command_warns_when_no_recomputer_is_registered(office):
    saved = services.registered_recomputers()
    for fn in saved:
        unregister_recomputer(fn)
    try:
        err = StringIO()
        call_command("recompute_deadlines", stdout=StringIO(), stderr=err)
    finally:
        for fn in saved:
            register_recomputer(fn)
    assert "Chưa có bộ tính lại hạn" in err.getvalue()
