import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_root_is_the_citizens_home_and_the_staff_home_stays_at_can_bo(client, birth):
    home = client.get("/")
    assert home.status_code == 200
    assert "Thủ tục hành chính, ngay trên điện thoại" in home.text
    assert "Hộ tịch" in home.text
    staff = client.get("/can-bo/")
    assert staff.status_code == 302 and "/dang-nhap/" in staff.headers["Location"]


def test_a_search_without_diacritics_finds_the_procedure(client, birth, building):
    page = client.get(reverse("portal:catalog"), {"q": "dang ky khai sinh"})
    assert page.status_code == 200
    assert "Đăng ký khai sinh" in page.text
    assert "Cấp giấy phép xây dựng" not in page.text


def test_a_search_by_code_finds_the_procedure(client, birth, building):
    page = client.get(reverse("portal:catalog"), {"q": "1.009794"})
    assert "Cấp giấy phép xây dựng nhà ở riêng lẻ" in page.text
    assert "Đăng ký khai sinh" not in page.text


def test_the_catalog_filters_by_field(client, birth, building):
    page = client.get(reverse("portal:catalog"), {"linh_vuc": "XD"})
    assert "Cấp giấy phép xây dựng nhà ở riêng lẻ" in page.text
    assert "Đăng ký khai sinh" not in page.text
    assert "1 thủ tục trong lĩnh vực Xây dựng" in page.text


def test_the_catalog_can_show_only_what_can_be_submitted_online(client, birth, building):
    page = client.get(reverse("portal:catalog"), {"truc_tuyen": "on"})
    assert "Đăng ký khai sinh" in page.text
    assert "Cấp giấy phép xây dựng" not in page.text


def test_a_search_that_finds_nothing_says_what_to_try(client, birth):
    page = client.get(reverse("portal:catalog"), {"q": "hộ chiếu"})
    assert page.status_code == 200
    assert "Không có thủ tục nào khớp" in page.text


def test_an_unknown_field_is_bad_input_not_a_crash(client, birth):
    page = client.get(reverse("portal:catalog"), {"linh_vuc": "KHONG-CO"})
    assert page.status_code == 200
    assert "Lựa chọn không hợp lệ" in page.text or "Đăng ký khai sinh" in page.text


def test_the_procedure_page_shows_papers_time_fee_mode_law_units(client, office, birth):
    page = client.get(reverse("portal:procedure", args=[birth.code]))
    assert page.status_code == 200
    text = page.text
    for expected in (
        "Đăng ký khai sinh",
        "Tờ khai đăng ký khai sinh",
        "Giấy chứng sinh",
        "Bản sao",
        "không bắt buộc",
        "1 ngày làm việc",
        "Không mất phí, lệ phí",
        "Dịch vụ công trực tuyến toàn trình",
        "Luật Hộ tịch số 60/2014/QH13.",
        "Phường Hoàn Kiếm Thử",
        "Giấy khai sinh",
        "Thẩm định",
        "Nộp hồ sơ trực tuyến",
    ):
        assert expected in text, expected
    assert reverse("portal:submit", args=[birth.code]) in text


def test_a_walk_in_procedure_says_where_to_go_and_shows_the_green_lane(client, office, building):
    page = client.get(reverse("portal:procedure", args=[building.code]))
    text = page.text
    assert "75.000 đồng" in text
    assert "15 ngày làm việc" in text
    assert "chưa nhận hồ sơ trực tuyến" in text
    assert reverse("portal:submit", args=[building.code]) not in text
    assert "làn xanh" in text and "Đầu tư, phát triển hạ tầng" in text
    assert "Phường Ba Đình Thử" in text and "Phường Hoàn Kiếm Thử" in text


def test_an_unknown_procedure_is_404(client, birth):
    page = client.get(reverse("portal:procedure", args=["9.999999"]))
    assert page.status_code == 404
    assert "Không tìm thấy trang" in page.text


def test_the_pages_have_landmarks_and_a_skip_link(client, birth):
    page = client.get(reverse("portal:procedure", args=[birth.code]))
    text = page.text
    assert '<html lang="vi">' in text
    assert 'href="#main"' in text and '<main id="main"' in text
    assert "<header" in text and "<nav" in text and "<footer" in text
    assert "motcua/portal.css" in text


def test_the_portal_speaks_english_second(client, birth):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("portal:procedure", args=[birth.code]))
    assert '<html lang="en">' in page.text
    for expected in ("Papers to submit", "Processing time", "1 working day", "No fee"):
        assert expected in page.text, expected
    assert "Track a dossier" in page.text and "Tiếng Việt" in page.text
    lookup = client.get(reverse("portal:lookup"))
    assert "Look-up secret" in lookup.text


def test_htmx_gets_the_results_and_the_count_only(client, birth, building):
    page = client.get(reverse("portal:catalog"), {"q": "xay dung"}, HTTP_HX_REQUEST="true")
    assert page.status_code == 200
    assert "<html" not in page.text
    assert "Cấp giấy phép xây dựng nhà ở riêng lẻ" in page.text
    assert "Đăng ký khai sinh" not in page.text
    assert 'id="result-count"' in page.text and 'hx-swap-oob="true"' in page.text
    assert "HX-Request" in page.headers["Vary"]
    full = client.get(reverse("portal:catalog"), {"q": "xay dung"})
    assert "<html" in full.text and 'hx-get="/thu-tuc/"' in full.text
