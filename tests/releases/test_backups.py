"""manage.py backup and restore, each run in its own process against its own
database and media folder, as an operator would run them."""

import json
import os
import subprocess
import uuid

import pytest

from tests.pressoffice.test_settings import run_django

SEED = """
from io import BytesIO
from django.core.files.base import ContentFile
from PIL import Image
from releases.models import Release
buffer = BytesIO()
Image.new("RGB", (640, 480), "navy").save(buffer, "JPEG")
release = Release.objects.published().order_by("number").first()
release.lead_image = ContentFile(buffer.getvalue(), name="governor.jpg")
release.lead_image_alt = "The governor"
release.save()
"""
SNAPSHOT = """
import hashlib
import json
from django.conf import settings
from django.test import Client
from django.test.utils import setup_test_environment
from releases.models import Release
setup_test_environment()
client = Client()
releases = Release.objects.order_by("number")
urls = ["/", "/releases/", "/ko/releases/"] + [
    release.get_absolute_url() for release in releases.filter(status="published")[:8]
]
images = [release.lead_image.name for release in releases if release.lead_image]

def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()

print(json.dumps({
    "hits": list(releases.values_list("number", "hit_count", "legacy_hits")),
    "pages": {url: client.get(url).content.decode() for url in urls},
    "images": {name: digest(settings.MEDIA_ROOT / name) for name in images},
}))
"""


def django(env, *args, code=None):
    command = [*args, "shell", "--no-imports", "-c", code] if code else list(args)
    result = run_django(command, {"DJANGO_DEBUG": "1", **env})
    assert result.returncode == 0, result.stderr
    return result.stdout


def snapshot(env):
    return json.loads(django(env, code=SNAPSHOT).splitlines()[-1])


def back_up_and_restore(original, empty, tmp_path):
    django(original, "migrate", "--verbosity", "0")
    django(original, "load_demo")
    django(original, code=SEED)
    before = snapshot(original)
    django(original, "backup", str(tmp_path / "backup"))

    django(empty, "restore", str(tmp_path / "backup"))

    return before, snapshot(empty)


def test_restore_on_an_empty_sqlite_database_gives_the_same_pages_and_hits(tmp_path):
    original = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'original.sqlite3'}",
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media-original"),
    }
    empty = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'restored.sqlite3'}",
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media-restored"),
    }
    before, after = back_up_and_restore(original, empty, tmp_path)
    assert after == before
    assert before["images"], "the seed gave a release no image"


@pytest.fixture
def two_postgres_databases():
    """Names of two new, empty PostgreSQL databases on the suite's server."""
    server = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    names = [f"pressoffice_backup_{uuid.uuid4().hex[:8]}" for _ in range(2)]
    psql = ["psql", f"{server}/postgres", "-q", "-c"]
    for name in names:
        subprocess.run([*psql, f"CREATE DATABASE {name}"], check=True)
    yield [f"{server}/{name}" for name in names]
    for name in names:
        subprocess.run([*psql, f"DROP DATABASE {name} WITH (FORCE)"], check=True)


@pytest.mark.postgres
def test_restore_on_an_empty_postgresql_database_gives_the_same_pages_and_hits(
    two_postgres_databases, tmp_path
):
    original_url, empty_url = two_postgres_databases
    original = {
        "DATABASE_URL": original_url,
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media-original"),
    }
    empty = {
        "DATABASE_URL": empty_url,
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media-restored"),
    }
    before, after = back_up_and_restore(original, empty, tmp_path)
    assert after == before
    assert any(hits for _, hits, _ in before["hits"])


def test_restore_refuses_a_folder_that_is_no_backup(tmp_path):
    result = run_django(["restore", str(tmp_path)], {"DJANGO_DEBUG": "1"})
    assert result.returncode != 0
    assert "holds no database.dump.gz or media.tar.gz" in result.stderr


@pytest.mark.postgres
def test_a_backup_leaves_out_the_visitor_hashes_and_salts(
    two_postgres_databases, tmp_path
):
    """Where the log counter keeps them (make prod, compose). Backups of the
    embedded SQLite database copy the whole file; its tables stay empty."""
    import gzip

    env = {
        "DATABASE_URL": two_postgres_databases[0],
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
    }
    django(env, "migrate", "--verbosity", "0")
    django(env, "load_demo")
    salt, visitor = "5a" * 32, "c0ffee" * 5 + "00"
    django(
        env,
        code=(
            "from django.utils import timezone\n"
            "from releases.models import CountedVisit, HitSalt, Release\n"
            f"HitSalt.objects.create(day=timezone.localdate(), salt='{salt}')\n"
            "CountedVisit.objects.create(release=Release.objects.first(), "
            f"visitor='{visitor}', counted_at=timezone.now(), until=timezone.now())\n"
        ),
    )

    django(env, "backup", str(tmp_path / "backup"))

    archive = tmp_path / "database.dump"
    archive.write_bytes(
        gzip.decompress((tmp_path / "backup" / "database.dump.gz").read_bytes())
    )
    dump = subprocess.run(
        ["pg_restore", "--data-only", "-f", "-", str(archive)],
        check=True,
        capture_output=True,
    ).stdout
    assert b"Suwon" in dump  # the releases are there
    assert salt.encode() not in dump
    assert visitor.encode() not in dump
