from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class ReleasesConfig(AppConfig):
    name = "releases"
    verbose_name = _("Press releases")

    def ready(self):
        from people.models import Municipality, Official, Organization
        from releases.filters import forget_choices
        from releases.models import Topic

        for model in (Municipality, Official, Organization, Topic):
            for signal in (post_save, post_delete):
                signal.connect(
                    forget_choices,
                    sender=model,
                    dispatch_uid=f"finder-{model.__name__}-{signal}",
                )
