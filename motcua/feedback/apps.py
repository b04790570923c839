from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "motcua.feedback"
    label = "feedback"
    verbose_name = _("Phản ánh, kiến nghị")

    def ready(self) -> None:
        # The services register their recomputer of respond-by times with the working calendar
        # (those kept in working hours or days; workdays never imports this app).
        import motcua.feedback.services  # noqa: F401
