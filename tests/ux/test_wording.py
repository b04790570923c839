"""Finding 10 (wording) and the working-time part of finding 9: "Quá hạn quá hạn 13 ngày", "Đã
xong xong lúc", "(half-up)" in the Excel header, English pages showing "còn 1 ngày 7 giờ",
"(1 copies)", "Done done at"; "còn 30 phút" not saying it is working time."""

from __future__ import annotations

import re
from datetime import date
from fractions import Fraction
from io import BytesIO

import pytest
from django.utils import translation
from openpyxl import load_workbook

from motcua.dossiers.models import Event, EventKind
from motcua.dossiers.services import complete_step
from motcua.office.presenters import working_span, working_time_words
from motcua.reports.selectors import Period, Scope, report
from motcua.reports.xlsx import build_workbook
from tests.dossiers.helpers import at, procedure_with, receive

pytestmark = pytest.mark.django_db

STEPS = [("Thụ lý", "specialist", "4"), ("Trả kết quả", "receptionist", "0")]


@pytest.fixture
def proc(office):
    return procedure_with(
        units=[office.ward],
        steps=STEPS,
        code="1.001193",
        name="Khai sinh",
        legal_working_days="0.5",
    )


@pytest.mark.parametrize(
    ("hours", "vi", "en"),
    [
        (Fraction(15), "còn 1 ngày 7 giờ làm việc", "1 day 7 hours of working time left"),
        (Fraction(1, 2), "còn 30 phút làm việc", "30 minutes of working time left"),
        (Fraction(-104), "quá hạn 13 ngày làm việc", "overdue by 13 days of working time"),
        (Fraction(1), "còn 1 giờ làm việc", "1 hour of working time left"),
        (Fraction(0), "đến hạn", "due now"),
    ],
)
def test_working_time_is_labelled_as_such_in_both_languages(hours, vi, en):
    with translation.override("vi"):
        assert working_time_words(hours) == vi
    with translation.override("en"):
        assert working_time_words(hours) == en


def test_the_span_beside_the_overdue_badge_does_not_repeat_it():
    with translation.override("vi"):
        assert working_span(Fraction(-104)) == "13 ngày làm việc"


def _overdue_list(client, office, proc, time_machine, lang):
    time_machine.move_to(at(19, 9), tick=False)
    receive(office, proc, now=at(19, 8))
    time_machine.move_to(at(21, 9), tick=False)  # two days later: overdue
    client.force_login(office.specialist)
    client.cookies["django_language"] = lang
    html = client.get("/can-bo/").content.decode()
    href = re.search(
        r'<a href="([^"]+)" class="workitem[^"]*"><span class="count" data-count="1"', html
    )
    assert href, html
    return client.get(href.group(1).replace("&amp;", "&")).content.decode()


def _text(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_an_overdue_row_says_overdue_once(client, office, proc, time_machine):
    text = _text(_overdue_list(client, office, proc, time_machine, "vi"))
    assert "Quá hạn" in text and "làm việc" in text
    assert "Quá hạn quá hạn" not in text


def test_an_english_overdue_row_is_english(client, office, proc, time_machine):
    text = _text(_overdue_list(client, office, proc, time_machine, "en"))
    assert "quá hạn" not in text.lower()
    assert "ngày" not in text and "giờ làm việc" not in text


def test_copies_are_counted_in_the_language_of_the_page(client, office, proc):
    created = receive(office, proc, now=at(19, 8))
    client.force_login(office.specialist)
    url = f"/can-bo/ho-so/{created.dossier.code}/"
    vi = _text(client.get(url).content.decode())
    assert re.search(r"\(1 bản\)", vi), vi
    client.cookies["django_language"] = "en"
    en = _text(client.get(url).content.decode())
    assert "(1 copy)" in en and "copies)" not in en.replace("(1 copy)", "")
    assert "bản)" not in en


def test_the_dossier_log_names_a_complaint_in_words(client, office, proc):
    created = receive(office, proc, now=at(19, 8))
    Event.objects.create(
        dossier=created.dossier, kind=EventKind.FEEDBACK, at=at(19, 9), note="Phản ánh số 1"
    )
    client.force_login(office.specialist)
    text = _text(client.get(f"/can-bo/ho-so/{created.dossier.code}/").content.decode())
    assert "Phản ánh, kiến nghị về hồ sơ" in text
    assert not re.search(r"\bfeedback\b", text)


def test_a_finished_step_on_the_portal_says_done_once(client, office, proc):
    created = receive(office, proc, now=at(19, 8))
    step = created.dossier.steps.order_by("order").first()
    complete_step(dossier_id=created.dossier.pk, actor=office.specialist, now=at(19, 9))
    step.refresh_from_db()
    assert step.finished_at is not None
    page = client.post(
        "/tra-cuu/", {"code": created.dossier.code, "secret": created.lookup_secret}, follow=True
    )
    vi = _text(page.content.decode())
    assert "Đã xong lúc" in vi and "xong xong" not in vi
    client.cookies["django_language"] = "en"
    en = _text(client.get(f"/tra-cuu/{created.dossier.code}/").content.decode())
    assert "Done at" in en and "done at" not in en


def test_the_excel_header_says_how_rates_are_rounded_in_words(office):
    result = report(
        period=Period(date(2026, 1, 1), date(2026, 2, 1)),
        scope=Scope(unit_ids=[office.ward.pk]),
        group_by="unit",
        now=at(19, 9),
    )
    for lang, words in (("vi", "làm tròn"), ("en", "half up")):
        with translation.override(lang):
            data = build_workbook(result, unit_name=office.ward.name)
        rows = load_workbook(BytesIO(data)).active.iter_rows(max_row=5)
        header = " ".join(str(c.value) for row in rows for c in row if c.value)
        assert "(half-up)" not in header
        assert words in header
