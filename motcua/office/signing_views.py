"""The leader's digital signature of an apology (Mẫu 04) in the office (issue 16): the leader
sees the PDF exactly as it will be signed, confirms, and the page follows the signing request
while a token or a phone signs in the worker (no web worker waits)."""

from __future__ import annotations

from csp.constants import SELF
from csp.decorators import csp_replace
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_http_methods

from motcua.core.errors import DomainError
from motcua.dossiers.services.apologies import (
    prepare_apology_signature,
    request_apology_signature,
)
from motcua.office.dossier_views import find_dossier
from motcua.office.pdf_views import pdf_response
from motcua.org.requests import actor_of
from motcua.signatures.models import RequestStatus
from motcua.signatures.services import get_request_for


def _apology(request: HttpRequest, code: str, apology_id: int):  # type: ignore[no-untyped-def]
    dossier = find_dossier(request, code, personal=True)
    apology = next((a for a in dossier.apologies.all() if a.pk == apology_id), None)
    if apology is None:
        raise Http404(_("Không tìm thấy phiếu xin lỗi."))
    return dossier, apology


def _refused(request: HttpRequest, dossier, exc: DomainError) -> HttpResponse:  # type: ignore[no-untyped-def]
    if exc.status == 404:
        raise Http404(exc.message) from exc
    return render(
        request,
        "office/message.html",
        {"title": _("Chưa ký được"), "message": exc.message, "dossier": dossier},
        status=exc.status,
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def sign_apology(request: HttpRequest, code: str, apology_id: int) -> HttpResponse:
    """GET: the preview and the confirm button; POST: the signing request, then its page."""
    dossier, apology = _apology(request, code, apology_id)
    actor = actor_of(request)
    if request.method == "POST":
        try:
            req = request_apology_signature(apology_id=apology.pk, actor=actor)
        except DomainError as exc:
            return _refused(request, dossier, exc)
        return HttpResponseRedirect(reverse("office:signing_request", args=[req.pk]), status=303)
    return render(
        request,
        "office/sign_apology.html",
        {"dossier": dossier, "apology": apology},
    )


@login_required
@never_cache
@csp_replace({"frame-ancestors": [SELF]})  # type: ignore[arg-type]  # in our own <iframe>
@xframe_options_sameorigin
@require_GET
def apology_preview(request: HttpRequest, code: str, apology_id: int) -> HttpResponse:
    """The Mẫu 04 exactly as the leader will sign it (the policy's refusal otherwise)."""
    dossier, apology = _apology(request, code, apology_id)
    try:
        prepared = prepare_apology_signature(subject_id=apology.pk, actor=actor_of(request))
    except DomainError as exc:
        return _refused(request, dossier, exc)
    return pdf_response(prepared.pdf, f"{dossier.code}-mau-04-xem-truoc.pdf")


@login_required
@never_cache
@require_GET
def signing_request(request: HttpRequest, request_id: int) -> HttpResponse:
    """The state of a signing request (its requester only; anyone else: 404). With htmx the
    fragment polls itself every second while the request is pending."""
    req = get_request_for(request_id, actor_of(request))
    if req is None:
        raise Http404(_("Không tìm thấy yêu cầu ký."))
    context = {"req": req, "pending": req.status == RequestStatus.PENDING}
    if request.headers.get("HX-Request") == "true":
        return render(request, "office/_signing_state.html", context)
    return render(request, "office/signing_request.html", context)
