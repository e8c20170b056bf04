import signal

import pytest
from django.core.management import call_command
from django.db import connection


def pytest_collection_modifyitems(config, items):
    """Skip the tests of the other database's own behaviour."""
    needs = {
        "postgres": "needs PostgreSQL (set DATABASE_URL=postgres://…)",
        "sqlite": "needs SQLite (unset DATABASE_URL)",
    }
    for marker, reason in needs.items():
        if connection.vendor == ("postgresql" if marker == "postgres" else marker):
            continue
        for item in items:
            if marker in item.keywords:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files go to a temporary folder, never the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def redis_hits_cache(settings):
    """Point the hits cache at a real Redis (TEST_REDIS_URL, or the local
    server's db 15)."""
    import os

    import redis

    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        redis.Redis.from_url(url).ping()
    except redis.ConnectionError:
        pytest.skip(f"needs Redis at {url}")
    settings.CACHES = {
        **settings.CACHES,
        "hits": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "test-hits",
        },
    }
    from django.core.cache import caches

    caches["hits"].clear()
    yield caches["hits"]
    caches["hits"].clear()


def staff_in(group_name, username):
    from django.contrib.auth.models import Group, Permission

    from releases.roles import create_roles
    from tests.people.factories import UserFactory

    if not Group.objects.filter(name=group_name).exists():
        create_roles(Group, Permission)  # a transactional test's flush removed them
    user = UserFactory(username=username, is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def writer(db):
    return staff_in("Writer", "writer")


@pytest.fixture
def editor(db):
    return staff_in("Editor", "editor")


@pytest.fixture
def other_editor(db):
    return staff_in("Editor", "other-editor")


@pytest.fixture
def analyst(db):
    return staff_in("Analyst", "analyst")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Test users need no slow key stretching."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def english_addresses():
    """Each test starts in English: a request to /ko/… leaves Korean active in the
    thread, and reverse() would then give Korean addresses."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def inbox(settings):
    """The messages a real SMTP server on loopback receives (tests/smtp.py)."""
    from tests.smtp import Inbox, start_server

    handler = Inbox()
    controller = start_server(handler, settings)
    yield handler
    controller.stop()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """committed(step, *args): the step, then what it left for after its
    transaction commits (the test's own transaction never does)."""

    def run(step, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return step(*args, **kwargs)

    return run


@pytest.fixture
def run_queue(monkeypatch):
    """run_queue(): what `manage.py alerts_worker` does, until the queue has
    nothing ready: catch up, then run each ready task."""
    # The worker closes "old" connections between tasks, as a request would;
    # the test's connection holds its transaction, so it must stay open (as
    # Django's test client keeps it across requests).
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections",
        lambda: None,
    )
    handlers = {
        number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)
    }

    def run():
        call_command(
            "alerts_worker", batch=True, startup_delay=False, reload=False, verbosity=0
        )

    yield run
    for number, handler in handlers.items():
        signal.signal(number, handler)
