"""The old board's addresses, one route per path of LEGACY_ARTICLE_LINKS and
LEGACY_FILE_LINKS (legacy.links), outside the language prefixes."""

from django.urls import path

from legacy import links, views


def routes():
    return [
        path(route, view, {"patterns": patterns})
        for kind, view in (
            (links.ARTICLE, views.old_article),
            (links.FILE, views.old_file),
        )
        for route, patterns in links.patterns(kind).items()
    ]


urlpatterns = routes()
