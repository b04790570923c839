"""The Decision 766 board (issue 22, item 2): each indicator equals a plain Python recount over
the same dossiers; the weights sum to 100; what MotCua has no data for shows as such."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from io import BytesIO

import pytest

from motcua.access.services import issue_token
from motcua.catalog.models import Procedure
from motcua.dossiers.models import Dossier, DossierStep
from motcua.reports import board766
from motcua.reports.selectors import Period
from tests.dossiers.helpers import at as jan
from tests.factories import make_procedure
from tests.reports.accountability_helpers import History
from tests.reports.helpers import at, dossier_row

pytestmark = pytest.mark.django_db

JANUARY = Period(date(2026, 1, 1), date(2026, 2, 1))
NOW = jan(30, 12)


def pct(num: int, den: int) -> Decimal | None:
    if not den:
        return None
    return (Decimal(num) * 100 / Decimal(den)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@pytest.fixture
def city(office):
    h = History(office)  # one procedure with steps through the services (online: none)
    h.play(day=19, who=h.a, second_hours=5)
    h.play(day=20, who=h.b, second_hours=2)
    online = make_procedure(units=[office.ward], online_mode="full", legal_basis="Luật Hộ tịch")
    make_procedure(units=[office.ward], online_mode="partial")  # no legal basis: incomplete
    rows = []
    for i in range(30):
        received = at(2026, 1, 5) + timedelta(hours=i * 9)
        rows.append(
            dossier_row(
                unit=office.ward,
                procedure=online,
                received_at=received,
                channel="online" if i % 3 else "counter",
                ready_at=received + timedelta(days=2 + i % 4) if i < 24 else None,
            )
        )
    rows.append(  # another ward's: not counted for this ward
        dossier_row(unit=office.other_ward, procedure=online, received_at=at(2026, 1, 6))
    )
    Dossier.objects.bulk_create(rows)
    return h


def _provided(received, resolved) -> dict[str, Decimal | None]:
    """The documents and signatures apps' figures by hand: no data while they hold none of the
    citizen's papers (forms the office issued do not count) for these dossiers, else the share of dossiers with a digitised paper / a signed result."""
    from motcua.documents.models import Document
    from motcua.signatures.models import SignedFile

    received_ids = {d.pk for d in received}
    resolved_codes = {d.code: d.pk for d in resolved}
    files = [f for f in Document.objects.all() if f.dossier_id in received_ids]
    digitised = {f.dossier_id for f in files if f.kind in ("submitted", "scan", "supplement")}
    results = [
        f
        for f in Document.objects.all()
        if f.kind == "result" and f.dossier_id in set(resolved_codes.values())
    ]
    signed_results = [
        s
        for s in SignedFile.objects.all()
        if s.kind == "result" and s.dossier_code in resolved_codes
    ]
    signed = {f.dossier_id for f in results if f.signed} | {
        resolved_codes[s.dossier_code] for s in signed_results
    }
    return {
        "d_digitised": pct(len(digitised), len(received)) if digitised else None,
        "d_e_result": (pct(len(signed), len(resolved)) if results or signed_results else None),
    }


def _paid_by_hand(ward) -> Decimal | None:
    from motcua.payments.models import Charge

    paid = [
        c
        for c in Charge.objects.all()
        if c.unit_id == ward.pk
        and c.paid_at is not None
        and JANUARY.start_at <= c.paid_at < JANUARY.end_at
        and c.status in ("paid", "refunded")
    ]
    return pct(sum(1 for c in paid if c.paid_online), len(paid)) if paid else None


