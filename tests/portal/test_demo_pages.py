"""Every citizen page of the demo city opens (real data: many fields, units, fees, modes)."""

import pytest
from django.urls import reverse

from motcua.catalog.selectors import list_procedures
from motcua.demo.loader import load_demo_city

pytestmark = pytest.mark.django_db


def test_every_procedure_page_and_the_directory_of_the_demo_city_open(client):
    load_demo_city()
    assert client.get("/").status_code == 200
    catalog = client.get(reverse("portal:catalog"))
    assert catalog.status_code == 200
    procedures = list(list_procedures())
    assert procedures
    for p in procedures:
        page = client.get(reverse("portal:procedure", args=[p.code]))
        assert page.status_code == 200, p.code
        if p.online_mode != "none" and p.units.exists():
            assert client.get(reverse("portal:submit", args=[p.code])).status_code == 200, p.code
    contacts = client.get(reverse("portal:contacts"))
    assert contacts.status_code == 200
    assert contacts.text.count("<section") >= 5
