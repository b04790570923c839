from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    name = "motcua.ops"
    label = "ops"
    verbose_name = _("Vận hành")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_login_failed

        from motcua.ops import metrics

        user_login_failed.connect(metrics.count_login_failure, dispatch_uid="ops.login_failed")
