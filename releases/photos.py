"""A release's photos for the press: each original under a file name that says
what it is, all of them as one ZIP streamed as it is read (with captions.txt),
and their downloads counted by day, apart from the page's hits."""

import logging
import re
from pathlib import Path

from django.db.models import F
from django.http import Http404, StreamingHttpResponse
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from zipstream import ZIP_STORED, ZipStream

from releases import hits, richtext
from releases.models import DailyDownloads

logger = logging.getLogger(__name__)
SLUG_MAX = 60
_FIGURE_OR_IMAGE = re.compile(r"<figure>.*?</figure>|<img\b[^>]*>", re.DOTALL)


def gallery(release):
    """The release's images in order, each given its position (1, 2, …), its
    download name and the credit to print."""
    images = list(release.images.all())
    for position, image in enumerate(images, start=1):
        image.position = position
        image.download_name = download_name(release, image, position)
        image.credit_line = image.credit or default_credit(release)
        image.body_url = body_source(image)
    return images


def body_source(image):
    """The address of the copy to place in a release's text: its widest
    rendition (the page's column is narrower), else the image itself."""
    if not image.renditions:
        return image.image.url
    widest = max(image.renditions, key=int)
    return image.image.storage.url(image.renditions[widest])


def addresses(release, images=None):
    """Every address of the release's photos (images, if read already) and
    their renditions: what its text may show."""
    found = set()
    for image in release.images.all() if images is None else images:
        found.add(image.image.url)
        found.update(
            image.image.storage.url(name) for name in image.renditions.values()
        )
    return found


def shown_body(release, images):
    """The release's body as the page shows it: without the images of photos
    removed from its gallery since they were placed (their figure goes too)."""
    body = release.safe_body
    if "<img" not in body:
        return body
    kept = addresses(release, images)

    def keep_if_present(match):
        sources = [src for src, _alt in richtext.image_sources(match[0])]
        return match[0] if all(src in kept for src in sources) else ""

    # The body is sanitized already; this only leaves parts of it out.
    return mark_safe(_FIGURE_OR_IMAGE.sub(keep_if_present, body))


def download_name(release, image, position):
    """release-1234-02-governor-at-the-presentation.jpg: the release's number,
    the photo's place in its gallery and its caption's slug."""
    slug = slugify(image.caption, allow_unicode=True)
    if len(slug) > SLUG_MAX:  # cut between words
        slug = slug[: SLUG_MAX + 1].rsplit("-", 1)[0]
    suffix = Path(image.image.name).suffix.lower()
    return (
        "-".join(
            filter(None, ["release", str(release.number), f"{position:02d}", slug])
        )
        + suffix
    )


def default_credit(release):
    if release.department_id:
        return release.department.localized_name
    return _("Gyeonggi Province Press Office")


def archive_name(release):
    return f"release-{release.number}-photos.zip"


def captions(release, images):
    """captions.txt: each file's caption, credit and licence, in the reader's
    language."""
    lines = [f"{release.number}. {release.title}", ""]
    for image in images:
        licence = image.reuse_licence
        lines += [
            image.download_name,
            _("Caption: %(caption)s") % {"caption": image.caption or image.alt_text},
            _("Credit: %(credit)s") % {"credit": image.credit_line},
            _("Licence: %(licence)s (%(url)s)")
            % {"licence": licence.label, "url": licence.url},
            "",
        ]
    return "\r\n".join(lines)


def archive_response(release, images):
    """Every stored photo and captions.txt as one ZIP, sent as it is read from
    disk (its length known beforehand); a photo whose file is missing is left
    out and logged, and with none left the answer is 404."""
    stream = ZipStream(compress_type=ZIP_STORED, sized=True)  # JPEGs don't shrink
    present = []
    for image in images:
        try:
            path = Path(image.image.path)
        except (ValueError, NotImplementedError):
            path = None
        if path is None or not path.is_file():
            logger.error("Stored photo %s is missing", image.image.name)
            continue
        stream.add_path(str(path), image.download_name)
        present.append(image)
    if not present:
        raise Http404(_("These photos are missing."))
    stream.add(captions(release, present).encode("utf-8"), "captions.txt")
    response = StreamingHttpResponse(stream, content_type="application/zip")
    response["Content-Length"] = len(stream)
    response["Content-Disposition"] = content_disposition_header(
        True, archive_name(release)
    )
    return response


def count_download(request, release):
    """Count one download of the release's photos today, by the rules that
    count a page's hits (no bots, staff, HEAD or prefetch); never breaks the
    download."""
    try:
        view = hits.View.of_request(request, release)
        if not hits.is_countable(view):
            return
        day = view.local_at.date()
        today = DailyDownloads.objects.filter(release=release, day=day)
        if today.update(downloads=F("downloads") + 1):
            return
        _row, created = DailyDownloads.objects.get_or_create(
            release=release, day=day, defaults={"downloads": 1}
        )
        if not created:  # made by another download meanwhile
            today.update(downloads=F("downloads") + 1)
    except Exception:
        logger.exception("Download not counted for release %s", release.pk)
