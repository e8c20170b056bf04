"""Hit figures, always filtered by date first, then summed.

They come from DailyHits and its rollups (releases.rollups): a range is read as
its whole months from MonthlyHits and its other days (today's at least) from
DailyHits, and the all-release day chart from DailyTotal, so a year costs 12
rows a release.

A release tagged with two municipalities counts fully for each of them, so the
rows of a breakdown can add up to more than the total.
"""

import calendar
import contextlib
import datetime
import functools
import statistics
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from releases import dates, rollups
from releases.models import (
    DailyDownloads,
    DailyHits,
    DailyTotal,
    MonthlyHits,
    Release,
)

MAX_DAYS = 5 * 366
ONE_DAY = datetime.timedelta(days=1)
# The report's words, read by the form, the page and the CSV (whose columns keep
# the names, for the programs that read it).
PERIODS = {
    "last_7_days": gettext_lazy("Last 7 days"),
    "last_30_days": gettext_lazy("Last 30 days"),
    "this_month": gettext_lazy("This month"),
    "last_month": gettext_lazy("Last month"),
    "this_year": gettext_lazy("This year"),
}
SUMMARY = {
    "total": gettext_lazy("Total hits"),
    "published": gettext_lazy("Releases published"),
    "read": gettext_lazy("Releases read"),
    "average": gettext_lazy("Average hits per release read"),
    "median": gettext_lazy("Median hits per release read"),
}
TABLES = {
    "day": gettext_lazy("By day"),
    "release": gettext_lazy("By release"),
    "municipality": gettext_lazy("By municipality"),
    "official": gettext_lazy("By official"),
    "topic": gettext_lazy("By topic"),
    "department": gettext_lazy("By department"),
    "downloads": gettext_lazy("Photo downloads by release"),
}
COLUMNS = {
    "day": gettext_lazy("Day"),
    "hits": gettext_lazy("Hits"),
    "number": gettext_lazy("No."),
    "title": gettext_lazy("Title"),
    "published": gettext_lazy("Published on"),
    "releases_read": gettext_lazy("Releases read"),
    "municipality": gettext_lazy("Municipality"),
    "official": gettext_lazy("Official"),
    "topic": gettext_lazy("Topic"),
    "department": gettext_lazy("Department"),
    "downloads": gettext_lazy("Photo downloads"),
}
# Breakdown name -> the field of Release it breaks down by.
DIMENSIONS = {
    "municipality": "municipalities",
    "official": "officials",
    "topic": "topics",
    "department": "department",
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

    @classmethod
    def asked(cls, start, end):
        """The range a person asked for, refused outside the dates' window (the
        periods computed from it, such as previous(), may reach before it)."""
        if not (dates.in_window(start) and dates.in_window(end)):
            raise ValidationError(
                _("A report covers days from %(earliest)s to %(latest)s.")
                % dates.window()
            )
        return cls(start, end)

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


class RangeReport:
    """The figures of one range, of all releases or of the given ones.

    Entering it sums each release's hits in the range once, into a temporary
    table that every figure then reads, instead of summing again per figure:

        with RangeReport(date_range) as report:
            report.summary, report.top_releases(), report.by_dimension("topic")
    """

    TABLE = "report_range_hits"

    def __init__(self, date_range, releases=None):
        self.date_range = date_range
        self.releases = releases
        self._stack = None

    def __enter__(self):
        # Inside a transaction: if anything fails, rolling back drops the table.
        # Until the table is made, the local stack closes the transaction on any
        # error: a transaction left open would break every later request served
        # on this connection.
        with contextlib.ExitStack() as stack:
            stack.enter_context(transaction.atomic())
            if connection.vendor == "postgresql":
                # Pages run without parallel workers (settings); a report's scans
                # of up to millions of rows are worth them, for this transaction.
                self._execute("SET LOCAL max_parallel_workers_per_gather = 2")
            sql, params = _per_release(self.date_range, self.releases)
            self._execute(f"CREATE TEMPORARY TABLE {self.TABLE} AS {sql}", params)
            stack.callback(self._execute, f"DROP TABLE {self.TABLE}")
            self._stack = stack.pop_all()
        return self

    def __exit__(self, *exception):
        return self._stack.__exit__(*exception)

    @functools.cached_property  # the page and its tables share one
    def summary(self):
        """Total hits, releases published, releases read, average and median hits."""
        per_release = [
            hits for (hits,) in self._execute(f"SELECT hits FROM {self.TABLE}")
        ]
        total = sum(per_release)
        return {
            "total": total,
            "published": self._published().count(),
            "read": len(per_release),
            "average": round(total / len(per_release), 1) if per_release else 0,
            "median": statistics.median(per_release) if per_release else 0,
        }

    def top_releases(self, limit=20):
        """Releases with the most hits in the range, most first (hits_in_range
        set); limit None: every release read."""
        ranked = self._execute(
            f"SELECT release_id, hits FROM {self.TABLE} "
            "ORDER BY hits DESC, release_id" + ("" if limit is None else " LIMIT %s"),
            [] if limit is None else [limit],
        )
        found = Release.objects.select_related("department").in_bulk(
            [release_id for release_id, _ in ranked]
        )
        top = []
        for release_id, hits in ranked:
            release = found[release_id]
            release.hits_in_range = hits
            top.append(release)
        return top

    def by_dimension(self, dimension):
        """[(name, hits, releases read)] for each municipality, official, topic or
        department with hits in the range, most first."""
        field = Release._meta.get_field(DIMENSIONS[dimension])
        tag_table = field.related_model._meta.db_table
        if field.many_to_many:
            through = field.remote_field.through._meta.db_table
            join = (
                f"JOIN {through} link ON link.{field.m2m_column_name()} = r.release_id "
                f"JOIN {tag_table} tag ON tag.id = link.{field.m2m_reverse_name()}"
            )
        else:
            join = (
                f"JOIN {Release._meta.db_table} release ON release.id = r.release_id "
                f"JOIN {tag_table} tag ON tag.id = release.{field.column}"
            )
        sums = self._execute(
            f"SELECT tag.id, SUM(r.hits), COUNT(*) FROM {self.TABLE} r {join} "
            "GROUP BY tag.id"
        )
        # Named as the interface names them: in Korean, by their Korean names.
        tags = field.related_model.objects.in_bulk([tag for tag, *_ in sums])
        rows = [(tags[tag].localized_name, hits, read) for tag, hits, read in sums]
        return sorted(rows, key=lambda row: (-row[1], row[0]))

    def tables(self):
        """Every table of the report as {name: (header, rows)}: page, CSV, command."""
        summary = self.summary
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
                [[self.date_range.start, self.date_range.end, *summary.values()]],
            ),
            "day": (["day", "hits"], by_day(self.date_range, self.releases)),
            "release": (
                ["number", "title", "published", "hits"],
                [
                    [
                        r.number,
                        r.title,
                        timezone.localdate(r.published_at),
                        r.hits_in_range,
                    ]
                    for r in self.top_releases(limit=None)  # every release read
                ],
            ),
        }
        for dimension in DIMENSIONS:
            result[dimension] = (
                [dimension, "hits", "releases_read"],
                self.by_dimension(dimension),
            )
        result["downloads"] = (["number", "title", "downloads"], self.downloads())
        return result

    def downloads(self):
        """[[number, title, photo downloads]] of the releases whose photos were
        downloaded in the range, most first (downloads are not hits)."""
        rows = DailyDownloads.objects.filter(
            day__gte=self.date_range.start, day__lte=self.date_range.end
        )
        if self.releases is not None:
            rows = rows.filter(release__in=self.releases)
        return [
            [number, title, total]
            for number, title, total in rows.values_list(
                "release__number", "release__title"
            )
            .annotate(total=Sum("downloads"))
            .order_by("-total", "release__number")
        ]

    def _published(self):
        published = Release.objects.visible().filter(
            published_at__date__gte=self.date_range.start,
            published_at__date__lte=self.date_range.end,
        )
        if self.releases is not None:
            published = published.filter(pk__in=self.releases)
        return published

    def _execute(self, sql, params=()):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return (
                [tuple(row) for row in cursor.fetchall()] if cursor.description else []
            )


