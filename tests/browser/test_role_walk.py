"""Issue 19, "a clerk's day": each demo role walks its day in a real browser on the demo city
(both databases), its clock pinned to a working Monday morning.

For every role the demo ward staffs (the first demo account of each role, read from the demo
data): log in through the login page, read every count of the home, and check it against a count
the test makes itself from the database with the meaning of the line (plain ORM queries, not the
selectors the home uses); open each line's list and check it shows exactly those dossiers (or
complaints). Then every staff page the role reaches from the menu and from its home passes
axe-core with no serious or critical violation. Last, the desk's reception form with the keyboard
alone: autofocus, the tab order of the fields, Enter receives."""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime, time, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.db.models import F, Q
from django.utils import timezone

from motcua.catalog.models import Procedure
from motcua.demo import data
from motcua.demo.dossiers import generate_history
from motcua.demo.loader import load_demo_city
from motcua.demo.monday import open_work
from motcua.dossiers.models import Apology, Dossier, DossierStep
from motcua.dossiers.services import complete_step, submit_online
from motcua.feedback.models import Feedback
from motcua.org.models import Membership, Staff, Unit
from tests.browser.conftest import axe
from tests.dossiers.helpers import APPLICANT
from tests.factories import papers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: Monday 02/03/2026, 10:00 in Hanoi: a working day of every demo calendar.
MONDAY = datetime(2026, 3, 2, 10, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
#: Dossiers of the past year (a few: the log book, the statistics and the search have rows).
HISTORY = 8

RUNNING = ("received", "in_progress")
OPEN = ("received", "in_progress", "awaiting_supplement")
OPEN_STEPS = ("active", "paused")
ANSWERING = ("head", "leader", "specialist")
DOSSIER_LINK = re.compile(r"^/can-bo/ho-so/([^/]+)/$")
FEEDBACK_LINK = re.compile(r"^/can-bo/phan-anh/(\d+)/$")


def demo_staff_by_role() -> list[tuple[str, str]]:
    """(role, username): the first demo account holding each role at the demo ward."""
    first: dict[str, str] = {}
    for row in data.STAFF:
        for code, role in row["memberships"]:
            if code == data.DEMO_WARD:
                first.setdefault(role, row["username"])
    return [(role, first[role]) for role in data.ROLES if role in first]


@pytest.fixture
def city(time_machine):
    """The demo city on a Monday morning: a little history, the ward's open work in every state,
    and one online submission waiting for the desk."""
    time_machine.move_to(MONDAY, tick=False)
    load_demo_city()
    generate_history(HISTORY, seed=2026)
    ward = Unit.objects.filter(Q(code=data.DEMO_WARD) | Q(code__startswith=f"{data.DEMO_WARD}."))
    open_work(now=MONDAY, units=list(ward))
    # the desk's first work of the morning: the papers of the dossiers not yet late go on to
    # the specialists (so that the ward has dossiers in progress and steps waiting for them)
    for step in DossierStep.objects.filter(
        status="active", role="receptionist", due_at__gt=MONDAY, dossier__unit__in=ward
    ).select_related("unit"):
        desk = Membership.objects.filter(unit=step.unit, role="receptionist").first()
        assert desk is not None
        complete_step(step_id=step.pk, actor=desk.staff, now=MONDAY)
    online = (
        Procedure.objects.filter(units__code=data.DEMO_WARD)
        .exclude(online_mode=Procedure.OnlineMode.NONE)
        .order_by("code")
        .first()
    )
    assert online is not None
    submit_online(
        procedure_code=online.code,
        unit_code=data.DEMO_WARD,
        applicant=APPLICANT,
        documents=papers(online),
        now=MONDAY - timedelta(hours=15),
    )


# ------------------------------------------------------------------ what the database says
def held(staff: Staff) -> set[tuple[int, str]]:
    return set(
        Membership.objects.filter(staff=staff, unit__active=True).values_list("unit_id", "role")
    )


def below(unit_ids: set[int]) -> set[int]:
    """The units and every unit under them."""
    ids, frontier = set(unit_ids), set(unit_ids)
    while frontier:
        frontier = set(Unit.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        frontier -= ids
        ids |= frontier
    return ids


def feedback_seen_by(staff: Staff, roles: set[tuple[int, str]]) -> set[int]:
    """Complaints a person sees: a supervisor, those received by, about or routed to their unit
    and below (and the city's queue for a top-level unit); the desk, those it received; a head,
    leader or specialist, those routed to their unit and below, or escalated to them."""
    supervised = below({u for u, r in roles if r == "supervisor"})
    desk = {u for u, r in roles if r == "receptionist"}
    handling = below({u for u, r in roles if r in ANSWERING})
    q = (
        Q(intake_unit_id__in=supervised)
        | Q(concerned_unit_id__in=supervised)
        | Q(unit_id__in=supervised)
        | Q(intake_unit_id__in=desk)
        | Q(unit_id__in=handling)
        | Q(escalated_to=staff)
    )
    top = Unit.objects.filter(
        pk__in={u for u, r in roles if r == "supervisor"}, parent__isnull=True
    )
    if top.exists():
        q |= Q(intake_unit__isnull=True)
    return set(Feedback.objects.filter(q).values_list("pk", flat=True))


def codes(qs) -> Counter[str]:
    return Counter(qs.values_list("code", flat=True))


def expected_home(staff: Staff, now: datetime) -> dict[str, dict[str, Counter]]:
    """{group: {line: what its list shows}}; a group is "me" or a unit code, and a list is a
    multiset of dossier codes (one per step or apology) or of complaint numbers."""
    roles = held(staff)
    kinds = {r for _u, r in roles}
    steps = DossierStep.objects.filter(status__in=OPEN_STEPS, dossier__status__in=OPEN)
    holds = Q(pk__in=[])
    for unit_id, role in roles:
        holds |= Q(unit_id=unit_id, role=role)
    mine = steps.filter(Q(assignee=staff) | (Q(assignee__isnull=True) & holds))
    me = {"Bước xử lý đang chờ tôi": Counter(mine.values_list("dossier__code", flat=True))}
    if "leader" in kinds:
        led = {u for u, r in roles if r == "leader"}
        drafts = Apology.objects.filter(status="draft", dossier__status__in=OPEN).filter(
            Q(step__unit_id__in=led) | Q(dossier__unit_id__in=led)
        )
        me["Phiếu xin lỗi chờ ký"] = Counter(drafts.values_list("dossier__code", flat=True))
    seen = Feedback.objects.filter(pk__in=feedback_seen_by(staff, roles))
    if "supervisor" in kinds:
        me["Phản ánh, kiến nghị chờ phân loại"] = Counter(
            str(pk) for pk in seen.filter(status="new").values_list("pk", flat=True)
        )
    if kinds & set(ANSWERING):
        me["Phản ánh, kiến nghị chờ trả lời"] = Counter(
            str(pk)
            for pk in seen.filter(status__in=["classified", "forwarded"]).values_list(
                "pk", flat=True
            )
        )
    groups = {"me": me}
    tomorrow = datetime.combine(
        timezone.localdate(now) + timedelta(days=1), time(0), tzinfo=timezone.get_current_timezone()
    )
    for unit in Unit.objects.filter(pk__in={u for u, _r in roles}, active=True).order_by("code"):
        here = Dossier.objects.filter(unit=unit)
        desk = (unit.pk, "receptionist") in roles
        lines: dict[str, Counter] = {}
        if desk:
            lines["Hồ sơ trực tuyến chờ tiếp nhận"] = codes(here.filter(status="submitted"))
        lines["Hồ sơ quá hạn"] = codes(
            here.filter(
                Q(status__in=RUNNING, due_at__lt=now)
                | Q(status="awaiting_supplement", due_at__lt=F("paused_at"))
            )
        )
        lines["Hồ sơ đến hạn hôm nay"] = codes(
            here.filter(status__in=RUNNING, due_at__gte=now, due_at__lt=tomorrow)
        )
        lines["Hồ sơ đang giải quyết"] = codes(here.filter(status="in_progress"))
        lines["Hồ sơ chờ công dân bổ sung"] = codes(here.filter(status="awaiting_supplement"))
        if desk:
            lines["Hồ sơ có kết quả, chờ trả"] = codes(here.filter(status="ready"))
        groups[unit.code] = lines
    return groups


# -------------------------------------------------------------------------- what the page says
def login(page, live_server, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(data.DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/can-bo/")


def home_lines(page) -> dict[str, dict[str, tuple[int, str]]]:
    """{group: {line: (count, href)}} as the home shows them."""
    return page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('.workgroup')].map(g => [
            g.dataset.group,
            Object.fromEntries([...g.querySelectorAll('a.workitem')].map(a => {
              const count = a.querySelector('.count');
              const label = a.textContent.replace(count.textContent, '').trim();
              return [label, [Number(count.dataset.count), a.getAttribute('href')]];
            })),
        ]))"""
    )


def main_links(page) -> list[str]:
    return page.evaluate(
        "() => [...document.querySelectorAll('main a[href]')].map(a => a.pathname)"
    )


def listed(page) -> Counter[str]:
    """The dossier codes (or complaint numbers) of the list page open in ``page``."""
    found: Counter[str] = Counter()
    for path in main_links(page):
        if m := DOSSIER_LINK.match(path) or FEEDBACK_LINK.match(path):
            found[m.group(1)] += 1
    return found


class Audit:
    """axe-core on each page the walk opens; a page already checked (the same path, with rows or
    without) is checked again only when its content depends on the role (``role`` given)."""

    def __init__(self) -> None:
        self.checked: list[str] = []
        self.keys: set[str] = set()

    def __call__(self, page, what: str, key: str | None = None) -> None:
        page.wait_for_load_state("load")
        if key is not None:
            if key in self.keys:
                return
            self.keys.add(key)
        axe(page, what)
        self.checked.append(what)


# ----------------------------------------------------------------------------------- the day
def test_each_demo_role_s_home_counts_what_the_database_holds_and_every_page_passes_axe(
    page, live_server, city
):
    audit = Audit()
    roles = demo_staff_by_role()
    assert {r for r, _u in roles} >= {"receptionist", "specialist", "head", "leader", "supervisor"}
    for role, username in roles:
        staff = Staff.objects.get(username=username)
        login(page, live_server, username)
        audit(page, f"{role}: home")
        page.shot(f"{role}-1-home")
        shown = home_lines(page)
        expected = expected_home(staff, MONDAY)
        assert {g: set(lines) for g, lines in shown.items()} == {
            g: set(lines) for g, lines in expected.items()
        }, role
        for group, lines in expected.items():
            for label, wanted in lines.items():
                count, href = shown[group][label]
                assert count == sum(wanted.values()), (role, group, label)
                page.goto(f"{live_server.url}/can-bo/")
                card = page.locator(f'.workgroup[data-group="{group}"]')
                card.locator(f'a.workitem[href="{href}"]').click()
                page.wait_for_load_state("load")
                assert listed(page) == wanted, (role, group, label)
                rows = "rows" if wanted else "empty"
                audit(page, f"{role}: {group} — {label}", f"{urlsplit(href).path} {rows}")

        # every entry of the menu, clicked from the page before (the menu is on every page); a
        # page another role's walk has checked is only fetched
        menu = page.evaluate(
            "() => [...document.querySelectorAll('nav.staffnav a[href]')]"
            ".map(a => a.getAttribute('href'))"
        )
        assert "/can-bo/ho-so/" in menu and "/thong-ke/" in menu, (role, menu)
        for href in menu:
            if href in audit.keys:
                assert page.request.get(f"{live_server.url}{href}").ok, (role, href)
                continue
            with page.expect_navigation():
                page.locator(f'nav.staffnav a[href="{href}"]').click()
            assert urlsplit(page.url).path.startswith(href), (role, href, page.url)
            audit(page, f"{role}: menu {href}", href)

        # a dossier of the unit (its actions depend on the role), found again by the search
        page.goto(f"{live_server.url}/can-bo/ho-so/?status=all")
        dossier = next((m.group(1) for p in main_links(page) if (m := DOSSIER_LINK.match(p))), None)
        assert dossier is not None, role
        page.locator(f'main a[href="/can-bo/ho-so/{dossier}/"]').first.click()
        page.wait_for_url(f"**/can-bo/ho-so/{dossier}/")
        audit(page, f"{role}: dossier {dossier}")
        applicant = Dossier.objects.get(code=dossier).applicant.name
        page.get_by_label("Tìm hồ sơ").fill(applicant.split()[0])
        page.get_by_label("Tìm hồ sơ").press("Enter")
        page.wait_for_url("**/can-bo/ho-so/?q=*")
        assert dossier in listed(page), role
        audit(page, f"{role}: search results", "search")

        # a complaint of the queue (to classify, answer or read, by role)
        page.goto(f"{live_server.url}/can-bo/phan-anh/")
        if complaint := next(
            (m.group(1) for p in main_links(page) if (m := FEEDBACK_LINK.match(p))), None
        ):
            page.locator(f'main a[href="/can-bo/phan-anh/{complaint}/"]').click()
            page.wait_for_url(f"**/can-bo/phan-anh/{complaint}/")
            audit(page, f"{role}: complaint #{complaint}")
        if role == "leader":
            page.goto(f"{live_server.url}/can-bo/xin-loi/")
            page.locator("main a", has_text="Xem trước và ký số").first.click()
            page.wait_for_url("**/ky-so/")
            audit(page, f"{role}: sign an apology")
    print("\naxe-core checked:\n  " + "\n  ".join(audit.checked))  # noqa: T201 - the report


def test_the_desk_receives_a_dossier_with_the_keyboard_alone(page, live_server, city):
    login(page, live_server, demo_staff_by_role()[0][1])
    page.get_by_role("link", name="Tiếp nhận", exact=True).click()
    page.wait_for_url("**/can-bo/tiep-nhan/")
    axe(page, "reception")
    assert page.evaluate("document.activeElement.id") == "procedure-q"  # autofocus
    procedure = Procedure.objects.filter(units__code=data.DEMO_WARD).order_by("code").first()
    assert procedure is not None
    page.keyboard.type(procedure.code)
    page.keyboard.press("Enter")  # the search, without leaving the page (htmx)
    page.locator("#procedure-results a").first.wait_for()
    page.keyboard.press("Tab")  # the search button
    page.keyboard.press("Tab")  # the first result
    assert f"thu-tuc={procedure.code}" in page.evaluate("document.activeElement.href")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**thu-tuc={procedure.code}")
    page.locator("#reception-form").wait_for()
    axe(page, "reception form")
    page.shot("1-reception-form")

    # autofocus on the first paper; Space ticks it, Tab goes on in the order of the form
    n = procedure.documents.count()
    order = []
    for _i in range(n):
        order.append(page.evaluate("document.activeElement.name"))
        page.keyboard.press("Space")
        page.keyboard.press("Tab")
    typed = {
        "other_documents": "",
        "name": "Đỗ Thị Thu Hương",
        "id_number": "001190012345",
        "phone": "0904123456",
        "email": "",
        "address": "18 Phố Huế, Hai Bà Trưng",
    }
    for field, text in typed.items():
        order.append(page.evaluate("document.activeElement.name"))
        page.keyboard.type(text)
        if field != "address":
            page.keyboard.press("Tab")
    assert order == ["documents"] * n + list(typed)
    page.keyboard.press("Enter")  # in the last field of the applicant: receive
    page.wait_for_url("**/can-bo/ho-so/**")
    dossier = Dossier.objects.get(applicant__name="Đỗ Thị Thu Hương")
    assert dossier.code in page.url
    assert dossier.status == "received" or dossier.status == "in_progress"
    assert dossier.procedure_id == procedure.pk
    assert page.get_by_text("Đã tiếp nhận hồ sơ").first.is_visible()
    axe(page, "dossier just received")
    page.shot("2-received")
