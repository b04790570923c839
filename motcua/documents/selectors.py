"""Reads of documents, always scoped: the files of a dossier are read by staff of the units
that handle it (the receiving unit and the units holding a step) — `get_dossier_for(...,
personal=True)` — and by the citizen with the look-up secret; everyone else gets 404."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from motcua.catalog.models import RequiredDocument
from motcua.documents.errors import DocumentNotFound
from motcua.documents.models import (
    Document,
    DocumentEvent,
    Kind,
    ProcedureDocumentRules,
    ResultRecord,
    Source,
)
from motcua.documents.rules import same_paper
from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.selectors import get_dossier_for
from motcua.org.models import Staff

READY = (Status.READY, Status.RETURNED)


def dossier_for_files(staff: Staff, code: str) -> Dossier:
    """The dossier ``code`` when ``staff`` may read its files (staff of its units), else
    DossierNotFound (404)."""
    return get_dossier_for(staff, code, personal=True)


def documents_of(dossier: Dossier) -> QuerySet[Document]:
    return (
        Document.objects.filter(dossier=dossier)
        .select_related("paper", "added_by", "checked_by", "result")
        .order_by("added_at", "pk")
    )


def documents_visible_to(staff: Staff, code: str) -> QuerySet[Document]:
    return documents_of(dossier_for_files(staff, code))


def get_document_for(staff: Staff, code: str, document_id: int) -> Document:
    doc = documents_visible_to(staff, code).filter(pk=document_id).first()
    if doc is None:
        raise DocumentNotFound(_("Không tìm thấy tệp này trong hồ sơ %(code)s.") % {"code": code})
    return doc


@dataclass(frozen=True)
class PaperFiles:
    """A required paper of the dossier's procedure (or None: the files of no listed paper) and
    its files."""

    paper: RequiredDocument | None
    name: str
    mandatory: bool
    files: list[Document]

    @property
    def checked(self) -> bool:
        return bool(self.files) and all(f.checked_at is not None for f in self.files)


def papers_with_files(dossier: Dossier, docs: Sequence[Document] | None = None) -> list[PaperFiles]:
    """Each required paper of the dossier's procedure with its files, then the other files."""
    docs = list(documents_of(dossier)) if docs is None else list(docs)
    out = []
    used: set[int] = set()
    for paper in dossier.procedure.documents.all().order_by("order", "pk"):
        mine = [
            d
            for d in docs
            if d.kind != Kind.RESULT
            and (
                d.paper_id == paper.pk
                or (d.paper_id is None and same_paper(d.paper_name, paper.name))
            )
        ]
        used.update(d.pk for d in mine)
        out.append(PaperFiles(paper, paper.name, paper.mandatory, mine))
    rest = [d for d in docs if d.pk not in used and d.kind != Kind.RESULT]
    if rest:
        out.append(PaperFiles(None, _("Tệp khác"), False, rest))
    return out


def results_of(dossier: Dossier) -> list[Document]:
    return [d for d in documents_of(dossier) if d.kind == Kind.RESULT]


def originals_later(dossier: Dossier) -> bool:
    return ProcedureDocumentRules.objects.filter(
        procedure_id=dossier.procedure_id, originals_later=True
    ).exists()


def papers_without_file(dossier: Dossier) -> list[str]:
    """The mandatory papers of the dossier's procedure that have no file."""
    return [p.name for p in papers_with_files(dossier) if p.paper and p.mandatory and not p.files]


def acceptance_check(dossier: Dossier) -> str | None:
    """Registered with `dossiers.services.register_acceptance_check`: an ONLINE dossier is not
    accepted while a mandatory paper has no file, unless its procedure allows the paper
    originals to be brought later. The one place of this rule: the accept service enforces it,
    the office page and the API show it."""
    if dossier.channel != "online" or originals_later(dossier):
        return None
    missing = papers_without_file(dossier)
    if not missing:
        return None
    return _(
        "Chưa tiếp nhận được: các giấy tờ bắt buộc sau chưa có tệp: %(papers)s. Hãy yêu cầu "
        "công dân bổ sung (Mẫu 02), hoặc quét bản giấy tại quầy và đính kèm trước khi tiếp nhận."
    ) % {"papers": "; ".join(missing)}


def document_events(dossier: Dossier) -> QuerySet[DocumentEvent]:
    return (
        DocumentEvent.objects.filter(dossier=dossier)
        .select_related("actor", "document")
        .order_by("at", "pk")
    )


# ------------------------------------------------------------------------------ public
def public_results(dossier: Dossier) -> list[Document]:
    """The results the citizen may download: only once the dossier is ready or returned."""
    if dossier.status not in READY:
        return []
    return list(
        Document.objects.filter(dossier=dossier, kind=Kind.RESULT)
        .select_related("result")
        .order_by("added_at", "pk")
    )


