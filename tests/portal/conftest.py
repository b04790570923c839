"""Places of the portal tests: procedures a citizen can find and submit, a dossier to look up."""

from __future__ import annotations

import pytest

from motcua.dossiers.services import submit_online
from tests.factories import papers
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
    return submit_online(
        procedure_code=birth.code,
        documents=papers(birth),
        unit_code=office.ward.code,
        applicant=APPLICANT,
    )


@pytest.fixture
def media(settings, tmp_path):
    """Uploads go to a folder of the test (MEDIA_ROOT)."""
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return tmp_path
