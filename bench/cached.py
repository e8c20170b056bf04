"""`make bench-cached`: release pages through nginx's cache, every view still counted.

Measures, in one run, on the 1,000 releases of `make bench` (its database):

    C   the floor of make bench: a bare Django view under gunicorn -w 2 doing one
        UPDATE and one SELECT, no nginx
    F   make prod (nginx with its cache -> gunicorn -w 2, PostgreSQL, Redis, the
        hits counter) over the 1,000 releases, every request a new visitor (a
        unique address behind a trusted outer proxy, HITS_TRUSTED_PROXIES=2)
    F1  the same with one visitor repeating
    FH  F with all traffic on one release

each with wrk for BENCH_SECONDS (15) after a warm-up. For F, F1 and FH it waits
until the counter has caught up and reports how long that took after the load
stopped, then checks that the views nginx's own access log shows as served
equal the hits counted equal the DailyHits written (for F1: one hit a release
the visitor saw). Target: counted views per second in F >= 20 x C; it also
prints the rate the counter sustained, over the load and its catch-up.

Environment: BENCH_DATABASE_URL, BENCH_SECONDS, BENCH_CONNECTIONS (as make bench).
"""

import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import common  # bench/common.py
import psycopg
import run  # bench/run.py: its database, its releases and its floor
from common import BASE_DIR, BENCH_ENVIRONMENT

REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
TARGET = 20
CATCH_UP_SECONDS = 120
SERVED = re.compile(r'"GET (/releases/\d+/[^ ]+) HTTP/1\.1" (?:200|304) ')
WARM_UP_AGENT = "bench-warm-up (bot)"
ACCESS_LOG_FLUSH_SECONDS = 1.5  # nginx writes its access log every second


def main():
    run.ensure_database()
    import django

    django.setup()
    run.seed()
    paths = run.write_path_files()
    floor = next(scenario for scenario in run.SCENARIOS if scenario.name == "C")
    floor.env.setdefault("BENCH_PAGE_BYTES", str(run.release_page_bytes()))
    run.run(floor, paths["floor"])

    folder = Path(tempfile.mkdtemp(prefix="pressoffice-bench-cached-"))
    folder.chmod(0o755)
    port = common_free_port()
    stack = start_stack(folder, port)
    results = {"C": floor.result}
    try:
        for name, path_kind, visitors in (
            ("F", "spread", "new"),
            ("F1", "spread", "same"),
            ("FH", "hot", "new"),
        ):
            results[name] = measure(port, folder, paths[path_kind], visitors)
            print(f"{name:3} {results[name]}", flush=True)
    finally:
        stack.send_signal(signal.SIGTERM)
        stack.wait(timeout=60)
    sys.exit(0 if report(results) else 1)


def common_free_port():
    sys.path.insert(0, str(BASE_DIR / "tests"))
    from deploy.stack import free_port  # tests/deploy/stack.py

    return free_port()


def start_stack(folder, port):
    env = {
        **os.environ,
        **BENCH_ENVIRONMENT,
        "DJANGO_SETTINGS_MODULE": "pressoffice.settings",
        "DJANGO_STATIC_MANIFEST": "true",
        "DATABASE_URL": run.DATABASE_URL,
        "REDIS_URL": REDIS_URL,
        "PORT": str(port),
        "PROD_RUN_DIR": str(folder / "run"),
        "DJANGO_MEDIA_ROOT": str(folder / "media"),
        "DJANGO_STATIC_ROOT": str(folder / "static"),
        "HITS_TRUSTED_PROXIES": "2",
        "GUNICORN_WORKERS": "2",
    }
    stack = subprocess.Popen([sys.executable, "deploy/prod.py"], cwd=BASE_DIR, env=env)
    deadline = time.monotonic() + 120
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2)
            return stack
        except OSError:
            if time.monotonic() > deadline or stack.poll() is not None:
                stack.kill()
                raise RuntimeError("make prod did not get ready") from None
            time.sleep(0.3)


