"""The documents services on both storages (filesystem, S3 through moto's server)."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from motcua.documents import services, storage
from motcua.documents.errors import FileRefused, ReuseNotAllowed
from motcua.documents.models import (
    Document,
    DocumentEvent,
    Kind,
    ProcedureDocumentRules,
    ResultRecord,
    Source,
    StagedFile,
)
from motcua.documents.selectors import (
    digitisation_figures,
    papers_with_files,
    papers_without_file,
    reuse_offers,
)
from motcua.dossiers.errors import DossierNotFound, PapersWithoutFiles
from motcua.dossiers.services import accept_dossier, acceptance_refusal
from tests.documents.conftest import PNG, online_dossier, pdf_bytes

pytestmark = pytest.mark.django_db


def _paper(procedure, name):
    return procedure.documents.get(name=name)


def test_a_pdf_is_stored_with_its_facts_and_one_event(doc_storage, office, procedure):
    d = online_dossier(procedure, office.ward)
    data = pdf_bytes(3)
    doc = services.add_document(
        dossier_id=d.pk,
        data=data,
        name="Tờ khai đăng ký.pdf",
        kind=Kind.SCAN,
        source=Source.COUNTER,
        paper_id=_paper(procedure, "Tờ khai đăng ký").pk,
        actor=office.receptionist,
    )
    assert (doc.media_type, doc.size, doc.pages, doc.name) == (
        "application/pdf",
        len(data),
        3,
        "Tờ khai đăng ký.pdf",
    )
    import hashlib

    assert doc.sha256 == hashlib.sha256(data).hexdigest()
    assert b"".join(services.content_of(doc)) == data
    assert DocumentEvent.objects.filter(document=doc, kind="added").count() == 1


@pytest.mark.parametrize(
    ("data", "name", "why"),
    [
        (b"", "trong.pdf", "0 byte"),
        (b"MZ\x90\x00 this is an exe", "virus.pdf", "không phải tệp PDF"),
        (b"%PDF-1.4\n garbage with no pages", "hong.pdf", "bị hỏng"),
        (None, "../../etc/passwd.pdf", "đường dẫn"),
        (None, "C:\\x\\y.pdf", "đường dẫn"),
        (None, "a\ud800b.pdf", "ký tự không hợp lệ"),
    ],
)
def test_bad_files_are_refused_naming_the_file_and_store_nothing(
    doc_storage, office, procedure, data, name, why
):
    d = online_dossier(procedure, office.ward)
    with pytest.raises(FileRefused) as exc:
        services.add_document(
            dossier_id=d.pk,
            data=pdf_bytes() if data is None else data,
            name=name,
            kind=Kind.SCAN,
            source=Source.COUNTER,
            actor=office.receptionist,
        )
    assert why in exc.value.message
    assert "Tệp “" in exc.value.message
    assert Document.objects.count() == 0
    assert list(storage.walk("d")) == []


def test_an_encrypted_pdf_is_refused(doc_storage, office, procedure):
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(width=100, height=100)
    w.encrypt("mat-khau")
    out = io.BytesIO()
    w.write(out)
    d = online_dossier(procedure, office.ward)
    with pytest.raises(FileRefused, match="mật khẩu"):
        services.add_document(
            dossier_id=d.pk,
            data=out.getvalue(),
            name="ma-hoa.pdf",
            kind=Kind.SCAN,
            source=Source.COUNTER,
            actor=office.receptionist,
        )


def test_size_and_count_limits_per_file_and_per_dossier(doc_storage, settings, office, procedure):
    settings.MOTCUA_DOCUMENTS = {
        **settings.MOTCUA_DOCUMENTS,
        "MAX_FILE_BYTES": 1000,
        "MAX_DOSSIER_FILES": 2,
    }
    d = online_dossier(procedure, office.ward)
    with pytest.raises(FileRefused, match="vượt quá mức tối đa"):
        services.add_document(
            dossier_id=d.pk,
            data=PNG + b"\0" * 2000,
            name="to.png",
            kind=Kind.SCAN,
            source=Source.COUNTER,
            actor=office.receptionist,
        )
    for i in range(2):
        services.add_document(
            dossier_id=d.pk,
            data=PNG,
            name=f"a{i}.png",
            kind=Kind.SCAN,
            source=Source.COUNTER,
            actor=office.receptionist,
        )
    with pytest.raises(FileRefused, match="mức tối đa cho một hồ sơ"):
        services.add_document(
            dossier_id=d.pk,
            data=PNG,
            name="a3.png",
            kind=Kind.SCAN,
            source=Source.COUNTER,
            actor=office.receptionist,
        )
    assert Document.objects.filter(dossier=d).count() == 2


def test_another_units_staff_cannot_add_a_file(doc_storage, office, procedure):
    d = online_dossier(procedure, office.ward)
    with pytest.raises(DossierNotFound):
        services.add_document(
            dossier_id=d.pk,
            data=PNG,
            name="x.png",
            kind=Kind.SCAN,
            source=Source.COUNTER,
            actor=office.outsider,
        )
    assert list(storage.walk("d")) == []


def test_a_rollback_leaves_an_orphan_never_a_row_and_the_sweep_removes_it(
    doc_storage, office, procedure
):
    d = online_dossier(procedure, office.ward)

    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        services.add_document(
            dossier_id=d.pk,
            data=PNG,
            name="x.png",
            kind=Kind.SCAN,
            source=Source.COUNTER,
            actor=office.receptionist,
        )
        raise Boom
    assert Document.objects.count() == 0
    keys = list(storage.walk("d"))
    assert len(keys) == 1  # the orphan: bytes stored before the row, the row rolled back
    assert services.sweep_orphans() == 0  # within the grace period it stays
    assert services.sweep_orphans(now=timezone.now() + timedelta(days=1)) == 1
    assert list(storage.walk("d")) == []


def test_the_sweep_keeps_the_bytes_of_rows(doc_storage, office, procedure):
    d = online_dossier(procedure, office.ward)
    doc = services.add_document(
        dossier_id=d.pk,
        data=PNG,
        name="x.png",
        kind=Kind.SCAN,
        source=Source.COUNTER,
        actor=office.receptionist,
    )
    assert services.sweep_orphans(now=timezone.now() + timedelta(days=2)) == 0
    assert b"".join(services.content_of(doc)) == PNG


def test_checking_against_the_original_is_the_receptionists(doc_storage, office, procedure):
    from motcua.core.errors import NotAllowed
    from motcua.documents.errors import AlreadyChecked

    d = online_dossier(procedure, office.ward)
    doc = services.add_document(
        dossier_id=d.pk,
        data=PNG,
        name="x.png",
        kind=Kind.SCAN,
        source=Source.COUNTER,
        actor=office.receptionist,
    )
    with pytest.raises(NotAllowed, match="cán bộ tiếp nhận"):
        services.check_document(dossier_id=d.pk, document_id=doc.pk, actor=office.leader)
    checked = services.check_document(
        dossier_id=d.pk, document_id=doc.pk, actor=office.receptionist
    )
    assert checked.checked_by == office.receptionist and checked.checked_at is not None
    with pytest.raises(AlreadyChecked):
        services.check_document(dossier_id=d.pk, document_id=doc.pk, actor=office.receptionist)


def test_accepting_an_online_dossier_needs_a_file_for_every_mandatory_paper(
    doc_storage, office, procedure
):
    d = online_dossier(procedure, office.ward)
    with pytest.raises(PapersWithoutFiles) as exc:
        accept_dossier(dossier_id=d.pk, actor=office.receptionist)
    for name in ("Tờ khai đăng ký", "Giấy khai sinh", "Giấy tờ chứng minh nơi cư trú"):
        assert name in exc.value.message
    d.refresh_from_db()
    assert d.status == "submitted"
    for p in procedure.documents.all():
        services.add_document(
            dossier_id=d.pk,
            data=PNG,
            name=f"{p.pk}.png",
            kind=Kind.SCAN,
            source=Source.COUNTER,
            paper_id=p.pk,
            actor=office.receptionist,
        )
    assert acceptance_refusal(d) is None
    assert accept_dossier(dossier_id=d.pk, actor=office.receptionist).status == "received"


def test_a_procedure_allowing_originals_later_accepts_without_files(doc_storage, office, procedure):
    ProcedureDocumentRules.objects.create(procedure=procedure, originals_later=True)
    d = online_dossier(procedure, office.ward)
    assert papers_without_file(d)
    assert accept_dossier(dossier_id=d.pk, actor=office.receptionist).status == "received"


def _ready(d, office):
    """Take the dossier through every counted step (the test procedure's roles)."""
    from motcua.dossiers.models import DossierStep
    from motcua.dossiers.services import assign_step, complete_step

    staff = {
        "receptionist": office.receptionist,
        "specialist": office.specialist,
        "leader": office.leader,
        "head": office.head,
    }
    for _ in range(5):
        d.refresh_from_db()
        if d.status == "ready":
            return
        step = DossierStep.objects.filter(dossier=d, status="active").first()
        if step.assignee_id is None and step.role == "specialist":
            assign_step(
                dossier_id=d.pk,
                actor=office.head,
                assignee=office.specialist.username,
                step_id=step.pk,
            )
        complete_step(dossier_id=d.pk, actor=staff[step.role], note="", step_id=step.pk)


@pytest.fixture
def accepted(doc_storage, office, procedure):
    ProcedureDocumentRules.objects.create(procedure=procedure, originals_later=True)
    d = online_dossier(procedure, office.ward)
    accept_dossier(dossier_id=d.pk, actor=office.receptionist)
    return d


def test_a_result_is_registered_with_its_number(accepted, office):
    d = accepted
    doc = services.register_result(
        dossier_id=d.pk,
        data=pdf_bytes(),
        name="Giấy khai sinh.pdf",
        issued_on=date(2026, 12, 1),
        actor=office.leader,
        title="Giấy khai sinh",
    )
    record = ResultRecord.objects.get(document=doc)
    assert record.number == f"{d.code}-KQ1"
    assert record.holder == "Nguyễn Văn An"
    assert (doc.kind, doc.source) == ("result", "issued")
    second = services.register_result(
        dossier_id=d.pk,
        data=pdf_bytes(),
        name="b.pdf",
        issued_on=date(2026, 12, 1),
        actor=office.leader,
    )
    assert second.result.number == f"{d.code}-KQ2"


def test_a_duplicate_result_number_or_bad_expiry_is_refused_and_stores_nothing(accepted, office):
    from motcua.core.errors import InvalidInput
    from motcua.documents.errors import DuplicateResultNumber

    d = accepted
    services.register_result(
        dossier_id=d.pk,
        data=pdf_bytes(),
        name="a.pdf",
        number="KQ-1",
        issued_on=date(2026, 12, 1),
        actor=office.leader,
    )
    with pytest.raises(DuplicateResultNumber):
        services.register_result(
            dossier_id=d.pk,
            data=pdf_bytes(),
            name="b.pdf",
            number="KQ-1",
            issued_on=date(2026, 12, 1),
            actor=office.leader,
        )
    with pytest.raises(InvalidInput, match="không được trước ngày cấp"):
        services.register_result(
            dossier_id=d.pk,
            data=pdf_bytes(),
            name="c.pdf",
            issued_on=date(9999, 12, 31),
            expires_on=date(1, 1, 1),
            actor=office.leader,
        )
    assert Document.objects.filter(dossier=d).count() == 1
    assert len(list(storage.walk("d"))) == 1


def test_the_same_persons_result_is_offered_and_reused_with_an_event_on_both(
    accepted, office, procedure
):
    first = accepted
    services.register_result(
        dossier_id=first.pk,
        data=pdf_bytes(),
        name="kq.pdf",
        issued_on=date(2026, 12, 1),
        actor=office.leader,
        title="Giấy khai sinh",
    )
    _ready(first, office)
    second = online_dossier(procedure, office.ward)
    stranger = online_dossier(procedure, office.ward, id_number="079000000999", name="Trần B")
    offers = reuse_offers(second)
    assert [(o.title, o.for_paper.name if o.for_paper else None) for o in offers] == [
        ("Giấy khai sinh", "Giấy khai sinh")
    ]
    assert reuse_offers(stranger) == []
    with pytest.raises(ReuseNotAllowed):
        services.reuse_document(
            dossier_id=stranger.pk,
            document_id=offers[0].document.pk,
            paper_id=None,
            actor=office.receptionist,
        )
    doc = services.reuse_document(
        dossier_id=second.pk,
        document_id=offers[0].document.pk,
        paper_id=offers[0].for_paper.pk,
        actor=office.receptionist,
    )
    assert doc.source == "reused" and doc.storage_key == offers[0].document.storage_key
    assert DocumentEvent.objects.filter(dossier=second, kind="reused").count() == 1
    assert DocumentEvent.objects.filter(dossier=first, kind="reused_elsewhere").count() == 1
    assert [p.name for p in papers_with_files(second) if p.files] == ["Giấy khai sinh"]
    figures = digitisation_figures(
        [office.ward.pk], timezone.now() - timedelta(days=1), timezone.now() + timedelta(days=1)
    )
    assert figures.reused_papers == 1
    assert figures.results_issued_electronically == 1


def test_an_unready_dossiers_result_is_not_offered(accepted, office, procedure):
    services.register_result(
        dossier_id=accepted.pk,
        data=pdf_bytes(),
        name="kq.pdf",
        issued_on=date(2026, 12, 1),
        actor=office.leader,
        title="Giấy khai sinh",
    )
    second = online_dossier(procedure, office.ward)
    assert reuse_offers(second) == []


def test_staged_files_are_stored_capped_attached_and_swept(
    doc_storage, settings, office, procedure
):
    settings.MOTCUA_DOCUMENTS = {**settings.MOTCUA_DOCUMENTS, "MAX_SESSION_FILES": 2}
    services.stage_file(token="t1", paper_name="Tờ khai đăng ký", data=PNG, name="a.png")
    services.stage_file(
        token="t1", paper_name="Tờ khai đăng ký", data=PNG, name="b.png"
    )  # replaces a
    services.stage_file(token="t1", paper_name="Giấy khai sinh", data=pdf_bytes(), name="ks.pdf")
    with pytest.raises(FileRefused, match="quá 2 tệp"):
        services.stage_file(
            token="t1", paper_name="Giấy tờ chứng minh nơi cư trú", data=PNG, name="c.png"
        )
    assert [s.name for s in services.staged_files("t1")] == ["b.png", "ks.pdf"]
    assert len(list(storage.walk("s"))) == 2
    d = online_dossier(procedure, office.ward)
    with transaction.atomic():
        docs = services.attach_staged(token="t1", dossier=d)
    assert [(x.paper.name, x.source) for x in docs] == [
        ("Tờ khai đăng ký", "online"),
        ("Giấy khai sinh", "online"),
    ]
    assert StagedFile.objects.count() == 0
    services.stage_file(
        token="t2",
        paper_name="Giấy khai sinh",
        data=PNG,
        name="old.png",
        now=timezone.now() - timedelta(days=2),
    )
    assert services.sweep_staged() == 1
    assert (
        services.sweep_orphans(now=timezone.now() + timedelta(days=1)) == 0
    )  # attached bytes stay
    assert len(list(storage.walk("s"))) == 2


def test_the_periodic_task_sweeps(doc_storage, office):
    from motcua.documents.tasks import sweep_files

    services.stage_file(
        token="t3", paper_name="X", data=PNG, name="old.png", now=timezone.now() - timedelta(days=3)
    )
    staged, _orphans = sweep_files.call_local()
    assert staged == 1
    assert StagedFile.objects.count() == 0


def test_the_notice_of_the_result_says_the_electronic_copy_is_in_the_look_up(accepted, office):
    from motcua.notifications.defaults import DOSSIER_READY
    from motcua.notifications.models import Message

    services.register_result(
        dossier_id=accepted.pk,
        data=pdf_bytes(),
        name="Giấy khai sinh.pdf",
        issued_on=date(2026, 12, 1),
        actor=office.leader,
    )
    _ready(accepted, office)
    notice = Message.objects.get(dossier_id=accepted.pk, template_code=DOSSIER_READY)
    assert notice.channel == "sms" and "Ban dien tu: tai tai trang tra cuu ho so." in notice.body


def test_without_an_electronic_result_the_notice_does_not_promise_one(accepted, office):
    from motcua.notifications.defaults import DOSSIER_READY
    from motcua.notifications.models import Message

    _ready(accepted, office)
    notice = Message.objects.get(dossier_id=accepted.pk, template_code=DOSSIER_READY)
    assert "da co ket qua" in notice.body and "dien tu" not in notice.body
