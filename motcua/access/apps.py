from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "motcua.access"
    label = "access"
    verbose_name = _("Truy cập API, chống gửi trùng và giới hạn số lần thử")
