import datetime
import logging
import threading
import time
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import DatabaseError, connection, connections
from django.db.models import Sum
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.utils import timezone

from releases import hits, page_cache
from releases.models import DailyHits, Release
from tests.releases.factories import ReleaseFactory

pytestmark = pytest.mark.django_db

BROWSER = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
)
VISITOR = {"REMOTE_ADDR": "203.0.113.10", "HTTP_USER_AGENT": BROWSER}

# The most common crawlers and link-preview fetchers seen on public-sector sites.
BOTS = [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 (compatible; Yeti/1.1; +https://naver.me/spd)",
    "Mozilla/5.0 (compatible; Daum/4.1; +http://cs.daum.net/faq/15/4118.html)",
    "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",
    "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
    "DuckDuckBot/1.1; (+http://duckduckgo.com/duckduckbot.html)",
    "Mozilla/5.0 (compatible; Applebot/0.1; +http://www.apple.com/go/applebot)",
    "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
    "Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)",
    "Mozilla/5.0 (compatible; GPTBot/1.2; +https://openai.com/gptbot)",
    "Mozilla/5.0 (compatible; Bytespider; spider-feedback@bytedance.com)",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Twitterbot/1.0",
    "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
    "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
    "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
    "TelegramBot (like TwitterBot)",
    "WhatsApp/2.23.20.0",
    "facebookexternalhit/1.1; kakaotalk-scrap/1.0; +https://devtalk.kakao.com/",
]


def view(client, release, **headers):
    return client.get(release.get_absolute_url(), **{**VISITOR, **headers})


def totals(release):
    release.refresh_from_db()
    daily = release.daily_hits.aggregate(total=Sum("hits"))["total"] or 0
    return release.hit_count, daily


def test_first_view_is_counted_and_shown_on_the_page(client):
    release = ReleaseFactory()

    response = view(client, release)

    assert "Hit 1" in response.text
    assert totals(release) == (1, 1)
    assert DailyHits.objects.get().day == timezone.localdate()


def test_same_visitor_within_cooldown_is_counted_once(client):
    release = ReleaseFactory()

    for _ in range(100):
        view(client, release)

    assert totals(release) == (1, 1)


def test_same_visitor_after_cooldown_is_counted_again(client, settings):
    settings.HITS_COOLDOWN = 1
    release = ReleaseFactory()

    view(client, release)
    time.sleep(2.1)  # the database cache keeps expiry times in whole seconds
    view(client, release)

    assert totals(release) == (2, 2)


def test_zero_cooldown_counts_every_view(client, settings):
    settings.HITS_COOLDOWN = 0
    release = ReleaseFactory()

    for _ in range(5):
        view(client, release)

    assert totals(release) == (5, 5)


def test_visitor_is_counted_once_per_release(client):
    first, second = ReleaseFactory.create_batch(2)

    view(client, first)
    view(client, second)

    assert totals(first) == (1, 1)
    assert totals(second) == (1, 1)


def test_other_address_or_browser_is_another_visitor(client):
    release = ReleaseFactory()

    view(client, release)
    view(client, release, REMOTE_ADDR="203.0.113.11")
    view(client, release, HTTP_USER_AGENT=BROWSER.replace("131", "130"))

    assert totals(release) == (3, 3)


def test_forged_forwarded_for_without_trusted_proxy_counts_once(client):
    release = ReleaseFactory()

    for n in range(100):
        view(client, release, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")

    assert totals(release) == (1, 1)


def test_one_trusted_proxy_counts_each_real_client_once(client, settings):
    settings.HITS_TRUSTED_PROXIES = 1
    release = ReleaseFactory()

    for client_number in range(3):
        for forged in range(20):
            view(
                client,
                release,
                REMOTE_ADDR="10.0.0.2",
                HTTP_X_FORWARDED_FOR=f"192.0.2.{forged}, 198.51.100.{client_number}",
            )

    assert totals(release) == (3, 3)


def test_client_ip_is_remote_addr_without_trusted_proxies():
    request = RequestFactory().get(
        "/", REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="1.2.3.4"
    )
    assert hits.client_ip(request) == "203.0.113.5"


def test_client_ip_falls_back_to_remote_addr_when_forwarded_is_short(settings):
    settings.HITS_TRUSTED_PROXIES = 2
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4"
    )
    assert hits.client_ip(request) == "10.0.0.2"


def test_client_ip_ignores_garbage_in_forwarded_for(settings):
    settings.HITS_TRUSTED_PROXIES = 1
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="<script>"
    )
    assert hits.client_ip(request) == "10.0.0.2"


