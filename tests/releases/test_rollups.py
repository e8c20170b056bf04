import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.http import HttpResponse
from django.utils import timezone

from releases import hits, rollups
from releases.models import DailyHits, DailyTotal, MonthlyHits
from tests.releases.factories import DailyHitsFactory, ReleaseFactory
from tests.releases.test_hits import visitor_request

pytestmark = pytest.mark.django_db

SEOUL = ZoneInfo("Asia/Seoul")
LAST_EVENING_OF_MARCH = datetime.datetime(2026, 3, 31, 23, 50, tzinfo=SEOUL)


def published_in_march():
    return ReleaseFactory(published_at=datetime.datetime(2026, 3, 2, tzinfo=SEOUL))


def count_visit(release, address, moment, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: moment)
    hits.record(visitor_request(REMOTE_ADDR=address), release, HttpResponse())


def monthly(release):
    return dict(release.monthly_hits.values_list("month", "hits"))


def daily_totals():
    return dict(DailyTotal.objects.values_list("day", "hits"))


def sums_of_daily_rows():
    """What the rollups must hold: MonthlyHits and DailyTotal as sums of DailyHits."""
    by_month = {}
    for release_id, day, count in DailyHits.objects.values_list(
        "release_id", "day", "hits"
    ):
        key = (release_id, day.replace(day=1))
        by_month[key] = by_month.get(key, 0) + count
    by_day = dict(
        DailyHits.objects.order_by().values_list("day").annotate(Sum("hits"))
    )
    return by_month, by_day


def stored_rollups():
    by_month = {
        (release_id, month): count
        for release_id, month, count in MonthlyHits.objects.values_list(
            "release_id", "month", "hits"
        )
    }
    return by_month, daily_totals()


def test_counted_view_adds_one_to_its_month_and_its_day(monkeypatch):
    release = published_in_march()
    count_visit(release, "203.0.113.1", LAST_EVENING_OF_MARCH, monkeypatch)
    count_visit(release, "203.0.113.2", LAST_EVENING_OF_MARCH, monkeypatch)
    assert monthly(release) == {datetime.date(2026, 3, 1): 2}
    assert daily_totals() == {datetime.date(2026, 3, 31): 2}


def test_views_either_side_of_month_end_go_to_each_month(monkeypatch):
    release = published_in_march()
    count_visit(release, "203.0.113.1", LAST_EVENING_OF_MARCH, monkeypatch)
    after_midnight = LAST_EVENING_OF_MARCH + datetime.timedelta(minutes=20)
    count_visit(release, "203.0.113.2", after_midnight, monkeypatch)
    assert monthly(release) == {
        datetime.date(2026, 3, 1): 1,
        datetime.date(2026, 4, 1): 1,
    }
    assert stored_rollups() == sums_of_daily_rows()


def test_day_total_sums_every_release(monkeypatch):
    first, second = published_in_march(), published_in_march()
    for address in ("203.0.113.1", "203.0.113.2"):
        count_visit(first, address, LAST_EVENING_OF_MARCH, monkeypatch)
    count_visit(second, "203.0.113.1", LAST_EVENING_OF_MARCH, monkeypatch)
    assert daily_totals() == {datetime.date(2026, 3, 31): 3}


def test_uncounted_view_leaves_the_rollups_alone(monkeypatch):
    release = published_in_march()
    monkeypatch.setattr(timezone, "now", lambda: LAST_EVENING_OF_MARCH)
    hits.record(visitor_request(HTTP_USER_AGENT="Googlebot/2.1"), release, None)
    assert stored_rollups() == ({}, {})


def test_rebuild_replaces_stale_rollups_by_sums_of_daily_rows():
    release = ReleaseFactory()
    for day, count in [(1, 5), (28, 7)]:
        DailyHits.objects.create(
            release=release, day=datetime.date(2026, 2, day), hits=count
        )
    DailyHits.objects.create(release=release, day=datetime.date(2026, 3, 1), hits=4)
    MonthlyHits.objects.create(release=release, month=datetime.date(2025, 1, 1), hits=9)
    rollups.rebuild()
    assert monthly(release) == {
        datetime.date(2026, 2, 1): 12,
        datetime.date(2026, 3, 1): 4,
    }
    assert stored_rollups() == sums_of_daily_rows()


def test_rebuild_command_reports_what_it_rebuilt():
    DailyHitsFactory(day=datetime.date(2026, 2, 1), hits=3)
    DailyHitsFactory(day=datetime.date(2026, 2, 2), hits=4)
    MonthlyHits.objects.all().delete()
    out = StringIO()
    call_command("rebuild_hit_rollups", stdout=out)
    assert "2 monthly and 2 daily sums" in out.getvalue()


def test_load_demo_leaves_rollups_in_step_with_daily_rows():
    call_command("load_demo", stdout=StringIO())
    assert MonthlyHits.objects.exists()
    assert stored_rollups() == sums_of_daily_rows()
