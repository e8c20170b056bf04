"""Counting views from the front server's log (releases/front_log.py)."""

import datetime
import json
import os
import threading
import time

import pytest
from django.core.management import CommandError, call_command
from django.db import connections
from django.db.models import Sum
from django.utils import timezone

from releases import front_log
from releases.models import CountedVisit, DailyHits, FrontLogPosition, HitSalt
from tests.releases.factories import ReleaseFactory
from tests.releases.test_hits import BOTS, BROWSER

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def behind_nginx(settings):
    """As make prod runs it: nginx is the one trusted proxy."""
    settings.HITS_TRUSTED_PROXIES = 1
    settings.HITS_COOLDOWN = 1800


@pytest.fixture
def log(tmp_path):
    return tmp_path / "hits.log"


def line(release, client="203.0.113.10", **fields):
    """A line as nginx writes it (deploy/nginx/site.conf.template, log_format hits)."""
    entry = {
        "at": f"{time.time():.3f}",
        "method": "GET",
        "status": "200",
        "forwarded_for": client,  # nginx's $proxy_add_x_forwarded_for
        "remote_addr": client,
        "user_agent": BROWSER,
        "purposes": "   ",
        "release": str(release.pk) if release else "",
        "staff": "",
        **fields,
    }
    return json.dumps(entry) + "\n"


def append(log, *lines):
    with open(log, "a") as file:
        file.write("".join(lines))


def count(log):
    """Count everything the log holds, as the counter would batch after batch."""
    while front_log.count_batch(log).lines:
        pass


def totals(release):
    release.refresh_from_db()
    daily = release.daily_hits.aggregate(total=Sum("hits"))["total"] or 0
    return release.hit_count, daily


def visitors(n):
    return [f"198.51.{i // 250}.{i % 250 + 1}" for i in range(n)]


def test_a_logged_view_counts_in_the_total_and_the_day(log):
    release = ReleaseFactory()
    append(log, line(release))

    count(log)

    assert totals(release) == (1, 1)
    assert DailyHits.objects.get().day == timezone.localdate()


def test_each_distinct_visitor_counts(log):
    release = ReleaseFactory()
    append(log, *(line(release, client) for client in visitors(300)))

    count(log)

    assert totals(release) == (300, 300)


def test_the_same_visitor_counts_once_within_the_cooldown(log):
    release = ReleaseFactory()
    append(log, *(line(release) for _ in range(50)))

    count(log)

    assert totals(release) == (1, 1)


def test_the_same_visitor_counts_once_across_batches(log):
    release = ReleaseFactory()
    append(log, line(release))
    count(log)
    append(log, line(release))

    count(log)

    assert totals(release) == (1, 1)


def test_the_same_visitor_counts_again_after_the_cooldown(log):
    release = ReleaseFactory()
    now = time.time()
    append(log, line(release, at=f"{now - 1801:.3f}"), line(release, at=f"{now:.3f}"))

    count(log)

    assert totals(release) == (2, 2)


def test_a_repeat_counts_once_the_count_of_an_earlier_batch_expires(log):
    release = ReleaseFactory()
    now = time.time()
    append(log, line(release, at=f"{now - 2000:.3f}"))  # counted until now - 200
    count(log)
    append(log, line(release, at=f"{now - 1000:.3f}"), line(release, at=f"{now:.3f}"))

    count(log)

    assert totals(release) == (2, 2)


def test_a_visitor_counted_before_midnight_is_not_counted_again_after_it(log):
    release = ReleaseFactory(published_at=timezone.now() - datetime.timedelta(days=3))
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    before, after = (
        (midnight + datetime.timedelta(minutes=minutes)).timestamp()
        for minutes in (-10, 10)
    )
    append(log, line(release, at=f"{before:.3f}"))
    count(log)
    append(log, line(release, at=f"{after:.3f}"))

    count(log)

    assert totals(release) == (1, 1)


def test_without_a_cooldown_every_view_counts(log, settings):
    settings.HITS_COOLDOWN = 0
    release = ReleaseFactory()
    append(log, *(line(release) for _ in range(5)))

    count(log)

    assert totals(release) == (5, 5)
    assert not CountedVisit.objects.exists()


def test_a_visitor_is_one_release_at_a_time(log):
    first, second = ReleaseFactory(), ReleaseFactory()
    append(log, line(first), line(second))

    count(log)

    assert totals(first) == totals(second) == (1, 1)


@pytest.mark.parametrize("user_agent", BOTS)
def test_bots_do_not_count(log, user_agent):
    release = ReleaseFactory()
    append(log, line(release, user_agent=user_agent))

    count(log)

    assert totals(release) == (0, 0)


