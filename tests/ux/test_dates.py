"""Finding 9 (dates and times): the statistics' "Đến trước ngày" was exclusive (31/12 gave "đến
30/12" on the page and in the Excel) while the log book's "Đến ngày" is inclusive; same-day
procedures read "0 ngày làm việc"; step times on the procedure page had no unit ("— 0,5").
(The working-time label "còn 30 phút làm việc" is in test_wording.py.)"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.template import Context, Template

from tests.dossiers.helpers import procedure_with
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _login(client, username="lanhdao"):
    assert client.login(username=username, password=PASSWORD)


def test_the_board_takes_an_inclusive_last_day_and_shows_it(client, office):
    _login(client)
    page = client.get("/thong-ke/", {"from": "2026-12-01", "den": "2026-12-31"}).content.decode()
    assert "Đến trước ngày" not in page
    assert re.search(r'Đến ngày <input type="date" name="den" value="2026-12-31"', page), page
    assert "đến 31/12/2026" in page
    # the Excel is the API's, which keeps its exclusive `to`: the day after the last
    assert "/api/v1/stats/dossiers.xlsx?from=2026-12-01&amp;to=2027-01-01" in page


def test_a_one_day_period_is_allowed(client, office):
    _login(client)
    page = client.get("/thong-ke/", {"from": "2026-12-31", "den": "2026-12-31"}).content.decode()
    assert "phải trước" not in page
    assert "Kỳ từ 31/12/2026 đến 31/12/2026" in page


def test_links_in_the_apis_manner_still_read_to_as_the_day_after(client, office):
    _login(client)
    page = client.get("/thong-ke/", {"from": "2026-12-01", "to": "2027-01-01"}).content.decode()
    assert 'name="den" value="2026-12-31"' in page
    assert "đến 31/12/2026" in page


def test_a_bad_last_day_is_explained(client, office):
    _login(client)
    page = client.get("/thong-ke/", {"from": "2026-12-01", "den": "9999-12-31"}).content.decode()
    assert "Ngày không hợp lệ" in page  # the day after it does not exist: no 500
    page = client.get("/thong-ke/", {"from": "2026-12-01", "den": "2500-01-01"}).content.decode()
    assert "Ngày phải trong khoảng năm 1900–2200." in page
    page = client.get("/thong-ke/", {"from": "2026-12-02", "den": "2026-12-01"}).content.decode()
    assert "phải trước hoặc trùng" in page


@pytest.mark.parametrize("path", ["/thong-ke/cham-muon/", "/thong-ke/766/"])
def test_the_accountability_pages_use_the_same_inclusive_day(client, office, path):
    _login(client)
    page = client.get(path, {"from": "2026-12-01", "den": "2026-12-31"}).content.decode()
    assert "Đến hết ngày (ngày sau ngày cuối)" not in page
    assert 'name="den" value="2026-12-31"' in page


def test_a_same_day_procedure_is_not_zero_working_days(office):
    proc = procedure_with(
        units=[office.ward],
        steps=[("Tiếp nhận và trả", "receptionist", "0")],
        code="2.000001",
        name="Chứng thực bản sao",
        legal_working_days="0",
    )
    text = Template("{% load office %}{{ p|legal_time }}").render(Context({"p": proc}))
    assert text == "Trả kết quả trong ngày"
    proc.legal_working_days = Decimal("0.5")
    assert Template("{% load office %}{{ p|legal_time }}").render(Context({"p": proc})) == (
        "0,5 ngày làm việc"
    )


def test_the_reception_shows_a_same_day_procedure_in_words(client, office):
    procedure_with(
        units=[office.ward],
        steps=[("Tiếp nhận và trả", "receptionist", "0")],
        code="2.000001",
        name="Chứng thực bản sao",
        legal_working_days="0",
    )
    client.force_login(office.receptionist)
    page = client.get("/can-bo/tiep-nhan/", {"thu-tuc": "2.000001"}).content.decode()
    assert "Chứng thực bản sao" in page
    assert "0 ngày làm việc" not in page
    assert "Trả kết quả trong ngày" in page


def test_step_times_on_the_procedure_page_carry_their_unit(client, office):
    procedure_with(
        units=[office.ward],
        steps=[("Thụ lý", "specialist", "0.5"), ("Trả kết quả", "receptionist", "0")],
        code="1.001193",
        name="Đăng ký khai sinh",
    )
    text = " ".join(
        re.sub(r"<[^>]+>", " ", client.get("/thu-tuc/1.001193/").content.decode()).split()
    )
    assert "Thụ lý — 0,5 giờ làm việc" in text
    assert "Trả kết quả — không tính thời gian" in text


# ------------------------------------------------------------------ finding 13: the ranking
def test_a_ward_leader_ranks_the_ward_among_its_peers_not_alone(client, office):
    _login(client)  # the ward's leader: one unit, no unit below it
    page = client.get("/thong-ke/xep-hang/").content.decode()
    assert office.ward.name in page
    assert office.other_ward.name in page  # the peer of the same parent and kind
    assert "và các đơn vị cùng cấp" in page
    # asked for explicitly, the same
    page = client.get("/thong-ke/xep-hang/", {"unit": office.ward.code}).content.decode()
    assert office.other_ward.name in page


def test_a_unit_with_units_below_still_ranks_its_own_subtree(admin_client, office):
    page = admin_client.get("/thong-ke/xep-hang/", {"unit": office.city.code})
    assert page.status_code == 200
    text = page.content.decode()
    assert "và các đơn vị cùng cấp" not in text
    assert office.ward.name in text and office.other_ward.name in text
