"""`make bench-faults`: the production stack under load while its services fail.

Starts `make prod` (deploy/prod.py: nginx -> gunicorn with 2 workers) on the
demo data in a database of its own, with a Redis server of its own, and drives
release pages through nginx with wrk, every request a new visitor (an outer
proxy's X-Forwarded-For, so HITS_TRUSTED_PROXIES=2). In each scenario a service
fails a few seconds in:

    redis-kill   Redis is killed (SIGKILL) and stays down
    pg-restart   PostgreSQL is restarted (pg_ctlcluster … restart -m fast)

It prints requests, failed requests (non-2xx and socket errors), the release
pages nginx logged as served (200, from its cache or the app) or abandoned by
wrk as it stopped (499: never received, so not counted), and the hits counted in
the database once the counter has caught up; "lost" is the views served but
never counted (negative: counted twice). The PostgreSQL restart
restarts the machine's server: run this on a machine of its own, never beside
other work.

Environment: BENCH_SERVER_URL (PostgreSQL, without a database), BENCH_SECONDS.
"""

import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import psycopg
from common import BASE_DIR, BENCH_ENVIRONMENT, caught_up, create_database

SERVER_URL = os.environ.get("BENCH_SERVER_URL", "postgres://postgres@127.0.0.1:5432")
DATABASE_URL = f"{SERVER_URL}/pressoffice_bench_faults"
SECONDS = int(os.environ.get("BENCH_SECONDS", "20"))
FAULT_AFTER = 5
CONNECTIONS = 16
RELEASE_PAGE = re.compile(r'"GET /releases/\d+/[^ ]+ HTTP/1\.1" (200|499) ')


def main():
    sys.path.insert(0, str(BASE_DIR / "tests"))
    from deploy.stack import free_port  # tests/deploy/stack.py

    create_database(DATABASE_URL, drop_first=True)
    folder = Path(tempfile.mkdtemp(prefix="pressoffice-faults-"))
    folder.chmod(0o755)
    port, redis_port = free_port(), free_port()
    env = {
        **os.environ,
        **BENCH_ENVIRONMENT,
        "DJANGO_STATIC_MANIFEST": "true",
        "DATABASE_URL": DATABASE_URL,
        "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
        "PORT": str(port),
        "PROD_RUN_DIR": str(folder / "run"),
        "DJANGO_MEDIA_ROOT": str(folder / "media"),
        "DJANGO_STATIC_ROOT": str(folder / "static"),
        "HITS_TRUSTED_PROXIES": "2",
    }
    redis = start_redis(redis_port, folder)
    stack = subprocess.Popen([sys.executable, "deploy/prod.py"], cwd=BASE_DIR, env=env)
    try:
        wait_until_ready(f"http://127.0.0.1:{port}/readyz")
        subprocess.run(
            [sys.executable, "manage.py", "load_demo"],
            cwd=BASE_DIR,
            env=env,
            check=True,
        )
        paths = folder / "paths.txt"
        paths.write_text("\n".join(release_paths()) + "\n")
        results = {}

        results["redis-kill"] = measure(port, paths, folder, redis.kill, run=1)
        redis.wait()
        redis = start_redis(redis_port, folder)
        results["pg-restart"] = measure(port, paths, folder, restart_postgresql, run=2)
    finally:
        stack.send_signal(signal.SIGTERM)
        stack.wait(timeout=60)
        if redis.poll() is None:
            redis.kill()
    report(results)


def measure(port, paths, folder, fault, run):
    """wrk for SECONDS with fault() after FAULT_AFTER, its visitors' addresses
    numbered run; figures of the run once the counter has caught up."""
    access_log = folder / "run" / "access.log"
    reset_counts()
    logged_before = len(access_log.read_text().splitlines())
    timer = threading.Timer(FAULT_AFTER, fault)
    timer.start()
    output = subprocess.run(
        [
            "wrk", "-t", "2", "-c", str(CONNECTIONS), "-d", f"{SECONDS}s",
            "--timeout", "10s", "-s", str(BASE_DIR / "bench" / "visitors.lua"),
            f"http://127.0.0.1:{port}", "--", str(paths), str(run),
        ],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    timer.join()
    caught_up(DATABASE_URL, folder, seconds=120)
    time.sleep(1.5)  # nginx writes its access log every second
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    wrk = {k: int(v) for k, v in (item.split("=") for item in line.split()[1:])}
    lines = access_log.read_text().splitlines()[logged_before:]
    counted, daily = counted_hits()
    return {
        "requests": wrk["requests"],
        "failed": wrk["non2xx"] + wrk["socket_errors"],
        # 499: wrk closed the connection as the run ended; the app had counted.
        **{
            label: sum(
                1
                for line in lines
                if (match := RELEASE_PAGE.search(line)) and match[1] == status
            )
            for label, status in (("served", "200"), ("abandoned", "499"))
        },
        "counted": counted,
        "daily": daily,
    }


def report(results):
    print()
    columns = ("requests", "failed", "failed %", "served", "499", "counted", "daily")
    print(f"{'scenario':12} " + " ".join(f"{name:>8}" for name in columns) + " lost")
    for name, r in results.items():
        share = 100 * r["failed"] / r["requests"] if r["requests"] else 0
        figures = [r["requests"], r["failed"], f"{share:.2f}%", r["served"]]
        figures += [r["abandoned"], r["counted"], r["daily"]]
        lost = r["served"] - r["counted"]
        print(f"{name:12} " + " ".join(f"{f:>8}" for f in figures) + f" {lost:4d}")


def release_paths():
    with psycopg.connect(DATABASE_URL) as connection:
        rows = connection.execute(
            "SELECT number, slug FROM releases_release WHERE status = 'published'"
        ).fetchall()
    return [f"/releases/{number}/{slug}/" for number, slug in rows]


def reset_counts():
    with psycopg.connect(DATABASE_URL, autocommit=True) as connection:
        connection.execute("UPDATE releases_release SET hit_count = legacy_hits")
        connection.execute("DELETE FROM releases_dailyhits")


def counted_hits():
    with psycopg.connect(DATABASE_URL) as connection:
        (counted,) = connection.execute(
            "SELECT SUM(hit_count - legacy_hits) FROM releases_release"
        ).fetchone()
        (daily,) = connection.execute(
            "SELECT COALESCE(SUM(hits), 0) FROM releases_dailyhits"
        ).fetchone()
    return counted, daily


def restart_postgresql():
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart",
         "-m", "fast"],
        check=True,
    )  # fmt: skip


def start_redis(port, folder):
    return subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip


def wait_until_ready(url, seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} not ready within {seconds} s")


if __name__ == "__main__":
    main()
