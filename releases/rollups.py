"""MonthlyHits and DailyTotal: sums of DailyHits that reports read instead.

Counting keeps the rollups in step with DailyHits (releases.hits); so does add()
for code that writes a DailyHits row itself. Anything that writes DailyHits in
bulk (the demo loader, an import, a restore) calls rebuild() afterwards;
`manage.py rebuild_hit_rollups` does it by hand.
"""

from django.apps import apps as global_apps
from django.db import connection, transaction
from django.db.models import Sum
from django.db.models.functions import TruncMonth

from releases.models import DailyTotal, MonthlyHits

_MONTHLY_HITS = MonthlyHits._meta.db_table
_DAILY_TOTAL = DailyTotal._meta.db_table
UPSERT_MONTHLY_HITS = f"""
    INSERT INTO {_MONTHLY_HITS} (release_id, month, hits)
    VALUES (%(release)s, %(month)s, %(hits)s)
    ON CONFLICT (release_id, month)
    DO UPDATE SET hits = {_MONTHLY_HITS}.hits + EXCLUDED.hits
"""
UPSERT_DAILY_TOTAL = f"""
    INSERT INTO {_DAILY_TOTAL} (day, hits) VALUES (%(day)s, %(hits)s)
    ON CONFLICT (day) DO UPDATE SET hits = {_DAILY_TOTAL}.hits + EXCLUDED.hits
"""


def add(release_id, day, hits):
    """Add hits, just added to release_id's DailyHits row for day, to the rollups."""
    values = {"release": release_id, "day": day, "month": day.replace(day=1)}
    with transaction.atomic(), connection.cursor() as cursor:
        for upsert in (UPSERT_MONTHLY_HITS, UPSERT_DAILY_TOTAL):
            cursor.execute(upsert, {**values, "hits": hits})


def rebuild(apps=global_apps):
    """Replace both rollups by sums of DailyHits. apps: for data migrations."""
    daily_hits = apps.get_model("releases", "DailyHits").objects.order_by()
    monthly = apps.get_model("releases", "MonthlyHits")
    totals = apps.get_model("releases", "DailyTotal")
    with transaction.atomic():
        monthly.objects.all().delete()
        totals.objects.all().delete()
        _insert_from(
            monthly,
            ["release_id", "month", "hits"],
            daily_hits.annotate(month=TruncMonth("day"))
            .values_list("release_id", "month")
            .annotate(total=Sum("hits")),
        )
        _insert_from(
            totals,
            ["day", "hits"],
            daily_hits.values_list("day").annotate(total=Sum("hits")),
        )


def _insert_from(model, columns, queryset):
    """INSERT INTO model's table the rows of queryset, in one statement."""
    select, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) {select}",
            params,
        )
