"""The administrator edits the notice templates with a preview and re-sends from the outbox."""

from __future__ import annotations

import pytest
from django.urls import reverse

from motcua.notifications.models import Message, Template
from motcua.notifications.services import Recipient, queue_message
from motcua.org.models import Staff


@pytest.fixture
def admin_client(client, db):
    admin = Staff.objects.create_superuser("quantri", "mat-khau-thu", full_name="Quản Trị Viên")
    client.force_login(admin)
    return client


def form_data(template: Template, **changes):
    data = {
        f: getattr(template, f)
        for f in ("name", "subject_vi", "body_vi", "short_vi", "subject_en", "body_en", "short_en")
    }
    return {**data, **changes}


def test_the_template_list_shows_every_shipped_template(admin_client):
    Template.objects.all().delete()
    page = admin_client.get(reverse("admin:notifications_template_changelist"))
    assert page.status_code == 200
    assert "Thư xin lỗi và hẹn lại ngày trả kết quả (Mẫu 04)" in page.content.decode()
    assert Template.objects.filter(code="dossier_apology").exists()


def test_the_preview_renders_the_text_being_edited_with_sample_data(admin_client):
    template = Template.objects.get(code="dossier_received")
    url = reverse("admin:notifications_template_preview", args=[template.pk])
    page = admin_client.post(
        url, form_data(template, body_vi="Hồ sơ {{ code }} hẹn trả {{ due_at|date:'d/m/Y' }}.")
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "Hồ sơ H26.74-260309-0001 hẹn trả 12/03/2026." in text
    template.refresh_from_db()
    assert "Kính gửi" in template.body_vi  # a preview saves nothing
    saved = admin_client.get(url).content.decode()
    assert "Kính gửi Nguyễn Thị Lan," in saved


def test_an_edited_template_is_what_the_next_notice_says(admin_client):
    template = Template.objects.get(code="test_notice")
    url = reverse("admin:notifications_template_change", args=[template.pk])
    answer = admin_client.post(url, form_data(template, body_vi="Thông báo mới: {{ text }}"))
    assert answer.status_code == 302
    template.refresh_from_db()
    assert template.updated_by.username == "quantri"
    message = queue_message(
        recipient=Recipient(email="a@example.vn"),
        channel="email",
        template_code="test_notice",
        context={"text": "đã sửa"},
    )
    assert message.body == "Thông báo mới: đã sửa"


def test_a_template_with_a_syntax_error_is_refused_with_a_message(admin_client):
    template = Template.objects.get(code="test_notice")
    url = reverse("admin:notifications_template_change", args=[template.pk])
    answer = admin_client.post(url, form_data(template, body_vi="{% if text %}Không đóng"))
    assert answer.status_code == 200
    assert "Mẫu có lỗi cú pháp" in answer.content.decode()
    template.refresh_from_db()
    assert "Không đóng" not in template.body_vi


def test_restoring_the_default_text(admin_client):
    Template.objects.filter(code="test_notice").update(body_vi="Đã sửa")
    template = Template.objects.get(code="test_notice")
    admin_client.post(
        reverse("admin:notifications_template_changelist"),
        {"action": "restore_defaults", "_selected_action": [template.pk]},
    )
    assert Template.objects.get(code="test_notice").body_vi.startswith("{{ text|default")


def test_the_outbox_is_read_only_and_a_message_can_be_sent_again(admin_client):
    message = queue_message(
        recipient=Recipient(name="Lan", email="lan@example.vn"),
        channel="email",
        template_code="test_notice",
        context={},
    )
    Message.objects.filter(pk=message.pk).update(status=Message.Status.GIVEN_UP)
    change = admin_client.get(reverse("admin:notifications_message_change", args=[message.pk]))
    assert change.status_code == 200 and 'name="_save"' not in change.content.decode()
    admin_client.post(
        reverse("admin:notifications_message_changelist"),
        {"action": "resend", "_selected_action": [message.pk]},
    )
    again = Message.objects.get(resent_from=message)
    assert again.status == Message.Status.QUEUED and again.body == message.body
