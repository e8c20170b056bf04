"""MonthlyHits and DailyTotal: sums of DailyHits that long reports read instead.

Counting only ever writes today's DailyHits rows, so a day's rows stop changing
once it is over. catch_up() rolls up every day closed since it last ran (reports
call it first), and a report reads the rolled-up days from the rollups and the
rest, today at least, from DailyHits; counting itself never writes a rollup.

A day counts as closed GRACE after its midnight, so a hit that started just
before midnight is in its row before the row is summed. Anything that writes
DailyHits of past days (the demo loader, an import, a restore) calls rebuild()
afterwards; `manage.py rebuild_hit_rollups` does it by hand.
"""

import datetime

from django.apps import apps as global_apps
from django.db import connection, transaction
from django.db.models import Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from releases.models import DailyHits, DailyTotal, MonthlyHits, RollupProgress

GRACE = datetime.timedelta(minutes=10)


def last_closed_day():
    """The last day whose DailyHits can no longer change."""
    return timezone.localdate(timezone.now() - GRACE) - datetime.timedelta(days=1)


def catch_up():
    """Roll up the days closed since the last run; the last day rolled up, or None."""
    last_closed = last_closed_day()
    progress, _ = RollupProgress.objects.get_or_create(pk=1)
    if _holds(progress, last_closed):
        return progress.rolled_up_through
    with transaction.atomic():
        progress = RollupProgress.objects.select_for_update().get(pk=1)
        if not _holds(progress, last_closed):  # unless a concurrent run just did
            after = progress.rolled_up_through
            days = DailyHits.objects.filter(day__lte=last_closed)
            if after is not None:
                days = days.filter(day__gt=after)
            _roll_up(days, MonthlyHits, DailyTotal)
            progress.rolled_up_through = last_closed
            progress.save()
    return progress.rolled_up_through


def rebuild(apps=global_apps):
    """Roll up every closed day again from DailyHits. apps: for data migrations."""
    monthly = apps.get_model("releases", "MonthlyHits")
    totals = apps.get_model("releases", "DailyTotal")
    progress_model = apps.get_model("releases", "RollupProgress")
    last_closed = last_closed_day()
    with transaction.atomic():
        progress, _ = progress_model.objects.select_for_update().get_or_create(pk=1)
        monthly.objects.all().delete()
        totals.objects.all().delete()
        daily_hits = apps.get_model("releases", "DailyHits").objects
        _roll_up(daily_hits.filter(day__lte=last_closed), monthly, totals)
        progress.rolled_up_through = last_closed
        progress.save()


def _holds(progress, day):
    return progress.rolled_up_through is not None and progress.rolled_up_through >= day


def _roll_up(daily_hits, monthly, totals):
    """Add the sums of the daily_hits rows (days not rolled up yet) to the rollups."""
    daily_hits = daily_hits.order_by()
    by_month = (
        daily_hits.annotate(month=TruncMonth("day"))
        .values_list("release_id", "month")
        .annotate(total=Sum("hits"))
    )
    # A month that was partly rolled up already gets the new days added.
    _insert(
        monthly,
        ["release_id", "month", "hits"],
        by_month,
        on_conflict=f"(release_id, month) DO UPDATE SET hits = "
        f"{monthly._meta.db_table}.hits + EXCLUDED.hits",
    )
    _insert(
        totals, ["day", "hits"], daily_hits.values_list("day").annotate(Sum("hits"))
    )


def _insert(model, columns, queryset, on_conflict=None):
    """INSERT INTO model's table the rows of queryset, in one statement."""
    select, params = queryset.query.sql_with_params()
    sql = f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) {select}"
    if on_conflict:
        sql += f" ON CONFLICT {on_conflict}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
