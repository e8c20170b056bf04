from django.apps import AppConfig
from django.core.management import call_command
from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_migrate,
    post_save,
    pre_save,
)
from django.utils.translation import gettext_lazy as _


class ReleasesConfig(AppConfig):
    name = "releases"
    verbose_name = _("Press releases")

    def ready(self):
        post_migrate.connect(create_cache_tables, sender=self)
        self._clean_text_on_save()

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
        self._forget_api_lists_on_change()
        from releases.models import Attachment
        from releases.tasks import queue_text_version

        post_save.connect(
            queue_text_version, sender=Attachment, dispatch_uid="attachment-text"
        )

    def _forget_api_lists_on_change(self):
        from releases.api import forget_lists
        from releases.models import Attachment, ChangeNote, Release, ReleaseImage

        parts = [Release, ChangeNote, ReleaseImage, Attachment]
        for model in parts:
            for signal in (post_save, post_delete):
                signal.connect(
                    forget_lists,
                    sender=model,
                    dispatch_uid=f"api-lists-{model.__name__}-{signal}",
                )
        for field in ("topics", "municipalities", "officials", "organizations"):
            m2m_changed.connect(
                forget_lists,
                sender=getattr(Release, field).through,
                dispatch_uid=f"api-lists-{field}",
            )

    def _clean_text_on_save(self):
        from django.apps import apps

        from releases.text import clean_text_fields

        for app_label in ("people", "releases"):
            for model in apps.get_app_config(app_label).get_models():
                pre_save.connect(
                    clean_text_fields,
                    sender=model,
                    dispatch_uid=f"clean-text-{model._meta.label}",
                )


def create_cache_tables(using, **kwargs):
    """Create the database cache tables as part of migrate (none with Redis).

    The hit counter and the page cache use them from the first request, so a
    fresh database must not need a separate createcachetable step.
    """
    call_command("createcachetable", database=using, verbosity=0)
