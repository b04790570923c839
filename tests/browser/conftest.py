"""Playwright (Python) driving Debian's chromium against the live server; never a downloaded
browser. Screenshots go to tests/browser/screenshots/<test name>/ for a person to look at."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).parent / "screenshots"
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# Playwright's sync API runs an event loop in this thread; the test's own ORM calls are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


#: Run in every page before its own scripts (through DevTools, so outside the page's CSP): a
#: violation the browser reports as an event is written to the console, where ``CspWatch`` sees it.
CSP_EVENTS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`Content Security Policy violation: ${event.violatedDirective} blocked `
    + `${event.blockedURI || "inline"} in ${event.sourceFile || document.location.href}`
    + `:${event.lineNumber}`
    + (event.target && event.target.outerHTML ? ` on ${event.target.outerHTML.slice(0, 160)}` : ""));
}, true);
"""


class CspWatch:
    """What every page of every context of a test broke: a Content-Security-Policy violation on
    the console, or an HTML page of the server answered without the CSP header."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def watch(self, context) -> None:
        context.add_init_script(CSP_EVENTS)
        context.on("console", self.on_console)
        context.on("response", self.on_response)

    def on_console(self, message) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            where = message.page.url if message.page else message.location.get("url", "")
            self.problems.append(f"{where}: {message.text}")

    def on_response(self, response) -> None:
        if response.request.resource_type != "document" or response.status >= 300:
            return
        headers = response.headers
        if not headers.get("content-type", "").startswith("text/html"):
            return
        if "content-security-policy" not in headers:
            self.problems.append(f"{response.url}: no Content-Security-Policy header")


class WatchedBrowser:
    """The chromium of the session whose every new context is watched by the test's CspWatch."""

    def __init__(self, browser) -> None:
        self._browser = browser
        self.csp = CspWatch()

    def new_context(self, **options):
        context = self._browser.new_context(**options)
        self.csp.watch(context)
        return context

    def __getattr__(self, name: str):
        return getattr(self._browser, name)


@pytest.fixture(scope="session")
def browser() -> Iterator[WatchedBrowser]:
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail("/usr/bin/chromium is missing: `make test` installs it (apt-get).")
        pytest.skip("/usr/bin/chromium is not installed (make test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield WatchedBrowser(chromium)
        chromium.close()


@pytest.fixture(autouse=True)
def no_csp_violation(browser: WatchedBrowser) -> Iterator[CspWatch]:
    """Every page of every browser test runs under the CSP header with no violation: checked
    when the test ends, whichever context (``page``, a phone, several pages) it opened."""
    browser.csp = CspWatch()
    yield browser.csp
    assert not browser.csp.problems, "\n".join(browser.csp.problems)


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    folder = SCREENSHOTS / re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
    folder.mkdir(parents=True, exist_ok=True)
    page.shot = lambda name: page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
    yield page
    context.close()


def axe(page, what: str) -> None:
    """No serious or critical violation on the page (axe-core from npm, injected); shared by the
    portal's and the office's browser tests."""
    if not AXE.exists():
        if os.environ.get("CI") == "true":
            pytest.fail("node_modules/axe-core is missing: `make test` runs `npm ci`.")
        pytest.skip("axe-core is not installed (npm ci)")
    page.evaluate(AXE.read_text())  # through DevTools: the page's CSP forbids inline scripts
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    report = "\n".join(
        f"{v['impact']} {v['id']}: {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
        for v in bad
    )
    assert not bad, f"axe-core on {what}:\n{report}"
