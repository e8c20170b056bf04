"""What the benchmarks share: their Django environment and their databases."""

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psycopg

BASE_DIR = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

BENCH_ENVIRONMENT = {
    "DJANGO_SECRET_KEY": "bench-only-key-" + "0123456789abcdef" * 3,
    "DJANGO_SECURE_SSL_REDIRECT": "0",
    "DJANGO_STATIC_MANIFEST": "0",
    "DJANGO_LOG_LEVEL": "WARNING",
}


def use_database(database_url, settings="pressoffice.settings", **extra):
    """Point Django, in this process and its children, at a benchmark database."""
    os.environ.update(
        DJANGO_SETTINGS_MODULE=settings,
        DATABASE_URL=database_url,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        **BENCH_ENVIRONMENT,
        **extra,
    )


def create_database(database_url, drop_first=False):
    """Create the PostgreSQL database named in database_url if it is missing."""
    name = database_url.rsplit("/", 1)[1]
    admin_url = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        if drop_first:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def migrate(base_dir, *extra_commands):
    """manage.py migrate (and any further commands) against the bench database."""
    for command in [["migrate", "--verbosity", "0"], *extra_commands]:
        subprocess.run(
            [sys.executable, "manage.py", *command], cwd=base_dir, check=True
        )


def run_sql(database_url, script, **values):
    """Run a script of ';'-separated statements, with %(name)s filled from values."""
    started = time.perf_counter()
    with psycopg.connect(database_url, autocommit=True) as connection:
        for statement in script.split(";\n"):
            if statement.strip():
                for name, value in values.items():
                    statement = statement.replace(f"%({name})s", str(value))
                connection.execute(statement)
    print(f"seeded in {time.perf_counter() - started:.0f} s")


def start_gunicorn(port, extra_env=None, access_log=None):
    """gunicorn with 2 workers on 127.0.0.1:port, once it answers."""
    log = [
        "--access-logfile",
        str(access_log),
        "--access-logformat",
        "%(s)s %(U)s %(a)s",
    ]
    server = subprocess.Popen(
        [
            BIN / "gunicorn", "pressoffice.wsgi", "--workers", "2",
            "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
            "--no-control-socket",
            *(log if access_log else []),
        ],
        cwd=BASE_DIR,
        env={**os.environ, **(extra_env or {})},
    )  # fmt: skip
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/robots.txt", timeout=1)
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("gunicorn did not start")


def wrk(port, path_file, seconds, connections, run_number=0, visitors="new"):
    """Drive the paths of path_file with wrk (bench/visitors.lua), each request a
    new visitor or (visitors="same") all one: req/s, p50, p95, p99 in ms, errors
    and requests."""
    output = subprocess.run(
        [
            "wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s",
            "--timeout", "10s", "-s", str(BASE_DIR / "bench" / "visitors.lua"),
            f"http://127.0.0.1:{port}", "--", str(path_file), str(run_number),
            visitors,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout  # fmt: skip
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    values = dict(item.split("=") for item in line.split()[1:])
    values = {key: int(value) for key, value in values.items()}
    return {
        "rps": values["requests"] / (values["duration_us"] / 1e6),
        "p50_ms": values["p50_us"] / 1000,
        "p95_ms": values["p95_us"] / 1000,
        "p99_ms": values["p99_us"] / 1000,
        "errors": values["non2xx"] + values["socket_errors"],
        "requests": values["requests"],
    }


def caught_up(database_url, folder, seconds):
    """When make prod's hits counter (run folder: folder) had read its whole log."""
    log = folder / "run" / "hits.log"
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with psycopg.connect(database_url, connect_timeout=2) as connection:
                row = connection.execute(
                    'SELECT inode, "offset" FROM releases_frontlogposition '
                    "WHERE log = %s",
                    [str(log)],
                ).fetchone()
        except psycopg.OperationalError:  # PostgreSQL is restarting
            row = None
        stat = log.stat() if log.exists() else None
        if row and stat and (row[0], row[1]) == (stat.st_ino, stat.st_size):
            return time.monotonic()
        time.sleep(0.05)
    raise RuntimeError(f"the hits counter did not catch up within {seconds} s")
