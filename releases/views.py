from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import DetailView, ListView, TemplateView, View
from django_filters.views import FilterView

from releases import (
    hits,
    languages,
    open_data,
    page_cache,
    photos,
    previews,
    release_page,
    reports,
    uploads,
)
from releases.filters import ReleaseFilter
from releases.models import Attachment, Release, TextStatus, Topic

HOME_LATEST_COUNT = 10
MOST_READ_SECONDS = 300
LIVE_HITS_SECONDS = 1


class HomeView(TemplateView):
    template_name = "releases/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            latest=Release.objects.published().for_board()[:HOME_LATEST_COUNT],
            # Aggregates over DailyHits: recomputed at most every few minutes.
            most_read_week=cache.get_or_set(
                "home:most-read-7",
                lambda: list(reports.most_read_this_week()),
                MOST_READ_SECONDS,
            ),
            most_read_month=cache.get_or_set(
                "home:most-read-30",
                lambda: list(reports.most_read_this_month()),
                MOST_READ_SECONDS,
            ),
            topics=Topic.objects.all(),
            **kwargs,
        )


class ReleaseListView(FilterView):
    filterset_class = ReleaseFilter
    paginate_by = settings.RELEASES_PER_PAGE
    template_name = "releases/release_list.html"
    strict = False  # an invalid filter is shown with its error and ignored

    def get_queryset(self):  # decides visibility; the FilterSet only narrows it
        return Release.objects.published().for_board()

    def paginate_queryset(self, queryset, page_size):
        paginator = Paginator(queryset, page_size)
        if self.filterset.listed_count is not None:
            paginator.count = self.filterset.listed_count  # no second COUNT query
        page = paginator.get_page(self.request.GET.get("page"))
        return page.paginator, page, page.object_list, page.has_other_pages()


class ReleaseDetailView(DetailView):
    slug_url_kwarg = "number"
    slug_field = "number"

    def get_queryset(self):
        # The text and related objects load as the template renders, which a
        # page served from the page cache skips: it runs this one query.
        return (
            Release.objects.visible()
            .select_related("department")
            .defer("body", "summary")
        )

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if kwargs.get("slug") != self.object.slug:
            return redirect(self.object, permanent=True)
        response = self.render_to_response(self.get_context_data(object=self.object))
        hits.record(request, self.object, response)
        return response

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            **release_page.context(self.request, self.object),
        }

    def render_to_response(self, context, **response_kwargs):
        template_names = self.get_template_names()
        return page_cache.release_response(
            self.request,
            self.object,
            lambda hit_count: render_to_string(
                template_names, {**context, "hit_count": hit_count}, self.request
            ),
        )


def release_hits(request, number):
    """The public hit total of a release, for the page's live count: kept by the
    front server for a second, so a popular release costs the app one query a
    second."""
    release = get_object_or_404(
        Release.objects.visible().only("hit_count"), number=number
    )
    response = JsonResponse({"hits": release.hit_count})
    response["Cache-Control"] = f"public, max-age={LIVE_HITS_SECONDS}"
    return response


class AttachmentDownloadView(View):
    """An attachment, always downloaded (never shown inline) under its original name."""

    def get(self, request, pk, filename):
        attachment = get_object_or_404(
            Attachment.objects.select_related("release"), pk=pk
        )
        is_public = Release.objects.visible().filter(pk=attachment.release_id).exists()
        if not (is_public or request.user.has_perm("releases.view_release")):
            raise Http404
        return uploads.download(attachment.file, attachment.original_name or filename)


def _public_release(number):
    return get_object_or_404(
        Release.objects.visible().select_related("department"), number=number
    )


def _attachment_page(request, number, slug, pk, template, extra=None, **wanted):
    """The page (template) of a public release's attachment pk matching
    wanted, or 404; under a release's old slug, a redirect to its address."""
    release = _public_release(number)
    attachment = get_object_or_404(release.attachments, pk=pk, **wanted)
    attachment.release = release
    if slug != release.slug:
        name = request.resolver_match.view_name
        return redirect(name, number, release.slug, pk, permanent=True)
    context = {"release": release, "attachment": attachment, **(extra or {})}
    return TemplateResponse(request, template, context)


def attachment_text(request, number, slug, pk):
    """An attachment's text version, as a page of the site."""
    return _attachment_page(
        request, number, slug, pk, "releases/attachment_text.html",
        text_status=TextStatus.READY,
    )  # fmt: skip


# PDF.js asks for its CMaps and fonts by their own names, under these folders:
# not through {% static %}, which names single files (hashed with DEBUG off).
PDFJS_FILES = f"{settings.STATIC_URL}vendor/pdfjs/"


def attachment_pdf(request, number, slug, pk):
    """A PDF attachment in the browser's page (PDF.js), download still offered."""
    return _attachment_page(
        request, number, slug, pk, "releases/attachment_pdf.html",
        {"pdfjs_files": PDFJS_FILES}, file_type="PDF",
    )  # fmt: skip


def photo_download(request, number, pk):
    """One photo of a release at full size, under a name that says what it is."""
    release = _public_release(number)
    image = next((i for i in photos.gallery(release) if i.pk == pk), None)
    if image is None:
        raise Http404
    response = uploads.download(image.image, image.download_name)
    photos.count_download(request, release)
    return response


def photo_archive(request, number):
    """Every photo of a release and their captions, as one ZIP."""
    release = _public_release(number)
    response = photos.archive_response(release, photos.gallery(release))
    photos.count_download(request, release)
    return response


class ReleasePreviewView(View):
    """A fact-checker's preview link: the release as it will look, not counted."""

    def get(self, request, token):
        return previews.render(request, previews.release_for(token))


def switch_language(request, code):
    """The same page in another language: where the language link of old pages went.

    Languages live in the address now (/ko/…), so this sets no cookie: it only
    redirects, and never off the site.
    """
    next_url = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    if code not in dict(settings.LANGUAGES):
        return redirect(next_url)
    return redirect(languages.in_language(next_url, code))


class TopicListView(ListView):
    model = Topic


class TopicDetailView(DetailView):
    model = Topic

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            page_obj=self.object.releases.board_page(self.request.GET.get("page")),
            **kwargs,
        )


def open_data_page(request):
    """The bulk exports and the API, for those who take releases into their
    systems."""
    folder = open_data.latest_folder()
    files = [
        (name, (folder / name).stat().st_size)
        for name in open_data.FILES
        if folder and (folder / name).is_file()
    ]
    return TemplateResponse(
        request,
        "releases/open_data.html",
        {"files": files, "made_at": open_data.made_at()},
    )


def open_data_file(request, name):
    """One file of the latest export, downloaded under its name."""
    folder = open_data.latest_folder()
    if name not in open_data.FILES or folder is None or not (folder / name).is_file():
        raise Http404("No such export file.")
    return FileResponse(
        (folder / name).open("rb"),
        as_attachment=True,
        filename=name,
        content_type=open_data.FILES[name],
    )
