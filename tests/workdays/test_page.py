"""The year page /lich/<year>/ and the calendar screens of the admin."""

from __future__ import annotations

from datetime import date, time

import pytest
from django.urls import reverse

from motcua.workdays.models import CalendarChange, CalendarException, OfficeHours
from motcua.workdays.services import (
    add_calendar_exception,
    calendar_for,
    register_recomputer,
    set_office_hours,
    unregister_recomputer,
)

pytestmark = pytest.mark.django_db


def year_url(year: int, unit: str | None = None) -> str:
    url = reverse("workdays:year", kwargs={"year": year})
    return f"{url}?unit={unit}" if unit is not None else url


@pytest.fixture
def recomputed():
    seen: list[dict] = []

    def recompute(change):
        seen.append({"dates": change.dates, "unit_ids": change.unit_ids, "actor": change.actor})
        return 0

    register_recomputer(recompute)
    yield seen
    unregister_recomputer(recompute)


# --------------------------------------------------------------------------------- the year page
def test_the_year_page_needs_a_login(client, db):
    answer = client.get(year_url(2026))
    assert answer.status_code == 302
    assert answer.headers["Location"].startswith(reverse("login"))


def test_the_2026_page_lists_every_weekday_off_and_every_saturday_worked_with_its_source(
    client, office
):
    client.force_login(office.receptionist)
    page = client.get(year_url(2026))
    assert page.status_code == 200
    days = {d.on: d for d in page.context["days"]}
    # the New Year swap ships as the official decision; the Tết days come from the library
    assert not days[date(2026, 1, 2)].working
    assert "12729/VPCP-KGVX" in days[date(2026, 1, 2)].source
    assert days[date(2026, 1, 10)].working and days[date(2026, 1, 10)].weekday == "Thứ Bảy"
    assert days[date(2026, 2, 17)].name == "Tết Nguyên Đán"
    assert days[date(2026, 8, 22)].working  # the make-up Saturday for Monday 31/08
    assert date(2026, 4, 26) not in days  # Hùng Kings on a Sunday: a rest day anyway
    assert date(2026, 4, 27) in days  # …so Monday 27/04 is off in compensation
    assert all(d.on.weekday() < 5 for d in days.values() if not d.working)
    assert all(d.on.weekday() >= 5 for d in days.values() if d.working)
    assert "Quyết định chính thức đi kèm phần mềm" in page.text
    assert "Thư viện holidays" in page.text
    assert "02/01/2026" in page.text and "Thứ Sáu" in page.text
    assert "08:00–12:00, 13:00–17:00" in page.text


def test_an_administrators_exception_shows_as_such(client, office):
    add_calendar_exception(
        on=date(2026, 11, 24),
        kind="HOLIDAY",
        name="Ngày Văn hóa Việt Nam",
        legal_reference="Luật sửa đổi Bộ luật Lao động (giả định cho thử nghiệm)",
        actor=office.leader,
    )
    client.force_login(office.specialist)
    page = client.get(year_url(2026))
    assert "Ngày Văn hóa Việt Nam" in page.text
    assert "Ngoại lệ do quản trị viên nhập" in page.text


def test_any_staff_member_may_look_at_another_units_calendar(client, office):
    set_office_hours(
        unit=office.ward,
        sessions={
            **{wd: [(time(7, 30), time(11, 30)), (time(13), time(17))] for wd in range(5)},
            5: [(time(7, 30), time(11, 30))],
        },
        actor=office.leader,
    )
    client.force_login(office.outsider)
    page = client.get(year_url(2026, "TP.01"))
    assert page.status_code == 200
    assert "Giờ làm việc riêng của đơn vị." in page.text
    assert "07:30–11:30" in page.text
    # Saturdays are ordinary working days there: a make-up Saturday is nothing special
    assert date(2026, 1, 10) not in {d.on for d in page.context["days"]}
    child = client.get(year_url(2026, "TP"))
    assert "Giờ làm việc mặc định" in child.text


