"""The old board's addresses, kept working: each answers 301 with the page or
file the import made of it, or our 404. Their patterns are settings
(legacy.links); legacy.urls routes each to these views."""

from django.http import Http404, HttpResponsePermanentRedirect
from django.utils import translation

from legacy.models import ImportedArticle, ImportedFile

ID_MAX = {"article": 18, "number": 9}  # digits: beyond, not an id of the board
FILE_ID_MAX = ImportedFile._meta.get_field("file_id").max_length


def old_article(request, patterns, **from_path):
    """An old article's address: 301 to its release, live or withdrawn."""
    for pattern in patterns:
        values = pattern.values(request, from_path)
        if values and (release := _release(values)):
            # In the interface of the release's language: the old board was one.
            with translation.override(release.language):
                return HttpResponsePermanentRedirect(release.get_absolute_url())
    raise Http404


def old_file(request, patterns, **from_path):
    """An old file download address: 301 to the attachment."""
    for pattern in patterns:
        values = pattern.values(request, from_path)
        if values and (imported := _file(values)):
            return HttpResponsePermanentRedirect(imported.attachment.get_absolute_url())
    raise Http404


def _release(values):
    article = values["article"]
    if not article.isdigit() or len(article) > ID_MAX["article"]:
        return None
    found = ImportedArticle.objects.filter(article_id=int(article))
    if "board" in values:
        found = found.filter(board_id=values["board"])
    imported = found.select_related("release").order_by("pk").first()
    if imported is None or not (
        imported.release.is_live or imported.release.is_withdrawn
    ):
        return None
    return imported.release


def _file(values):
    number = values.get("number", "")
    if len(values["file"]) > FILE_ID_MAX:
        return None
    found = ImportedFile.objects.filter(file_id=values["file"])
    if number or "number" in values:  # without it: the article's first file
        if not number.isdigit() or len(number) > ID_MAX["number"]:
            return None
        found = found.filter(number=int(number))
    return found.select_related("attachment").order_by("number").first()
