"""The look-up by code and secret, and what the citizen does from it: supplement, rating.

Enumeration-proof: an unknown code and a wrong secret give the same page, status and work (one
query, one hash, one counted miss; nothing of the dossier is loaded before the secret matches); the typed secret is never echoed. Misses are counted per
client address (REMOTE_ADDR: a proxy must put the real client there) in the dossier engine's
rate-limit table, in the SAME bucket as the API's look-up (`motcua.access.services`,
``LOOKUP_MISSES_PER_CLIENT``: 20 misses in 10 minutes), so every worker process and both faces
share one count; over it the page answers 429 with Retry-After until the window has passed.
A database table rather than Django's cache: the default cache is per process, so N gunicorn
workers would let N × 20 guesses through.
"""

from __future__ import annotations

import hmac
from urllib.parse import urlencode

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from motcua.access import services as access
from motcua.documents.downloads import link_token
from motcua.documents.errors import FileRefused
from motcua.documents.selectors import public_results
from motcua.documents.services import add_online_supplement
from motcua.dossiers.models import Dossier
from motcua.dossiers.rules import hash_secret
from motcua.dossiers.selectors import get_public_dossier, public_lookup_row
from motcua.dossiers.services import submit_supplement_online
from motcua.portal import presenters, session, uploads
from motcua.portal.forms import LookupForm, RatingForm, SupplementForm
from motcua.portal.views.common import not_found, page
from motcua.surveys.errors import AlreadyRated, NotReadyToRate
from motcua.surveys.models import Overall
from motcua.surveys.selectors import has_rating
from motcua.surveys.services import rate_dossier

LIMIT = access.LOOKUP_MISSES_PER_CLIENT
NO_MATCH = "0" * 64


def client_bucket(request: HttpRequest) -> str:
    return f"lookup:client:{request.META.get('REMOTE_ADDR') or 'unknown'}"


