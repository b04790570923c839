"""Finding 11: sign, refuse, stop and return the result ran on one click with no confirmation, and
"Hoàn thành bước" showed while the apology gate locked the step. Now each irreversible action's
form carries a question (data-confirm, asked by the static motcua/confirm.js: the CSP forbids
inline script), and a gated step shows its completion disabled with the policy's reason."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from tests.dossiers.helpers import at, receive
from tests.factories import make_procedure

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def dossier(office) -> Dossier:
    procedure = make_procedure(units=[office.ward], name="Đăng ký khai sinh thử nghiệm")
    return receive(office, procedure, now=at(19, 9)).dossier


@pytest.fixture
def at_specialist(office, dossier) -> Dossier:
    """Step 1 done at 10:00; step 2 (specialist, 4 h) due 19/01 15:00."""
    step = dossier.steps.get(order=1)
    services.complete_step(step_id=step.pk, actor=office.receptionist, now=at(19, 10))
    return dossier


def page_of(client, dossier):
    return client.get(reverse("office:dossier", kwargs={"code": dossier.code})).text


def form_tag(html, action):
    found = re.search(rf'<form data-action="{action}"[^>]*>', html)
    assert found, f"no {action} form"
    return found.group(0)


def current(dossier):
    return dossier.steps.filter(status__in=["active", "paused"]).order_by("order").first()


def test_the_question_is_asked_by_a_static_script_on_every_staff_page(client, office):
    client.force_login(office.receptionist)
    html = client.get("/can-bo/").text
    assert '<script src="/static/motcua/confirm.js" defer></script>' in html
    script = (Path(settings.BASE_DIR) / "static/motcua/confirm.js").read_text()
    assert "data-confirm" in script and "window.confirm" in script
    assert "preventDefault" in script and "stopImmediatePropagation" in script
    # no inline script anywhere (CSP)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)


@time_machine.travel(at(19, 9, 30), tick=False)
def test_refuse_and_stop_ask_first(client, office, dossier):
    client.force_login(office.receptionist)
    html = page_of(client, dossier)
    for action in ("refuse", "stop"):
        tag = form_tag(html, action)
        assert "data-confirm=" in tag and dossier.code in tag
        assert "không hoàn tác được" in tag
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)


@time_machine.travel(at(19, 11), tick=False)
def test_returning_the_result_asks_first(client, office, at_specialist):
    services.complete_step(step_id=current(at_specialist).pk, actor=office.specialist)
    services.complete_step(step_id=current(at_specialist).pk, actor=office.leader)
    client.force_login(office.receptionist)
    tag = form_tag(page_of(client, at_specialist), "return")
    assert "data-confirm=" in tag and "trả kết quả" in tag


@time_machine.travel(at(20, 9), tick=False)
def test_a_gated_step_offers_no_completion_and_says_why(client, office, at_specialist):
    client.force_login(office.specialist)
    html = page_of(client, at_specialist)
    assert 'data-action="complete_step"' not in html  # no form that the service would refuse
    assert not re.search(r"<button[^>]*>Hoàn thành bước", html), html
    reason = re.search(r'<p class="muted" id="complete-locked"[^>]*>([^<]+)</p>', html)
    assert reason and "Lãnh đạo đơn vị ký phiếu" in reason.group(1)
    # the reason shown is the service's own refusal
    refused = client.post(
        reverse("office:complete_step", kwargs={"code": at_specialist.code}),
        {"step": current(at_specialist).pk},
        **HX,
    )
    assert refused.status_code == 409
    assert reason.group(1).split(".")[0][:40] in refused.text


@time_machine.travel(at(20, 9), tick=False)
def test_signing_an_apology_asks_first_on_the_dossier_and_on_the_list(
    client, office, at_specialist
):
    services.draft_apology(
        dossier_id=at_specialist.pk,
        actor=office.specialist,
        reason="Chờ xác minh của Công an phường",
    )
    client.force_login(office.leader)
    tag = form_tag(page_of(client, at_specialist), "sign_apology")
    assert "data-confirm=" in tag and "không hủy được" in tag
    tag = form_tag(client.get(reverse("office:apologies")).text, "sign_apology")
    assert "data-confirm=" in tag


@time_machine.travel(at(19, 11), tick=False)
def test_an_open_step_still_completes_with_one_click(client, office, at_specialist):
    client.force_login(office.specialist)
    tag = form_tag(page_of(client, at_specialist), "complete_step")
    assert "data-confirm" not in tag  # a step hands over; it is not irreversible