def summary(date_range, releases=None):
    with RangeReport(date_range, releases) as report:
        return report.summary


def top_releases(date_range, releases=None, limit=20):
    with RangeReport(date_range, releases) as report:
        return report.top_releases(limit)


def by_dimension(date_range, dimension, releases=None):
    with RangeReport(date_range, releases) as report:
        return report.by_dimension(dimension)


def tables(date_range, releases=None):
    with RangeReport(date_range, releases) as report:
        return report.tables()


def total_hits(date_range, releases=None):
    """All hits in the range (of the given releases, if any)."""
    return sum(hits for _, hits in _day_sums(date_range, releases))


def comparison(current, previous):
    """Change from previous to current: (difference, percent or None)."""
    difference = current - previous
    percent = round(100 * difference / previous, 1) if previous else None
    return difference, percent


def by_day(date_range, releases=None):
    """[(day, hits)] for every day of the range, zeros included."""
    sums = dict(_day_sums(date_range, releases))
    return [
        (day, sums.get(day, 0))
        for day in (
            date_range.start + datetime.timedelta(days=offset)
            for offset in range(date_range.days)
        )
    ]


def _day_sums(date_range, releases):
    """[(day, hits)] of the days with hits: DailyTotal for the rolled-up days of
    all releases, else DailyHits summed by day."""
    live = DailyHits.objects.filter(day__range=_bounds(date_range))
    rolled_up = DailyTotal.objects.none()
    if releases is not None:
        live = live.filter(release__in=releases)
    elif through := rollups.catch_up():
        rolled_up = DailyTotal.objects.filter(
            day__gte=date_range.start, day__lte=min(date_range.end, through)
        )
        live = live.filter(day__gt=through)
    return list(rolled_up.values_list("day", "hits")) + list(
        live.order_by().values_list("day").annotate(hits=Sum("hits"))
    )