def _too_many(request: HttpRequest, wait: int) -> HttpResponse:
    response = page(
        request,
        "portal/too_many.html",
        {"minutes": max(1, (wait + 59) // 60)},
        section="lookup",
        status=429,
    )
    response["Retry-After"] = str(wait)
    return response


def to_lookup(code: str) -> HttpResponseRedirect:
    return redirect(f"{reverse('portal:lookup')}?{urlencode({'ma': code})}")


@never_cache
@require_http_methods(["GET", "POST"])
def lookup(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        form = LookupForm(initial={"code": request.GET.get("ma", "")[:64]})
        return page(request, "portal/lookup.html", {"form": form}, section="lookup")
    bucket = client_bucket(request)
    now = timezone.now()
    form = LookupForm(request.POST)
    if not form.is_valid():
        return page(request, "portal/lookup.html", {"form": form}, section="lookup", status=400)
    code, secret = form.cleaned_data["code"], form.cleaned_data["secret"]
    # One query (the counted misses, the code as stored, the secret's hash) BEFORE anything of
    # the dossier is loaded: a wrong secret and an unknown code cost the same work and time.
    row = public_lookup_row(code, bucket=bucket, since=now - LIMIT.window)
    if row.misses >= LIMIT.attempts:
        return _too_many(request, access.retry_after(bucket, LIMIT, now=now) or 1)
    if row.dossier_id is not None:
        code = row.code  # typed in any case, matched as stored
    expected = row.secret_hash if row.dossier_id is not None else NO_MATCH
    if not hmac.compare_digest(expected, hash_secret(code, secret)) or row.dossier_id is None:
        wait = access.count_miss(bucket, LIMIT, now=now)
        if wait is not None:
            return _too_many(request, wait)
        return page(
            request,
            "portal/lookup.html",
            {"form": LookupForm(initial={"code": code}), "missed": True},
            section="lookup",
            status=404,
        )
    session.grant(request, code)
    return redirect("portal:dossier", code=code)


@require_POST
def forget(request: HttpRequest) -> HttpResponse:
    session.forget(request)
    messages.info(request, _("Đã kết thúc tra cứu trên trình duyệt này."))
    return redirect("portal:lookup")


def _render_dossier(
    request: HttpRequest,
    dossier: Dossier,
    *,
    supplement_form: SupplementForm | None = None,
    rating_form: RatingForm | None = None,
    refusal: str = "",
    status: int = 200,
) -> HttpResponse:
    supplements = list(dossier.supplement_requests.order_by("requested_at", "pk"))
    view = presenters.public_dossier(dossier, supplements, rated=has_rating(dossier_id=dossier.pk))
    sent = []
    if view.open_supplement is not None:
        since = view.open_supplement.requested_at
        sent = [
            uploads.view_of(f)
            for f in dossier.files.filter(kind="supplement", added_at__gte=since).order_by("pk")
        ]
        if supplement_form is None and not sent:
            supplement_form = SupplementForm(items=view.open_supplement.items)
    if view.may_rate and rating_form is None:
        rating_form = RatingForm(choices=Overall.choices)
    results = [
        {
            "doc": r,
            "number": r.result.number,
            "issued_on": r.result.issued_on,
            "size_text": uploads.human_size(r.size),
            "url": reverse("api-1:public_document_content", args=[link_token(r)]),
        }
        for r in public_results(dossier)
    ]
    return page(
        request,
        "portal/dossier.html",
        {
            "d": view,
            "sent": sent,
            "results": results,
            "supplement_form": supplement_form if view.open_supplement else None,
            "rating_form": rating_form if view.may_rate else None,
            "refusal": refusal,
            "max_size": uploads.human_size(uploads.max_upload_bytes()),
        },
        section="lookup",
        status=status,
    )


def _visible(request: HttpRequest, code: str) -> Dossier | None:
    if not session.allowed(request, code):
        return None
    return get_public_dossier(code)


@never_cache
@require_GET
def dossier(request: HttpRequest, code: str) -> HttpResponse:
    d = _visible(request, code)
    if d is None:
        return to_lookup(code)
    return _render_dossier(request, d)


@never_cache
@csrf_exempt
@require_POST
def supplement(request: HttpRequest, code: str) -> HttpResponse:
    uploads.accept_uploads(request)  # before CSRF reads request.POST
    return _supplement(request, code)


@csrf_protect
def _supplement(request: HttpRequest, code: str) -> HttpResponse:
    d = _visible(request, code)
    if d is None:
        return to_lookup(code)
    supplements = list(d.supplement_requests.order_by("requested_at", "pk"))
    view = presenters.public_dossier(d, supplements)
    if view.open_supplement is None:
        messages.info(request, _("Hồ sơ không có yêu cầu bổ sung nào đang chờ."))
        return redirect("portal:dossier", code=code)
    form = SupplementForm(request.POST, request.FILES, items=view.open_supplement.items)
    if not form.is_valid():
        return _render_dossier(request, d, supplement_form=form, status=400)
    # The files become the dossier's Documents (kind "supplement", under their papers), then the
    # engine answers the request and resumes the clock (D8), as when the desk records a
    # supplement; both in one transaction (the bytes are stored before it commits).
    try:
        with transaction.atomic():
            stored = add_online_supplement(
                dossier_id=d.pk,
                files=[
                    (paper, f.stream(), f.sent_name or f.name or "") for paper, f in form.papers()
                ],
            )
            submit_supplement_online(
                dossier_id=d.pk,
                note=_("Công dân gửi %(n)s tệp bổ sung trực tuyến: %(names)s.")
                % {
                    "n": len(stored),
                    "names": "; ".join(f"{x.paper_name}: {x.name}" for x in stored),
                },
            )
    except FileRefused as exc:
        return _render_dossier(request, d, supplement_form=form, refusal=exc.message, status=422)
    messages.success(
        request,
        _("Đã gửi %(n)s tệp bổ sung; hồ sơ tiếp tục được giải quyết. Cảm ơn ông/bà.")
        % {"n": len(stored)},
    )
    return redirect("portal:dossier", code=code)


@never_cache
@require_POST
def rate(request: HttpRequest, code: str) -> HttpResponse:
    d = _visible(request, code)
    if d is None:
        return to_lookup(code)
    form = RatingForm(request.POST, choices=Overall.choices)
    if not form.is_valid():
        return _render_dossier(request, d, rating_form=form, status=400)
    try:
        rate_dossier(
            dossier_id=d.pk,
            actor=None,
            overall=form.cleaned_data["overall"],
            comment=form.cleaned_data["comment"],
        )
    except (AlreadyRated, NotReadyToRate) as exc:
        return _render_dossier(request, d, refusal=exc.message, status=exc.status)
    messages.success(request, _("Cảm ơn ông/bà đã đánh giá. Ý kiến đã được ghi nhận."))
    return redirect("portal:dossier", code=code)


__all__ = ["dossier", "forget", "lookup", "not_found", "rate", "supplement"]
