from django.views.generic import DetailView, ListView

from people.models import Municipality, Official, in_local_order


class OfficialListView(ListView):
    model = Official
    template_name = "people/official_list.html"
    context_object_name = "official_list"

    def get_queryset(self):
        return in_local_order(
            Official.objects.prefetch_related(
                "positions__municipality", "positions__organization"
            )
        )


class OfficialDetailView(DetailView):
    model = Official

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            positions=self.object.positions.select_related(
                "municipality", "organization"
            ),
            page_obj=self.object.releases.board_page(self.request.GET.get("page")),
            **kwargs,
        )


class MunicipalityListView(ListView):
    model = Municipality
    template_name = "people/municipality_list.html"
    context_object_name = "municipality_list"

    def get_queryset(self):
        return in_local_order(Municipality.objects.all(), group_by="kind")


class MunicipalityDetailView(DetailView):
    model = Municipality

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            positions=self.object.positions.select_related("official"),
            page_obj=self.object.releases.board_page(self.request.GET.get("page")),
            **kwargs,
        )
