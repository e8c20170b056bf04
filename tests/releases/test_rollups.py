import datetime
import threading
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connections
from django.db.models import Sum
from django.http import HttpResponse
from django.utils import timezone

from releases import hits, reports, rollups
from releases.models import DailyHits, DailyTotal, MonthlyHits, RollupProgress
from releases.reports import Range
from tests.releases.factories import ReleaseFactory
from tests.releases.test_hits import visitor_request

pytestmark = pytest.mark.django_db

SEOUL = ZoneInfo("Asia/Seoul")
MARCH_31 = datetime.date(2026, 3, 31)
APRIL_1 = datetime.date(2026, 4, 1)
MARCH = Range(datetime.date(2026, 3, 1), MARCH_31)


def at(day, hour=12, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=SEOUL)


@pytest.fixture
def clock(monkeypatch):
    """Set the time: clock(moment)."""
    return lambda moment: monkeypatch.setattr(timezone, "now", lambda: moment)


@pytest.fixture
def release():
    return ReleaseFactory(published_at=at(datetime.date(2026, 3, 2)))


def write_past_hits(release, hits_by_day):
    """DailyHits written directly, as an import would, without rolling up."""
    for day, count in hits_by_day.items():
        DailyHits.objects.create(release=release, day=day, hits=count)


def count_visit(release, address):
    hits.record(visitor_request(REMOTE_ADDR=address), release, HttpResponse())


def monthly(release):
    return dict(release.monthly_hits.values_list("month", "hits"))


def daily_totals():
    return dict(DailyTotal.objects.values_list("day", "hits"))


def forget_rollups():
    MonthlyHits.objects.all().delete()
    DailyTotal.objects.all().delete()
    RollupProgress.objects.update(rolled_up_through=None)


def test_catch_up_rolls_up_closed_days_but_not_today(release, clock):
    forget_rollups()
    write_past_hits(release, {datetime.date(2026, 3, 30): 4, MARCH_31: 6})
    clock(at(MARCH_31, 15))
    assert rollups.catch_up() == datetime.date(2026, 3, 30)
    assert monthly(release) == {datetime.date(2026, 3, 1): 4}
    assert daily_totals() == {datetime.date(2026, 3, 30): 4}


def test_catch_up_adds_only_the_days_closed_since_it_last_ran(release, clock):
    forget_rollups()
    write_past_hits(release, {datetime.date(2026, 3, 30): 4})
    clock(at(MARCH_31))
    rollups.catch_up()
    write_past_hits(release, {MARCH_31: 6, APRIL_1: 1})
    clock(at(APRIL_1, 9))
    assert rollups.catch_up() == MARCH_31
    assert monthly(release) == {datetime.date(2026, 3, 1): 10}
    assert daily_totals() == {datetime.date(2026, 3, 30): 4, MARCH_31: 6}


def test_day_is_rolled_up_only_after_a_grace_period(release, clock):
    forget_rollups()
    clock(at(MARCH_31, 23, 59))
    count_visit(release, "203.0.113.1")  # a hit of the 31st, just before midnight
    clock(at(APRIL_1, 0, 5))
    assert rollups.catch_up() == datetime.date(2026, 3, 30)
    clock(at(APRIL_1, 0, 15))
    assert rollups.catch_up() == MARCH_31
    assert monthly(release) == {datetime.date(2026, 3, 1): 1}


def test_counting_writes_no_rollup(release, clock):
    clock(at(MARCH_31))
    count_visit(release, "203.0.113.1")
    assert monthly(release) == {}
    assert DailyHits.objects.get(release=release).hits == 1


def test_report_adds_todays_hits_to_rolled_up_days(release, clock):
    forget_rollups()
    write_past_hits(
        release, {datetime.date(2026, 3, 2): 5, datetime.date(2026, 3, 30): 4}
    )
    clock(at(MARCH_31))
    for address in ("203.0.113.1", "203.0.113.2"):
        count_visit(release, address)
    assert reports.summary(MARCH)["total"] == 11
    assert reports.total_hits(MARCH) == 11
    assert dict(reports.by_day(MARCH))[MARCH_31] == 2
    assert monthly(release) == {datetime.date(2026, 3, 1): 9}  # today stays live


def test_rebuild_replaces_rollups_by_sums_of_closed_days(release, clock):
    write_past_hits(
        release, {datetime.date(2026, 2, 1): 5, datetime.date(2026, 2, 28): 7}
    )
    write_past_hits(release, {datetime.date(2026, 3, 1): 4, MARCH_31: 100})
    MonthlyHits.objects.create(release=release, month=datetime.date(2025, 1, 1), hits=9)
    clock(at(MARCH_31))
    rollups.rebuild()
    assert monthly(release) == {
        datetime.date(2026, 2, 1): 12,
        datetime.date(2026, 3, 1): 4,
    }
    assert RollupProgress.objects.get().rolled_up_through == datetime.date(2026, 3, 30)


def test_rebuild_command_reports_what_it_rebuilt(release, clock):
    write_past_hits(
        release, {datetime.date(2026, 2, 1): 3, datetime.date(2026, 3, 2): 4}
    )
    clock(at(MARCH_31))
    out = StringIO()
    call_command("rebuild_hit_rollups", stdout=out)
    assert "2 monthly and 2 daily sums, through 2026-03-30" in out.getvalue()


def test_load_demo_leaves_rollups_in_step_with_daily_rows():
    call_command("load_demo", stdout=StringIO())
    through = RollupProgress.objects.get().rolled_up_through
    closed = DailyHits.objects.filter(day__lte=through)
    assert closed.exists()
    total = closed.aggregate(total=Sum("hits"))["total"]
    assert MonthlyHits.objects.aggregate(total=Sum("hits"))["total"] == total
    assert DailyTotal.objects.aggregate(total=Sum("hits"))["total"] == total


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_catch_ups_roll_up_each_day_once():
    release = ReleaseFactory(published_at=at(datetime.date(2026, 3, 2)))
    forget_rollups()
    write_past_hits(
        release, {datetime.date(2026, 3, 2): 5, datetime.date(2026, 3, 3): 7}
    )
    barrier = threading.Barrier(8)
    errors = []

    def report():
        try:
            barrier.wait()
            rollups.catch_up()
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=report) for _ in range(8)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert not errors
    assert monthly(release) == {datetime.date(2026, 3, 1): 12}
