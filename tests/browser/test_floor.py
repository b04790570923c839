"""The counter floor in a real browser, several pages at once (kiosk, call display, counter
panel, the citizen's phone, the rating tablet) against a real ASGI server process (uvicorn, the
streams' server) on the test database, its clock pinned to a working morning.

Take a ticket → the display shows it waiting → the officer calls it → the display and the phone
page change (the time it took is written beside the screenshots; bench/floor.py measures it) →
the officer receives the dossier from the ticket → the tablet asks for the rating → the rating
shows in the figures. Then: a booked check-in within its window is called before a priority
ticket, which is called before earlier ordinary ones."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from motcua.dossiers.models import Dossier
from motcua.queueing import services
from motcua.queueing.models import Ticket
from motcua.surveys.models import CounterRating
from tests.factories import PASSWORD
from tests.queueing.conftest import at, make_floor
from tests.queueing.servers import asgi_servers, new_prefix, redis_available

pytestmark = [pytest.mark.browser, pytest.mark.server, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = Path(__file__).parent / "screenshots"


def open_page(browser, url: str, folder: Path, name: str, **context):
    options = {"viewport": {"width": 1280, "height": 800}, "locale": "vi-VN"} | context
    ctx = browser.new_context(**options)
    page = ctx.new_page()
    page.set_default_timeout(15_000)
    page.goto(url)
    page.shot = lambda step: page.screenshot(path=str(folder / f"{step}-{name}.png"))
    return page


def usable_password(staff) -> None:
    """The server checks passwords with its own hashers (the suite's are MD5 for speed)."""
    staff.password = PBKDF2PasswordHasher().encode(PASSWORD, "floorsalt", iterations=1000)
    staff.save(update_fields=["password"])


def test_a_ticket_from_the_kiosk_to_the_rating_in_the_figures(browser, office, tmp_path, request):
    folder = SCREENSHOTS / request.node.name
    folder.mkdir(parents=True, exist_ok=True)
    floor = make_floor(office)
    usable_password(floor.officer)
    unit = floor.unit.code
    timings: list[str] = []
    with asgi_servers(
        1, now=at(10, 9), prefix=new_prefix(), tmp_path=tmp_path, redis=redis_available()
    ) as (base,):
        display = open_page(browser, f"{base}/quay/{unit}/man-hinh/", folder, "man-hinh")
        tablet = open_page(
            browser, f"{base}/quay/{unit}/danh-gia/{floor.counter1.pk}/", folder, "may-tinh-bang"
        )
        kiosk = open_page(browser, f"{base}/quay/{unit}/kiosk/", folder, "kiosk")
        officer = open_page(browser, f"{base}/dang-nhap/", folder, "quay")
        officer.get_by_label("Tên đăng nhập").fill(floor.officer.username)
        officer.get_by_label("Mật khẩu").fill(PASSWORD)
        officer.get_by_role("button", name="Đăng nhập").click()
        officer.wait_for_url("**/can-bo/")
        display.locator("#live-status.live:not(.offline)").wait_for()
        display.wait_for_function("document.getElementById('live-status').textContent.length > 0")
        kiosk.shot("1")

        # take a ticket → the printed ticket, and the display shows it waiting
        kiosk.get_by_role("button", name=re.compile("Hộ tịch")).click()
        kiosk.wait_for_url("**/kiosk/in/**")
        number = kiosk.locator("#ticket-number").inner_text()
        assert number == "A001"
        assert "Còn 0 người trước bạn" in kiosk.locator(".t-waiting").inner_text()
        kiosk.shot("2")
        display.locator('#waiting dd[data-group="ho-tich"]', has_text="1").wait_for()
        display.shot("2")
        phone_url = kiosk.locator(".t-url").inner_text()
        phone = open_page(
            browser, phone_url, folder, "dien-thoai", viewport={"width": 390, "height": 760}
        )
        assert "còn 0 người trước bạn" in phone.locator("#p-before").inner_text()
        phone.wait_for_function("window.floorSource && window.floorSource.readyState === 1")

        # the officer calls it: the display and the phone page change
        officer.get_by_role("button", name="Gọi số tiếp theo").click()
        started = time.monotonic()
        display.locator("#calling .num", has_text=number).wait_for()
        timings.append(f"display {time.monotonic() - started:.3f} s")
        phone.locator("#p-called", has_text="Quầy 1").wait_for()
        timings.append(f"phone {time.monotonic() - started:.3f} s")
        assert display.locator("#calling .ctr").first.inner_text() == "Quầy 1"
        display.shot("3")
        phone.shot("3")
        officer.locator("#panel-number", has_text=number).wait_for()
        officer.shot("3")

        # "Tiếp nhận hồ sơ" opens the reception form linked to the ticket
        officer.get_by_role("button", name="Tiếp nhận hồ sơ").click()
        officer.wait_for_url("**/can-bo/tiep-nhan/**")
        officer.goto(f"{base}/can-bo/tiep-nhan/?unit={unit}&thu-tuc={floor.procedure.code}")
        officer.get_by_label("Tờ khai").check()
        officer.get_by_label("Họ và tên người nộp / tên tổ chức").fill("Đỗ Thị Thu Hương")
        officer.get_by_label("Số định danh cá nhân / mã số tổ chức").fill("001190012345")
        officer.get_by_label("Số điện thoại").fill("0904123456")
        officer.get_by_label("Địa chỉ").fill("18 Phố Huế, Hai Bà Trưng")
        officer.get_by_role("button", name="Tiếp nhận và in Giấy hẹn (Mẫu 01)").click()
        officer.wait_for_url("**/can-bo/ho-so/**")
        officer.shot("4")
        ticket = Ticket.objects.get(number=number)
        assert ticket.dossier == Dossier.objects.get()
        assert ticket.wait_seconds is not None and ticket.service_seconds is not None

        # the tablet asks the citizen; the rating shows in the figures
        tablet.get_by_text("Ông/bà có hài lòng").wait_for()
        tablet.shot("5")
        tablet.get_by_label("Thời gian chờ, thời gian giải quyết").check()
        tablet.get_by_role("button", name="Rất hài lòng").click()
        tablet.get_by_text("Cảm ơn ông/bà đã đánh giá.").wait_for()
        tablet.shot("6")
        rating = CounterRating.objects.get()
        assert (rating.overall, rating.officer, rating.reasons) == (
            "very_satisfied",
            floor.officer,
            ["time"],
        )
        officer.goto(f"{base}/quay/{unit}/so-lieu/?from=2026-03-10&to=2026-03-10&by=officer")
        row = officer.locator("table.figures tbody tr", has_text=floor.officer.full_name)
        assert row.locator("td.rating-very_satisfied").inner_text() == "1"
        officer.shot("7")

        # a booked check-in within its window before a priority ticket before earlier ordinary ones
        booking = services.book_slot(
            unit_code=unit,
            procedure_code=floor.procedure.code,
            slot_start=at(10, 9),
            name="Nguyễn Văn Hẹn",
            phone="0912345678",
            now=at(9, 15),
        )
        kiosk.goto(f"{base}/quay/{unit}/kiosk/")
        kiosk.get_by_role("button", name=re.compile("Hộ tịch")).click()
        kiosk.wait_for_url("**/kiosk/in/**")
        ordinary = kiosk.locator("#ticket-number").inner_text()
        kiosk.goto(f"{base}/quay/{unit}/kiosk/")
        kiosk.get_by_label("Người cao tuổi").check()
        kiosk.get_by_role("button", name=re.compile("Hộ tịch")).click()
        kiosk.wait_for_url("**/kiosk/in/**")
        priority = kiosk.locator("#ticket-number").inner_text()
        kiosk.goto(f"{base}/quay/{unit}/kiosk/")
        kiosk.get_by_label("Đã đặt lịch? Nhập mã đặt lịch").fill(booking.code)
        kiosk.get_by_role("button", name="Lấy số theo lịch hẹn").click()
        kiosk.wait_for_url("**/kiosk/in/**")
        booked = kiosk.locator("#ticket-number").inner_text()
        assert (ordinary, priority, booked) == ("A002", "A003", "A004")
        kiosk.goto(f"{base}/quay/{unit}/kiosk/")
        kiosk.get_by_label("Đã đặt lịch? Nhập mã đặt lịch").fill(booking.code)
        kiosk.get_by_role("button", name="Lấy số theo lịch hẹn").click()
        kiosk.get_by_role("alert").get_by_text("đã được dùng").wait_for()
        kiosk.shot("8")

        officer.goto(f"{base}/can-bo/")
        order: list[str] = []
        for _ in range(3):
            officer.get_by_role("button", name="Gọi số tiếp theo").click()
            # the strip is swapped in place: wait for the number it now serves to change
            officer.wait_for_function(
                "prev => { const n = document.getElementById('panel-number');"
                " return n !== null && n.textContent.trim() !== prev; }",
                arg=order[-1] if order else "",
            )
            called = officer.locator("#panel-number").inner_text()
            display.locator("#calling .num", has_text=called).wait_for()
            order.append(called)
        assert order == [booked, priority, ordinary]
        display.shot("9")
    (folder / "timings.txt").write_text("\n".join(timings) + "\n")
