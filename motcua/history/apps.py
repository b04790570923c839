from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HistoryConfig(AppConfig):
    """The tables of the configuration's change history (django-simple-history): every
    `motcua.core.history.ConfigHistory` keeps its rows here, one migration for them all."""

    name = "motcua.history"
    label = "history"
    verbose_name = _("Lịch sử thay đổi cấu hình")
