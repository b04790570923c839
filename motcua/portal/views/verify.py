"""The public verification page /xac-thuc/: anyone uploads a signed PDF (or follows the QR code
of a printed one) and reads whether it is intact, who signed it and when, whether each chain
reaches a trusted root, and whether MotCua issued it (with the dossier code)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from motcua.core.errors import DomainError
from motcua.portal.views.common import page
from motcua.signatures.verification import MAX_BYTES, lookup_code, verify_pdf


@never_cache
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    context: dict[str, object] = {"code": request.GET.get("ma", "")[:40]}
    if context["code"]:
        context["issued"] = lookup_code(str(context["code"]))
        context["code_unknown"] = context["issued"] is None
    if request.method == "POST":
        upload = request.FILES.get("tep")
        if upload is None:
            context["error"] = _("Hãy chọn tệp PDF đã ký để xác thực.")
            return page(request, "portal/verify.html", context, status=422)
        if (upload.size or 0) > MAX_BYTES:
            context["error"] = _("Tệp lớn hơn 20 MB; hãy chọn tệp PDF đã ký.")
            return page(request, "portal/verify.html", context, status=422)
        try:
            context["report"] = verify_pdf(upload.read())
        except DomainError as exc:
            context["error"] = exc.message
            return page(request, "portal/verify.html", context, status=422)
        context["filename"] = upload.name
    return page(request, "portal/verify.html", context)
