"""Hit figures, always aggregated from DailyHits: filtered by date first, then summed.

A release tagged with two municipalities counts fully for each of them, so the
rows of a breakdown can add up to more than the total.
"""

import calendar
import datetime
import statistics
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from releases.models import DailyHits, Release

MAX_DAYS = 5 * 366
PRESETS = ["last_7_days", "last_30_days", "this_month", "last_month", "this_year"]
# Breakdown name -> the path from DailyHits to what it breaks down by.
DIMENSIONS = {
    "municipality": "release__municipalities",
    "official": "release__officials",
    "topic": "release__topics",
    "department": "release__department",
}


@dataclass(frozen=True)
class Range:
    start: datetime.date
    end: datetime.date

    def __post_init__(self):
        if self.end < self.start:
            raise ValidationError(_("The end date is before the start date."))
        if self.days > MAX_DAYS:
            raise ValidationError(_("A report covers at most five years."))

    @property
    def days(self):
        return (self.end - self.start).days + 1

    def previous(self):
        """The period of the same length just before this one."""
        length = datetime.timedelta(days=self.days)
        return Range(self.start - length, self.end - length)

    @classmethod
    def preset(cls, name, today=None):
        today = today or timezone.localdate()
        if name == "last_7_days":
            return cls(today - datetime.timedelta(days=6), today)
        if name == "last_30_days":
            return cls(today - datetime.timedelta(days=29), today)
        if name == "this_month":
            return cls(today.replace(day=1), today)
        if name == "last_month":
            end = today.replace(day=1) - datetime.timedelta(days=1)
            return cls(end.replace(day=1), end)
        if name == "this_year":
            return cls(today.replace(month=1, day=1), today)
        raise ValidationError(_("Unknown period."))


def daily_hits(date_range, releases=None):
    """DailyHits rows inside the range (of the given releases, if any)."""
    rows = DailyHits.objects.filter(day__gte=date_range.start, day__lte=date_range.end)
    return rows if releases is None else rows.filter(release__in=releases)


def summary(date_range, releases=None):
    """Total hits, releases published, releases read, average and median hits."""
    rows = daily_hits(date_range, releases)
    per_release = list(
        rows.values("release").annotate(hits=Sum("hits")).values_list("hits", flat=True)
    )
    published = Release.objects.visible().filter(
        published_at__date__gte=date_range.start, published_at__date__lte=date_range.end
    )
    if releases is not None:
        published = published.filter(pk__in=releases)
    total = rows.aggregate(total=Sum("hits"))["total"] or 0
    return {
        "total": total,
        "published": published.count(),
        "read": len(per_release),
        "average": round(total / len(per_release), 1) if per_release else 0,
        "median": statistics.median(per_release) if per_release else 0,
    }


def comparison(current, previous):
    """Change from previous to current: (difference, percent or None)."""
    difference = current - previous
    percent = round(100 * difference / previous, 1) if previous else None
    return difference, percent


def by_day(date_range, releases=None):
    """[(day, hits)] for every day of the range, zeros included."""
    sums = dict(
        daily_hits(date_range, releases)
        .values("day")
        .annotate(hits=Sum("hits"))
        .values_list("day", "hits")
    )
    return [
        (day, sums.get(day, 0))
        for day in (
            date_range.start + datetime.timedelta(days=offset)
            for offset in range(date_range.days)
        )
    ]


def top_releases(date_range, releases=None, limit=20):
    """Releases with the most hits in the range, most first (hits_in_range set)."""
    ranked = list(
        daily_hits(date_range, releases)
        .values("release")
        .annotate(hits=Sum("hits"))
        .filter(hits__gt=0)
        .order_by("-hits", "release")[:limit]
    )
    found = Release.objects.select_related("department").in_bulk(
        [row["release"] for row in ranked]
    )
    top = []
    for row in ranked:
        release = found[row["release"]]
        release.hits_in_range = row["hits"]
        top.append(release)
    return top


def by_dimension(date_range, dimension, releases=None):
    """[(name, hits, releases read)] for each municipality, official, topic or
    department with hits in the range, most first."""
    tag = DIMENSIONS[dimension]
    rows = (
        daily_hits(date_range, releases)
        .filter(**{f"{tag}__isnull": False})
        .values(tag, f"{tag}__name")
        .annotate(hits=Sum("hits"), releases_read=Count("release", distinct=True))
        .filter(hits__gt=0)
        .order_by("-hits", f"{tag}__name")
    )
    return [(row[f"{tag}__name"], row["hits"], row["releases_read"]) for row in rows]


def most_read(start, end, limit=5):
    """Published releases with the most hits from start to end (dates, inclusive)."""
    return top_releases(Range(start, end), Release.objects.published(), limit)


def most_read_this_week(limit=5):
    return most_read(*_bounds(Range.preset("last_7_days")), limit=limit)


def most_read_this_month(limit=5):
    return most_read(*_bounds(Range.preset("last_30_days")), limit=limit)


def release_daily(release):
    """[(day, hits)] of one release since its publication, zeros included."""
    if release.published_at is None:
        return []
    start = timezone.localdate(release.published_at)
    end = max(start, timezone.localdate())
    end = min(end, start + datetime.timedelta(days=MAX_DAYS - 1))
    return by_day(Range(start, end), Release.objects.filter(pk=release.pk))


def rank_in_month(release):
    """(rank, out of) of release by total hits among releases of its month."""
    if release.published_at is None:
        return None
    published = timezone.localdate(release.published_at)
    last_day = calendar.monthrange(published.year, published.month)[1]
    same_month = Release.objects.visible().filter(
        published_at__date__gte=published.replace(day=1),
        published_at__date__lte=published.replace(day=last_day),
    )
    higher = same_month.filter(hit_count__gt=release.hit_count).count()
    return higher + 1, same_month.count()


def _bounds(date_range):
    return date_range.start, date_range.end


def tables(date_range, releases=None):
    """Every table of the report as {name: (header, rows)}: page, CSV and command."""
    result = {
        "summary": (
            [
                "start",
                "end",
                "total_hits",
                "releases_published",
                "releases_read",
                "average_hits",
                "median_hits",
            ],
            [
                [
                    date_range.start,
                    date_range.end,
                    *summary(date_range, releases).values(),
                ]
            ],
        ),
        "day": (["day", "hits"], by_day(date_range, releases)),
        "release": (
            ["number", "title", "published", "hits"],
            [
                [r.number, r.title, timezone.localdate(r.published_at), r.hits_in_range]
                for r in top_releases(date_range, releases)
            ],
        ),
    }
    for dimension in DIMENSIONS:
        result[dimension] = (
            [dimension, "hits", "releases_read"],
            by_dimension(date_range, dimension, releases),
        )
    return result


def own_releases(user):
    """The releases a user created (for writers, who see only their own figures)."""
    created = Release.history.filter(history_type="+", history_user=user)
    return Release.objects.filter(pk__in=created.values("id"))
