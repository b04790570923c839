"""Online submission: the form (applicant, unit, one upload per paper), the review, the submit
(through the dossier engine's `submit_online`) and the receipt with code and secret.

The files are checked while they are received (`motcua.portal.uploads`) and each acceptable
one is STORED at once (the documents app's staging, under the browser's token): a validation
error elsewhere in the form keeps the chosen files attached, shown under their papers; the
review reads them from any web process; they become the dossier's Documents in the transaction
that creates the dossier. The staging token is also the idempotency key of the submission (the
access app's `create_once`): a double click on "Nộp hồ sơ" gives the first dossier again.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from motcua.access import services as access
from motcua.access.login import client_address
from motcua.access.selectors import idempotency_key_used
from motcua.catalog.models import Procedure
from motcua.catalog.selectors import get_procedure_in_force
from motcua.core.errors import DomainError
from motcua.documents.services import attach_staged
from motcua.dossiers.rules import mask_name
from motcua.dossiers.selectors import get_public_dossier
from motcua.dossiers.services import (
    ApplicantData,
    Created,
    DocumentData,
    created_again,
    lookup_secret_of,
    submit_online,
)
from motcua.payments.services import fix_amount_due
from motcua.portal import presenters, session, uploads
from motcua.portal.forms import SubmissionForm
from motcua.portal.views.common import not_found, page
from motcua.portal.views.lookup import to_lookup
from motcua.workdays.rules import CalendarError
from motcua.workdays.selectors import calendar_for

DRAFT = "portal_draft"
APPLICANT_KEYS = ("name", "id_number", "phone", "email", "address")


def _online_procedure(code: str) -> Procedure | None:
    p = get_procedure_in_force(code)
    if p is None or not presenters.accepts_online(p):
        return None
    return p


def _draft(request: HttpRequest, code: str) -> dict[str, Any] | None:
    draft = request.session.get(DRAFT)
    if isinstance(draft, dict) and draft.get("procedure") == code:
        return draft
    return None


def _drop_draft(request: HttpRequest) -> None:
    request.session.pop(DRAFT, None)


def _form_page(
    request: HttpRequest, p: Procedure, form: SubmissionForm, status: int = 200
) -> HttpResponse:
    return page(
        request,
        "portal/submit.html",
        {
            "p": p,
            "form": form,
            "max_size": uploads.human_size(uploads.max_upload_bytes()),
        },
        section="catalog",
        status=status,
    )


@never_cache
@csrf_exempt
@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest, code: str) -> HttpResponse:
    if request.method == "POST":
        if request.content_type == "multipart/form-data":  # the post may store files
            refused = _throttled(
                request,
                (f"stage:client:{client_address(request)}", access.STAGING_PER_CLIENT),
                (f"stage:session:{uploads.staging_token(request)}", access.STAGING_PER_SESSION),
            )
            if refused is not None:
                return refused  # before a byte of the body is read
        uploads.accept_uploads(request)  # before CSRF reads request.POST
    return _submit(request, code)


def _throttled(request: HttpRequest, *buckets: tuple[str, access.Limit]) -> HttpResponse | None:
    """None when one more attempt is counted in every bucket; else the 429 page."""
    try:
        access.claim(*buckets)
    except access.Throttled as refused:
        wait = refused.retry_after_seconds
        response = page(
            request,
            "portal/too_many.html",
            {"minutes": max(1, (wait + 59) // 60), "submission": True},
            section="catalog",
            status=429,
        )
        response["Retry-After"] = str(wait)
        return response
    return None


@csrf_protect
def _submit(request: HttpRequest, code: str) -> HttpResponse:
    p = _online_procedure(code)
    if p is None:
        return not_found(request, section="catalog")
    if request.method == "GET":
        draft = _draft(request, code)
        initial: dict[str, Any] = {}
        if draft:
            initial = {**draft["applicant"], "unit": draft["unit"], "note": draft["note"]}
        staged = _staged_by_paper(request)
        return _form_page(request, p, SubmissionForm(procedure=p, initial=initial, staged=staged))
    probe = SubmissionForm(procedure=p)
    chosen: list[tuple[str, str, uploads.PortalUpload]] = []
    for key in probe.paper_fields:
        chosen_file = request.FILES.get(key)
        if isinstance(chosen_file, uploads.PortalUpload):
            chosen.append((key, probe.fields[key].document, chosen_file))  # type: ignore[attr-defined]
    refused = uploads.stage_papers(request, chosen)
    form = SubmissionForm(
        request.POST, request.FILES, procedure=p, staged=_staged_by_paper(request)
    )
    valid = form.is_valid()
    for key, message in refused.items():
        form.add_error(key, message)
    if not valid or refused:
        return _form_page(request, p, form, status=400)
    _drop_draft(request)
    request.session[DRAFT] = {
        "procedure": p.code,
        "unit": form.cleaned_data["unit"],
        "applicant": {k: form.cleaned_data[k] for k in APPLICANT_KEYS},
        "note": form.cleaned_data["note"],
        "token": uploads.staging_token(request),
    }
    return redirect("portal:review", code=p.code)


def _staged_by_paper(request: HttpRequest) -> dict[str, uploads.FileView]:
    return {f.paper_name: uploads.view_of(f) for f in uploads.staged(request)}


def _reception_note(unit_name: str, at: Any, effective: Any) -> str:
    if effective is None or effective == at:
        return ""
    return _(
        "Ông/bà nộp ngoài giờ làm việc của %(unit)s: hồ sơ được tính là nhận vào đầu giờ làm "
        "việc tiếp theo, lúc %(at)s."
    ) % {"unit": unit_name, "at": timezone.localtime(effective).strftime("%H:%M %d/%m/%Y")}


@never_cache
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, code: str) -> HttpResponse:
    p = _online_procedure(code)
    if p is None:
        return not_found(request, section="catalog")
    draft = _draft(request, code)
    if draft is None:
        messages.info(request, _("Hãy điền thông tin và chọn tệp giấy tờ để nộp hồ sơ."))
        return redirect("portal:submit", code=code)
    unit = next((u for u in p.units.all() if u.code == draft["unit"]), None)
    papers = [d.name for d in p.documents.all()]
    staged = sorted(
        (uploads.view_of(f) for f in uploads.staged(request)),
        key=lambda f: papers.index(f.document) if f.document in papers else len(papers),
    )
    context = {
        "p": p,
        "draft": draft,
        "unit": unit,
        "files": staged,
        "outside_hours": _outside_hours_now(unit),
    }
    if request.method == "GET":
        return page(request, "portal/review.html", context, section="catalog")
    if request.POST.get("action") == "edit":
        messages.info(
            request,
            _("Hãy sửa thông tin. Các tệp đã chọn vẫn được giữ; chọn tệp khác để thay thế."),
        )
        return redirect("portal:submit", code=code)

    token = str(draft["token"])
    if not idempotency_key_used(kind="dossier", scope="portal", key=token):  # not a double click
        refused = _throttled(
            request,
            (f"submit:client:{client_address(request)}", access.SUBMISSIONS_PER_CLIENT),
            (f"submit:session:{token}", access.SUBMISSIONS_PER_SESSION),
        )
        if refused is not None:
            return refused

    def create() -> Created:
        created = submit_online(
            procedure_code=p.code,
            unit_code=draft["unit"],
            applicant=ApplicantData(**draft["applicant"]),
            documents=[DocumentData(name=f.document) for f in staged],
            note=draft["note"],
        )
        attach_staged(token=token, dossier=created.dossier)
        # the amount due is fixed at submission
        fix_amount_due(dossier_id=created.dossier.pk, actor=None)
        return created

    try:
        created, _replayed = access.create_once(
            kind="dossier",
            scope="portal",
            key=token,
            body_hash=access.request_hash({"draft": draft}),
            create=create,
            result_id=lambda created: created.dossier.pk,
            replay=created_again,
        )
    except DomainError as exc:
        return page(
            request,
            "portal/review.html",
            {**context, "refusal": exc.message},
            section="catalog",
            status=exc.status,
        )
    except FileNotFoundError:
        messages.error(request, _("Không tìm thấy các tệp đã chọn; hãy chọn lại tệp giấy tờ."))
        request.session.pop(DRAFT, None)
        uploads.discard_staged(request)
        return redirect("portal:submit", code=code)
    request.session.pop(DRAFT, None)
    request.session.pop(uploads.STAGING_KEY, None)
    session.grant(request, created.dossier.code)
    return redirect("portal:receipt", code=created.dossier.code)


def _outside_hours_now(unit: Any) -> str:
    if unit is None:
        return ""
    now = timezone.now()
    try:
        effective = calendar_for(unit).effective_reception(now)
    except CalendarError:  # pragma: no cover - a date outside the calendar's years
        return ""
    if effective == now:
        return ""
    return _(
        "Bây giờ là ngoài giờ làm việc của %(unit)s: hồ sơ nộp lúc này được tính là nhận vào đầu "
        "giờ làm việc tiếp theo, lúc %(at)s."
    ) % {"unit": unit.name, "at": timezone.localtime(effective).strftime("%H:%M %d/%m/%Y")}


@never_cache
@require_GET
def receipt(request: HttpRequest, code: str) -> HttpResponse:
    if not session.allowed(request, code):
        return to_lookup(code)
    d = get_public_dossier(code)
    if d is None:
        return to_lookup(code)
    effective = None
    if d.submitted_at is not None:
        try:
            effective = calendar_for(d.unit).effective_reception(d.submitted_at)
        except CalendarError:  # pragma: no cover
            effective = None
    files = [uploads.view_of(f) for f in d.files.filter(kind="submitted").order_by("pk")]
    return page(
        request,
        "portal/receipt.html",
        {
            "code": d.code,
            "secret": lookup_secret_of(d),
            "procedure": d.procedure,
            "unit": d.unit,
            "masked_name": mask_name(d.applicant.name),
            "submitted_at": d.submitted_at,
            "reception_note": _reception_note(d.unit.name, d.submitted_at, effective),
            "files": files,
            "status": d.get_status_display(),
        },
        section="lookup",
    )
