"""Places of the portal tests: procedures a citizen can find and submit, a dossier to look up."""

from __future__ import annotations

import pytest

from motcua.dossiers.services import submit_online
from tests.factories import papers, with_files
from tests.portal.helpers import APPLICANT, make_birth, make_building


@pytest.fixture
def birth(office):
    """Đăng ký khai sinh: online (full), three papers (two required), free, at the ward."""
    return make_birth(office)


@pytest.fixture
def building(office):
    """Cấp giấy phép xây dựng: walk-in only, a fee, green lane (investment), two wards."""
    return make_building(office)


@pytest.fixture
def submitted(office, birth):
    """An online submission of the birth registration and its look-up secret."""
    created = submit_online(
        procedure_code=birth.code,
        documents=papers(birth),
        unit_code=office.ward.code,
        applicant=APPLICANT,
    )
    with_files(created.dossier)  # the portal stores a file for each paper
    return created


@pytest.fixture
def media(settings, tmp_path):
    """Uploads go to a folder of the test (MEDIA_ROOT)."""
    settings.MEDIA_ROOT = tmp_path / "uploads"
    settings.MOTCUA_DOCUMENTS = {
        **settings.MOTCUA_DOCUMENTS,
        "ROOT": str(tmp_path / "documents"),
        "S3_BUCKET": "",
    }
    return tmp_path
