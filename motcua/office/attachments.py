"""The official forms as e-mail attachments: the notifications' "dossier_form" renderer.

`notifications.services.notify_apology` queues the signed apology (Mẫu 04) with its e-mail when
this renderer is registered; the worker renders the PDF when it sends the message, from the rows
as they are then. Registered by `OfficeConfig.ready()`, which every process (web and worker) runs.
"""

from __future__ import annotations

from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import with_details
from motcua.notifications.channels import register_attachment_renderer
from motcua.office.pdf import render_form_pdf


@register_attachment_renderer("dossier_form")
def render_dossier_form(*, dossier_id: int, form: str, apology_id: int | None = None) -> bytes:
    """The PDF of ``form`` for the dossier (``apology_id``: which apology, for Mẫu 04)."""
    dossier = with_details(Dossier.objects.filter(pk=dossier_id)).get()
    return render_form_pdf(dossier, form, item_id=apology_id)
