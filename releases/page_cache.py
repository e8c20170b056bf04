"""Whole-page cache of public release pages, with the hit count left as a hole.

A release page changes only when the release is saved (its updated_at) or when
its hit count moves. The page is rendered once per save, language and host with
a marker where the count goes, kept in the default cache, and the count is put
in each time the response renders, after hits.record has counted this view.
Related objects (officials, places, translations) that change without a save of
the release show within settings.RELEASE_PAGE_SECONDS.

The page must therefore be the same for every visitor: nothing user-specific
(no CSRF token, no "logged in as") may be rendered into a release page.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.template.response import TemplateResponse
from django.utils.translation import get_language

# Derived from the secret key, so an author cannot type it into a release.
HIT_COUNT_MARKER = (
    "hits-"
    + hashlib.sha256(f"{settings.SECRET_KEY}:hit-count-marker".encode()).hexdigest()[
        :20
    ]
)


def release_response(request, release, render):
    """The release's page as a lazy response; render(hit_count) makes it on a miss."""
    key = ":".join(
        [
            "release-page",
            str(release.pk),
            release.updated_at.isoformat(),
            get_language(),
            request.scheme,
            request.get_host(),
        ]
    )
    html = cache.get(key)
    if html is None:
        html = render(HIT_COUNT_MARKER)
        cache.set(key, html, settings.RELEASE_PAGE_SECONDS)
    return TemplateResponse(request, _PageWithHitCount(html, release))


class _PageWithHitCount:
    """Stands in for a template: fills the release's current hit count in on render."""

    def __init__(self, html, release):
        self.html = html
        self.release = release

    def render(self, context=None, request=None):
        return self.html.replace(HIT_COUNT_MARKER, str(self.release.hit_count))
