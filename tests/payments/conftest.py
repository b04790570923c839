import pytest

from motcua.payments.services import ExemptionSpec, FeeSpec, fix_amount_due, set_fee_schedule
from tests.dossiers.helpers import at, receive
from tests.factories import make_procedure


@pytest.fixture
def procedure(office):
    """A procedure of the ward, online, with a fee and a charge (15.000 + 50.000 đồng) and one
    exemption (100 %) and one reduction (50 %)."""
    p = make_procedure(units=[office.ward], online_mode="full")
    set_fee_schedule(
        procedure=p,
        items=[
            FeeSpec(
                name="Phí thẩm định",
                kind="fee",
                amount=15_000,
                legal_basis="Thông tư 85/2019/TT-BTC",
            ),
            FeeSpec(
                name="Lệ phí cấp giấy",
                kind="charge",
                amount=50_000,
                legal_basis="Nghị quyết 06/2020/NQ-HĐND",
            ),
        ],
        exemptions=[
            ExemptionSpec(code="nguoi-co-cong", reason="Người có công với cách mạng", percent=100),
            ExemptionSpec(code="ho-ngheo", reason="Hộ nghèo", percent=50),
        ],
        actor=None,
    )
    return p


@pytest.fixture
def dossier(office, procedure):
    d = receive(office, procedure, now=at(19, 9)).dossier
    fix_amount_due(dossier_id=d.pk, actor=office.receptionist, now=at(19, 9))
    return d
