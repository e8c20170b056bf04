"""Text versions of attachments, readable in the browser and found by the site
search: made from HWPX, HWP, DOCX and PDF files by releases.documents in a
child process with a time and memory limit, outside any request (the queue,
releases.tasks), and kept on the attachment. A file that cannot be read stays
downloadable; the admin says why it has no text version.
"""

import logging
from pathlib import Path

import nh3
from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from releases import documents, search
from releases.models import Attachment, Release, TextStatus

logger = logging.getLogger(__name__)

# What staff read, in their language, when a file has no text version: the
# attachment keeps the code (documents.Unreadable's, or "missing").
PROBLEMS = {
    "corrupt": _("The file is damaged or not of its type, so it cannot be read."),
    "encrypted": _("The file is protected by a password, so it cannot be read."),
    "inflates": _("The file unpacks to far more than its size (a ZIP bomb?)."),
    "dtd": _("The file declares XML entities, which documents never need."),
    "empty": _("The file holds no text (a scan?): only the download is offered."),
    "too_long": _("The file's text is too long to show as a page."),
    "limit": _("Reading the file took too long or too much memory."),
    "missing": _("The stored file is missing."),
}
TAGS = {
    "h2", "h3", "h4", "h5", "h6", "p", "br", "strong", "b", "em", "i", "u", "sub",
    "sup", "ul", "ol", "li", "blockquote", "table", "thead", "tbody", "tr", "th",
    "td", "caption", "hr", "a",
}  # fmt: skip
ATTRIBUTES = {"a": {"href"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}


def prepare(attachment_id):
    """Make the text version of a pending attachment (none if it is not)."""
    attachment = (
        Attachment.objects.filter(pk=attachment_id, text_status=TextStatus.PENDING)
        .select_related("release")
        .first()
    )
    if attachment is None:
        return None
    with translation.override(attachment.release.language):
        page_label = str(_("Page %(number)s"))
    path = Path(attachment.file.path)
    if not path.is_file():
        _keep(attachment, TextStatus.FAILED, problem="missing")
        return attachment.text_status
    try:
        made = documents.run_limited(
            path,
            attachment.file_type,
            page_label,
            seconds=settings.DOCUMENT_SECONDS,
            memory_bytes=settings.DOCUMENT_MEMORY_MB * 1024 * 1024,
        )
    except documents.Unreadable as problem:
        logger.warning("No text version of attachment %s: %s", attachment.pk, problem)
        _keep(attachment, TextStatus.FAILED, problem=problem.code)
    else:
        _keep(attachment, TextStatus.READY, html=clean(made))
    return attachment.text_status


def prepare_pending(limit=100):
    """Text versions of up to limit pending attachments, oldest first; how many."""
    pending = Attachment.objects.filter(text_status=TextStatus.PENDING).order_by("pk")
    ids = list(pending.values_list("pk", flat=True)[:limit])
    for attachment_id in ids:
        prepare(attachment_id)
    return len(ids)


def clean(made):
    """A converter's HTML as ours: a page's headings start at h2 (its title is
    the h1), nothing outside TAGS."""
    for level in range(5, 0, -1):
        made = made.replace(f"<h{level}", f"<h{level + 1}")
        made = made.replace(f"</h{level}>", f"</h{level + 1}>")
    return nh3.clean(
        made,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def _keep(attachment, status, html="", problem=""):
    with transaction.atomic():
        # Only if still pending: a new file may have replaced it meanwhile.
        kept = Attachment.objects.filter(
            pk=attachment.pk, text_status=TextStatus.PENDING
        ).update(text_status=status, text_html=html, text_problem=problem)
        if kept:
            reindex(attachment.release_id)
    attachment.text_status = status


def reindex(release_id):
    """Give the release's search the words of its attachments' text versions
    (without saving it: no new revision, no history row)."""
    release = Release.objects.get(pk=release_id)
    release.attachments_text = release.attachment_words()
    Release.objects.filter(pk=release_id).update(
        attachments_text=release.attachments_text
    )
    search.index(release)


def problem_of(attachment):
    """Why the attachment has no text version, in the reader's language."""
    code = attachment.text_problem
    return PROBLEMS.get(code, code)
