"""Every write to documents (STYLE §2): keyword-only, an ``actor``, one transaction, one event.

The bytes are checked (`inspect`) and stored under a random key BEFORE the transaction that
writes the row; a rollback or a killed process leaves an orphan blob, never a row without its
bytes, and `sweep_orphans` deletes blobs nobody names after a grace period.

For other apps (the signatures app's signed results among them): `add_document` stores a file of any kind
from bytes or a file object; `register_result` stores a result and writes its line in the
unit's results register.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from typing import IO

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.models import RequiredDocument
from motcua.core.errors import InvalidInput, NotAllowed
from motcua.documents import rules, storage
from motcua.documents.checks import Inspected, inspect, limits, refuse
from motcua.documents.errors import (
    AlreadyChecked,
    DocumentNotFound,
    DuplicateResultNumber,
    ResultNotAllowed,
    ReuseNotAllowed,
    StoredFileMissing,
)
from motcua.documents.models import (
    Document,
    DocumentEvent,
    DocumentEventKind,
    Kind,
    ResultRecord,
    Source,
    StagedFile,
)
from motcua.dossiers.errors import DossierNotFound
from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.selectors import actor_facts, may_see_personal_data
from motcua.org.models import Role, Staff

logger = logging.getLogger(__name__)


# ------------------------------------------------------------------------------- helpers
def _event(
    dossier: Dossier,
    kind: str,
    *,
    actor: Staff | None,
    at: datetime,
    document: Document | None,
    note: str = "",
) -> DocumentEvent:
    event: DocumentEvent = DocumentEvent.objects.create(
        dossier=dossier,
        document=document,
        at=at,
        actor=actor,
        kind=kind,
        from_status=dossier.status,
        to_status=dossier.status,
        note=note,
    )
    return event


def _lock(dossier_id: int) -> Dossier:
    try:
        return (
            Dossier.objects.select_for_update(of=("self",))
            .select_related("procedure", "unit")
            .get(pk=dossier_id)
        )
    except Dossier.DoesNotExist:
        raise DossierNotFound(_("Không tìm thấy hồ sơ.")) from None


def _ensure_handles(actor: Staff | None, dossier: Dossier) -> None:
    """Staff of the dossier's units (receiving, holding a step) act on its files; None is the
    citizen's own online flow (the caller checked the secret or the session)."""
    if actor is None:
        return
    if not may_see_personal_data(actor_facts(actor), dossier):
        raise DossierNotFound(
            _("Không tìm thấy hồ sơ %(code)s, hoặc hồ sơ không thuộc đơn vị của bạn.")
            % {"code": dossier.code}
        )


def _paper(dossier: Dossier, paper_id: int | None) -> RequiredDocument | None:
    if paper_id is None:
        return None
    paper = RequiredDocument.objects.filter(pk=paper_id, procedure_id=dossier.procedure_id).first()
    if paper is None:
        raise InvalidInput(
            _("Giấy tờ số %(id)s không thuộc thành phần hồ sơ của thủ tục này.") % {"id": paper_id},
            field="paper",
        )
    return paper


def _ensure_room(dossier: Dossier, size: int, name: str) -> None:
    cap = limits()
    agg = Document.objects.filter(dossier=dossier).exclude(source=Source.REUSED)
    count = agg.count()
    total = sum(agg.values_list("size", flat=True))
    if count + 1 > cap["MAX_DOSSIER_FILES"]:
        raise refuse(
            name,
            _("hồ sơ đã có %(n)s tệp, mức tối đa cho một hồ sơ; không nhận thêm tệp.")
            % {"n": count},
        )
    if total + size > cap["MAX_DOSSIER_BYTES"]:
        raise refuse(
            name,
            _("tổng dung lượng các tệp của hồ sơ sẽ vượt mức tối đa %(max)s.")
            % {"max": rules.human_size(cap["MAX_DOSSIER_BYTES"])},
        )


