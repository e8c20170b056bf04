import datetime
import secrets

import django_filters
from django import forms
from django.conf import settings
from django.core.cache import cache
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from people.models import Municipality, Official, Organization, in_local_order
from releases import search
from releases.models import Release, Topic

SEARCH_MAX_LENGTH = 200
# A search lists at most this many matches (the newest, when sorted by best
# match): counting and ranking then cost the same however common the words.
SEARCH_RESULTS_LIMIT = 1000
# Changes whenever a municipality, official, topic or department is saved or
# deleted, so that the cached HTML of the unused filters shows the new choices.
CHOICES_VERSION_KEY = "finder:choices-version"
PERIODS = {
    "week": datetime.timedelta(days=7),
    "month": datetime.timedelta(days=31),
    "year": datetime.timedelta(days=365),
}
SORTS = {
    "newest": ["-published_at", "-number"],
    "oldest": ["published_at", "number"],
    "most_read": ["-hit_count", "-published_at"],
    "relevance": ["-relevance", "-published_at"],
}


class DateInput(forms.DateInput):
    input_type = "date"


class InLocalOrder(ModelChoiceIterator):
    """The choices in the order of their labels in the interface's language
    (Hangul syllables sort in 가나다 order), kept in groups of group_by."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in in_local_order(self.queryset, self.field.group_by):
            yield self.choice(obj)


class LocalizedLabels:
    """Choices labelled with their Korean names in the Korean interface, and in
    their order."""

    iterator = InLocalOrder

    def __init__(self, *args, group_by=None, **kwargs):
        self.group_by = group_by
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        return obj.localized_name


class LocalizedChoiceField(LocalizedLabels, django_filters.fields.ModelChoiceField):
    pass


class LocalizedMultipleChoiceField(
    LocalizedLabels, django_filters.fields.ModelMultipleChoiceField
):
    pass


class LocalizedChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = LocalizedChoiceField


class LocalizedMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = LocalizedMultipleChoiceField


class ReleaseFilter(django_filters.FilterSet):
    # Shown folded away under "More filters" unless one of them is in use.
    SECONDARY = (
        "municipality", "official", "topic", "department", "language", "period",
        "published_from", "published_to",
    )  # fmt: skip

    q = django_filters.CharFilter(
        label=_("Search"), method="filter_q", max_length=SEARCH_MAX_LENGTH
    )
    municipality = LocalizedMultipleChoiceFilter(
        label=_("Municipalities"),
        queryset=Municipality.objects.all(),
        group_by="kind",
        to_field_name="slug",
        method="filter_municipality",
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checkbox-list"}),
    )
    official = LocalizedChoiceFilter(
        label=_("Official"),
        field_name="officials",
        queryset=Official.objects.all(),
        to_field_name="slug",
    )
    topic = LocalizedChoiceFilter(
        label=_("Topic"),
        field_name="topics",
        queryset=Topic.objects.all(),
        to_field_name="slug",
    )
    department = LocalizedChoiceFilter(
        label=_("Department"),
        queryset=Organization.objects.filter(kind=Organization.Kind.DEPARTMENT),
        to_field_name="slug",
    )
    language = django_filters.ChoiceFilter(
        label=_("Language"), choices=settings.LANGUAGES
    )
    period = django_filters.ChoiceFilter(
        label=_("Published in the last"),
        choices=[
            ("week", pgettext_lazy("published in the last", "week")),
            ("month", pgettext_lazy("published in the last", "month")),
            ("year", pgettext_lazy("published in the last", "year")),
        ],
        method="filter_period",
    )
    published_from = django_filters.DateFilter(
        label=_("From"),
        field_name="published_at",
        lookup_expr="date__gte",
        widget=DateInput,
    )
    published_to = django_filters.DateFilter(
        label=_("To"),
        field_name="published_at",
        lookup_expr="date__lte",
        widget=DateInput,
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=[
            ("newest", _("Newest")),
            ("oldest", _("Oldest")),
            ("most_read", _("Most read")),
            ("relevance", _("Best match (when searching)")),
        ],
        method="filter_sort",
        empty_label=_("Best match, or newest"),
    )

    class Meta:
        model = Release
        fields = []

    more_than_limit = False  # set when a search matched more than it lists
    listed_count = None  # set by a search, which counts what it lists
    results_limit = SEARCH_RESULTS_LIMIT

    def secondary_fields(self):
        return [self.form[name] for name in self.SECONDARY]

    def has_secondary_filters(self):
        return any(self.data.get(name) for name in self.SECONDARY)

    def choices_version(self):
        """Part of the cache key of the secondary filters' HTML when none is used."""
        return cache.get_or_set(
            CHOICES_VERSION_KEY, lambda: secrets.token_hex(8), timeout=None
        )

    def filter_municipality(self, queryset, name, value):
        if not value:  # an empty queryset of choices when none is ticked
            return queryset
        # A subquery rather than a join: no duplicates to remove with DISTINCT.
        tagged = Release.municipalities.through.objects.filter(municipality__in=value)
        return queryset.filter(pk__in=tagged.values("release_id"))

    def filter_q(self, queryset, name, value):
        return search.search(queryset, value)

    def filter_period(self, queryset, name, value):
        return queryset.filter(published_at__gte=timezone.now() - PERIODS[value])

    def filter_sort(self, queryset, name, value):
        # Sorting comes last in filter_queryset, after the search has annotated.
        return queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        searching = bool(self.form.cleaned_data.get("q"))
        sort = self.form.cleaned_data.get("sort") or (
            "relevance" if searching else "newest"
        )
        if sort == "relevance" and not searching:
            sort = "newest"
        queryset = queryset.order_by(*SORTS[sort])
        return self._first_matches(queryset, sort) if searching else queryset

    def _first_matches(self, queryset, sort):
        """The search narrowed to its first results_limit matches in the chosen
        order, the newest for best match (which then ranks only those)."""
        limit = self.results_limit
        first_order = SORTS["newest"] if sort == "relevance" else SORTS[sort]
        first = list(
            queryset.order_by(*first_order).values_list("pk", flat=True)[: limit + 1]
        )
        self.more_than_limit = len(first) > limit
        self.listed_count = min(len(first), limit)
        return queryset.filter(pk__in=first[:limit])


def forget_choices(**kwargs):
    """Signal receiver: a choice of the filters changed."""
    cache.delete(CHOICES_VERSION_KEY)