def test_ipv6_spellings_of_one_address_are_one_visitor(client):
    release = ReleaseFactory()

    view(client, release, REMOTE_ADDR="2001:db8::1")
    view(client, release, REMOTE_ADDR="2001:0DB8:0000:0000:0000:0000:0000:0001")

    assert totals(release) == (1, 1)


def test_ipv6_client_behind_proxy_is_read_from_forwarded_for(settings):
    settings.HITS_TRUSTED_PROXIES = 1
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="[2001:db8::7]:443"
    )
    assert hits.client_ip(request) == "2001:db8::7"


@pytest.mark.parametrize("user_agent", BOTS)
def test_crawlers_and_link_previews_are_not_counted(client, user_agent):
    release = ReleaseFactory()

    response = view(client, release, HTTP_USER_AGENT=user_agent)

    assert response.status_code == 200
    assert totals(release) == (0, 0)


def test_missing_user_agent_is_not_counted(client):
    release = ReleaseFactory()
    client.get(release.get_absolute_url(), REMOTE_ADDR="203.0.113.10")
    assert totals(release) == (0, 0)


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_PURPOSE": "prefetch"},
        {"HTTP_SEC_PURPOSE": "prefetch;prerender"},
        {"HTTP_PURPOSE": "prefetch"},
        {"HTTP_X_MOZ": "prefetch"},
    ],
)
def test_prefetch_and_prerender_are_not_counted(client, headers):
    release = ReleaseFactory()
    view(client, release, **headers)
    assert totals(release) == (0, 0)


def test_head_request_is_not_counted(client):
    release = ReleaseFactory()
    client.head(release.get_absolute_url(), **VISITOR)
    assert totals(release) == (0, 0)


def test_redirect_to_right_slug_is_not_counted(client):
    release = ReleaseFactory()
    client.get(f"/releases/{release.number}/old/", **VISITOR)
    assert totals(release) == (0, 0)


def test_withdrawn_release_is_not_counted(client):
    release = ReleaseFactory(withdrawn=True)
    view(client, release)
    assert totals(release) == (0, 0)


@pytest.mark.parametrize("trait", ["draft", "embargoed"])
def test_preview_of_unpublished_release_is_not_counted(trait):
    release = ReleaseFactory(**{trait: True})
    hits.record(visitor_request(), release, HttpResponse())
    assert totals(release) == (0, 0)


def test_response_other_than_200_is_not_counted():
    release = ReleaseFactory()
    hits.record(visitor_request(), release, HttpResponse(status=404))
    assert totals(release) == (0, 0)


def test_staff_are_not_counted_by_default(client, admin_user):
    release = ReleaseFactory()
    client.force_login(admin_user)
    view(client, release)
    assert totals(release) == (0, 0)


def test_staff_are_counted_when_the_setting_says_so(client, admin_user, settings):
    settings.HITS_COUNT_STAFF = True
    release = ReleaseFactory()
    client.force_login(admin_user)
    view(client, release)
    assert totals(release) == (1, 1)


def test_counting_off_counts_nothing(client, settings):
    settings.HITS_ENABLED = False
    release = ReleaseFactory()
    view(client, release)
    assert totals(release) == (0, 0)


def test_carried_over_hits_stay_in_total_but_not_in_daily_rows(client):
    release = ReleaseFactory()
    Release.objects.filter(pk=release.pk).update(hit_count=201, legacy_hits=201)

    response = view(client, release)

    assert "Hit 202" in response.text
    assert totals(release) == (202, 1)


