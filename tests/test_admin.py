"""Every admin page an administrator can open answers, in Vietnamese, never with a 500."""

import pytest
from django.contrib import admin
from django.urls import reverse

from motcua.demo.loader import load_demo_city

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_admin(client):
    load_demo_city()
    from motcua.org.models import Staff

    client.force_login(Staff.objects.get(username="admin"))
    return client


def test_every_admin_list_add_and_change_page_opens(demo_admin):
    opened = 0
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        listing = demo_admin.get(reverse("admin:{}_{}_changelist".format(*info)))
        assert listing.status_code == 200, info
        if model_admin.has_add_permission(listing.wsgi_request):
            assert demo_admin.get(reverse("admin:{}_{}_add".format(*info))).status_code == 200, info
        first = model._default_manager.first()
        if first is not None:
            change = demo_admin.get(reverse("admin:{}_{}_change".format(*info), args=[first.pk]))
            assert change.status_code == 200, info
        opened += 1
    assert opened >= 6


def test_the_admin_speaks_vietnamese(demo_admin):
    page = demo_admin.get("/admin/")
    assert "Quản trị hệ thống một cửa điện tử" in page.text
    assert "Thủ tục hành chính" in page.text or "thủ tục hành chính" in page.text


def test_the_admin_searches_procedures_by_name(demo_admin):
    page = demo_admin.get(reverse("admin:catalog_procedure_changelist"), {"q": "khai sinh"})
    assert page.status_code == 200
    assert "khai sinh" in page.text.lower()


def test_every_configuration_history_page_opens_for_the_administrator(demo_admin):
    from datetime import time

    from simple_history.admin import SimpleHistoryAdmin

    from motcua.workdays.services import set_office_hours

    set_office_hours(unit=None, sessions={0: [(time(8), time(12))]}, actor=None)
    opened = set()
    for model, model_admin in admin.site._registry.items():
        if not isinstance(model_admin, SimpleHistoryAdmin):
            continue
        info = (model._meta.app_label, model._meta.model_name)
        first = model._default_manager.first()
        assert first is not None, info
        page = demo_admin.get(reverse("admin:{}_{}_history".format(*info), args=[first.pk]))
        assert page.status_code == 200, info
        assert "Lịch sử thay đổi" in page.text, info
        opened.add(".".join(info))
    assert opened == {
        "catalog.procedure",
        "org.unit",
        "org.membership",
        "org.focalpoint",
        "workdays.officehours",
        "notifications.template",
    }
