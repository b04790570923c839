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