# ------------------------------------------------------------------------------- adding
def _store_checked(
    dossier: Dossier, data: bytes | IO[bytes], name: str, *, within_limits: bool
) -> tuple[Inspected, str]:
    """Check ``data`` and store its bytes under a new key of ``dossier`` BEFORE any row names
    them (``within_limits``: refused past the dossier's limits). A refusal stores nothing."""
    checked = inspect(data, name)
    try:
        if within_limits:
            _ensure_room(dossier, checked.size, checked.name)
        return checked, storage.save(storage.new_key(f"d/{dossier.pk}"), checked.stream)
    finally:
        checked.close()


@contextmanager
def _dropped_unless_committed(key: str) -> Iterator[None]:
    """Around the transaction writing the row that names ``key``: if it does not commit, the
    bytes go (the orphan sweep would, later)."""
    try:
        yield
    except BaseException:
        storage.delete(key)
        raise


def add_document(
    *,
    dossier_id: int,
    data: bytes | IO[bytes],
    name: str,
    kind: str,
    source: str,
    paper_id: int | None = None,
    actor: Staff | None = None,
    signed: bool = False,
    label: str = "",
    now: datetime | None = None,
) -> Document:
    """Check ``data`` and store it as a file of the dossier (for ``paper_id``, one of its
    procedure's papers, or none), then write its row and one `added` event in one transaction.
    The bytes are stored first; a refusal stores nothing."""
    if kind not in Kind.values:
        raise InvalidInput(_("Loại tệp không hợp lệ: %(kind)s.") % {"kind": kind}, field="kind")
    if source not in Source.values:
        raise InvalidInput(_("Nguồn tệp không hợp lệ: %(s)s.") % {"s": source}, field="source")
    dossier = Dossier.objects.select_related("procedure", "unit").filter(pk=dossier_id).first()
    if dossier is None:
        raise DossierNotFound(_("Không tìm thấy hồ sơ."))
    _ensure_handles(actor, dossier)
    paper = _paper(dossier, paper_id)
    checked, key = _store_checked(dossier, data, name, within_limits=True)
    with _dropped_unless_committed(key):
        return _insert(
            dossier_id=dossier.pk,
            checked=checked,
            key=key,
            paper=paper,
            kind=kind,
            source=source,
            actor=actor,
            signed=signed,
            label=label,
            now=now,
        )


@transaction.atomic
def _insert(
    *,
    dossier_id: int,
    checked: Inspected,
    key: str,
    paper: RequiredDocument | None,
    kind: str,
    source: str,
    actor: Staff | None,
    signed: bool,
    label: str,
    now: datetime | None,
) -> Document:
    at = now or timezone.now()
    dossier = _lock(dossier_id)
    _ensure_room(dossier, checked.size, checked.name)  # again, under the lock
    doc = Document.objects.create(
        dossier=dossier,
        paper=paper,
        paper_name=paper.name if paper else label[:500],
        kind=kind,
        source=source,
        name=checked.name,
        media_type=checked.media_type,
        size=checked.size,
        sha256=checked.sha256,
        pages=checked.pages,
        storage_key=key,
        added_by=actor,
        added_at=at,
        signed=signed,
    )
    _event(
        dossier,
        DocumentEventKind.ADDED,
        actor=actor,
        at=at,
        document=doc,
        note=_("Thêm tệp “%(name)s” (%(paper)s).")
        % {"name": doc.name, "paper": doc.paper_name or doc.get_kind_display()},
    )
    return doc


def _check_each(files: Iterable[tuple[bytes | IO[bytes], str]]) -> None:
    """Check every file (data, name) before any is stored: the first bad one refuses them all
    with a FileRefused naming it."""
    inspected = []
    try:
        for data, name in files:
            inspected.append(inspect(data, name))
    finally:
        for i in inspected:
            i.close()


def add_documents(
    *,
    dossier_id: int,
    files: Iterable[tuple[int | None, bytes | IO[bytes], str]],
    kind: str,
    source: str,
    actor: Staff | None,
) -> list[Document]:
    """Several files (paper id, data, name) — each checked first: one bad file refuses them
    all, naming it, and nothing is stored."""
    items = list(files)
    _check_each((data, name) for _paper_id, data, name in items)
    return [
        add_document(
            dossier_id=dossier_id,
            data=data,
            name=name,
            kind=kind,
            source=source,
            paper_id=paper_id,
            actor=actor,
        )
        for paper_id, data, name in items
    ]


