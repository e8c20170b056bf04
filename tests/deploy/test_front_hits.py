"""Hits counted behind nginx's cache, end to end, as `make prod` runs it.

Release pages are answered from nginx's cache; every view is counted from its
log by the counter make prod starts. Told it sits behind one proxy of its own
(HITS_TRUSTED_PROXIES=2), the stack takes each visitor's address from the
X-Forwarded-For a test sends, so visitors are told apart by address. The tests
share one stack and run in file order; those that break a part come last.
"""

import json
import os
import re
import signal
import socket
import time

import pytest

from tests.deploy.stack import Stack, get, nginx_binary, under_load
from tests.releases.test_hits import BOTS

pytestmark = pytest.mark.postgres

CACHE_SECONDS = 3
BROWSER = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"
)
PASSWORD = "Lectern-2026-press"
RELEASES = """
import json
from releases.models import Release
print(json.dumps([
    [release.pk, release.get_absolute_url()]
    for release in Release.objects.published().order_by("number")[:4]
]))
"""
_addresses = iter(range(1, 10_000_000))


def new_visitor():
    """An address no test has used yet: 10.x.y.z."""
    n = next(_addresses)
    return f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"


@pytest.fixture(scope="module")
def stack():
    if nginx_binary() is None:
        pytest.skip("needs nginx: apt-get install nginx (.ci/run installs it)")
    server = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    running = Stack(
        server,
        env={"HITS_TRUSTED_PROXIES": "2", "FRONT_CACHE_SECONDS": str(CACHE_SECONDS)},
    )
    try:
        running.start()
        running.load_demo_with_chief(PASSWORD)
        running.releases = json.loads(running.manage(code=RELEASES).splitlines()[-1])
        yield running
    finally:
        running.stop()


@pytest.fixture
def release(stack):
    """(id, address) of a published release."""
    return stack.releases[0]


def visit(stack, path, visitor=None, **headers):
    headers.setdefault("User-Agent", BROWSER)
    headers["X-Forwarded-For"] = visitor or new_visitor()
    return get(stack.url, path, **headers)


def counted(stack):
    """(sum of the releases' totals, sum of their DailyHits)."""
    return (
        stack.sql("SELECT COALESCE(SUM(hit_count), 0) FROM releases_release"),
        stack.sql("SELECT COALESCE(SUM(hits), 0) FROM releases_dailyhits"),
    )


def settled(stack, expected_total, seconds=30):
    """The counts once the counter has caught up with expected_total (or given up
    waiting), read again a moment later so that a late double shows."""
    deadline = time.monotonic() + seconds
    while counted(stack)[0] < expected_total and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(1)
    return counted(stack)


def plus(before, n):
    return (before[0] + n, before[1] + n)


def test_release_pages_are_answered_from_the_front_cache(stack, release):
    first = visit(stack, release[1])[1]["X-Cache"]
    second = visit(stack, release[1])[1]["X-Cache"]

    assert (first, second) in {("MISS", "HIT"), ("HIT", "HIT"), ("EXPIRED", "HIT")}


def test_300_distinct_visitors_of_a_cached_page_count_300(stack, release):
    before = settled(stack, 0)

    caches = [visit(stack, release[1])[1]["X-Cache"] for _ in range(300)]

    assert caches.count("HIT") > 250
    assert settled(stack, before[0] + 300) == plus(before, 300)


def test_one_visitor_50_times_counts_once(stack, release):
    before = settled(stack, 0)
    visitor = new_visitor()

    for _ in range(50):
        visit(stack, release[1], visitor)

    assert settled(stack, before[0] + 1) == plus(before, 1)


def test_bots_prefetches_and_heads_count_nothing(stack, release):
    before = settled(stack, 0)

    for bot in BOTS:
        visit(stack, release[1], **{"User-Agent": bot})
    visit(stack, release[1], **{"Sec-Purpose": "prefetch"})
    visit(stack, release[1], **{"Purpose": "prefetch"})
    with socket.create_connection(("127.0.0.1", stack.port)) as connection:
        connection.sendall(
            f"HEAD {release[1]} HTTP/1.0\r\nUser-Agent: {BROWSER}\r\n"
            f"X-Forwarded-For: {new_visitor()}\r\n\r\n".encode()
        )
        assert connection.recv(64).startswith(b"HTTP/1.1 200")
    # Then one that counts, so that the wait ends once the counter is past them.
    visit(stack, release[1])

    assert settled(stack, before[0] + 1) == plus(before, 1)


def test_a_forged_forwarded_for_is_one_visitor(stack, release):
    before = settled(stack, 0)
    real = new_visitor()

    for _ in range(10):
        visit(stack, release[1], f"{new_visitor()}, {real}")

    assert settled(stack, before[0] + 1) == plus(before, 1)


def test_a_client_without_javascript_counts(stack, release):
    """One that asks for the page and nothing else: no script, image or cookie."""
    before = settled(stack, 0)

    with socket.create_connection(("127.0.0.1", stack.port)) as connection:
        connection.sendall(
            f"GET {release[1]} HTTP/1.0\r\nUser-Agent: {BROWSER}\r\n"
            f"X-Forwarded-For: {new_visitor()}\r\n\r\n".encode()
        )
        assert connection.recv(64).startswith(b"HTTP/1.1 200")

    assert settled(stack, before[0] + 1) == plus(before, 1)


