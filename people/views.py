from django.conf import settings
from django.core.paginator import Paginator
from django.views.generic import DetailView, ListView

from people.models import Municipality, Official


def released_page(request, releases):
    """The requested page of published releases; a bad number gives a valid page."""
    board = releases.published().for_board()
    return Paginator(board, settings.RELEASES_PER_PAGE).get_page(
        request.GET.get("page")
    )


class OfficialListView(ListView):
    model = Official

    def get_queryset(self):
        return Official.objects.prefetch_related(
            "positions__municipality", "positions__organization"
        )


class OfficialDetailView(DetailView):
    model = Official

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            positions=self.object.positions.select_related(
                "municipality", "organization"
            ),
            page_obj=released_page(self.request, self.object.releases),
            **kwargs,
        )


class MunicipalityListView(ListView):
    model = Municipality

    def get_queryset(self):
        return Municipality.objects.order_by("kind", "name")


class MunicipalityDetailView(DetailView):
    model = Municipality

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            positions=self.object.positions.select_related("official"),
            page_obj=released_page(self.request, self.object.releases),
            **kwargs,
        )
