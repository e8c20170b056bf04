"""The site's addresses, with the old board's of another layout: two article
patterns (one with a fixed parameter, one in the path, of any board) and a
file pattern without its number."""

from django.test import override_settings

from legacy.urls import routes
from pressoffice import urls

ARTICLE_LINKS = [
    "/news/view.do?menu=press&board={board}&no={article}",
    "/gnews/{article}.html",
]
FILE_LINKS = ["/download/{file}"]

with override_settings(
    LEGACY_ARTICLE_LINKS=ARTICLE_LINKS, LEGACY_FILE_LINKS=FILE_LINKS
):
    urlpatterns = routes() + urls.urlpatterns