@transaction.atomic
def check_document(
    *, dossier_id: int, document_id: int, actor: Staff, now: datetime | None = None
) -> Document:
    """The receptionist marks a file "đã đối chiếu bản chính" (checked against the original)."""
    at = now or timezone.now()
    dossier = _lock(dossier_id)
    _ensure_handles(actor, dossier)
    if not actor_facts(actor).has(dossier.unit_id, Role.RECEPTIONIST):
        raise NotAllowed(
            _(
                "Chỉ cán bộ tiếp nhận của %(unit)s đối chiếu giấy tờ với bản chính; hãy chuyển "
                "cho bộ phận một cửa của đơn vị."
            )
            % {"unit": dossier.unit.name}
        )
    doc = Document.objects.select_for_update().filter(pk=document_id, dossier=dossier).first()
    if doc is None:
        raise DocumentNotFound(
            _("Không tìm thấy tệp này trong hồ sơ %(code)s.") % {"code": dossier.code}
        )
    if doc.checked_at is not None:
        raise AlreadyChecked(_("Tệp “%(name)s” đã được đối chiếu bản chính.") % {"name": doc.name})
    doc.checked_by = actor
    doc.checked_at = at
    doc.save(update_fields=["checked_by", "checked_at"])
    _event(
        dossier,
        DocumentEventKind.CHECKED,
        actor=actor,
        at=at,
        document=doc,
        note=_("Đã đối chiếu bản chính: %(name)s.") % {"name": doc.name},
    )
    return doc


# ------------------------------------------------------------------------------- results
RESULT_STATUSES = (Status.RECEIVED, Status.IN_PROGRESS, Status.READY)


def register_result(
    *,
    dossier_id: int,
    data: bytes | IO[bytes],
    name: str,
    issued_on: date,
    actor: Staff,
    number: str = "",
    expires_on: date | None = None,
    holder: str = "",
    title: str = "",
    signed: bool = False,
    now: datetime | None = None,
) -> Document:
    """Store a result (a PDF or image) of the dossier and write its line in the unit's results
    register: ``number`` (default ``<dossier code>-KQ<n>``, D14), issue date, holder (default
    the applicant), expiry. Bytes first; one transaction for the row, the register line and
    one `result_registered` event."""
    dossier = (
        Dossier.objects.select_related("procedure", "unit", "applicant")
        .filter(pk=dossier_id)
        .first()
    )
    if dossier is None:
        raise DossierNotFound(_("Không tìm thấy hồ sơ."))
    _ensure_handles(actor, dossier)
    if expires_on is not None and expires_on < issued_on:
        raise InvalidInput(
            _("Ngày hết hạn (%(exp)s) không được trước ngày cấp (%(iss)s).")
            % {"exp": expires_on.strftime("%d/%m/%Y"), "iss": issued_on.strftime("%d/%m/%Y")},
            field="expires_on",
        )
    number = (number or "").strip()
    if len(number) > 100 or any(ord(c) < 32 for c in number):
        raise InvalidInput(_("Số kết quả không hợp lệ (tối đa 100 ký tự)."), field="number")
    holder = (holder or "").strip()[:200]
    title = (title or "").strip()[:500]
    checked, key = _store_checked(dossier, data, name, within_limits=False)
    with _dropped_unless_committed(key):
        return _insert_result(
            dossier_id=dossier.pk,
            checked=checked,
            key=key,
            number=number,
            issued_on=issued_on,
            expires_on=expires_on,
            holder=holder,
            title=title,
            actor=actor,
            signed=signed,
            now=now,
        )