@pytest.mark.parametrize(
    "fields",
    [
        {"method": "HEAD"},
        {"purposes": "prefetch;prerender   "},
        {"purposes": " prefetch  "},
        {"staff": "1"},
        {"status": "404"},
        {"status": "301"},
        {"status": "499"},
        {"user_agent": ""},
    ],
)
def test_views_the_rules_refuse_do_not_count(log, fields):
    release = ReleaseFactory()
    append(log, line(release, **fields))

    count(log)

    assert totals(release) == (0, 0)


def test_a_304_from_the_front_counts(log):
    release = ReleaseFactory()
    append(log, line(release, status="304"))

    count(log)

    assert totals(release) == (1, 1)


def test_lines_the_app_did_not_mark_do_not_count(log):
    release = ReleaseFactory()
    append(log, line(None))

    count(log)

    assert totals(release) == (0, 0)


@pytest.mark.parametrize("trait", ["withdrawn", "embargoed", "draft"])
def test_views_of_releases_not_live_do_not_count(log, trait):
    release = ReleaseFactory(**{trait: True})
    append(log, line(release))

    count(log)

    assert totals(release) == (0, 0)


def test_a_view_of_a_deleted_release_is_skipped(log):
    release = ReleaseFactory()
    append(log, line(release))
    release.delete()

    assert front_log.count_batch(log).counted == 0


def test_a_forged_forwarded_for_does_not_make_new_visitors(log):
    release = ReleaseFactory()
    append(
        log,
        *(
            line(release, forwarded_for=f"{forged}, 203.0.113.10")
            for forged in visitors(20)
        ),
    )

    count(log)

    assert totals(release) == (1, 1)


def test_reading_resumes_after_the_last_line_counted(log):
    release = ReleaseFactory()
    append(log, line(release, visitors(2)[0]))
    count(log)
    append(log, line(release, visitors(2)[1]))

    count(log)

    assert totals(release) == (2, 2)
    assert FrontLogPosition.objects.get().offset == os.path.getsize(log)


def test_a_line_still_being_written_waits_for_its_end(log):
    release = ReleaseFactory()
    whole = line(release)
    append(log, whole[:40])
    count(log)
    append(log, whole[40:])

    count(log)

    assert totals(release) == (1, 1)


def test_unreadable_lines_are_skipped_and_the_rest_counted(log):
    release = ReleaseFactory()
    append(log, "not json\n", '{"release": "x"}\n', line(release), "\n")

    result = front_log.count_batch(log)

    assert (result.lines, result.counted, result.unreadable) == (4, 1, 3)


@pytest.mark.parametrize(
    "fields",
    [
        {"at": "nan"},
        {"at": "1e30"},
        {"at": "yesterday"},
        {"user_agent": 5},
        {"forwarded_for": None},
        {"status": "OK"},
    ],
)
def test_a_line_no_nginx_would_write_is_skipped_and_the_rest_counted(log, fields):
    release = ReleaseFactory()
    append(log, json.dumps(json.loads(line(release)) | fields) + "\n")
    append(log, line(release, "198.51.100.1"))

    result = front_log.count_batch(log)

    assert (result.counted, result.unreadable) == (1, 1)


def test_a_failed_batch_keeps_its_position_and_counts_nothing(log, monkeypatch):
    release = ReleaseFactory()
    append(log, *(line(release, client) for client in visitors(3)))

    def fail(*args):
        raise RuntimeError("the database went away")

    with monkeypatch.context() as patched:
        patched.setattr(front_log, "_prune_visits", fail)
        with pytest.raises(RuntimeError):
            front_log.count_batch(log)
    assert totals(release) == (0, 0)
    assert not CountedVisit.objects.exists()

    count(log)

    assert totals(release) == (3, 3)


def test_a_batch_prepared_ahead_is_counted(log):
    release = ReleaseFactory()
    append(log, *(line(release, client) for client in visitors(3)))
    prepared = front_log.prepare(log, 0, "", 0)

    result = front_log.count_batch(log, prepared=prepared)

    assert (result.lines, result.counted) == (3, 3)
    assert totals(release) == (3, 3)


def test_a_batch_prepared_from_where_reading_no_longer_is_read_anew(log, settings):
    settings.HITS_COOLDOWN = 0  # so that only the read position can refuse a double
    release = ReleaseFactory()
    append(log, *(line(release, client) for client in visitors(3)))
    stale = front_log.prepare(log, 0, "", 0)
    count(log)  # another batch got there first

    front_log.count_batch(log, prepared=stale)

    assert totals(release) == (3, 3)