def recount(office) -> dict[str, Decimal | None]:
    """Every indicator by hand over the rows (no ORM aggregate)."""
    ward = office.ward
    last_day = date(2026, 1, 31)
    offered = [
        p
        for p in Procedure.objects.all()
        if ward in p.units.all()
        and p.effective_from <= last_day
        and (p.effective_to is None or p.effective_to >= last_day)
    ]
    complete = [
        p
        for p in offered
        if p.documents.exists()
        and p.steps.exists()
        and (p.legal_working_days is not None or p.legal_working_hours is not None)
        and p.legal_basis
    ]
    online = [p for p in offered if p.online_mode != "none"]
    mine = [d for d in Dossier.objects.all() if d.unit_id == ward.pk]
    received = [
        d for d in mine if d.received_at and JANUARY.start_at <= d.received_at < JANUARY.end_at
    ]
    resolved = [d for d in mine if d.ready_at and JANUARY.start_at <= d.ready_at < JANUARY.end_at]
    as_of = min(JANUARY.end_at, NOW)
    open_at_end = [
        d
        for d in mine
        if d.received_at
        and d.received_at < as_of
        and not (d.ready_at and d.ready_at < as_of)
        and d.status not in ("stopped", "refused", "submitted")
    ]
    overdue = [d for d in open_at_end if d.original_due_at and d.original_due_at < as_of]
    steps = [
        s
        for s in DossierStep.objects.select_related("dossier")
        if s.counted
        and s.status == "done"
        and s.dossier.unit_id == ward.pk
        and JANUARY.start_at <= s.finished_at < JANUARY.end_at
    ]
    return {
        "t_catalog": pct(len(complete), len(offered)),
        "t_lookup": pct(sum(1 for d in received if d.lookup_secret_hash), len(received)),
        "t_sync": None,
        "p_on_time": pct(
            sum(1 for d in resolved if d.timeliness in ("early", "on_time")), len(resolved)
        ),
        "p_in_time": pct(len(open_at_end) - len(overdue), len(open_at_end)),
        "p_steps": pct(sum(1 for s in steps if s.timeliness in ("early", "on_time")), len(steps)),
        **_provided(received, resolved),
        "o_offered": pct(len(online), len(offered)),
        "o_used": pct(
            len(
                {d.procedure_id for d in received if d.channel == "online"} & {p.pk for p in online}
            ),
            len(online),
        ),
        "o_share": pct(sum(1 for d in received if d.channel == "online"), len(received)),
        "o_paid": _paid_by_hand(ward),
        "s_pakn_on_time": None,
        "s_pakn_satisfied": None,
        "s_tthc_satisfied": pct(len(resolved), len(resolved)),
    }


def test_each_indicator_equals_the_plain_recount(city, office):
    board = board766.board(period=JANUARY, unit_ids=frozenset({office.ward.pk}), now=NOW)
    expected = recount(office)
    got = {i.spec.code: i.value for g in board.groups for i in g.indicators}
    assert got == expected
    assert expected["p_steps"] is not None and expected["o_share"] is not None


def test_the_weights_sum_to_100_and_each_group_sums_its_indicators():
    assert board766.weights_total() == 100
    for g in board766.GROUPS:
        assert sum(i.points for i in g.indicators) == g.weight


NOWHERE = {
    name: "motcua.nowhere.selectors.figures"
    for name in ("digitisation", "electronic_results", "online_payment")
}


def test_missing_data_shows_as_such_never_a_number(city, office, settings):
    settings.MOTCUA_766_PROVIDERS = NOWHERE  # as before issues 15, 16 and 18 landed
    board = board766.board(period=JANUARY, unit_ids=frozenset({office.ward.pk}), now=NOW)
    digitisation = next(g for g in board.groups if g.spec.code == "digitisation")
    assert digitisation.score is None
    assert all(i.value is None and i.score is None for i in digitisation.indicators)
    assert board.max_available < 100
    assert board.total == sum(g.score for g in board.groups if g.score is not None)


def _paid(*, start_at, end_at, unit_ids):
    """A provider as payments would register it: counted from the dossiers (the fee is 0 in
    this catalog, so: online dossiers paid online of all online dossiers)."""
    qs = Dossier.objects.filter(received_at__gte=start_at, received_at__lt=end_at)
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=unit_ids)
    return qs.filter(channel="online").count(), qs.count()


def test_a_provider_found_by_name_fills_its_indicator(city, office, settings):
    settings.MOTCUA_766_PROVIDERS = {"online_payment": f"{__name__}._paid"}
    board = board766.board(period=JANUARY, unit_ids=frozenset({office.ward.pk}), now=NOW)
    assert board.value("o_paid") == recount(office)["o_share"]
    settings.MOTCUA_766_PROVIDERS = {"online_payment": "motcua.nowhere.selectors.figures"}
    again = board766.board(period=JANUARY, unit_ids=frozenset({office.ward.pk}), now=NOW)
    assert again.value("o_paid") is None


def test_the_api_answers_the_contract(client, city, office, settings):
    settings.MOTCUA_766_PROVIDERS = NOWHERE
    auth = {"Authorization": f"Bearer {issue_token(staff=office.leader)[0]}"}
    params = {"from": "2026-01-01", "to": "2026-02-01", "unit": office.ward.code}
    body = client.get("/api/v1/stats/766", params, headers=auth).json()
    assert sum(g["weight"] for g in body["groups"]) == 100
    digitisation = next(g for g in body["groups"] if g["code"] == "digitisation")
    assert digitisation["score"] is None
    assert all(i["value"] is None and i["formula"] for i in digitisation["indicators"])
    values = {i["code"]: i["value"] for g in body["groups"] for i in g["indicators"]}
    assert values["o_share"] == float(recount(office)["o_share"])
    assert isinstance(body["total"], float)
    other = client.get(
        "/api/v1/stats/766", {**params, "unit": office.other_ward.code}, headers=auth
    )
    assert other.status_code == 404
    bad = client.get("/api/v1/stats/766", {**params, "from": "2026-13-01"}, headers=auth)
    assert bad.status_code == 422


