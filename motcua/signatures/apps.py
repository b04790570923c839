from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignaturesConfig(AppConfig):
    name = "motcua.signatures"
    label = "signatures"
    verbose_name = _("Chữ ký số")

    def ready(self) -> None:
        # The e-mail of a signed document attaches the stored bytes, never a new rendering.
        from motcua.notifications.channels import register_attachment_renderer
        from motcua.signatures.services import signed_file_bytes

        register_attachment_renderer("signed_file")(signed_file_bytes)