def test_the_next_batch_is_prepared_from_where_this_one_ends(log):
    release = ReleaseFactory()
    append(log, line(release))
    ends = []

    front_log.count_batch(log, read_ahead=ends.append)

    assert ends[0].offset == os.path.getsize(log)


def test_a_rotated_log_is_read_to_its_end_before_the_new_one(log, monkeypatch):
    monkeypatch.setattr(front_log, "ROTATION_GRACE_SECONDS", 0)
    release = ReleaseFactory()
    first, second, third = visitors(3)
    append(log, line(release, first))
    count(log)
    append(log, line(release, second))  # written just before the rotation
    log.rename(log.with_name("hits.log.1"))
    append(log, line(release, third))  # nginx reopened a new file

    count(log)

    assert totals(release) == (3, 3)


def test_a_rotated_log_still_written_to_is_not_left(log):
    release = ReleaseFactory()
    append(log, line(release, visitors(2)[0]))
    count(log)
    log.rename(log.with_name("hits.log.1"))
    append(log, line(release, visitors(2)[1]))  # the new file

    count(log)  # the old one was written just now: nginx may not have reopened

    assert totals(release) == (1, 1)


def test_a_truncated_log_is_read_from_its_start(log):
    release = ReleaseFactory()
    first, second = visitors(2)
    append(log, line(release, first), line(release, first))
    count(log)
    log.write_text(line(release, second))

    count(log)

    assert totals(release) == (2, 2)


def test_a_log_not_yet_written_reads_nothing(log):
    result = front_log.count_batch(log)

    assert (result.lines, result.counted) == (0, 0)
    assert FrontLogPosition.objects.get().read_at is not None


def test_a_log_gone_with_its_rotation_is_followed_by_the_new_one(log):
    release = ReleaseFactory()
    first, second = visitors(2)
    append(log, line(release, first))
    count(log)
    log.unlink()
    append(log, line(release, second))

    count(log)

    assert totals(release) == (2, 2)


def test_visits_older_than_the_cooldown_are_forgotten(log, monkeypatch):
    monkeypatch.setattr(front_log, "_pruned_at", None)
    release = ReleaseFactory()
    two_hours_ago = timezone.now() - datetime.timedelta(hours=2)
    CountedVisit.objects.create(
        release=release,
        visitor="0" * 32,
        counted_at=two_hours_ago,
        until=two_hours_ago + datetime.timedelta(minutes=30),
    )
    append(log, line(release))

    count(log)

    assert CountedVisit.objects.count() == 1
    assert CountedVisit.objects.get().visitor != "0" * 32


def test_salts_older_than_yesterday_are_deleted(log):
    now = timezone.now()  # one moment for the view and the days, even at midnight
    day = timezone.localdate(now)
    HitSalt.objects.create(day=day - datetime.timedelta(days=2), salt="00" * 32)
    append(log, line(ReleaseFactory(), at=f"{now.timestamp():.3f}"))

    count(log)

    # Just after midnight yesterday's salt is kept too (its visits still count).
    days = set(HitSalt.objects.values_list("day", flat=True))
    assert day in days
    assert day - datetime.timedelta(days=2) not in days


def test_the_lag_is_what_the_counter_left_unread(log):
    append(log, "x" * 10)  # half a line
    front_log.count_batch(log)

    assert front_log.lag(log)["unread_bytes"] == 10


def test_the_lag_of_a_log_never_read_is_none(log):
    assert front_log.lag(log) is None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_counters_on_one_log_count_each_view_once(log):
    release = ReleaseFactory()
    append(log, *(line(release, client) for client in visitors(2000)))

    def counter():
        try:
            while front_log.count_batch(log, batch_bytes=8192).lines:
                pass
        finally:
            connections.close_all()

    threads = [threading.Thread(target=counter) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert totals(release) == (2000, 2000)


def test_the_command_counts_what_the_log_holds_and_says_so(log, capsys):
    release = ReleaseFactory()
    append(log, line(release), line(release, "198.51.100.1"), line(None))

    call_command("count_hits_from_front_log", "--log", str(log), "--once")

    assert totals(release) == (2, 2)
    assert "Counted 2 views of 3 lines." in capsys.readouterr().out


def test_the_command_needs_a_log(settings):
    settings.HITS_FRONT_LOG = ""
    with pytest.raises(CommandError, match="HITS_FRONT_LOG"):
        call_command("count_hits_from_front_log", "--once")


def test_deleting_a_release_deletes_its_counted_visits(log):
    release = ReleaseFactory()
    append(log, line(release))
    count(log)

    release.delete()

    assert not CountedVisit.objects.exists()
