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
    # the ward is named twice (its work card and its card under "Đơn vị và vai trò"): a heading
    assert page.get_by_role("heading", name="Phường Hoàn Kiếm Thử").is_visible()
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


def test_an_inline_script_on_a_page_is_a_csp_violation_the_suite_sees(
    page, live_server, no_csp_violation
):
    """The guard of every browser test (conftest ``no_csp_violation``) sees what the CSP blocks."""
    page.goto(f"{live_server.url}/dang-nhap/")
    assert no_csp_violation.problems == []
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.ran = true'; document.head.appendChild(s); }"
    )
    page.wait_for_function("() => true")
    assert page.evaluate("() => window.ran === undefined")  # the inline script never ran
    for _ in range(50):
        if no_csp_violation.problems:
            break
        page.wait_for_timeout(100)
    assert any("script-src" in problem for problem in no_csp_violation.problems)
    no_csp_violation.problems.clear()  # seen: the test itself passes
