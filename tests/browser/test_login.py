import pytest

from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_leader_logs_in_in_a_real_browser_and_sees_the_ward(page, live_server, office):
    page.goto(f"{live_server.url}/can-bo/")
    assert "/dang-nhap/" in page.url
    page.shot("1-login")
    page.get_by_label("Tên đăng nhập").fill("lanhdao")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/can-bo/")
    assert page.get_by_role("heading", name="Xin chào, Trần Văn Lãnh").is_visible()
    assert page.get_by_text("Phường Hoàn Kiếm Thử").is_visible()
    page.shot("2-home")

    page.get_by_role("button", name="English").click()
    page.get_by_role("heading", name="Your units and roles").wait_for()
    page.shot("3-home-en")

    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/dang-nhap/")


def test_a_wrong_password_is_explained_in_the_browser(page, live_server, office):
    page.goto(f"{live_server.url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("lanhdao")
    page.get_by_label("Mật khẩu").fill("sai-mat-khau")
    page.get_by_role("button", name="Đăng nhập").click()
    alert = page.get_by_role("alert")
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in alert.inner_text()
    page.shot("wrong-password")
