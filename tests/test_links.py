"""The statistics are reachable: staff see them in the navigation, citizens on every portal page."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_staff_navigation_links_the_statistics_board(client, office):
    client.force_login(office.leader)
    page = client.get(reverse("office:home"))
    assert f'href="{reverse("reports:board")}"' in page.text


def test_the_portal_links_the_public_transparency_page(client, db):
    page = client.get("/")
    assert f'href="{reverse("reports:public")}"' in page.text
    assert client.get(reverse("reports:public")).status_code == 200