@transaction.atomic
def _insert_result(
    *,
    dossier_id: int,
    checked: Inspected,
    key: str,
    number: str,
    issued_on: date,
    expires_on: date | None,
    holder: str,
    title: str,
    actor: Staff,
    signed: bool,
    now: datetime | None,
) -> Document:
    at = now or timezone.now()
    dossier = _lock(dossier_id)
    if dossier.status not in RESULT_STATUSES:
        raise ResultNotAllowed(
            _("Hồ sơ %(code)s đang ở trạng thái “%(status)s”: không vào sổ kết quả được.")
            % {"code": dossier.code, "status": dossier.get_status_display()}
        )
    n = ResultRecord.objects.filter(dossier=dossier).count() + 1
    number = number or f"{dossier.code}-KQ{n}"
    if ResultRecord.objects.filter(unit_id=dossier.unit_id, number=number).exists():
        raise DuplicateResultNumber(
            _("Số kết quả %(n)s đã có trong sổ của %(unit)s; hãy kiểm tra lại số.")
            % {"n": number, "unit": dossier.unit.name},
            field="number",
        )
    applicant = getattr(dossier, "applicant", None)
    doc = Document.objects.create(
        dossier=dossier,
        kind=Kind.RESULT,
        source=Source.ISSUED,
        name=checked.name,
        paper_name=title,
        media_type=checked.media_type,
        size=checked.size,
        sha256=checked.sha256,
        pages=checked.pages,
        storage_key=key,
        added_by=actor,
        added_at=at,
        signed=signed,
    )
    try:
        with transaction.atomic():
            ResultRecord.objects.create(
                document=doc,
                dossier=dossier,
                unit_id=dossier.unit_id,
                title=title or dossier.procedure.result_name or dossier.procedure.name,
                number=number,
                issued_on=issued_on,
                expires_on=expires_on,
                holder=holder or (applicant.name if applicant else ""),
                holder_id_number=applicant.id_number if applicant else "",
                registered_by=actor,
                registered_at=at,
            )
    except IntegrityError:
        raise DuplicateResultNumber(
            _("Số kết quả %(n)s đã có trong sổ của %(unit)s; hãy kiểm tra lại số.")
            % {"n": number, "unit": dossier.unit.name},
            field="number",
        ) from None
    _event(
        dossier,
        DocumentEventKind.RESULT,
        actor=actor,
        at=at,
        document=doc,
        note=_("Vào sổ kết quả số %(n)s, ngày cấp %(on)s.")
        % {"n": number, "on": issued_on.strftime("%d/%m/%Y")},
    )
    return doc


# ------------------------------------------------------------------------------- reuse
def log_offers_viewed(*, dossier: Dossier, actor: Staff, count: int) -> None:
    """Every look at a person's earlier papers is logged on the dossier being received."""
    _event(
        dossier,
        DocumentEventKind.OFFERS_VIEWED,
        actor=actor,
        at=timezone.now(),
        document=None,
        note=_("Xem %(n)s giấy tờ đã có của người nộp (cùng số định danh).") % {"n": count},
    )


def ensure_may_receive_for(actor: Staff, dossier: Dossier) -> None:
    """Only a receptionist of the unit receiving ``dossier``, while it is being received,
    sees and reuses the same person's earlier papers; everyone else: 404."""
    who = actor_facts(actor)
    open_statuses = (
        Status.SUBMITTED,
        Status.RECEIVED,
        Status.AWAITING_SUPPLEMENT,
        Status.IN_PROGRESS,
    )
    if not who.has(dossier.unit_id, Role.RECEPTIONIST) or dossier.status not in open_statuses:
        raise DossierNotFound(
            _("Không tìm thấy hồ sơ %(code)s, hoặc hồ sơ không thuộc đơn vị của bạn.")
            % {"code": dossier.code}
        )


