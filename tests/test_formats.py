from datetime import date, datetime
from zoneinfo import ZoneInfo

from django import forms
from django.utils import translation


def test_a_vietnamese_form_reads_the_day_before_the_month():
    with translation.override("vi"):
        assert forms.DateField().clean("04/03/2026") == date(2026, 3, 4)
        assert forms.DateTimeField().clean("04/03/2026 15:20") == datetime(
            2026, 3, 4, 15, 20, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")
        )


def test_english_pages_read_dates_day_first_too():
    with translation.override("en"):
        assert forms.DateField().clean("04/03/2026") == date(2026, 3, 4)
