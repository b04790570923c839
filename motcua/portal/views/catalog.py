"""Home, the procedure catalog (search by name and field) and a procedure's page."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from motcua.catalog.models import Procedure
from motcua.catalog.selectors import get_procedure_in_force, list_procedures
from motcua.portal import presenters
from motcua.portal.forms import CatalogSearchForm
from motcua.portal.views.common import not_found, page

PER_PAGE = 30


def _fields(procedures: list[Procedure]) -> list[tuple[str, str]]:
    seen = {p.field.code: p.field.name for p in procedures}
    return sorted(seen.items(), key=lambda kv: presenters.fold(kv[1]))


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    procedures = list(list_procedures())
    form = CatalogSearchForm(fields=_fields(procedures))
    counts: dict[str, int] = {}
    for p in procedures:
        counts[p.field.code] = counts.get(p.field.code, 0) + 1
    fields = [(code, name, counts[code]) for code, name in _fields(procedures)]
    online = sum(1 for p in procedures if presenters.accepts_online(p))
    return page(
        request,
        "portal/home.html",
        {"form": form, "fields": fields, "total": len(procedures), "online": online},
        section="home",
    )


@require_GET
def catalog(request: HttpRequest) -> HttpResponse:
    everything = list(list_procedures())
    form = CatalogSearchForm(request.GET or None, fields=_fields(everything))
    q, field_code, online_only = "", "", False
    if form.is_valid():
        q = form.cleaned_data["q"].strip()
        field_code = form.cleaned_data["linh_vuc"]
        online_only = form.cleaned_data["truc_tuyen"]
    # A search ranks by matched words, folded as everywhere (catalog.selectors.list_procedures).
    found = list(list_procedures(q=q)) if q else everything
    if online_only:
        found = [p for p in found if presenters.accepts_online(p)]
    if field_code:
        found = [p for p in found if p.field.code == field_code]
    paginator = Paginator([presenters.procedure_row(p) for p in found], PER_PAGE)
    current = paginator.get_page(request.GET.get("trang"))
    query = request.GET.copy()
    query.pop("trang", None)
    live = bool(request.headers.get("HX-Request"))  # htmx: the results and the count only
    response = page(
        request,
        "portal/_results.html" if live else "portal/catalog.html",
        {
            "form": form,
            "q": q,
            "field_name": dict(_fields(everything)).get(field_code, ""),
            "page": current,
            "count": paginator.count,
            "query": query.urlencode(),
            "oob": live,
        },
        section="catalog",
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_GET
def procedure(request: HttpRequest, code: str) -> HttpResponse:
    p = get_procedure_in_force(code)
    if p is None:
        return not_found(request, section="catalog")
    return page(
        request,
        "portal/procedure.html",
        {
            "p": p,
            "time": presenters.legal_time(p),
            "fee": presenters.fee_text(p),
            "online": presenters.accepts_online(p),
            "online_label": Procedure.OnlineMode(p.online_mode).label,
            "online_explanation": presenters.online_explanation(p),
            "green_lane": presenters.green_lane_note(p),
            "units": [u for u in p.units.all() if u.active],
            "documents": list(p.documents.all()),
            "steps": [
                (
                    s.name,
                    presenters.working_hours(s.duration_working_hours)
                    if s.duration_working_hours
                    else "",
                )
                for s in p.steps.all()
            ],
        },
        section="catalog",
    )
