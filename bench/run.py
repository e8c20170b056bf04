"""`make bench`: hit counting under load, on PostgreSQL, under gunicorn with 2 workers.

Seeds 1,000 releases, then for each scenario starts gunicorn, drives it with wrk
over loopback (every request a new visitor: a client address of its own in
X-Forwarded-For, as behind a proxy), stops it gracefully and checks that
the hits in the database equal the release pages the access log shows as served.

    A   release page, counting on, every request a new visitor (every view writes)
    B   the same page with counting off
    C   floor: a bare view doing one UPDATE of one row and one SELECT, same page size
    D   A with all traffic on one release (hot row), against A spread over 1,000
    A*  A with the database cache table for dedup instead of Redis (for reference)

Environment: BENCH_DATABASE_URL, BENCH_REDIS_URL, BENCH_SECONDS (default 15),
BENCH_CONNECTIONS (default 16).
"""

import itertools
import os
import subprocess
import sys
import tempfile
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import common  # bench/common.py
from common import create_database, use_database

BASE_DIR = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PORT = 8765
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pressoffice_bench"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
SECONDS = int(os.environ.get("BENCH_SECONDS", "15"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
WARMUP_SECONDS = 3
RELEASES = 1000
RUN_NUMBERS = itertools.count()  # each wrk run's visitors get addresses of their own

sys.path.insert(0, str(BASE_DIR))
# As in production behind a proxy: the client address is in X-Forwarded-For.
use_database(
    DATABASE_URL,
    settings="bench.settings",
    REDIS_URL=REDIS_URL,
    HITS_TRUSTED_PROXIES="1",
)


@dataclass
class Scenario:
    name: str
    label: str
    path_kind: str
    counts: bool
    env: dict = field(default_factory=dict)
    result: dict = field(default_factory=dict)


SCENARIOS = [
    Scenario("B", "release page, counting off", "spread", counts=False,
             env={"HITS_ENABLED": "0"}),
    Scenario("A", "release page, counting, new visitor each request", "spread",
             counts=True),
    Scenario("C", "floor: bare view, 1 UPDATE + 1 SELECT", "floor", counts=True),
    Scenario("D", "A on one release (hot row)", "hot", counts=True),
    Scenario("A*", "A with the database cache table for dedup", "spread",
             counts=True, env={"REDIS_URL": ""}),
]  # fmt: skip


def main():
    ensure_database()
    import django

    django.setup()
    seed()
    page_bytes = release_page_bytes()
    paths = write_path_files()
    for scenario in SCENARIOS:
        scenario.env.setdefault("BENCH_PAGE_BYTES", str(page_bytes))
        run(scenario, paths[scenario.path_kind])
    ok = report()
    sys.exit(0 if ok else 1)


def ensure_database():
    create_database(DATABASE_URL)
    manage("migrate", "--verbosity", "0")
    manage("createcachetable", REDIS_URL="")  # the tables A* uses


def manage(*args, **env):
    subprocess.run(
        [BIN / "python", "manage.py", *args],
        cwd=BASE_DIR,
        check=True,
        env={**os.environ, **env},
    )


def seed():
    """1,000 published releases shaped like real ones, tagged like real ones."""
    import datetime

    from django.utils import timezone

    from people.models import Municipality, Official, Organization, Position
    from releases.models import Release, Topic

    if Release.objects.filter(slug__startswith="bench-release-").count() == RELEASES:
        return
    Release.objects.all().delete()
    department, _ = Organization.objects.get_or_create(
        slug="bench-department",
        defaults={"name": "Bench Department", "kind": "department"},
    )
    city, _ = Municipality.objects.get_or_create(
        slug="bench-city", defaults={"name": "Bench City", "kind": "city"}
    )
    topic, _ = Topic.objects.get_or_create(
        slug="bench-topic", defaults={"name": "Bench"}
    )
    official, _ = Official.objects.get_or_create(
        slug="bench-official", defaults={"name": "Bench Official"}
    )
    Position.objects.get_or_create(
        official=official, title="Mayor", municipality=city,
        started_on=datetime.date(2018, 7, 1),
    )  # fmt: skip
    paragraph = (
        "The province and the city will share the cost of the new service, which "
        "opens next month and runs every day of the year. "
    ) * 4
    published_at = timezone.now() - datetime.timedelta(days=1)
    releases = Release.objects.bulk_create(
        Release(
            number=number,
            slug=f"bench-release-{number}",
            title=f"Bench release {number}: new services for residents",
            summary="○ A key point of the release\n– A detail\n– Another detail",
            body="\n\n".join([paragraph] * 6),
            status=Release.Status.PUBLISHED,
            published_at=published_at,
            department=department,
            contact_name="Duty desk",
        )
        for number in range(1, RELEASES + 1)
    )
    for relation, target in (("topics", topic), ("municipalities", city),
                             ("officials", official)):  # fmt: skip
        through = getattr(Release, relation).through
        column = getattr(Release, relation).field.m2m_reverse_field_name()
        through.objects.bulk_create(
            through(release=release, **{column: target}) for release in releases
        )


def release_page_bytes():
    from django.test import Client

    from releases.models import Release

    release = Release.objects.get(number=1)
    return len(Client().get(release.get_absolute_url(), HTTP_HOST="127.0.0.1").content)


def write_path_files():
    folder = Path(tempfile.mkdtemp(prefix="bench-"))
    lists = {
        "spread": [f"/releases/{n}/bench-release-{n}/" for n in range(1, RELEASES + 1)],
        "hot": ["/releases/1/bench-release-1/"],
        "floor": [f"/bench/floor/{n}/" for n in range(1, RELEASES + 1)],
    }
    paths = {}
    for kind, lines in lists.items():
        paths[kind] = folder / f"{kind}.txt"
        paths[kind].write_text("\n".join(lines) + "\n")
    return paths


def run(scenario, path_file):
    reset_counts()
    access_log = Path(tempfile.mkstemp(prefix="bench-access-")[1])
    server = common.start_gunicorn(PORT, scenario.env, access_log)
    try:
        if scenario.path_kind != "floor":
            warm_pages(path_file)
        wrk(path_file, WARMUP_SECONDS)
        scenario.result = wrk(path_file, SECONDS)
    finally:
        server.terminate()  # graceful: requests in flight finish and are logged
        server.wait(timeout=60)
    served = sum(
        1 for line in access_log.read_text().splitlines()
        if line.startswith("200 ") and ("/releases/" in line or "/bench/floor/" in line)
        and "Python-urllib" not in line  # the warm-up, a bot by its user agent
    )  # fmt: skip
    total, daily = counted_hits()
    scenario.result.update(served=served, counted=total, daily=daily)
    if scenario.name == "C":
        scenario.result["daily"] = total  # the floor keeps no daily rows
    if not scenario.counts:
        scenario.result["served"] = 0
    print(f"{scenario.name:3} {scenario.label}: {scenario.result}", flush=True)


def reset_counts():
    from django.core.cache import caches
    from django.db import connection

    from releases.models import DailyHits, Release

    Release.objects.update(hit_count=0)
    DailyHits.objects.all().delete()
    caches["hits"].delete_pattern("*")  # Redis: the hits keys only; pages stay cached
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM pressoffice_hits")  # the database cache of A*
        # Clean up after the reset now rather than during the next measurement.
        for table in ("releases_release", "releases_dailyhits", "pressoffice_hits"):
            cursor.execute(f"VACUUM ANALYZE {table}")
        cursor.execute("CHECKPOINT")


def counted_hits():
    from django.db.models import Sum

    from releases.models import DailyHits, Release

    total = Release.objects.aggregate(total=Sum("hit_count"))["total"] or 0
    daily = DailyHits.objects.aggregate(total=Sum("hits"))["total"] or 0
    return total, daily


def warm_pages(path_file):
    """Fetch every page once, as a bot (not counted), so its fragment is cached."""
    for path in path_file.read_text().split():
        urllib.request.urlopen(f"http://127.0.0.1:{PORT}{path}", timeout=10).read()


def wrk(path_file, seconds):
    return common.wrk(PORT, path_file, seconds, CONNECTIONS, next(RUN_NUMBERS))


def report():
    results = {scenario.name: scenario.result for scenario in SCENARIOS}
    columns = ("req/s", "p50 ms", "p99 ms", "errors", "served", "counted", "daily")
    print()
    print(f"{'':3} {'scenario':52} " + " ".join(f"{name:>8}" for name in columns))
    for scenario in SCENARIOS:
        r = scenario.result
        figures = [f"{r['rps']:8.1f}", f"{r['p50_ms']:8.1f}", f"{r['p99_ms']:8.1f}"]
        figures += [
            f"{r[name]:8d}" for name in ("errors", "served", "counted", "daily")
        ]
        print(f"{scenario.name:3} {scenario.label:52} " + " ".join(figures))
    a, b, c, d = (results[name] for name in "ABCD")
    checks = [
        ("A >= 0.80 x B (req/s)", a["rps"] / b["rps"], 0.80, True),
        ("A >= 1.0 x C (req/s)", a["rps"] / c["rps"], 1.0, True),
        ("hot >= 0.9 x spread (req/s)", d["rps"] / a["rps"], 0.9, True),
        ("p99 A <= 1.5 x p99 B", a["p99_ms"] / b["p99_ms"], 1.5, False),
    ]
    print()
    for label, ratio, target, at_least in checks:
        met = ratio >= target if at_least else ratio <= target
        print(f"{'met   ' if met else 'MISSED'} {label:32} ratio {ratio:.2f}")
    exact = all(
        s.result["errors"] == 0
        and s.result["counted"] == s.result["served"] == s.result["daily"]
        for s in SCENARIOS
    )
    print(f"{'met   ' if exact else 'MISSED'} zero errors, zero lost or extra hits")
    return exact


if __name__ == "__main__":
    main()