def staff_session(stack):
    """The session cookie of a member of staff logged in through nginx."""
    _, headers, page = get(stack.url, "/admin/login/")
    cookie = headers["Set-Cookie"].split(";")[0]
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    import urllib.request

    request = urllib.request.Request(
        stack.url + "/admin/login/",
        data=(
            f"csrfmiddlewaretoken={token.decode()}&username=chief"
            f"&password={PASSWORD}&next=/admin/"
        ).encode(),
        headers={"Cookie": cookie, "Origin": stack.url, "Referer": stack.url},
    )

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        opener.open(request, timeout=10)
    except urllib.error.HTTPError as redirect:
        cookies = redirect.headers.get_all("Set-Cookie")
    return next(c.split(";")[0] for c in cookies if c.startswith("sessionid="))


def test_staff_are_neither_counted_nor_served_from_the_cache(stack, release):
    session = staff_session(stack)
    before = settled(stack, 0)

    caches = [visit(stack, release[1], Cookie=session)[1]["X-Cache"] for _ in range(3)]
    anonymous = visit(stack, release[1])[1]

    assert caches == ["BYPASS"] * 3
    assert "X-Hit-Staff" not in anonymous  # no staff page was kept for the public
    assert settled(stack, before[0] + 1) == plus(before, 1)


def hit_count_shown(body):
    return int(re.search(rb"Hit (?:<span[^>]*>)?(\d+)", body).group(1))


def test_the_page_shows_the_count_within_the_cache_time(stack):
    path = stack.releases[1][1]
    for _ in range(5):
        visit(stack, path)
    total = stack.sql(
        f"SELECT hit_count FROM releases_release WHERE id = {stack.releases[1][0]}"
    )
    time.sleep(1)  # the counter's batch

    time.sleep(CACHE_SECONDS + 0.5)

    assert hit_count_shown(visit(stack, path)[2]) >= total


def test_the_live_count_is_at_most_a_second_behind_the_counter(stack):
    pk, path = stack.releases[2]
    live = f"/releases/hits/{path.split('/')[2]}/"
    before = settled(stack, 0)
    for _ in range(3):
        visit(stack, path)
    settled(stack, before[0] + 3)
    total = stack.sql(f"SELECT hit_count FROM releases_release WHERE id = {pk}")

    time.sleep(1.1)

    assert json.loads(visit(stack, live)[2]) == {"hits": total}


def test_a_withdrawal_shows_within_the_cache_time(stack):
    pk, path = stack.releases[3]
    visit(stack, path)
    stack.manage(
        code=(
            "from django.contrib.auth.models import User\n"
            "from releases import workflow\n"
            "from releases.models import Release\n"
            f"workflow.withdraw(Release.objects.get(pk={pk}), "
            "User.objects.get(username='chief'), 'A figure was wrong.')"
        )
    )

    time.sleep(CACHE_SECONDS + 0.5)

    assert b"A figure was wrong." in visit(stack, path)[2]


def load(stack, seconds, fault_after, fault):
    """Statuses of views of the published releases by new visitors, with fault()
    run fault_after seconds in."""
    paths = [path for _, path in stack.releases[:3]]

    def request(thread, number):
        return visit(stack, paths[number % len(paths)])[0]

    return under_load(request, seconds, fault_after, fault)


def test_killing_the_counter_mid_load_loses_and_doubles_nothing(stack):
    before = settled(stack, 0)

    statuses = load(stack, 6, 2, lambda: os.kill(stack.counter_pid(), signal.SIGKILL))

    served = statuses.count(200)
    assert served > 100
    assert settled(stack, before[0] + served) == plus(before, served)


def test_rotating_the_log_mid_load_loses_nothing(stack):
    before = settled(stack, 0)

    def rotate():
        stack.hits_log.rename(stack.hits_log.with_name("hits.log.1"))
        time.sleep(0.5)  # logrotate's rename, then its postrotate signal
        stack.reopen_nginx_logs()

    statuses = load(stack, 6, 2, rotate)

    served = statuses.count(200)
    assert stack.hits_log.with_name("hits.log.1").stat().st_size > 0
    assert settled(stack, before[0] + served) == plus(before, served)


def test_killing_redis_mid_load_loses_and_doubles_nothing(stack):
    before = settled(stack, 0)

    statuses = load(stack, 5, 1, stack.kill_redis)

    served = statuses.count(200)
    assert served == len(statuses)
    assert settled(stack, before[0] + served) == plus(before, served)


def test_postgresql_down_mid_load_loses_no_served_view(stack):
    before = settled(stack, 0)

    def database_down_for_three_seconds():
        stack.forwarder.stop()
        time.sleep(3)
        stack.forwarder.start()

    statuses = load(stack, 8, 2, database_down_for_three_seconds)

    served = statuses.count(200)
    assert served > 100
    assert settled(stack, before[0] + served) == plus(before, served)
