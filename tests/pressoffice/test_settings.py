import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "k3y-" + "a1b2c3d4e5f6g7h8" * 4,
    "DJANGO_ALLOWED_HOSTS": "press.example.org",
    "DATABASE_URL": "postgres://pressoffice@127.0.0.1:5432/pressoffice",
}


def run_django(args, env):
    """Run manage.py in a fresh process with only the given environment."""
    clean = {
        key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")
    }
    clean.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_refuses_to_start_without_secret_key_when_debug_is_off():
    result = run_django(["check"], {})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_starts_without_secret_key_in_debug():
    result = run_django(["check"], {"DJANGO_DEBUG": "1"})
    assert result.returncode == 0, result.stderr


def test_deploy_check_has_no_warnings_in_production_environment():
    result = run_django(
        ["check", "--deploy", "--fail-level", "WARNING"], PRODUCTION_ENV
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_postgres_url_uses_psycopg_pool_with_health_check():
    result = run_django(
        [
            "shell",
            "-c",
            "from django.conf import settings; o = settings.DATABASES['default'];"
            "print(o['ENGINE'], sorted(o['OPTIONS']['pool']), o['CONN_HEALTH_CHECKS'])",
        ],
        PRODUCTION_ENV,
    )
    assert "django.db.backends.postgresql ['max_size', 'min_size', 'timeout'] True" in (
        result.stdout
    ), result.stderr


@pytest.mark.django_db
def test_pages_carry_security_headers(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_https_requests_get_hsts(client):
    response = client.get("/", secure=True)
    assert "max-age=31536000" in response["Strict-Transport-Security"]


@pytest.mark.postgres
@pytest.mark.django_db
def test_page_queries_start_no_parallel_workers():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone() == ("0",)


def show_setting(expression, env):
    """Print a settings expression from a fresh process with env set."""
    return run_django(
        [
            "shell",
            "--no-imports",
            "-c",
            f"from django.conf import settings; print({expression})",
        ],
        {**PRODUCTION_ENV, **env},
    )


@pytest.mark.parametrize("spelling", ["true", "True", "yes", "on", "1"])
def test_boolean_settings_read_true_in_every_usual_spelling(spelling):
    result = show_setting("settings.HITS_ENABLED", {"HITS_ENABLED": spelling})
    assert result.stdout.splitlines()[-1] == "True", result.stderr


@pytest.mark.parametrize("spelling", ["false", "No", "off", "0"])
def test_boolean_settings_read_false_in_every_usual_spelling(spelling):
    result = show_setting("settings.HITS_ENABLED", {"HITS_ENABLED": spelling})
    assert result.stdout.splitlines()[-1] == "False", result.stderr


def test_https_proxy_setting_accepts_true():
    result = show_setting(
        "settings.SECURE_PROXY_SSL_HEADER", {"DJANGO_BEHIND_HTTPS_PROXY": "true"}
    )
    assert "HTTP_X_FORWARDED_PROTO" in result.stdout, result.stderr


def test_list_settings_are_trimmed_and_skip_empty_items():
    result = show_setting(
        "settings.ALLOWED_HOSTS", {"DJANGO_ALLOWED_HOSTS": " a.example, ,b.example "}
    )
    assert result.stdout.splitlines()[-1] == "['a.example', 'b.example']", result.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("HITS_ENABLED", "maybe"),
        ("DJANGO_DEBUG", "enabled"),
        ("HITS_COOLDOWN", "thirty minutes"),
        ("DATABASE_POOL_SIZE", "8.5"),
        ("DJANGO_LOG_FORMAT", "xml"),
        ("PHOTO_LICENCE", "kogl-9"),
    ],
)
def test_malformed_setting_stops_the_start_naming_the_variable(name, value):
    result = run_django(["check"], {**PRODUCTION_ENV, name: value})
    assert result.returncode != 0
    assert f'Environment variable "{name}" invalid' in result.stderr


def log_a_warning(env):
    return run_django(
        [
            "shell",
            "--no-imports",
            "-c",
            "import logging; logging.getLogger('releases.hits').warning('counted')",
        ],
        {**PRODUCTION_ENV, **env},
    )


def test_log_lines_carry_time_level_logger_and_request_id():
    line = log_a_warning({}).stderr.strip().splitlines()[-1]
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4} "
        r"WARNING releases\.hits \[.*\] counted",
        line,
    ), line


