"""Online submission: the form (applicant, unit, one upload per paper), the review, the submit
(through the dossier engine's `submit_online`) and the receipt with code and secret.

The files are checked while they are received (`motcua.portal.uploads`), kept in a staging
folder for the review, and moved into the dossier's folder in the transaction that creates the
dossier. The staging token is also the idempotency key of the submission (the access app's
`create_once`): a double click on "Nộp hồ sơ" gives the first dossier again, never a second.
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
from motcua.catalog.models import Procedure
from motcua.catalog.selectors import get_procedure_in_force
from motcua.core.errors import DomainError
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
    draft = request.session.pop(DRAFT, None)
    if isinstance(draft, dict) and draft.get("token"):
        uploads.discard_staged(str(draft["token"]))


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
        uploads.accept_uploads(request)  # before CSRF reads request.POST
    return _submit(request, code)


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
        return _form_page(request, p, SubmissionForm(procedure=p, initial=initial))
    form = SubmissionForm(request.POST, request.FILES, procedure=p)
    if not form.is_valid():
        return _form_page(request, p, form, status=400)
    _drop_draft(request)
    token, staged = uploads.stage(form.papers())
    request.session[DRAFT] = {
        "procedure": p.code,
        "unit": form.cleaned_data["unit"],
        "applicant": {k: form.cleaned_data[k] for k in APPLICANT_KEYS},
        "note": form.cleaned_data["note"],
        "token": token,
        "files": uploads.as_data(staged),
    }
    return redirect("portal:review", code=p.code)


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
    staged = uploads.staged_from(draft["files"])
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
        request.session[DRAFT] = {**draft, "files": [], "token": ""}
        uploads.discard_staged(str(draft["token"]))
        messages.info(request, _("Hãy sửa thông tin, rồi chọn lại các tệp giấy tờ."))
        return redirect("portal:submit", code=code)

    token = str(draft["token"])

    def create() -> Created:
        created = submit_online(
            procedure_code=p.code,
            unit_code=draft["unit"],
            applicant=ApplicantData(**draft["applicant"]),
            documents=[DocumentData(name=f.document) for f in staged],
            note=draft["note"],
        )
        uploads.commit_staged(token, staged, created.dossier.code)
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
        return redirect("portal:submit", code=code)
    request.session.pop(DRAFT, None)
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
    files = [f for f in uploads.list_files(code) if f.kind == "submission"]
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
