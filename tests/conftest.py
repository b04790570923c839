"""Personas and places shared by the whole suite (STYLE.md §5)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.conf import settings as django_settings
from django.utils import translation

from motcua.org.models import Staff, Unit
from tests.factories import make_staff, make_unit


@pytest.fixture(autouse=True)
def _vietnamese_first():
    """Every test starts in the site's language: a test (or a server thread) that switched to
    English must not leak it into the next one."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _documents_in_a_test_folder(settings, tmp_path_factory):
    """The files of dossiers go to a folder of the test session, never to var/."""
    settings.MOTCUA_DOCUMENTS = {
        **settings.MOTCUA_DOCUMENTS,
        "ROOT": str(tmp_path_factory.getbasetemp() / "documents"),
        "S3_BUCKET": "",
    }


@pytest.fixture(scope="session")
def _signing_demo_dir(tmp_path_factory) -> str:
    return str(tmp_path_factory.mktemp("signatures-demo"))


@pytest.fixture(autouse=True)
def _demo_signing_keys(settings, _signing_demo_dir):
    """Leaders sign with keys of the DEMO CA (motcua/signatures/demo.py), as `make run` does;
    tests/signatures/ configure PKCS#12 files, SoftHSM2 and the fake remote signer themselves."""
    settings.SIGNATURES = {
        **settings.SIGNATURES,
        "demo_dir": _signing_demo_dir,
        "demo_fallback": True,
        "trust_demo": True,
    }


@dataclass
class Office:
    city: Unit
    ward: Unit
    other_ward: Unit
    receptionist: Staff
    specialist: Staff
    head: Staff
    leader: Staff
    supervisor: Staff
    outsider: Staff


@pytest.fixture
def office(db) -> Office:
    city = make_unit(code="TP", name="Thành phố Thử Nghiệm", kind="province")
    ward = make_unit(code="TP.01", name="Phường Hoàn Kiếm Thử", parent=city)
    other = make_unit(code="TP.02", name="Phường Ba Đình Thử", parent=city)
    return Office(
        city=city,
        ward=ward,
        other_ward=other,
        receptionist=make_staff(username="tiepnhan", roles=[(ward, "receptionist")]),
        specialist=make_staff(username="chuyenvien", roles=[(ward, "specialist")]),
        head=make_staff(username="truongphong", roles=[(ward, "head")]),
        leader=make_staff(username="lanhdao", full_name="Trần Văn Lãnh", roles=[(ward, "leader")]),
        supervisor=make_staff(username="giamsat", roles=[(ward, "supervisor")]),
        outsider=make_staff(
            username="nguoingoai", full_name="Lê Thị Ngoài", roles=[(other, "leader")]
        ),
    )
