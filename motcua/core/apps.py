from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "motcua.core"
    label = "core"
    verbose_name = _("Lõi hệ thống")

    def ready(self) -> None:
        # the request id travels with the tasks a request queues (`motcua.core.logs`)
        from huey import signals
        from huey.contrib.djhuey import HUEY

        from motcua.core import logs

        HUEY.signal(signals.SIGNAL_ENQUEUED)(logs.tag_task)
        HUEY.pre_execute("motcua.request_id")(logs.enter_task)
        HUEY.post_execute("motcua.request_id")(logs.leave_task)