def public_document(dossier_id: int, document_id: int) -> Document | None:
    """A result or a submitted paper of a dossier for a citizen who holds its secret (or a
    short-lived link derived from it)."""
    doc = (
        Document.objects.filter(pk=document_id, dossier_id=dossier_id)
        .select_related("dossier")
        .first()
    )
    if doc is None:
        return None
    if doc.kind == Kind.RESULT and doc.dossier.status not in READY:
        return None
    return doc


# ------------------------------------------------------------------------------ reuse
@dataclass(frozen=True)
class Offer:
    document: Document
    dossier_code: str
    title: str
    for_paper: RequiredDocument | None


def reuse_offers(dossier: Dossier) -> list[Offer]:
    """The documents and results the dossier's applicant (same ID number) already gave or
    received in other dossiers, each with the paper of ``dossier`` it may stand for. The caller
    has checked that the reader receives ``dossier`` and logs the access."""
    id_number = (dossier.applicant.id_number or "").strip()
    if not id_number:
        return []
    papers = list(dossier.procedure.documents.all().order_by("order", "pk"))
    theirs = (
        Document.objects.filter(dossier__applicant__id_number=id_number)
        .exclude(dossier=dossier)
        .exclude(source=Source.REUSED)
        .exclude(kind=Kind.FORM, source=Source.ISSUED)  # the office's own letters (Mẫu 01, 04)
        .exclude(dossier__status__in=[Status.REFUSED])
        .select_related("dossier", "result", "paper")
        .order_by("-added_at")[:200]
    )
    offers = []
    for doc in theirs:
        if doc.kind == Kind.RESULT and doc.dossier.status not in READY:
            continue
        title = doc.result.title if doc.kind == Kind.RESULT and hasattr(doc, "result") else ""
        title = title or doc.paper_name or doc.name
        match = next((p for p in papers if same_paper(p.name, title)), None)
        offers.append(Offer(doc, doc.dossier.code, title, match))
    offers.sort(key=lambda o: (o.for_paper is None, o.title))
    return offers


# ------------------------------------------------------------------------------ register
def results_register(
    unit_ids: Iterable[int],
    *,
    q: str = "",
    issued_from: date | None = None,
    issued_to: date | None = None,
) -> QuerySet[ResultRecord]:
    qs = ResultRecord.objects.filter(unit_id__in=list(unit_ids)).select_related(
        "dossier", "unit", "document", "registered_by"
    )
    if q:
        qs = (
            qs.filter(number__icontains=q)
            | qs.filter(holder__icontains=q)
            | qs.filter(dossier__code__icontains=q)
            | qs.filter(title__icontains=q)
        )
    if issued_from:
        qs = qs.filter(issued_on__gte=issued_from)
    if issued_to:
        qs = qs.filter(issued_on__lte=issued_to)
    return qs.order_by("-issued_on", "-pk")


# ------------------------------------------------------------------------------ statistics
@dataclass(frozen=True)
class DigitisationFigures:
    """For the Decision 766 digitisation group: dossiers received in the period with at least
    one digitised paper (a file other than a result), papers reused instead of asked again, and
    results issued electronically (registered with their file)."""

    digitised_dossiers: int
    reused_papers: int
    results_issued_electronically: int


def digitisation_figures(
    unit_ids: Iterable[int], start: datetime, end: datetime
) -> DigitisationFigures:
    """Counts for the units ``unit_ids`` over [start, end) (aggregate SQL, no rows loaded)."""
    units = list(unit_ids)
    digitised = (
        Dossier.objects.filter(unit_id__in=units, received_at__gte=start, received_at__lt=end)
        .filter(files__kind__in=[Kind.SUBMITTED, Kind.SCAN, Kind.SUPPLEMENT])
        .distinct()
        .count()
    )
    reused = Document.objects.filter(
        dossier__unit_id__in=units,
        source=Source.REUSED,
        added_at__gte=start,
        added_at__lt=end,
    ).count()
    results = ResultRecord.objects.filter(
        unit_id__in=units, registered_at__gte=start, registered_at__lt=end
    ).count()
    return DigitisationFigures(digitised, reused, results)


__all__ = [
    "DigitisationFigures",
    "Offer",
    "PaperFiles",
    "acceptance_check",
    "digitisation_figures",
    "documents_of",
    "documents_visible_to",
    "get_document_for",
    "papers_with_files",
    "papers_without_file",
    "public_document",
    "public_results",
    "results_of",
    "results_register",
    "reuse_offers",
]