@transaction.atomic
def reuse_document(
    *,
    dossier_id: int,
    document_id: int,
    paper_id: int | None,
    actor: Staff,
    now: datetime | None = None,
) -> Document:
    """Attach a document the same person (same ID number) already gave or received to this
    dossier, without a new upload: a row naming the same bytes (source `reused`), an event on
    this dossier and one on the dossier it came from."""
    at = now or timezone.now()
    dossier = _lock(dossier_id)
    ensure_may_receive_for(actor, dossier)
    paper = _paper(dossier, paper_id)
    original = (
        Document.objects.select_related("dossier", "dossier__applicant")
        .filter(pk=document_id)
        .first()
    )
    mine = getattr(dossier, "applicant", None)
    id_number = (mine.id_number if mine else "").strip()
    if (
        original is None
        or original.dossier_id == dossier.pk
        or not id_number
        or getattr(original.dossier, "applicant", None) is None
        or original.dossier.applicant.id_number.strip() != id_number
        or (
            original.kind == Kind.RESULT
            and original.dossier.status not in (Status.READY, Status.RETURNED)
        )
    ):
        raise ReuseNotAllowed(
            _(
                "Giấy tờ này không phải của người nộp hồ sơ %(code)s (khác số định danh), nên không dùng lại được."
            )
            % {"code": dossier.code},
            field="document",
        )
    root = original.reused_from or original
    doc = Document.objects.create(
        dossier=dossier,
        paper=paper,
        paper_name=paper.name if paper else original.paper_name,
        kind=Kind.SUBMITTED,
        source=Source.REUSED,
        name=original.name,
        media_type=original.media_type,
        size=original.size,
        sha256=original.sha256,
        pages=original.pages,
        storage_key=original.storage_key,
        added_by=actor,
        added_at=at,
        reused_from=root,
        signed=original.signed,
    )
    title = (paper.name if paper else "") or original.paper_name or original.name
    _event(
        dossier,
        DocumentEventKind.REUSED,
        actor=actor,
        at=at,
        document=doc,
        note=_("Dùng lại “%(title)s” từ hồ sơ %(code)s, không yêu cầu nộp lại.")
        % {"title": title, "code": original.dossier.code},
    )
    _event(
        original.dossier,
        DocumentEventKind.REUSED_ELSEWHERE,
        actor=actor,
        at=at,
        document=original,
        note=_("“%(name)s” được dùng lại cho hồ sơ %(code)s.")
        % {"name": original.name, "code": dossier.code},
    )
    return doc


# ------------------------------------------------------------------------------- staging
def staged_totals(token: str) -> tuple[int, int]:
    rows = list(StagedFile.objects.filter(token=token).values_list("size", flat=True))
    return len(rows), sum(rows)


def stage_file(
    *, token: str, paper_name: str, data: bytes | IO[bytes], name: str, now: datetime | None = None
) -> StagedFile:
    """Keep a file the citizen chose on the online form (stored: any web process finds it),
    replacing an earlier file of the same paper; refused over the session's caps."""
    if not token or len(token) > 64:
        raise InvalidInput(_("Phiên nộp hồ sơ không hợp lệ; hãy tải lại trang."))
    checked = inspect(data, name)
    try:
        cap = limits()
        count, total = staged_totals(token)
        earlier = list(StagedFile.objects.filter(token=token, paper_name=paper_name))
        count -= len(earlier)
        total -= sum(e.size for e in earlier)
        if count + 1 > cap["MAX_SESSION_FILES"]:
            raise refuse(
                checked.name,
                _("đã chọn quá %(n)s tệp trong một lần nộp.") % {"n": cap["MAX_SESSION_FILES"]},
            )
        if total + checked.size > cap["MAX_SESSION_BYTES"]:
            raise refuse(
                checked.name,
                _("tổng dung lượng các tệp của lần nộp này sẽ vượt %(max)s. Hãy nén bớt tệp.")
                % {"max": rules.human_size(cap["MAX_SESSION_BYTES"])},
            )
        key = storage.save(storage.new_key("s"), checked.stream)
    finally:
        checked.close()
    with transaction.atomic():
        for e in earlier:
            StagedFile.objects.filter(pk=e.pk).delete()
        row = StagedFile.objects.create(
            token=token,
            paper_name=paper_name,
            name=checked.name,
            media_type=checked.media_type,
            size=checked.size,
            sha256=checked.sha256,
            pages=checked.pages,
            storage_key=key,
            created_at=now or timezone.now(),
        )
    for e in earlier:
        _delete_if_unused(e.storage_key)
    return row


def staged_files(token: str) -> list[StagedFile]:
    if not token:
        return []
    return list(StagedFile.objects.filter(token=token).order_by("pk"))


def discard_staged(token: str) -> None:
    rows = staged_files(token)
    StagedFile.objects.filter(token=token).delete()
    for r in rows:
        _delete_if_unused(r.storage_key)


