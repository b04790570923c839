from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "motcua.dossiers"
    label = "dossiers"
    verbose_name = _("Hồ sơ thủ tục hành chính")

    def ready(self) -> None:
        # A change of the working calendar recomputes the dues of the running dossiers
        # (workdays.services.register_recomputer; workdays never imports this app).
        from motcua.dossiers.services import recompute_deadlines
        from motcua.workdays import services as workdays_services

        register = getattr(workdays_services, "register_recomputer", None)
        if register is not None:
            register(recompute_deadlines)

        # The official forms go with the e-mails that announce them (the signed apology).
        from motcua.dossiers.official_forms import render_attachment
        from motcua.notifications.channels import register_attachment_renderer

        register_attachment_renderer("dossier_form")(render_attachment)
