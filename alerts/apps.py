from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = _("E-mail alerts")

    def ready(self):
        from alerts import receivers
        from releases import signals

        signals.release_published.connect(
            receivers.release_published, dispatch_uid="alerts-published"
        )
        signals.major_change_recorded.connect(
            receivers.major_change_recorded, dispatch_uid="alerts-major-change"
        )