def test_database_keeps_no_address_or_user_agent(client, settings):
    settings.HITS_TRUSTED_PROXIES = 1
    release = ReleaseFactory()
    view(client, release, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.77")
    stored = dump_database()
    assert totals(release) == (1, 1)
    for secret in ("198.51.100.77", "10.0.0.2", "Chrome/131", BROWSER):
        assert secret not in stored


EVENING = datetime.datetime(2026, 3, 1, 23, 50, tzinfo=ZoneInfo("Asia/Seoul"))


def view_at(client, release, moment, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: moment)
    view(client, release)


def test_visit_before_midnight_is_not_counted_again_just_after(client, monkeypatch):
    release = ReleaseFactory(published_at=EVENING - datetime.timedelta(days=1))

    view_at(client, release, EVENING, monkeypatch)
    view_at(client, release, EVENING + datetime.timedelta(minutes=20), monkeypatch)

    assert totals(release) == (1, 1)


def test_visit_before_midnight_does_not_block_a_visit_past_the_cooldown(
    client, monkeypatch
):
    release = ReleaseFactory(published_at=EVENING - datetime.timedelta(days=1))

    view_at(client, release, EVENING, monkeypatch)
    view_at(client, release, EVENING + datetime.timedelta(minutes=41), monkeypatch)

    assert totals(release) == (2, 2)


def test_daily_salt_changes_the_visitor_key_every_day():
    request = visitor_request()
    day = datetime.date(2026, 3, 1)
    assert hits.visitor_key(request, day) == hits.visitor_key(request, day)
    assert hits.visitor_key(request, day) != hits.visitor_key(
        request, day + datetime.timedelta(days=1)
    )


@pytest.fixture
def hits_cache_down(settings, monkeypatch):
    settings.CACHES = {
        **settings.CACHES,
        "hits": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens on the discard port
        },
    }
    hits._salts.clear()
    monkeypatch.setattr(hits, "_cache_warned_at", None)


def test_cache_outage_is_logged_once_a_minute_not_for_every_view(
    client, hits_cache_down, caplog
):
    release = ReleaseFactory()

    with caplog.at_level(logging.WARNING, logger="releases.hits"):
        view(client, release, HTTP_USER_AGENT=f"{BROWSER} one")
        view(client, release, HTTP_USER_AGENT=f"{BROWSER} two")
        hits._cache_warned_at -= 61  # a minute later
        view(client, release, HTTP_USER_AGENT=f"{BROWSER} three")

    assert caplog.text.count("counting without de-duplication") == 2
    assert totals(release) == (3, 3)


def test_cache_outage_counts_the_view_and_says_so(client, hits_cache_down, caplog):
    release = ReleaseFactory()

    with caplog.at_level(logging.WARNING, logger="releases.hits"):
        response = view(client, release)

    assert response.status_code == 200
    assert totals(release) == (1, 1)
    assert "counting without de-duplication" in caplog.text


def test_page_survives_failing_counting_query(client, monkeypatch, caplog):
    def fail(release, day):
        raise DatabaseError("disk full")

    monkeypatch.setattr(hits, "_increment", fail)
    release = ReleaseFactory()

    with caplog.at_level(logging.ERROR, logger="releases.hits"):
        response = view(client, release)

    assert response.status_code == 200
    assert "Hit not recorded" in caplog.text


@pytest.mark.postgres
def test_page_survives_counter_overflow_on_postgresql(client, caplog):
    release = ReleaseFactory()
    Release.objects.filter(pk=release.pk).update(hit_count=2**31 - 1)

    with caplog.at_level(logging.ERROR, logger="releases.hits"):
        response = view(client, release)

    assert response.status_code == 200
    assert "out of range" in caplog.text


@pytest.fixture(params=["database", "redis"])
def shared_cache(request):
    """The hits cache each kind of deployment uses: the database table, or Redis."""
    if request.param == "redis":
        request.getfixturevalue("redis_hits_cache")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_dedup_is_shared_between_workers(shared_cache):
    release = ReleaseFactory()
    statuses = []

    def worker():
        hits._salts.clear()  # a fresh worker process knows no salt yet
        statuses.append(view(Client(), release).status_code)
        connections.close_all()

    for _ in range(2):  # each thread has its own database and cache connections
        thread = threading.Thread(target=worker)
        thread.start()
        thread.join()

    assert statuses == [200, 200]
    assert totals(release) == (1, 1)


