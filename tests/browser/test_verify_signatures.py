"""The public page /xac-thuc/ in Chromium: an intact signed letter of the DEMO CA (trusted), the
same letter with one changed byte (modified), and a letter signed under another CA (not
trusted)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from weasyprint import HTML

from motcua.signatures import demo, pki
from motcua.signatures.services import Identity, sign_pdf

pytestmark = pytest.mark.django_db(transaction=True)

PAGE = '<p>Kết quả giải quyết thủ tục hành chính</p><div id="chu-ky" style="height:29mm"></div>'


def signed_by(spec: dict) -> bytes:
    who = Identity(key=spec, name="Trần Văn Lãnh", position="Chủ tịch UBND", unit="Phường Thử")
    pdf = bytes(HTML(string=PAGE).write_pdf())
    # pyHanko runs its own event loop: not in this thread, where Playwright's loop runs.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(sign_pdf, pdf, signer=who).result()


def upload(page, url: str, path) -> None:
    page.goto(f"{url}/xac-thuc/")
    page.set_input_files("#tep", str(path))
    page.locator("form:has(#tep) button[type=submit]").click()
    page.wait_for_selector("[data-result]")


def test_the_verification_page_shows_intact_modified_and_untrusted(live_server, page, tmp_path):
    good = signed_by(demo.key_for("staff:thu", "Trần Văn Lãnh"))
    intact = tmp_path / "intact.pdf"
    intact.write_bytes(good)
    upload(page, live_server.url, intact)
    assert page.get_attribute("[data-result]", "data-result") == "intact"
    assert page.locator("[data-check=trusted]").count() == 1
    assert "Trần Văn Lãnh" in page.inner_text("[data-result]")
    page.shot("intact")

    changed = bytearray(good)
    changed[good.index(b"Contents") // 2] ^= 0x01
    modified = tmp_path / "modified.pdf"
    modified.write_bytes(bytes(changed))
    upload(page, live_server.url, modified)
    assert page.get_attribute("[data-result]", "data-result") == "modified"
    assert page.locator("[data-check=modified]").is_visible()
    page.shot("modified")

    other = pki.make_ca("Some Other CA")
    stranger = tmp_path / "stranger.p12"
    pki.write_pkcs12(stranger, pki.issue(other, "Người Lạ"), other, b"x")
    foreign = tmp_path / "foreign.pdf"
    foreign.write_bytes(signed_by({"backend": "pkcs12", "path": str(stranger), "passphrase": "x"}))
    upload(page, live_server.url, foreign)
    assert page.get_attribute("[data-result]", "data-result") == "intact"
    assert page.locator("[data-check=untrusted]").count() == 1
    assert "Không được tin cậy" in page.inner_text("[data-result]")
    page.shot("untrusted")
