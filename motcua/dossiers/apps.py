from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "motcua.dossiers"
    label = "dossiers"
    verbose_name = _("Hồ sơ thủ tục hành chính")

    def ready(self) -> None:
        # The services register their recomputer of dues with the working calendar (a calendar
        # change moves the running dossiers' dues; workdays never imports this app).
        import motcua.dossiers.services  # noqa: F401

        # The official forms go with the e-mails that announce them (the signed apology).
        from motcua.dossiers.official_forms import render_attachment
        from motcua.notifications.channels import register_attachment_renderer

        register_attachment_renderer("dossier_form")(render_attachment)

        # The leader's signature of an apology may be a task (token, phone): its two halves.
        from motcua.dossiers.services.apologies import (
            complete_apology_signature,
            prepare_apology_signature,
        )
        from motcua.signatures.services import register_signing

        register_signing(
            "apology", prepare=prepare_apology_signature, complete=complete_apology_signature
        )
