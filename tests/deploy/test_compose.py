"""docker-compose.yml and the Dockerfile, read as files: no Docker engine runs here,
so these check that compose runs the same topology as `make prod`."""

import re
from pathlib import Path

import yaml

BASE_DIR = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]


def test_nginx_is_the_only_service_reachable_from_outside():
    published = {name for name, service in SERVICES.items() if "ports" in service}
    assert published == {"nginx"}


def test_nginx_waits_for_a_healthy_app_and_passes_requests_to_it():
    nginx = SERVICES["nginx"]
    assert nginx["depends_on"]["app"]["condition"] == "service_healthy"
    assert nginx["environment"]["APP_UPSTREAM"] == "app:8000"


def test_nginx_fills_in_every_placeholder_of_the_shared_site_template():
    nginx = SERVICES["nginx"]
    mount = next(v for v in nginx["volumes"] if "site.conf.template" in v)
    template = BASE_DIR / mount.split(":")[0]
    placeholders = set(re.findall(r"\$\{(\w+)\}", template.read_text()))
    assert placeholders <= set(nginx["environment"])
    assert mount.split(":")[1].startswith("/etc/nginx/templates/")


def test_nginx_reads_the_static_and_media_volumes_the_app_writes():
    app_volumes = dict(v.split(":")[:2] for v in SERVICES["app"]["volumes"])
    nginx_volumes = dict(v.split(":")[:2] for v in SERVICES["nginx"]["volumes"])
    environment = SERVICES["nginx"]["environment"]
    assert nginx_volumes["static"] == environment["STATIC_ROOT"]
    assert nginx_volumes["media"] == environment["MEDIA_ROOT"]
    assert app_volumes["static"] == SERVICES["app"]["environment"]["DJANGO_STATIC_ROOT"]
    assert app_volumes["media"] == SERVICES["app"]["environment"]["DJANGO_MEDIA_ROOT"]


def test_app_runs_on_postgres_and_redis_with_gunicorn():
    app = SERVICES["app"]
    assert "@db:5432/" in app["environment"]["DATABASE_URL"]
    assert app["environment"]["REDIS_URL"].startswith("redis://redis:")
    for step in ("migrate", "collectstatic", "gunicorn"):
        assert step in app["command"]
    assert app["depends_on"]["db"]["condition"] == "service_healthy"
    assert app["depends_on"]["redis"]["condition"] == "service_healthy"


def test_app_trusts_one_proxy_and_lets_nginx_send_attachments():
    environment = SERVICES["app"]["environment"]
    assert environment["HITS_TRUSTED_PROXIES"].endswith("1}")
    assert environment["DJANGO_MEDIA_SENT_BY_FRONT"] == "true"


def test_compose_keeps_database_media_and_static_in_volumes():
    assert "pgdata:/var/lib/postgresql/data" in SERVICES["db"]["volumes"]
    assert {"pgdata", "media", "static"} <= set(COMPOSE["volumes"])


def test_compose_requires_a_secret_key():
    assert ":?" in SERVICES["app"]["environment"]["DJANGO_SECRET_KEY"]


def test_image_checks_its_health_on_healthz():
    dockerfile = (BASE_DIR / "Dockerfile").read_text()
    assert re.search(r"HEALTHCHECK .*\n.*/healthz", dockerfile)


def test_the_counter_reads_the_log_nginx_writes():
    counter, nginx = SERVICES["counter"], SERVICES["nginx"]
    log = nginx["environment"]["HITS_LOG"]
    assert counter["environment"]["HITS_FRONT_LOG"] == log
    assert "count_hits_from_front_log" in counter["command"]
    nginx_volumes = dict(v.split(":")[:2] for v in nginx["volumes"])
    counter_volumes = dict(v.split(":")[:2] for v in counter["volumes"])
    assert log.startswith(nginx_volumes["hitslog"] + "/")
    assert counter_volumes["hitslog"] == nginx_volumes["hitslog"]
    assert counter["restart"] == "unless-stopped"


def test_the_worker_sends_alerts_with_the_apps_settings():
    worker, app = SERVICES["worker"], SERVICES["app"]
    assert "alerts_worker" in worker["command"]
    assert worker["environment"] == app["environment"]
    assert {"EMAIL_URL", "DJANGO_DEFAULT_FROM_EMAIL"} <= set(app["environment"])
    assert worker["restart"] == "unless-stopped"


def test_the_app_marks_pages_for_the_log_rather_than_counting():
    assert (
        SERVICES["app"]["environment"]["HITS_FRONT_LOG"]
        == (SERVICES["nginx"]["environment"]["HITS_LOG"])
    )
