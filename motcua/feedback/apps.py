from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "motcua.feedback"
    label = "feedback"
    verbose_name = _("Phản ánh, kiến nghị")

    def ready(self) -> None:
        # A change of the working calendar counts again the respond-by times kept in working
        # hours or days (workdays.services.register_recomputer; workdays never imports this app).
        from motcua.feedback.services import recompute_respond_by
        from motcua.workdays import services as workdays_services

        register = getattr(workdays_services, "register_recomputer", None)
        if register is not None:
            register(recompute_respond_by)