def measure(port, folder, path_file, visitors):
    access_log = folder / "run" / "access.log"
    for path in path_file.read_text().split():  # into nginx's cache, as a bot
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}{path}", headers={"User-Agent": WARM_UP_AGENT}
        )
        urllib.request.urlopen(request, timeout=10).read()
    common.wrk(port, path_file, run.WARMUP_SECONDS, run.CONNECTIONS, run_number())
    common.caught_up(run.DATABASE_URL, folder, CATCH_UP_SECONDS)
    time.sleep(ACCESS_LOG_FLUSH_SECONDS)
    before = counted_hits()
    logged_before = access_log.stat().st_size

    result = common.wrk(
        port, path_file, run.SECONDS, run.CONNECTIONS, run_number(), visitors
    )
    stopped = time.monotonic()
    result["catch_up_s"] = (
        common.caught_up(run.DATABASE_URL, folder, CATCH_UP_SECONDS) - stopped
    )
    time.sleep(ACCESS_LOG_FLUSH_SECONDS)

    with open(access_log, "rb") as log:
        log.seek(logged_before)
        served = [
            match[1]
            for line in log.read().decode(errors="replace").splitlines()
            if (match := SERVED.search(line)) and WARM_UP_AGENT not in line
        ]
    after = counted_hits()
    result["served"] = len(served)
    result["expected"] = len(set(served)) if visitors == "same" else len(served)
    result["counted"], result["daily"] = (
        a - b for a, b in zip(after, before, strict=True)
    )
    result["counted_per_s"] = result["counted"] / run.SECONDS
    return result


_runs = iter(range(int(time.time()) % 30_000 * 2, 65_536))


def run_number():
    """A fresh range of visitor addresses for each wrk run (an IPv6 group)."""
    return next(_runs)


def counted_hits():
    with psycopg.connect(run.DATABASE_URL) as connection:
        return connection.execute(
            "SELECT (SELECT COALESCE(SUM(hit_count), 0) FROM releases_release),"
            " (SELECT COALESCE(SUM(hits), 0) FROM releases_dailyhits)"
        ).fetchone()


def report(results):
    labels = {
        "C": "floor: bare view, 1 UPDATE + 1 SELECT (no nginx)",
        "F": "nginx cache + log counter, new visitor each request",
        "F1": "the same, one visitor repeating",
        "FH": "F on one release (hot)",
    }
    columns = ("req/s", "p50 ms", "p99 ms", "errors", "served", "counted", "daily")
    print()
    print(f"{'':3} {'scenario':52} " + " ".join(f"{c:>9}" for c in columns))
    for name, r in results.items():
        figures = [f"{r['rps']:9.1f}", f"{r['p50_ms']:9.2f}", f"{r['p99_ms']:9.2f}"]
        figures += [f"{r.get(c, 0):9d}" for c in ("errors", "served", "counted")]
        figures.append(f"{r.get('daily', r.get('counted', 0)):9d}")
        print(f"{name:3} {labels[name]:52} " + " ".join(figures))
    floor, spread = results["C"], results["F"]
    ratio = spread["counted_per_s"] / floor["rps"]
    # Counted over the load and the catch-up after it: what the counter sustains.
    sustained = spread["counted"] / (run.SECONDS + spread["catch_up_s"])
    checks = [
        (
            f"counted views/s F >= {TARGET} x C",
            ratio >= TARGET,
            f"{spread['counted_per_s']:.0f}/s = {ratio:.1f} x C "
            f"(sustained by the counter: {sustained:.0f}/s = "
            f"{sustained / floor['rps']:.1f} x C)",
        )
    ]
    for name in ("F", "F1", "FH"):
        r = results[name]
        checks.append(
            (
                f"{name}: served = counted = daily, 0 errors",
                r["errors"] == 0 and r["expected"] == r["counted"] == r["daily"],
                f"expected {r['expected']}, counted {r['counted']}, "
                f"daily {r['daily']}, errors {r['errors']}",
            )
        )
        checks.append(
            (
                f"{name}: caught up <= 5 s after the load",
                r["catch_up_s"] <= 5,
                f"{r['catch_up_s']:.1f} s",
            )
        )
    print()
    for label, met, figures in checks:
        print(f"{'met   ' if met else 'MISSED'} {label:44} {figures}")
    return all(met for _, met, _ in checks)


if __name__ == "__main__":
    main()
