"""`make bench-reports`: the hit report over a year of DailyHits.

Seeds 10,000 releases with 365 days of DailyHits each (3.65 million rows), every
release tagged with a municipality, an official and a topic, into the
PostgreSQL database BENCH_REPORTS_DATABASE_URL; then renders the full report
page (all tables) for one-year and 30-day ranges, aligned on months and not,
and prints the median and the slowest of 5 renders against the targets (one
year <= 500 ms, 30 days <= 150 ms).
"""

import os
import statistics
import sys
import time
from pathlib import Path

from common import create_database, migrate, run_sql, use_database  # bench/common.py

BASE_DIR = Path(__file__).resolve().parent.parent
DATABASE_URL = os.environ.get(
    "BENCH_REPORTS_DATABASE_URL",
    "postgres://postgres@127.0.0.1:5432/pressoffice_bench_reports",
)
RELEASES = 10_000
RUNS = 5
TARGETS_MS = {"one year": 500, "30 days": 150}  # by the first two words of a label
sys.path.insert(0, str(BASE_DIR))
use_database(DATABASE_URL)

SEED = """
INSERT INTO people_municipality (name, local_name, slug, kind)
SELECT 'City ' || n, '도시' || n, 'city-' || n, 'city' FROM generate_series(1, 31) n;
INSERT INTO people_official (name, local_name, slug, photo, bio)
SELECT 'Official ' || n, '', 'official-' || n, '', '' FROM generate_series(1, 40) n;
INSERT INTO releases_topic (name, local_name, slug)
SELECT 'Topic ' || n, '', 'topic-' || n FROM generate_series(1, 10) n;
INSERT INTO people_organization (name, local_name, slug, kind, website)
SELECT 'Department ' || n, '', 'department-' || n, 'department', ''
FROM generate_series(1, 12) n;
INSERT INTO releases_release (
    number, title, slug, summary, body, status, published_at, change_note,
    withdrawal_reason, contact_name, contact_phone, contact_email, lead_image,
    lead_image_alt, lead_image_renditions, language, hit_count, legacy_hits,
    revision, preview_key, created_at, updated_at, department_id)
SELECT n, 'Release ' || n, 'bench-' || n, '', '<p>Text</p>', 'published',
    date '2025-01-01' + (n % 365) * interval '1 day', '', '', '', '', '', '', '',
    '{}', 'en', 0, 0, 0, md5(n::text), now(), now(),
    (SELECT id FROM people_organization WHERE slug = 'department-' || (n % 12 + 1))
FROM generate_series(1, %(releases)s) n;
INSERT INTO releases_dailyhits (release_id, day, hits)
SELECT r.id, date '2025-01-01' + d, (r.number * 7 + d * 13) % 50
FROM releases_release r CROSS JOIN generate_series(0, 364) d;
UPDATE releases_release r SET hit_count =
    (SELECT sum(hits) FROM releases_dailyhits WHERE release_id = r.id);
INSERT INTO releases_release_municipalities (release_id, municipality_id)
SELECT r.id, m.id FROM releases_release r
JOIN people_municipality m ON m.slug = 'city-' || (r.number % 31 + 1);
INSERT INTO releases_release_officials (release_id, official_id)
SELECT r.id, o.id FROM releases_release r
JOIN people_official o ON o.slug = 'official-' || (r.number % 40 + 1);
INSERT INTO releases_release_topics (release_id, topic_id)
SELECT r.id, t.id FROM releases_release r
JOIN releases_topic t ON t.slug = 'topic-' || (r.number % 10 + 1);
VACUUM ANALYZE;
"""


def main():
    prepare_database()
    from django.contrib.auth import get_user_model
    from django.test import Client

    user, _ = get_user_model().objects.get_or_create(
        username="bench", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(user)
    ranges = {
        "one year": "?period=custom&start=2025-01-01&end=2025-12-31",
        "one year, from mid-month": "?period=custom&start=2025-01-15&end=2026-01-14",
        "30 days, a month": "?period=custom&start=2025-06-01&end=2025-06-30",
        "30 days, mid-month": "?period=custom&start=2025-06-10&end=2025-07-09",
    }
    print(f"{RELEASES:,} releases x 365 days of DailyHits; {RUNS} renders each\n")
    print(f"{'report range':26} {'p50 ms':>8} {'max ms':>8}  target")
    all_met = True
    for label, query in ranges.items():
        url = "/admin/reports/hits/" + query
        client.get(url)
        timings = []
        for _ in range(RUNS):
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        p50 = statistics.median(timings)
        p95 = max(timings)  # of five renders
        target = TARGETS_MS[" ".join(label.split()[:2]).rstrip(",")]
        met = p50 <= target
        all_met &= met
        print(f"{label:26} {p50:8.0f} {p95:8.0f}  <= {target} ms: "
              f"{'met' if met else 'MISSED'}")  # fmt: skip
    sys.exit(0 if all_met else 1)


def prepare_database():
    import psycopg

    create_database(DATABASE_URL)
    migrate(BASE_DIR)
    with psycopg.connect(DATABASE_URL, autocommit=True) as connection:
        (rows,) = connection.execute(
            "SELECT count(*) FROM releases_dailyhits"
        ).fetchone()
        is_seeded = rows == RELEASES * 365
        if not is_seeded:
            connection.execute("TRUNCATE releases_release CASCADE")
    if not is_seeded:
        run_sql(DATABASE_URL, SEED, releases=RELEASES)
    import django

    django.setup()
    if not is_seeded:
        from releases import rollups

        rollups.rebuild()  # the seed wrote DailyHits directly


if __name__ == "__main__":
    main()
