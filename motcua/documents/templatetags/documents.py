"""The documents part of other apps' pages, as inclusion tags (`{% load documents %}`):

* ``{% office_documents dossier user %}`` — the office dossier page: each required paper with
  its files (viewer, download, pages, who added it, "đã đối chiếu bản chính"), the counter's
  multi-file scan form, what blocks the acceptance of an online dossier, the same person's
  earlier papers offered for reuse (each showing logged), the result form and the results.
"""

from __future__ import annotations

from typing import Any

from django import template

from motcua.documents import selectors, services
from motcua.documents.models import Kind
from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.selectors import actor_facts, may_see_personal_data
from motcua.dossiers.services import acceptance_refusal
from motcua.org.models import Role, Staff

register = template.Library()

OPEN = (Status.SUBMITTED, Status.RECEIVED, Status.IN_PROGRESS, Status.AWAITING_SUPPLEMENT)


@register.inclusion_tag("documents/_office_documents.html", takes_context=True)
def office_documents(context: Any, dossier: Dossier, user: Staff) -> dict[str, Any]:
    who = actor_facts(user)
    if not may_see_personal_data(who, dossier):
        return {"visible": False}
    docs = list(selectors.documents_of(dossier))
    desk = who.has(dossier.unit_id, Role.RECEPTIONIST)
    offers: list[selectors.Offer] = []
    if desk and dossier.status in OPEN:
        offers = selectors.reuse_offers(dossier)
        if offers:
            services.log_offers_viewed(dossier=dossier, actor=user, count=len(offers))
    refusal = acceptance_refusal(dossier) if dossier.status == Status.SUBMITTED else None
    return {
        "visible": True,
        "dossier": dossier,
        "papers": selectors.papers_with_files(dossier, docs),
        "results": [d for d in docs if d.kind == Kind.RESULT],
        "desk": desk,
        "may_add": dossier.status in OPEN,
        "may_result": dossier.status in services.RESULT_STATUSES,
        "offers": offers,
        "acceptance_refusal": refusal,
        "events": list(selectors.document_events(dossier))[-10:],
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
    }
