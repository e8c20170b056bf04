from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LegacyConfig(AppConfig):
    name = "legacy"
    verbose_name = _("Old board")

    def ready(self):
        from legacy import links

        # A wrong pattern stops the start, naming its setting and itself.
        for kind in (links.ARTICLE, links.FILE):
            links.patterns(kind)
