"""The old board's addresses, kept working: each answers 301 with the page or
file the import made of it, or our 404."""

from django.http import Http404, HttpResponsePermanentRedirect
from django.utils import translation

from legacy.models import ImportedArticle, ImportedFile


def old_article(request):
    """/cop/bbs/selectBoardArticle.do?bbsId=…&nttId=…"""
    board, article = request.GET.get("bbsId", ""), request.GET.get("nttId", "")
    if not article.isdigit() or len(article) > 18:
        raise Http404
    imported = (
        ImportedArticle.objects.filter(board_id=board, article_id=int(article))
        .select_related("release")
        .first()
    )
    if imported is None or not (
        imported.release.is_live or imported.release.is_withdrawn
    ):
        raise Http404
    # In the interface of the release's language: the old board was one.
    with translation.override(imported.release.language):
        return HttpResponsePermanentRedirect(imported.release.get_absolute_url())


def old_file(request):
    """/cmm/fms/FileDown.do?atchFileId=…&fileSn=…"""
    file_id, number = request.GET.get("atchFileId", ""), request.GET.get("fileSn", "")
    if not number.isdigit() or len(number) > 9:
        raise Http404
    imported = (
        ImportedFile.objects.filter(file_id=file_id[:20], number=int(number))
        .select_related("attachment")
        .first()
    )
    if imported is None:
        raise Http404
    return HttpResponsePermanentRedirect(imported.attachment.get_absolute_url())
