import pytest

from releases import health

pytestmark = pytest.mark.django_db


def refuse_connection():
    from django.db import OperationalError

    raise OperationalError("connection refused")


def test_healthz_answers_without_touching_the_database(
    client, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"process": "ok"}


def test_healthz_answers_whatever_the_host(client):
    assert client.get("/healthz", HTTP_HOST="probe.internal").status_code == 200


def test_readyz_is_ok_when_database_caches_and_migrations_are(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok", "migrations": "ok"}
    assert response["Cache-Control"] == "no-store"


def test_readyz_is_503_when_a_cache_is_unreachable(client, settings):
    settings.CACHES = {
        **settings.CACHES,
        "hits": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        },
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["cache"].startswith("failed")
    assert response.json()["database"] == "ok"


def test_readyz_is_503_while_migrations_wait(client, monkeypatch):
    monkeypatch.setattr(health, "_migrated", set())
    monkeypatch.setattr(
        health.MigrationExecutor, "migration_plan", lambda self, targets: ["waiting"]
    )
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["migrations"] == "failed: RuntimeError"


def test_readyz_is_503_when_the_database_fails(client, monkeypatch):
    monkeypatch.setattr(health, "_check_database", refuse_connection)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["database"] == "failed: OperationalError"


def test_probes_are_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200


def test_readyz_tells_the_hits_counter_lag_behind_the_front(client, settings, tmp_path):
    from releases import front_log

    settings.HITS_FRONT_LOG = str(tmp_path / "hits.log")
    (tmp_path / "hits.log").write_text('{"half a line')
    front_log.count_batch(settings.HITS_FRONT_LOG)

    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json()["hits_counter"]["unread_bytes"] == 13


def test_readyz_says_when_the_hits_counter_never_ran(client, settings, tmp_path):
    settings.HITS_FRONT_LOG = str(tmp_path / "hits.log")

    response = client.get("/readyz")

    assert (response.status_code, response.json()["hits_counter"]) == (
        200,
        "not started",
    )


def test_readyz_without_the_database_does_not_ask_for_the_counter_lag(
    client, settings, monkeypatch
):
    settings.HITS_FRONT_LOG = "/var/log/nginx/hits.log"

    def never(path):
        raise AssertionError("asked the database for the lag")

    monkeypatch.setattr(health, "_check_database", refuse_connection)

    monkeypatch.setattr(health.front_log, "lag", never)

    response = client.get("/readyz")

    assert response.status_code == 503
    assert "hits_counter" not in response.json()


def test_readyz_without_the_database_does_not_wait_for_it_twice(client, monkeypatch):
    def never():
        raise AssertionError("checked the migrations without a database")

    monkeypatch.setattr(health, "_check_database", refuse_connection)
    monkeypatch.setattr(health, "_check_migrations", never)

    response = client.get("/readyz")

    assert response.json()["migrations"] == "not checked: no database"
