"""Staff pages of documents: the viewer (inline preview, no download needed), the content
stream, the counter's scans, the check against the original, reuse, the result, and the
results register of the staff's units (searchable, exportable to Excel). Every read through
`documents.selectors` (another unit's dossier: 404); every write through `documents.services`."""

from __future__ import annotations

from datetime import date
from io import BytesIO

from csp.constants import SELF
from csp.decorators import csp_replace
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_POST

from motcua.core.errors import DomainError
from motcua.documents import downloads, pictures, selectors, services
from motcua.documents.errors import DocumentNotFound, StoredFileMissing
from motcua.documents.models import Kind, Source
from motcua.dossiers.errors import DossierNotFound
from motcua.org.requests import actor_of
from motcua.org.selectors import units_of


def _id(raw: str | None) -> int | None:
    """A row id typed in ASCII digits (any other digit, sign or length: None)."""
    raw = (raw or "").strip()
    return int(raw) if raw.isascii() and raw.isdecimal() and len(raw) < 18 else None


def _dossier_page(code: str) -> str:
    return reverse("office:dossier", kwargs={"code": code}) + "#giay-to"


def _found(request: HttpRequest, code: str, document_id: int | None = None):  # type: ignore[no-untyped-def]
    staff = actor_of(request)
    try:
        if document_id is None:
            return selectors.dossier_for_files(staff, code)
        return selectors.get_document_for(staff, code, document_id)
    except (DossierNotFound, DocumentNotFound):
        raise Http404 from None


@never_cache
@login_required
@require_GET
def viewer(request: HttpRequest, code: str, document_id: int) -> HttpResponse:
    doc = _found(request, code, document_id)
    return render(
        request,
        "documents/viewer.html",
        {
            "doc": doc,
            "code": code,
            "content_url": reverse("documents:content", args=[code, doc.pk]),
            "is_pdf": doc.media_type == "application/pdf",
            "pages": pictures.pages_shown(doc),
            "more_pages": max((doc.pages or 0) - pictures.PAGES_SHOWN, 0),
            "is_image": doc.media_type.startswith("image/"),
            "desk": doc.checked_at is None,
        },
    )


@never_cache
@login_required
@csp_replace({"frame-ancestors": [SELF]})  # type: ignore[arg-type]  # in our own <iframe>
@xframe_options_sameorigin
@require_GET
def content(request: HttpRequest, code: str, document_id: int) -> HttpResponseBase:
    doc = _found(request, code, document_id)
    try:
        return downloads.stream(doc, inline=request.GET.get("tai") != "1")
    except StoredFileMissing as exc:
        messages.error(request, exc.message)
        return redirect(_dossier_page(code))


@never_cache
@login_required
@require_GET
def page(request: HttpRequest, code: str, document_id: int, page: int) -> HttpResponse:
    """A picture of one page of a PDF, for the viewer."""
    doc = _found(request, code, document_id)
    try:
        picture = pictures.page_png(doc, page)
    except DocumentNotFound:
        raise Http404 from None
    return HttpResponse(picture, content_type="image/png")


def _refused(request: HttpRequest, code: str, exc: DomainError) -> HttpResponse:
    if exc.status == 404:
        raise Http404
    messages.error(request, exc.message)
    return redirect(_dossier_page(code))


@login_required
@require_POST
def upload(request: HttpRequest, code: str) -> HttpResponse:
    """The counter's scans: several files for one paper (or none), kind scan."""
    dossier = _found(request, code)
    files = request.FILES.getlist("files")
    if not files:
        messages.error(request, _("Hãy chọn ít nhất một tệp (bản quét hoặc ảnh chụp)."))
        return redirect(_dossier_page(code))
    paper = _id(request.POST.get("paper"))
    kind = Kind.SUPPLEMENT if request.POST.get("kind") == Kind.SUPPLEMENT else Kind.SCAN
    try:
        added = services.add_documents(
            dossier_id=dossier.pk,
            files=[(paper, f, f.name or "") for f in files],
            kind=kind,
            source=Source.COUNTER,
            actor=actor_of(request),
        )
    except DomainError as exc:
        return _refused(request, code, exc)
    messages.success(request, _("Đã thêm %(n)s tệp vào hồ sơ.") % {"n": len(added)})
    return redirect(_dossier_page(code))