def test_json_log_format_gives_one_object_a_line():
    line = log_a_warning({"DJANGO_LOG_FORMAT": "json"}).stderr.strip().splitlines()[-1]
    record = json.loads(line)
    assert record["level"] == "WARNING"
    assert record["logger"] == "releases.hits"
    assert record["message"] == "counted"
    assert {"time", "request_id"} <= set(record)


def test_admins_are_read_with_or_without_names():
    result = show_setting(
        "settings.ADMINS",
        {"DJANGO_ADMINS": "Kim Min-su <kim@example.org>, ops@example.org"},
    )
    assert result.stdout.splitlines()[-1] == (
        "[('Kim Min-su', 'kim@example.org'), ('ops@example.org', 'ops@example.org')]"
    )


@pytest.mark.django_db
def test_server_errors_are_mailed_to_the_admins(client, settings, monkeypatch):
    from django.core import mail

    from releases.views import HomeView

    settings.ADMINS = [("Ops", "ops@example.org")]

    def fail(self, **kwargs):
        raise RuntimeError("the home page broke")

    monkeypatch.setattr(HomeView, "get_context_data", fail)
    client.raise_request_exception = False

    assert client.get("/").status_code == 500
    assert [message.to for message in mail.outbox] == [["ops@example.org"]]
    assert "the home page broke" in mail.outbox[0].body


@pytest.mark.django_db
def test_counting_failures_are_mailed_to_the_admins(client, settings, monkeypatch):
    from django.core import mail

    from releases import hits
    from tests.releases.factories import ReleaseFactory
    from tests.releases.test_hits import VISITOR

    settings.ADMINS = [("Ops", "ops@example.org")]
    release = ReleaseFactory()

    def fail(*args):
        raise RuntimeError("counting broke")

    monkeypatch.setattr(hits, "_increment", fail)

    response = client.get(release.get_absolute_url(), **VISITOR)

    assert response.status_code == 200
    assert "Hit not recorded" in mail.outbox[0].subject


def mail_settings(env):
    result = run_django(
        [
            "shell",
            "-c",
            "from django.conf import settings as s; print(s.EMAIL_HOST, s.EMAIL_PORT,"
            " repr(s.EMAIL_HOST_USER), repr(s.EMAIL_HOST_PASSWORD), s.EMAIL_USE_TLS,"
            " s.DEFAULT_FROM_EMAIL)",
        ],
        {"DJANGO_DEBUG": "1", **env},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split("\n")[-2]


def test_mail_server_is_read_from_email_url():
    line = mail_settings(
        {
            "EMAIL_URL": "smtp://press:s%40cret@mail.gg.example:587/?tls=1",
            "DJANGO_DEFAULT_FROM_EMAIL": "press@gg.example",
        }
    )
    assert line == "mail.gg.example 587 'press' 's@cret' True press@gg.example"


def test_plain_local_mail_server_needs_no_user():
    line = mail_settings({"EMAIL_URL": "smtp://127.0.0.1:2525"})
    assert line == "127.0.0.1 2525 '' '' False pressoffice@localhost"


def test_malformed_email_url_stops_the_start_naming_it():
    result = run_django(["check"], {"DJANGO_DEBUG": "1", "EMAIL_URL": "smtp://:x:y"})
    assert result.returncode != 0
    assert "EMAIL_URL" in result.stderr


@pytest.mark.parametrize(
    "name", ["API_RATE", "ALERTS_RATE_CLIENT", "ALERTS_RATE_ADDRESS"]
)
def test_malformed_rate_stops_the_start_naming_it(name):
    result = run_django(["check"], {"DJANGO_DEBUG": "1", name: "lots"})

    assert result.returncode != 0
    assert name in result.stderr
    assert "lots is not like 120/m" in result.stderr


def test_digest_time_is_read_as_a_time():
    result = run_django(
        [
            "shell",
            "-c",
            "from django.conf import settings; print(settings.ALERTS_DIGEST_TIME)",
        ],
        {"DJANGO_DEBUG": "1", "ALERTS_DIGEST_TIME": "07:30"},
    )
    assert result.stdout.strip().splitlines()[-1] == "07:30:00"
