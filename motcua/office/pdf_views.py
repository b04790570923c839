"""The official forms of a dossier as PDF, and the unit's dossier log book."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from motcua.dossiers.official_forms import (
    FormNotAvailable,
    UnknownForm,
    render_form_pdf,
    render_logbook_pdf,
)
from motcua.office.dossier_views import find_dossier, get_viewer
from motcua.office.forms import LogbookForm
from motcua.office.selectors import list_logbook, units_for
from motcua.reports.attribution import control_sheet_extra


def pdf_response(content: bytes, filename: str, *, download: bool = False) -> HttpResponse:
    answer = HttpResponse(content, content_type="application/pdf")
    disposition = "attachment" if download else "inline"
    answer["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return answer


@login_required
@require_GET
def form_pdf(request: HttpRequest, code: str, form: str) -> HttpResponse:
    dossier = find_dossier(request, code, personal=True)
    item = request.GET.get("id", "")
    try:
        item_id = int(item) if item else None
    except ValueError:
        raise Http404(_("Số phiếu không hợp lệ.")) from None
    try:
        content = render_form_pdf(
            dossier, form, item_id=item_id, extra=control_sheet_extra(dossier, form)
        )
    except UnknownForm as exc:
        raise Http404(exc.message) from exc
    except FormNotAvailable as exc:
        return render(
            request,
            "office/message.html",
            {"title": _("Chưa có biểu mẫu này"), "message": exc.message, "dossier": dossier},
            status=exc.status,
        )
    return pdf_response(
        content, f"{dossier.code}-{form}.pdf", download=request.GET.get("tai") == "1"
    )


@login_required
@require_GET
def logbook(request: HttpRequest) -> HttpResponse:
    """The log book form; with a valid period, the PDF."""
    viewer = get_viewer(request)
    units = units_for(viewer)
    form = LogbookForm(request.GET or None, units=units)
    if form.is_bound and form.is_valid():
        unit = next(u for u in units if u.code == form.cleaned_data["unit"])
        first, last = form.cleaned_data["first"], form.cleaned_data["last"]
        dossiers = list(list_logbook(viewer, unit, first, last))
        content = render_logbook_pdf(unit=unit, first=first, last=last, dossiers=dossiers)
        return pdf_response(content, f"so-theo-doi-{unit.code}-{first:%Y%m%d}-{last:%Y%m%d}.pdf")
    if form.is_bound and "unit" in form.errors and request.GET.get("unit"):
        raise Http404(_("Không có đơn vị này trong các đơn vị của bạn."))
    status = 422 if form.is_bound else 200
    return render(request, "office/logbook.html", {"form": form}, status=status)
