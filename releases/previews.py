"""Previews of releases as the public would see them, never counted as hits.

Staff preview any release from the admin. For an outside fact-checker, staff
make a signed link for that one release, while it is not public yet, that
expires after PREVIEW_LINK_DAYS and stops working once the release is published
(publishing changes its preview_key, which every link carries; a link made for a
scheduled release shows it until then).
"""

import datetime

from django.conf import settings
from django.core import signing
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse

from releases import release_page
from releases.models import Release

_SALT = "releases.preview-link"


def can_link(release):
    """A preview link is for a release the public cannot read yet."""
    return release.status in {Release.Status.DRAFT, Release.Status.IN_REVIEW} or (
        release.is_scheduled
    )


def link(release):
    """The path of a new preview link for release."""
    token = signing.dumps(
        {"release": release.pk, "key": release.preview_key}, salt=_SALT
    )
    return reverse("releases:preview", args=[token])


def release_for(token):
    """The release a preview link shows; Http404 if forged, expired or revoked."""
    try:
        max_age = datetime.timedelta(days=settings.PREVIEW_LINK_DAYS)
        data = signing.loads(token, salt=_SALT, max_age=max_age)
    except signing.BadSignature as error:  # includes SignatureExpired
        raise Http404("This preview link is not valid or has expired.") from error
    release = Release.objects.filter(pk=data.get("release")).first()
    if release is None or release.preview_key != data.get("key"):
        raise Http404("This preview link has been revoked.")
    return release


def render(request, release):
    """The release page, marked as a preview and kept out of caches and search."""
    response = TemplateResponse(
        request,
        "releases/release_detail.html",
        {
            **release_page.context(request, release, is_preview=True),
            "hit_count": release.hit_count,
        },
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
