from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "motcua.documents"
    label = "documents"
    verbose_name = _("Giấy tờ, tệp của hồ sơ")

    def ready(self) -> None:
        from motcua.documents.selectors import acceptance_check
        from motcua.dossiers.services import register_acceptance_check

        register_acceptance_check(acceptance_check)

        # The leader's step "Ký cấp kết quả" signs the dossier's result PDFs (D14).
        from motcua.documents.signing import sign_results_on_completion
        from motcua.dossiers.services import register_step_completion

        register_step_completion(sign_results_on_completion)

        # A signed Mẫu 04 or Mẫu 01 is filed among the dossier's papers (kind "form").
        from motcua.documents.signing import file_signed_form
        from motcua.signatures.services import on_signed

        on_signed(file_signed_form)