def test_the_page_writes_every_formula_and_the_rank(client, city, office, settings):
    settings.MOTCUA_766_PROVIDERS = NOWHERE
    client.force_login(office.leader)
    page = client.get("/thong-ke/766/", {"from": "2026-01-01", "to": "2026-02-01"})
    assert page.status_code == 200
    text = page.content.decode()
    for g in board766.GROUPS:
        for i in g.indicators:
            assert str(i.formula) in text
    assert "chưa có dữ liệu" in text
    assert "Thứ hạng trong các đơn vị cùng cấp" in text
    assert client.get("/thong-ke/766/", {"unit": office.other_ward.code}).status_code == 404


def _pdf() -> bytes:
    from pypdf import PdfWriter

    pdf = BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.write(pdf)
    return pdf.getvalue()


def test_without_any_file_result_or_fee_those_indicators_have_no_data(city, office):
    board = board766.board(period=JANUARY, unit_ids=frozenset({office.ward.pk}), now=NOW)
    assert (board.value("d_digitised"), board.value("d_e_result"), board.value("o_paid")) == (
        None,
        None,
        None,
    )
    assert next(g for g in board.groups if g.spec.code == "digitisation").score is None


def test_the_digitisation_figures_of_the_documents_app_are_wired(city, office):
    from motcua.documents import services

    dossier = Dossier.objects.filter(unit=office.ward, received_at__isnull=False).first()
    services.add_document(
        dossier_id=dossier.pk,
        data=_pdf(),
        name="to-khai.pdf",
        kind="scan",
        source="counter",
        actor=office.receptionist,
        now=dossier.received_at,
    )
    board = board766.board(period=JANUARY, unit_ids=frozenset({office.ward.pk}), now=NOW)
    assert board.value("d_digitised") == recount(office)["d_digitised"] > 0
    assert board.value("d_digitised") < 100  # one of the month's dossiers, not all


def test_a_signed_electronic_result_counts_and_an_unsigned_one_does_not(city, office):
    from motcua.documents import services

    ready = list(
        Dossier.objects.filter(
            unit=office.ward, status="ready", ready_at__gte=JANUARY.start_at
        ).order_by("pk")[:2]
    )
    for dossier, signed in zip(ready, (True, False), strict=True):
        services.register_result(
            dossier_id=dossier.pk,
            data=_pdf(),
            name="ket-qua.pdf",
            issued_on=date(2026, 1, 20),
            actor=office.receptionist,
            signed=signed,
            now=jan(20, 10),
        )
    board = board766.board(period=JANUARY, unit_ids=frozenset({office.ward.pk}), now=NOW)
    expected = recount(office)["d_e_result"]
    resolved = Dossier.objects.filter(
        unit=office.ward, ready_at__gte=JANUARY.start_at, ready_at__lt=JANUARY.end_at
    ).count()
    assert board.value("d_e_result") == expected == pct(1, resolved)


def test_the_online_payment_figures_of_the_payments_app_are_wired(city, office):
    from motcua.payments.services import FeeSpec, fix_amount_due, pay_at_counter, set_fee_schedule
    from tests.dossiers.helpers import receive

    figures = board766.provider("online_payment")(
        start_at=JANUARY.start_at, end_at=JANUARY.end_at, unit_ids=frozenset({office.ward.pk})
    )
    assert figures is None  # the app answered: no fee paid yet, so no data on the board
    paying = make_procedure(units=[office.ward])
    set_fee_schedule(
        procedure=paying,
        items=[FeeSpec(name="Lệ phí", kind="charge", amount=20_000, legal_basis="NQ 06/2020")],
        exemptions=[],
        actor=None,
    )
    d = receive(office, paying, now=jan(19, 9)).dossier
    fix_amount_due(dossier_id=d.pk, actor=office.receptionist, now=jan(19, 9))
    pay_at_counter(
        dossier=d, method="cash", amount=20_000, actor=office.receptionist, now=jan(19, 10)
    )
    board = board766.board(period=JANUARY, unit_ids=frozenset({office.ward.pk}), now=NOW)
    assert board.value("o_paid") == recount(office)["o_paid"] == Decimal("0.00")  # paid, not online
