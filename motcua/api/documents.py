"""The documents of a dossier (API.md, Additions of 2026-12, "Documents"): list, upload, content
(streamed), check against the original, results, the citizen's results through the secret, and
reuse of a person's earlier papers. Every read goes through `documents.selectors` (another
unit's dossier: 404); every write through `documents.services`."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field as PydanticField

from motcua.api.dossiers import answers, local
from motcua.api.problems import problem
from motcua.api.public import _not_found, _verified
from motcua.documents import downloads, selectors, services
from motcua.documents.errors import DocumentNotFound, FileRefused
from motcua.documents.models import Document, Kind, Source
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import dossiers_visible_to
from motcua.org.requests import actor_of

router = Router(tags=["documents"])
public_router = Router(tags=["public"])
people_router = Router(tags=["documents"])


class PaperRef(Schema):
    id: int
    name: str


class CheckedRef(Schema):
    by: str
    at: datetime


class DossierFileOut(Schema):
    id: int
    paper: PaperRef | None
    kind: str
    source: str
    name: str
    media_type: str
    size: int
    sha256: str
    pages: int | None
    added_by: str | None
    added_at: datetime
    checked: CheckedRef | None
    signed: bool
    result_number: str | None = None


class DossierFileList(Schema):
    count: int
    items: list[DossierFileOut]


def document_out(d: Document) -> DossierFileOut:
    result = getattr(d, "result", None) if d.kind == Kind.RESULT else None
    return DossierFileOut(
        id=d.pk,
        paper=PaperRef(id=d.paper.pk, name=d.paper.name) if d.paper is not None else None,
        kind=d.kind,
        source=d.source,
        name=d.name,
        media_type=d.media_type,
        size=d.size,
        sha256=d.sha256,
        pages=d.pages,
        added_by=d.added_by.username if d.added_by is not None else None,
        added_at=local(d.added_at),  # type: ignore[arg-type]
        checked=CheckedRef(by=d.checked_by.username, at=local(d.checked_at))  # type: ignore[arg-type]
        if d.checked_by is not None and d.checked_at is not None
        else None,
        signed=d.signed,
        result_number=result.number if result is not None else None,
    )


def _reload(d: Document) -> Document:
    return Document.objects.select_related("paper", "added_by", "checked_by", "result").get(pk=d.pk)


@router.get(
    "/{code}/documents",
    response=answers({200: DossierFileList}, 401, 404),
    summary="The files of a dossier",
)
def list_documents(request: HttpRequest, code: str) -> Any:
    docs = list(selectors.documents_visible_to(actor_of(request), code))
    response = DossierFileList(count=len(docs), items=[document_out(d) for d in docs])
    return response


@router.post(
    "/{code}/documents",
    response=answers({201: DossierFileOut}, 401, 403, 404, 409, 422),
    summary="Add a file to a dossier (a scan at the counter, a supplement, a form)",
)
def upload_document(
    request: HttpRequest,
    code: str,
    file: File[UploadedFile],
    kind: Form[Literal["submitted", "scan", "supplement", "form"]] = "scan",
    paper: Form[int | None] = None,
) -> Any:
    staff = actor_of(request)
    dossier = selectors.dossier_for_files(staff, code)
    doc = services.add_document(
        dossier_id=dossier.pk,
        data=file,
        name=file.name or "",
        kind=kind,
        source=Source.COUNTER,
        paper_id=paper,
        actor=staff,
    )
    return Status(201, document_out(_reload(doc)))


@router.get(
    "/{code}/documents/{document_id}/content",
    response=answers({200: None}, 401, 404),
    summary="The bytes of a file, streamed",
)
def document_content(
    request: HttpRequest, code: str, document_id: int, inline: bool = False
) -> Any:
    doc = selectors.get_document_for(actor_of(request), code, document_id)
    return downloads.stream(doc, inline=inline)


@router.post(
    "/{code}/documents/{document_id}/check",
    response=answers({200: DossierFileOut}, 401, 403, 404, 409),
    summary="Mark a file as checked against the original paper",
)
def check_document(request: HttpRequest, code: str, document_id: int) -> Any:
    staff = actor_of(request)
    doc = selectors.get_document_for(staff, code, document_id)
    services.check_document(dossier_id=doc.dossier_id, document_id=doc.pk, actor=staff)
    return document_out(_reload(doc))


@router.post(
    "/{code}/results",
    response=answers({201: DossierFileOut}, 401, 403, 404, 409, 422),
    summary="Attach and register the result of a dossier",
)
def add_result(
    request: HttpRequest,
    code: str,
    file: File[UploadedFile],
    issued_on: Form[date],
    number: Form[str] = "",
    expires_on: Form[date | None] = None,
    holder: Form[str] = "",
    title: Form[str] = "",
) -> Any:
    staff = actor_of(request)
    dossier = selectors.dossier_for_files(staff, code)
    doc = services.register_result(
        dossier_id=dossier.pk,
        data=file,
        name=file.name or "",
        number=number,
        issued_on=issued_on,
        expires_on=expires_on,
        holder=holder,
        title=title,
        actor=staff,
    )
    return Status(201, document_out(_reload(doc)))


class ReuseIn(Schema):
    document: int
    paper: int | None = None


@router.post(
    "/{code}/documents/reuse",
    response=answers({201: DossierFileOut}, 401, 404, 409, 422),
    summary="Attach a paper the same person already gave or received",
)
def reuse(request: HttpRequest, code: str, payload: ReuseIn) -> Any:
    staff = actor_of(request)
    dossier = selectors.dossier_for_files(staff, code)
    doc = services.reuse_document(
        dossier_id=dossier.pk, document_id=payload.document, paper_id=payload.paper, actor=staff
    )
    return Status(201, document_out(_reload(doc)))


class OfferOut(Schema):
    document: DossierFileOut
    dossier_code: str
    title: str
    for_paper: PaperRef | None


class OfferList(Schema):
    count: int
    items: list[OfferOut]


@people_router.get(
    "/{id_number}/documents",
    response=answers({200: OfferList}, 401, 404, 422),
    summary="A person's earlier papers and results, offered for reuse",
)
def offers(request: HttpRequest, id_number: str, for_dossier: str) -> Any:
    staff = actor_of(request)
    dossier = (
        dossiers_visible_to(staff)
        .select_related("applicant", "procedure")
        .filter(code=for_dossier)
        .first()
    )
    if (
        dossier is None
        or (dossier.applicant.id_number or "").strip() != id_number.strip()
        or not id_number.strip()
    ):
        return _people_not_found()
    try:
        services.ensure_may_receive_for(staff, dossier)
    except Exception:  # noqa: BLE001 - any refusal answers like an unknown person
        return _people_not_found()
    found = selectors.reuse_offers(dossier)
    services.log_offers_viewed(dossier=dossier, actor=staff, count=len(found))
    items = [
        OfferOut(
            document=document_out(o.document),
            dossier_code=o.dossier_code,
            title=o.title,
            for_paper=PaperRef(id=o.for_paper.pk, name=o.for_paper.name) if o.for_paper else None,
        )
        for o in found
    ]
    response = OfferList(count=len(items), items=items)
    return response


def _people_not_found() -> HttpResponse:
    return problem(
        404,
        _("Không tìm thấy giấy tờ của người này cho hồ sơ bạn đang tiếp nhận."),
        "not_found",
    )


# ------------------------------------------------------------------------------ public
class ResultsSecretIn(Schema):
    secret: str = PydanticField(..., max_length=64)


class PublicResult(Schema):
    id: int
    name: str
    number: str
    issued_on: date
    expires_on: date | None
    sha256: str
    signed: bool
    content_url: str


class PublicResults(Schema):
    count: int
    items: list[PublicResult]


@public_router.post(
    "/dossiers/{code}/results",
    auth=None,
    response=answers({200: PublicResults}, 404, 422, 429),
    summary="The citizen's electronic results (once the dossier is ready)",
)
def public_results(request: HttpRequest, code: str, payload: ResultsSecretIn) -> Any:
    found = _verified(request, code, payload.secret)
    if not isinstance(found, Dossier):
        return found
    results = selectors.public_results(found)
    if not results:
        return _not_found()
    items = [
        PublicResult(
            id=d.pk,
            name=d.name,
            number=d.result.number,
            issued_on=d.result.issued_on,
            expires_on=d.result.expires_on,
            sha256=d.sha256,
            signed=d.signed,
            content_url=request.build_absolute_uri(
                reverse("api-1:public_document_content", args=[downloads.link_token(d)])
            ),
        )
        for d in results
    ]
    response = PublicResults(count=len(items), items=items)
    return response


@public_router.get(
    "/documents/{token}",
    auth=None,
    url_name="public_document_content",
    response=answers({200: None}, 404),
    summary="A result's bytes through a short-lived link",
)
def public_content(request: HttpRequest, token: str) -> Any:
    ids = downloads.read_link(token)
    doc = selectors.public_document(*ids) if ids else None
    if doc is None:
        raise DocumentNotFound(
            _("Liên kết tải tệp không đúng hoặc đã hết hạn; hãy tra cứu lại hồ sơ.")
        )
    return downloads.stream(doc)


__all__ = ["FileRefused", "people_router", "public_router", "router"]
