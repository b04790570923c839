import pytest

from tests.dossiers.helpers import procedure_with
from tests.factories import make_procedure


@pytest.fixture
def procedure(office):
    """3 working days; steps 2 h (receptionist), 4 h (specialist), 2 h (leader)."""
    return make_procedure(units=[office.ward], online_mode="full")


@pytest.fixture
def with_return_step(office):
    """The demo's shape: counted steps, then a 0-hour "Trả kết quả" step at the desk."""
    return procedure_with(
        units=[office.ward],
        code="9.900001",
        steps=[
            ("Tiếp nhận, chuyển hồ sơ", "receptionist", "2"),
            ("Thẩm định", "specialist", "12"),
            ("Ký duyệt", "leader", "2"),
            ("Trả kết quả", "receptionist", "0"),
        ],
    )
