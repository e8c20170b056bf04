import subprocess
import uuid
from pathlib import Path

import pytest

from tests.pressoffice.test_settings import run_django

BASE_DIR = Path(__file__).resolve().parents[2]


def migrate_then_load_demo(database_url):
    env = {"DJANGO_DEBUG": "1", "DATABASE_URL": database_url}
    migrated = run_django(["migrate", "--verbosity", "0"], env)
    assert migrated.returncode == 0, migrated.stderr
    return run_django(["load_demo"], env)


def test_migrate_alone_prepares_a_fresh_sqlite_database_for_the_demo(tmp_path):
    loaded = migrate_then_load_demo(f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    assert loaded.returncode == 0, loaded.stderr
    assert "Demo loaded" in loaded.stdout


@pytest.mark.postgres
def test_migrate_alone_prepares_a_fresh_postgresql_database_for_the_demo():
    from django.db import connection

    server = connection.settings_dict
    name = f"pressoffice_fresh_{uuid.uuid4().hex[:8]}"
    psql = ["psql", "-h", server["HOST"] or "127.0.0.1", "-U", server["USER"], "-d"]
    subprocess.run([*psql, "postgres", "-c", f"CREATE DATABASE {name}"], check=True)
    try:
        loaded = migrate_then_load_demo(
            f"postgres://{server['USER']}@{server['HOST'] or '127.0.0.1'}"
            f":{server['PORT'] or 5432}/{name}"
        )
        assert loaded.returncode == 0, loaded.stderr
        assert "Demo loaded" in loaded.stdout
    finally:
        subprocess.run(
            [*psql, "postgres", "-c", f"DROP DATABASE {name} WITH (FORCE)"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
