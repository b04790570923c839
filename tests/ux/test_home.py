"""Issue 19, findings 5 and 6: the staff home is the work that waits (counts that match the
lists their links open) and the menu shows every page a role uses."""

from __future__ import annotations

import re

import pytest

from motcua.dossiers.models import Dossier
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


def items(html):
    """(label, count, href) of each work item of the home page."""
    found = re.findall(
        r'<a href="([^"]+)" class="workitem[^"]*"><span class="count" data-count="(\d+)">'
        r"\d+</span> ([^<]+)</a>",
        html,
    )
    return [(label.strip(), int(n), href.replace("&amp;", "&")) for href, n, label in found]


def listed(client, href):
    page = client.get(href).content.decode()
    return set(re.findall(r"/can-bo/ho-so/([A-Z0-9.]+-\d{6}-\d{4,5})/", page))


def test_the_home_counts_what_waits_and_each_link_lists_exactly_those(
    client, office, proc, time_machine
):
    time_machine.move_to(at(19, 9), tick=False)
    early = receive(office, proc, now=at(19, 8)).dossier  # due in 4 working hours: 12:00 today
    receive(office, proc, now=at(19, 9))
    time_machine.move_to(at(20, 9), tick=False)  # the next day: both overdue
    receive(office, proc, now=at(20, 9))  # due today at 13:00
    client.force_login(office.specialist)
    html = client.get("/can-bo/").content.decode()
    got = {label: (n, href) for label, n, href in items(html)}
    assert got["Hồ sơ quá hạn"][0] == 2
    assert got["Hồ sơ đến hạn hôm nay"][0] == 1
    assert got["Bước xử lý đang chờ tôi"][0] == 3
    for _label, (n, href) in got.items():
        if "/can-bo/ho-so/" in href:
            assert len(listed(client, href)) == n, href
    overdue = listed(client, got["Hồ sơ quá hạn"][1])
    assert early.code in overdue
    assert overdue == {
        d.code
        for d in Dossier.objects.filter(
            due_at__lt=at(20, 9), status__in=["received", "in_progress"]
        )
    }


def test_a_leader_sees_the_apologies_to_sign_and_the_complaints_to_answer(client, office, proc):
    client.force_login(office.leader)
    html = client.get("/can-bo/").content.decode()
    labels = [label for label, _n, _h in items(html)]
    assert "Phiếu xin lỗi chờ ký" in labels
    assert "Phản ánh, kiến nghị chờ trả lời" in labels
    assert "Phản ánh, kiến nghị chờ phân loại" not in labels  # a supervisor classifies


def test_a_supervisor_sees_the_complaints_to_classify_and_the_link_lists_them(client, office):
    from motcua.feedback.models import Feedback

    client.force_login(office.supervisor)
    html = client.get("/can-bo/").content.decode()
    got = {label: (n, href) for label, n, href in items(html)}
    n, href = got["Phản ánh, kiến nghị chờ phân loại"]
    assert n == Feedback.objects.filter(status="new").count()
    r = client.get(href)
    assert r.status_code == 200


def test_the_menu_links_the_complaints_queue_and_a_search_box(client, office):
    client.force_login(office.receptionist)
    html = client.get("/can-bo/").content.decode()
    nav = html[html.index('class="staffnav"') :]
    assert 'href="/can-bo/phan-anh/"' in nav
    assert 'name="q"' in nav


def test_the_search_box_lists_a_citizens_dossiers_across_statuses(client, office, proc):
    d = receive(office, proc, now=at(19, 9)).dossier
    client.force_login(office.receptionist)
    r = client.get("/can-bo/ho-so/", {"q": "nguyen van an"})
    assert r.status_code == 200
    assert d.code in r.content.decode()
    r = client.get("/can-bo/ho-so/", {"q": "khong co ai"})
    assert d.code not in r.content.decode()


def test_another_units_staff_find_nothing_in_the_box(client, office, proc):
    d = receive(office, proc, now=at(19, 9)).dossier
    client.force_login(office.outsider)
    r = client.get("/can-bo/ho-so/", {"q": d.code})
    assert r.status_code == 200
    assert f"/can-bo/ho-so/{d.code}/" not in r.content.decode()


def test_the_complaints_queue_filters_by_a_unit_picked_from_a_list(client, office):
    client.force_login(office.supervisor)
    html = client.get("/can-bo/phan-anh/").content.decode()
    assert '<select name="unit"' in html
    assert f'<option value="{office.ward.code}">' in html
    assert client.get("/can-bo/phan-anh/", {"unit": office.ward.code}).status_code == 200
    assert client.get("/can-bo/phan-anh/", {"unit": "KHONG-CO"}).status_code == 400