@login_required
@require_POST
def check(request: HttpRequest, code: str, document_id: int) -> HttpResponse:
    doc = _found(request, code, document_id)
    try:
        services.check_document(
            dossier_id=doc.dossier_id, document_id=doc.pk, actor=actor_of(request)
        )
    except DomainError as exc:
        return _refused(request, code, exc)
    messages.success(
        request, _("Đã đánh dấu “%(name)s” đã đối chiếu bản chính.") % {"name": doc.name}
    )
    return redirect(_dossier_page(code))


@login_required
@require_POST
def reuse(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _found(request, code)
    document_id = _id(request.POST.get("document"))
    if document_id is None:
        raise Http404
    try:
        services.reuse_document(
            dossier_id=dossier.pk,
            document_id=document_id,
            paper_id=_id(request.POST.get("paper")),
            actor=actor_of(request),
        )
    except DomainError as exc:
        return _refused(request, code, exc)
    messages.success(request, _("Đã dùng lại giấy tờ đã có; không cần quét lại."))
    return redirect(_dossier_page(code))


def _date(raw: str | None) -> date | None:
    try:
        return date.fromisoformat((raw or "").strip()) if raw and raw.strip() else None
    except ValueError:
        return None


@login_required
@require_POST
def result(request: HttpRequest, code: str) -> HttpResponse:
    dossier = _found(request, code)
    f = request.FILES.get("file")
    issued_on = _date(request.POST.get("issued_on"))
    expires_raw = request.POST.get("expires_on") or ""
    expires_on = _date(expires_raw)
    if f is None or issued_on is None or (expires_raw.strip() and expires_on is None):
        messages.error(
            request,
            _("Hãy chọn tệp kết quả và nhập ngày cấp (ngày hết hạn nếu có) đúng dạng ngày."),
        )
        return redirect(_dossier_page(code))
    try:
        doc = services.register_result(
            dossier_id=dossier.pk,
            data=f,
            name=f.name or "",
            number=request.POST.get("number", ""),
            issued_on=issued_on,
            expires_on=expires_on,
            holder=request.POST.get("holder", ""),
            title=request.POST.get("title", ""),
            actor=actor_of(request),
        )
    except DomainError as exc:
        return _refused(request, code, exc)
    messages.success(request, _("Đã vào sổ kết quả số %(n)s.") % {"n": doc.result.number})
    return redirect(_dossier_page(code))


@never_cache
@login_required
@require_GET
def register(request: HttpRequest) -> HttpResponse:
    """The results register of the staff's units: search by number, holder, dossier code or
    title, by issue dates; Excel export."""
    staff = actor_of(request)
    units = list(units_of(staff))
    if not units and not staff.is_superuser:
        raise PermissionDenied
    q = (request.GET.get("q") or "").strip()[:100]
    start, end = _date(request.GET.get("tu")), _date(request.GET.get("den"))
    rows = selectors.results_register([u.pk for u in units], q=q, issued_from=start, issued_to=end)
    if request.GET.get("xuat") == "xlsx":
        return _xlsx(rows[:20000])
    page = Paginator(rows, 50).get_page(request.GET.get("trang"))
    return render(
        request,
        "documents/register.html",
        {
            "page": page,
            "q": q,
            "tu": request.GET.get("tu", ""),
            "den": request.GET.get("den", ""),
            "units": units,
        },
    )


def _xlsx(rows) -> HttpResponse:  # type: ignore[no-untyped-def]
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = str(_("Sổ kết quả"))[:31]
    ws.append(
        [
            str(_("Số kết quả")),
            str(_("Tên kết quả")),
            str(_("Mã hồ sơ")),
            str(_("Người được cấp")),
            str(_("Ngày cấp")),
            str(_("Có giá trị đến")),
            str(_("Đơn vị")),
        ]
    )
    for r in rows:
        ws.append(
            [r.number, r.title, r.dossier.code, r.holder, r.issued_on, r.expires_on, r.unit.name]
        )
    out = BytesIO()
    wb.save(out)
    response = HttpResponse(
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="so-ket-qua.xlsx"'
    response["Cache-Control"] = "no-store, private"
    return response