def visitor_request(**meta):
    request = RequestFactory().get("/", **{**VISITOR, **meta})
    request.user = AnonymousUser()
    return request


def dump_database():
    with connection.cursor() as cursor:
        chunks = []
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            chunks.extend(str(row) for row in cursor.fetchall())
    return "\n".join(chunks)


def count_concurrently(release, count_one, threads=50, visitors=40):
    """Distinct visitors (threads times visitors) view release all at once."""
    barrier = threading.Barrier(threads)
    errors = []

    def worker(thread_number):
        try:
            barrier.wait()
            for visitor in range(visitors):
                count_one(release.pk, f"10.{thread_number}.{visitor}.1")
                connection.close()  # back to the pool, as at the end of a request
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    assert not errors
    return totals(release)


def count_with_hits(release_id, address):
    hits.record(
        visitor_request(REMOTE_ADDR=address),
        Release.objects.get(pk=release_id),
        HttpResponse(),
    )


def count_by_read_modify_write(release_id, address):
    release = Release.objects.get(pk=release_id)
    time.sleep(0.001)
    release.hit_count += 1
    release.save(update_fields=["hit_count"])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_views_are_counted_exactly():
    release = ReleaseFactory()
    assert count_concurrently(release, count_with_hits) == (2000, 2000)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_read_modify_write_loses_hits_in_the_same_harness():
    release = ReleaseFactory()
    # Fewer views than above: the first round of 50 at once already loses some.
    total, _ = count_concurrently(release, count_by_read_modify_write, visitors=4)
    assert total < 200


def test_page_served_from_cache_shows_the_current_count(client):
    release = ReleaseFactory()
    view(client, release)

    response = view(client, release, REMOTE_ADDR="203.0.113.99")

    assert "Hit 2" in response.text
    assert page_cache.HIT_COUNT_MARKER not in response.text


def a_view(release, **changes):
    """A view described without a request, as a front server's log line would."""
    return hits.View(
        **{
            "release": release,
            "method": "GET",
            "user_agent": BROWSER,
            "purposes": "",
            "client_ip": "203.0.113.10",
            "is_staff": False,
            "at": timezone.now(),
            **changes,
        }
    )


def test_a_view_without_a_request_counts_under_the_same_rules():
    release = ReleaseFactory()
    assert hits.is_countable(a_view(release))


@pytest.mark.parametrize(
    "changes",
    [
        {"method": "HEAD"},
        {"user_agent": "Googlebot/2.1 (+http://www.google.com/bot.html)"},
        {"purposes": "prefetch;prerender"},
        {"is_staff": True},
    ],
)
def test_a_view_without_a_request_is_refused_like_a_request(changes):
    release = ReleaseFactory()
    assert not hits.is_countable(a_view(release, **changes))


def test_a_view_is_judged_at_its_own_time_not_now():
    release = ReleaseFactory(embargoed=True)
    before_embargo_lifts = a_view(release)
    after = a_view(release, at=release.published_at + datetime.timedelta(minutes=1))
    assert not hits.is_countable(before_embargo_lifts)
    assert hits.is_countable(after)


def test_behind_the_front_a_page_is_marked_with_its_release_not_counted(
    client, settings
):
    settings.HITS_FRONT_LOG = "/var/log/nginx/hits.log"
    release = ReleaseFactory()

    response = view(client, release)

    assert response[hits.RELEASE_HEADER] == str(release.pk)
    assert hits.STAFF_HEADER not in response
    assert totals(release) == (0, 0)


def test_behind_the_front_a_staff_page_is_marked_as_staff(client, settings, admin_user):
    settings.HITS_FRONT_LOG = "/var/log/nginx/hits.log"
    client.force_login(admin_user)

    response = view(client, ReleaseFactory())

    assert response[hits.STAFF_HEADER] == "1"


def test_without_the_front_pages_are_not_marked(client):
    response = view(client, ReleaseFactory())

    assert hits.RELEASE_HEADER not in response