def test_an_unknown_unit_is_a_404_that_says_so(client, office):
    client.force_login(office.leader)
    page = client.get(year_url(2026, "KHONGCO"))
    assert page.status_code == 404
    assert "Không có đơn vị mã “KHONGCO”" in page.text


@pytest.mark.parametrize("year", [2019, 2031, 1])
def test_a_year_outside_2020_2030_is_a_404_that_says_which_years_exist(client, office, year):
    client.force_login(office.leader)
    page = client.get(year_url(year))
    assert page.status_code == 404
    assert "chỉ có các năm 2020–2030" in page.text


def test_lich_alone_opens_this_years_page(client, office):
    client.force_login(office.leader)
    answer = client.get(reverse("workdays:this_year"))
    assert answer.status_code == 302
    assert answer.headers["Location"].startswith("/lich/20")


# ------------------------------------------------------------------------------------ the admin
def test_an_exception_added_in_the_admin_goes_through_the_service(admin_client, recomputed):
    answer = admin_client.post(
        reverse("admin:workdays_calendarexception_add"),
        {
            "on": "05/03/2026",  # day/month/year, as Vietnamese write it: 5 March
            "kind": "HOLIDAY",
            "name": "Nghỉ theo quyết định riêng",
            "legal_reference": "Quyết định 1/QĐ-UBND",
            "note": "",
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    row = CalendarException.objects.get()
    assert row.on == date(2026, 3, 5)
    assert row.created_by.username == "admin"
    change = CalendarChange.objects.get()
    assert change.what == "exception_added" and change.actor.username == "admin"
    assert recomputed[-1]["dates"] == {date(2026, 3, 5)}
    assert not calendar_for().is_working_day(date(2026, 3, 5))


def test_the_admin_refuses_a_second_exception_on_the_same_date(admin_client, db):
    add_calendar_exception(
        on=date(2026, 3, 3), kind="HOLIDAY", name="Nghỉ", legal_reference="QĐ", actor=None
    )
    page = admin_client.post(
        reverse("admin:workdays_calendarexception_add"),
        {"on": "03/03/2026", "kind": "MAKEUP_WORKDAY", "name": "Làm", "legal_reference": "QĐ"},
    )
    assert page.status_code == 200
    assert "đã tồn tại" in page.text
    assert CalendarException.objects.count() == 1


def test_the_admin_refuses_a_date_outside_the_calendar_with_the_services_message(admin_client, db):
    page = admin_client.post(
        reverse("admin:workdays_calendarexception_add"),
        {"on": "02/01/2031", "kind": "HOLIDAY", "name": "Nghỉ", "legal_reference": "QĐ"},
    )
    assert page.status_code == 200
    assert "chỉ có các năm 2020–2030" in page.text
    assert not CalendarException.objects.exists()


def test_the_admin_changes_and_deletes_through_the_services(admin_client, office, recomputed):
    row = add_calendar_exception(
        on=date(2026, 3, 3), kind="HOLIDAY", name="Nghỉ", legal_reference="QĐ", actor=None
    )
    changed = admin_client.post(
        reverse("admin:workdays_calendarexception_change", args=[row.pk]),
        {"on": "04/03/2026", "kind": "HOLIDAY", "name": "Nghỉ", "legal_reference": "QĐ"},
    )
    assert changed.status_code == 302
    assert recomputed[-1]["dates"] == {date(2026, 3, 3), date(2026, 3, 4)}
    deleted = admin_client.post(
        reverse("admin:workdays_calendarexception_delete", args=[row.pk]), {"post": "yes"}
    )
    assert deleted.status_code == 302
    assert not CalendarException.objects.exists()
    assert list(CalendarChange.objects.order_by("pk").values_list("what", flat=True)) == [
        "exception_added",
        "exception_changed",
        "exception_removed",
    ]


def test_the_bulk_delete_action_also_goes_through_the_services(admin_client, db):
    rows = [
        add_calendar_exception(
            on=date(2026, 3, d), kind="HOLIDAY", name="Nghỉ", legal_reference="QĐ", actor=None
        )
        for d in (3, 4)
    ]
    admin_client.post(
        reverse("admin:workdays_calendarexception_changelist"),
        {"action": "delete_selected", "_selected_action": [r.pk for r in rows], "post": "yes"},
    )
    assert not CalendarException.objects.exists()
    assert CalendarChange.objects.filter(what="exception_removed").count() == 2


def test_the_exception_list_filters_by_year_and_kind_and_searches(admin_client, db):
    add_calendar_exception(
        on=date(2026, 3, 3), kind="HOLIDAY", name="Nghỉ riêng", legal_reference="QĐ", actor=None
    )
    url = reverse("admin:workdays_calendarexception_changelist")
    assert "Nghỉ riêng" in admin_client.get(url, {"nam": "2026", "kind": "HOLIDAY"}).text
    assert "Nghỉ riêng" not in admin_client.get(url, {"nam": "2025"}).text
    assert "Nghỉ riêng" in admin_client.get(url, {"q": "riêng"}).text


def test_the_admin_shows_where_each_day_of_a_year_comes_from(admin_client, db):
    page = admin_client.get(reverse("admin:workdays_calendarexception_year", args=[2026]))
    assert page.status_code == 200
    assert "Thư viện holidays" in page.text and "12729/VPCP-KGVX" in page.text
    assert (
        admin_client.get(reverse("admin:workdays_calendarexception_year", args=[2035])).status_code
        == 404
    )


def _hours_form(unit_pk, sessions):
    data = {
        "unit": unit_pk or "",
        "note": "",
        "sessions-TOTAL_FORMS": str(len(sessions)),
        "sessions-INITIAL_FORMS": "0",
        "sessions-MIN_NUM_FORMS": "1",
        "sessions-MAX_NUM_FORMS": "1000",
    }
    for i, (weekday, start, end) in enumerate(sessions):
        data.update(
            {
                f"sessions-{i}-weekday": str(weekday),
                f"sessions-{i}-starts_at": start,
                f"sessions-{i}-ends_at": end,
            }
        )
    return data


def test_office_hours_added_in_the_admin_go_through_the_service(admin_client, office, recomputed):
    answer = admin_client.post(
        reverse("admin:workdays_officehours_add"),
        _hours_form(office.ward.pk, [(0, "07:30", "11:30"), (0, "13:00", "17:00")]),
    )
    assert answer.status_code == 302, answer.content.decode()[:3000]
    hours = OfficeHours.objects.get(unit=office.ward)
    assert hours.updated_by.username == "admin"
    assert [str(s) for s in hours.sessions.all()] == ["Thứ Hai 07:30–11:30", "Thứ Hai 13:00–17:00"]
    assert CalendarChange.objects.get().what == "office_hours_set"
    assert recomputed[-1]["unit_ids"] == {office.ward.pk}
    assert answer.headers["Location"].endswith(reverse("admin:workdays_officehours_changelist"))


def test_the_admin_sets_the_system_default_when_no_unit_is_chosen(admin_client, office):
    answer = admin_client.post(
        reverse("admin:workdays_officehours_add"), _hours_form(None, [(0, "07:00", "11:00")])
    )
    assert answer.status_code == 302
    assert OfficeHours.objects.get().unit is None
    assert not calendar_for(office.ward).is_working_day(date(2026, 1, 20))  # Tuesday: closed now


def test_the_admin_refuses_overlapping_sessions_with_a_message(admin_client, office):
    page = admin_client.post(
        reverse("admin:workdays_officehours_add"),
        _hours_form(office.ward.pk, [(0, "08:00", "12:00"), (0, "11:00", "17:00")]),
    )
    assert page.status_code == 200
    assert "chồng lên ca trước" in page.text
    assert not OfficeHours.objects.exists()


def test_office_hours_deleted_in_the_admin_fall_back_to_the_parents(admin_client, office):
    hours = set_office_hours(
        unit=office.ward, sessions={0: [(time(7), time(11))]}, actor=office.leader
    )
    answer = admin_client.post(
        reverse("admin:workdays_officehours_delete", args=[hours.pk]), {"post": "yes"}
    )
    assert answer.status_code == 302
    assert not OfficeHours.objects.exists()
    assert CalendarChange.objects.order_by("-pk").first().what == "office_hours_cleared"


def test_the_audit_trail_can_be_read_but_not_written_in_the_admin(admin_client, office):
    set_office_hours(unit=office.ward, sessions={0: [(time(7), time(11))]}, actor=office.leader)
    change = CalendarChange.objects.get()
    assert admin_client.get(reverse("admin:workdays_calendarchange_changelist")).status_code == 200
    view = admin_client.get(reverse("admin:workdays_calendarchange_change", args=[change.pk]))
    assert view.status_code == 200 and "Đặt giờ làm việc" in view.text
    assert admin_client.get(reverse("admin:workdays_calendarchange_add")).status_code == 403
    delete = reverse("admin:workdays_calendarchange_delete", args=[change.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert CalendarChange.objects.exists()


def test_office_hours_changed_in_the_admin_replace_the_week_through_the_service(
    admin_client, office
):
    hours = set_office_hours(
        unit=office.ward,
        sessions={0: [(time(8), time(12))], 1: [(time(8), time(12))]},
        actor=office.leader,
    )
    monday, tuesday = hours.sessions.order_by("weekday")
    data = {
        "note": "Theo quyết định mới",
        "sessions-TOTAL_FORMS": "3",
        "sessions-INITIAL_FORMS": "2",
        "sessions-MIN_NUM_FORMS": "1",
        "sessions-MAX_NUM_FORMS": "1000",
        "sessions-0-id": str(monday.pk),
        "sessions-0-hours": str(hours.pk),
        "sessions-0-weekday": "0",
        "sessions-0-starts_at": "07:30",
        "sessions-0-ends_at": "11:30",
        "sessions-1-id": str(tuesday.pk),
        "sessions-1-hours": str(hours.pk),
        "sessions-1-weekday": "1",
        "sessions-1-starts_at": "08:00",
        "sessions-1-ends_at": "12:00",
        "sessions-1-DELETE": "on",
        "sessions-2-hours": str(hours.pk),
        "sessions-2-weekday": "5",
        "sessions-2-starts_at": "08:00",
        "sessions-2-ends_at": "11:00",
    }
    answer = admin_client.post(reverse("admin:workdays_officehours_change", args=[hours.pk]), data)
    assert answer.status_code == 302, answer.content.decode()[:3000]
    hours.refresh_from_db()
    assert [str(s) for s in hours.sessions.all()] == ["Thứ Hai 07:30–11:30", "Thứ Bảy 08:00–11:00"]
    assert hours.note == "Theo quyết định mới"
    change = CalendarChange.objects.order_by("-pk").first()
    assert change.what == "office_hours_set" and change.actor.username == "admin"


def test_every_calendar_screen_of_the_admin_opens(admin_client, office):
    row = add_calendar_exception(
        on=date(2026, 3, 3), kind="HOLIDAY", name="Nghỉ", legal_reference="QĐ", actor=None
    )
    hours = set_office_hours(unit=None, sessions={0: [(time(8), time(12))]}, actor=None)
    for name, args in [
        ("admin:workdays_calendarexception_changelist", []),
        ("admin:workdays_calendarexception_add", []),
        ("admin:workdays_calendarexception_change", [row.pk]),
        ("admin:workdays_officehours_changelist", []),
        ("admin:workdays_officehours_add", []),
        ("admin:workdays_officehours_change", [hours.pk]),
        ("admin:workdays_calendarchange_changelist", []),
    ]:
        page = admin_client.get(reverse(name, args=args))
        assert page.status_code == 200, name
    change_form = admin_client.get(
        reverse("admin:workdays_calendarexception_change", args=[row.pk])
    )
    assert 'value="03/03/2026"' in change_form.text