def _per_release(date_range, releases):
    """SQL and params of (release_id, hits): each release's hits in the range, for
    every release read in it. MonthlyHits give the range's whole months (as far
    as they are rolled up), DailyHits the other days."""
    months, day_spans = _split(date_range, rollups.catch_up())
    parts = [DailyHits.objects.filter(day__range=span) for span in day_spans]
    if months:
        parts.append(MonthlyHits.objects.filter(month__range=months))
    if releases is not None:
        parts = [part.filter(release__in=releases) for part in parts]
    parts = [part.order_by().values_list("release_id", "hits") for part in parts]
    rows, params = parts[0].union(*parts[1:], all=True).query.sql_with_params()
    return (
        f"SELECT release_id, SUM(hits) AS hits FROM ({rows}) AS parts "
        "GROUP BY release_id HAVING SUM(hits) > 0"
    ), params


def _split(date_range, through):
    """Where to read the range from, when the rollups hold every day up to
    through (a date or None): (first and last month to read from MonthlyHits as
    their first days, or None; [(start, end)] of the days to read from DailyHits).

    A month is read from MonthlyHits when the range covers all of it that is
    rolled up: the whole month, or its start up to through.
    """
    start, end = _bounds(date_range)
    if through is None or through < start:
        return None, [(start, end)]
    first = start if start.day == 1 else _next_month(start)
    covered = min(end, through)  # the last rolled-up day in the range
    last = covered.replace(day=1)
    if covered != through and _next_month(covered) - ONE_DAY != covered:
        last = (last - ONE_DAY).replace(day=1)  # covered ends mid-month
    if first > last:
        return None, [(start, end)]
    spans = []
    if start < first:
        spans.append((start, first - ONE_DAY))
    after = min(_next_month(last), through + ONE_DAY)
    if after <= end:
        spans.append((after, end))
    return (first, last), spans


def _next_month(day):
    """The first day of the month after day's."""
    return (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


def most_read(start, end, limit=5):
    """Published releases with the most hits from start to end (dates, inclusive)."""
    return top_releases(Range(start, end), Release.objects.published(), limit)


def most_read_this_week(limit=5):
    return most_read(*_bounds(Range.preset("last_7_days")), limit=limit)


def most_read_this_month(limit=5):
    return most_read(*_bounds(Range.preset("last_30_days")), limit=limit)


def release_daily(release):
    """[(day, hits)] of one release since its publication, zeros included."""
    days = _since_publication(release)
    if days is None:
        return []
    return by_day(days, Release.objects.filter(pk=release.pk))


def release_downloads(release, days=60):
    """(photo downloads in all, [(day, downloads)] of its latest days with any,
    latest first) of one release."""
    rows = release.daily_downloads.order_by("-day")
    total = rows.aggregate(total=Sum("downloads"))["total"] or 0
    return total, list(rows.values_list("day", "downloads")[:days])


def _since_publication(release):
    """The Range of days from release's publication to today (at most
    MAX_DAYS), or None before it is published."""
    if release.published_at is None:
        return None
    start = max(timezone.localdate(release.published_at), dates.EARLIEST_DAY)
    if start > dates.latest_day():
        return None
    end = max(start, timezone.localdate())
    return Range(start, min(end, start + datetime.timedelta(days=MAX_DAYS - 1)))


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


ALL_RELEASES = None


def releases_whose_figures(user):
    """The releases whose hit figures user may read: ALL_RELEASES for analysts
    and editors, their own for writers (those they created), None for others."""
    if user.has_perm("releases.view_hit_reports"):
        return ALL_RELEASES
    if user.has_perm("releases.change_release"):
        created = Release.history.filter(history_type="+", history_user=user)
        return Release.objects.filter(pk__in=created.values("id"))
    raise PermissionDenied


def may_read_figures(user):
    try:
        releases_whose_figures(user)
    except PermissionDenied:
        return False
    return True
