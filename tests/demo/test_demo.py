from decimal import Decimal

import pytest
from django.core.management import call_command

from motcua.catalog.models import Procedure
from motcua.demo import data
from motcua.demo.loader import load_demo_city
from motcua.org.models import FocalPoint, Membership, Staff, Unit

pytestmark = pytest.mark.django_db


def _counts():
    return (
        Unit.objects.count(),
        Staff.objects.count(),
        Membership.objects.count(),
        FocalPoint.objects.count(),
        Procedure.objects.count(),
    )


def test_loading_the_demo_twice_changes_nothing():
    first = load_demo_city()
    assert first.changed
    after_first = _counts()
    second = load_demo_city()
    assert not second.changed
    assert _counts() == after_first


def test_the_demo_city_is_shaped_like_the_seeds():
    load_demo_city()
    kinds = {k: Unit.objects.filter(kind=k, active=True).count() for k in Unit.Kind.values}
    assert kinds["province"] >= 1 and kinds["service_center"] >= 1
    assert kinds["department"] >= 2
    assert Unit.objects.filter(kind="commune", active=True, parent__kind="province").count() >= 6
    assert Unit.objects.filter(active=False).exists()  # a retired unit keeps its place
    assert Procedure.objects.count() >= 30
    assert FocalPoint.objects.count() >= 25
    for procedure in Procedure.objects.prefetch_related("steps"):
        total = sum((s.duration_working_hours for s in procedure.steps.all()), Decimal(0))
        assert total == procedure.target_working_hours, procedure.code


def test_every_role_is_staffed_in_every_ward():
    load_demo_city()
    for ward in Unit.objects.filter(kind="commune", active=True):
        roles = set(Membership.objects.filter(unit=ward).values_list("role", flat=True))
        assert {"receptionist", "specialist", "head", "leader", "supervisor"} <= roles, ward


def test_the_demo_accounts_log_in_with_the_demo_password(client):
    load_demo_city()
    for username in ("admin", "tiepnhan", "chuyenvien", "truongphong", "lanhdao", "giamsat"):
        assert client.login(username=username, password=data.DEMO_PASSWORD), username
        client.logout()


def test_the_lanhdao_account_leads_the_demo_ward(client):
    load_demo_city()
    client.login(username="lanhdao", password=data.DEMO_PASSWORD)
    home = client.get("/can-bo/")
    assert Unit.objects.get(code=data.DEMO_WARD).name in home.text


def test_the_command_prints_the_demo_accounts(capsys):
    call_command("demo")
    out = capsys.readouterr().out
    assert "lanhdao" in out and data.DEMO_PASSWORD in out
