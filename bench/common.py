"""What the benchmarks share: their Django environment and their databases."""

import os
import subprocess
import sys
import time

import psycopg

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
