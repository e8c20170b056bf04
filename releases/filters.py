import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from people.models import Municipality, Official
from releases.models import Release, Topic

SEARCH_MAX_LENGTH = 200


class ReleaseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_q",
        max_length=SEARCH_MAX_LENGTH,
    )
    municipality = django_filters.ModelChoiceFilter(
        label=_("Municipality"),
        field_name="municipalities",
        queryset=Municipality.objects.all(),
        to_field_name="slug",
    )
    official = django_filters.ModelChoiceFilter(
        label=_("Official"),
        field_name="officials",
        queryset=Official.objects.all(),
        to_field_name="slug",
    )
    topic = django_filters.ModelChoiceFilter(
        label=_("Topic"),
        field_name="topics",
        queryset=Topic.objects.all(),
        to_field_name="slug",
    )

    class Meta:
        model = Release
        fields = ["q", "municipality", "official", "topic"]

    def filter_q(self, queryset, name, value):
        words = value.split()
        for word in words:
            queryset = queryset.filter(
                Q(title__icontains=word)
                | Q(summary__icontains=word)
                | Q(body__icontains=word)
            )
        return queryset
