"""What a release's page shows besides the release, for the public page and for
previews alike."""

from django.conf import settings
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from releases import photos, structured_data


def context(request, release, is_preview=False):
    gallery = SimpleLazyObject(lambda: photos.gallery(release))
    public = {
        "json_ld": lambda: structured_data.news_article(request, release),
        # Behind the front cache the page may be kept a while: a script fills in
        # the count as it is now.
        "live_hits_url": reverse("releases:release_hits", args=[release.number])
        if settings.HITS_FRONT_LOG
        else "",
    }
    return {
        "release": release,
        "object": release,
        "canonical_url": request.build_absolute_uri(release.get_absolute_url()),
        "licence": settings.REUSE_LICENCE,
        # Read only if the page is rendered, not when it comes from the cache.
        "photos": gallery,
        "body": SimpleLazyObject(lambda: photos.shown_body(release, gallery)),
        "is_preview": is_preview,
        **({} if is_preview else public),
    }