def attach_staged(*, token: str, dossier: Dossier, now: datetime | None = None) -> list[Document]:
    """Inside the transaction that creates an online dossier: its staged files become its
    Documents (source `online`, kind `submitted`), each naming the already-stored bytes."""
    at = now or timezone.now()
    papers = {p.name: p for p in dossier.procedure.documents.all()}
    out = []
    for row in staged_files(token):
        if not storage.exists(row.storage_key):
            raise FileNotFoundError(row.name)
        paper = papers.get(row.paper_name)
        doc = Document.objects.create(
            dossier=dossier,
            paper=paper,
            paper_name=row.paper_name,
            kind=Kind.SUBMITTED,
            source=Source.ONLINE,
            name=row.name,
            media_type=row.media_type,
            size=row.size,
            sha256=row.sha256,
            pages=row.pages,
            storage_key=row.storage_key,
            added_at=at,
        )
        _event(
            dossier,
            DocumentEventKind.ADDED,
            actor=None,
            at=at,
            document=doc,
            note=_("Công dân nộp trực tuyến “%(name)s” (%(paper)s).")
            % {"name": doc.name, "paper": row.paper_name},
        )
        out.append(doc)
    StagedFile.objects.filter(token=token).delete()
    return out


def add_online_supplement(
    *, dossier_id: int, files: list[tuple[str, IO[bytes] | bytes, str]]
) -> list[Document]:
    """The citizen's supplement files (the paper or requested item they answer, data, name):
    each checked first (one bad file refuses them all, naming it, nothing stored), then each
    stored under its paper."""
    dossier = Dossier.objects.select_related("procedure").get(pk=dossier_id)
    papers = {p.name: p.pk for p in dossier.procedure.documents.all()}
    _check_each((data, name) for _label, data, name in files)
    return [
        add_document(
            dossier_id=dossier_id,
            data=data,
            name=name,
            kind=Kind.SUPPLEMENT,
            source=Source.ONLINE,
            paper_id=papers.get(label),
            label=label,
        )
        for label, data, name in files
    ]


# ------------------------------------------------------------------------------- sweeps
def _in_use(key: str) -> bool:
    return (
        Document.objects.filter(storage_key=key).exists()
        or StagedFile.objects.filter(storage_key=key).exists()
    )


def _delete_if_unused(key: str) -> None:
    if not _in_use(key):
        storage.delete(key)


def sweep_staged(*, now: datetime | None = None) -> int:
    """Forget the staged files of online forms never submitted, after the grace period."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=limits()["STAGING_GRACE_SECONDS"])
    old = list(StagedFile.objects.filter(created_at__lt=cutoff))
    StagedFile.objects.filter(pk__in=[r.pk for r in old]).delete()
    for r in old:
        _delete_if_unused(r.storage_key)
    return len(old)


def sweep_orphans(*, now: datetime | None = None, grace_seconds: int | None = None) -> int:
    """Delete stored bytes that no Document and no staged file names and that are older than
    the grace period (a rolled-back or killed upload). Returns how many were deleted."""
    now = now or timezone.now()
    grace = limits()["ORPHAN_GRACE_SECONDS"] if grace_seconds is None else grace_seconds
    cutoff = now - timedelta(seconds=grace)
    st = storage.document_storage()
    deleted = 0
    for prefix in ("d", "s"):
        for key in storage.walk(prefix):
            try:
                modified = st.get_modified_time(key)
            except (FileNotFoundError, OSError, NotImplementedError):
                continue
            if timezone.is_naive(modified):
                modified = timezone.make_aware(modified)
            if modified > cutoff or _in_use(key):
                continue
            st.delete(key)
            deleted += 1
    return deleted


def content_of(document: Document) -> Iterator[bytes]:
    """The document's bytes, as chunks; bytes the storage no longer has: StoredFileMissing
    (logged as an error: a row without its bytes is something to look into)."""
    try:
        return storage.chunks(document.storage_key)
    except FileNotFoundError:
        logger.error(
            "document %s of dossier %s: its bytes are missing from the storage",
            document.pk,
            document.dossier_id,
        )
        raise StoredFileMissing(
            _(
                "Không đọc được nội dung tệp “%(name)s” trong kho lưu trữ. Hãy báo quản trị "
                "hệ thống để khôi phục tệp từ bản sao lưu."
            )
            % {"name": document.name}
        ) from None
