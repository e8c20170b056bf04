"""Settings for the press office site, configured by environment variables.

Every value that differs between deployments comes from the environment, with
local defaults so that `make run` needs none. See README.md for the list.
"""

import datetime
from email.utils import parseaddr
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from environs import Env, validate

BASE_DIR = Path(__file__).resolve().parent.parent

# environs reads each variable as its type and stops the start with the
# variable's name on a malformed value: booleans take true/false, yes/no, on/off
# and 1/0 in any case. No .env file is read.
env = Env()


def admin_address(entry):
    """("Name", "address") of "Name <address>" or of a bare address."""
    name, address = parseaddr(entry)
    if "@" not in address:
        raise ImproperlyConfigured(f"DJANGO_ADMINS: {entry!r} is not an address.")
    return name or address, address


def env_list(name, default):
    """A comma-separated variable as a list, items trimmed, empty items dropped."""
    return [item.strip() for item in env.list(name, default) if item.strip()]


DEBUG = env.bool("DJANGO_DEBUG", False)

SECRET_KEY = env.str("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off."
        )
    SECRET_KEY = "django-insecure-local-development-only"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django_filters",
    "django_guid",
    "dbbackup",
    "csp",
    "simple_history",
    "django_prose_editor",
    "ninja",  # its Swagger UI page, served from our static files
    "axes",
    "django_tasks",
    "django_tasks_db",
    "people",
    "releases",
    "alerts",
    "legacy",
]

MIDDLEWARE = [
    "releases.health.HealthMiddleware",
    "django_guid.middleware.guid_middleware",
    "django.middleware.security.SecurityMiddleware",
    "releases.api.cors_preflight",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "releases.languages.LanguageInAddressMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # ETag and Last-Modified checks: 304 for feeds, the sitemap and pages.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "pressoffice.urls"
WSGI_APPLICATION = "pressoffice.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database: SQLite by default; PostgreSQL (psycopg 3) through DATABASE_URL, with
# psycopg's connection pool. With health checks on, the pool pings a connection
# before handing it out.
SQLITE_URL = f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        env.str("DATABASE_URL", SQLITE_URL), conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["OPTIONS"] = {
        "pool": {
            "min_size": 1,
            "max_size": env.int("DATABASE_POOL_SIZE", 8),
            # While the server is unreachable a request waits this long for a
            # connection, then fails, rather than holding its worker for 30 s.
            "timeout": env.float("DATABASE_POOL_TIMEOUT", 5),
        },
        "connect_timeout": 3,
        # No parallel workers for page queries: under load they compete with the
        # app's own workers for the same cores (on 2 cores a filtered search
        # served twice as fast without them). Reports turn them back on.
        "options": "-c max_parallel_workers_per_gather=0",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Covering indexes serve PostgreSQL; SQLite ignores their extra columns.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# A shared cache: the database cache table by default, Redis when REDIS_URL is set.
# "hits" holds who was counted recently (hashed) and the daily salt; it is kept
# apart so that other cached data never pushes those entries out early.
# Whatever the default cache holds can be made again, so it degrades on failure
# (a read misses, a write is skipped) and pages are served without it; the hits
# cache raises, and releases.hits counts the view when it cannot ask it.


def redis_caches(url):
    """The default and hits caches on the Redis server at url."""
    return {
        alias: {
            # django-redis keeps one client; Django's own backend builds a new
            # client object for every command, which shows on the hit path.
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": alias,
            "OPTIONS": {
                # A stopped or hung Redis costs a request at most this long.
                "SOCKET_CONNECT_TIMEOUT": 0.25,
                "SOCKET_TIMEOUT": 0.5,
                "IGNORE_EXCEPTIONS": alias == "default",
            },
        }
        for alias in ("default", "hits")
    }


REDIS_URL = env.str("REDIS_URL", "")
# A stopped Redis would log a traceback for every cache call of every request;
# /readyz and releases.hits say it instead.
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = False
if REDIS_URL:
    CACHES = redis_caches(REDIS_URL)
else:
    CACHES = {
        "default": {
            "BACKEND": "releases.caches.FailSoftDatabaseCache",
            "LOCATION": "pressoffice_cache",
        },
        "hits": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "pressoffice_hits",
            # Expired entries are culled first; live ones only past this many.
            "OPTIONS": {"MAX_ENTRIES": 200_000},
        },
    }

# manage.py backup / restore (django-dbbackup): pg_dump and psql on PostgreSQL,
# SQLite's own online backup on SQLite. The caches' rows are left out: nothing
# in them is needed again, and the hit salts must not outlive their day.
DBBACKUP_CONNECTOR_MAPPING = {
    "django.db.backends.sqlite3": "dbbackup.db.sqlite.SqliteBackupConnector",
}
DBBACKUP_SEND_EMAIL = False

# Admin login throttling (django-axes): repeated wrong passwords lock out that
# user name from that address for a while, with a page that says so.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", 0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "releases.hits.client_ip"
AXES_RESET_ON_SUCCESS = True
# Version history: restoring goes through releases.workflow, which restores text
# but never status, dates or hits; the library's own revert button is off.
SIMPLE_HISTORY_REVERT_DISABLED = True

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ko", _("Korean"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["pressoffice.formats"]
TIME_ZONE = env.str("DJANGO_TIME_ZONE", "Asia/Seoul")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles")
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", BASE_DIR / "media")
# manage.py export_open_data writes here; the site serves the latest export.
OPEN_DATA_ROOT = env.path("OPEN_DATA_ROOT", BASE_DIR / "open-data")
# Behind nginx (deploy/), attachment downloads are checked here and sent by nginx
# (X-Accel-Redirect) from a location only the app can point to.
MEDIA_SENT_BY_FRONT = env.bool("DJANGO_MEDIA_SENT_BY_FRONT", False)

STATIC_MANIFEST = env.bool("DJANGO_STATIC_MANIFEST", not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Where manage.py backup keeps what it makes unless told another folder.
    "dbbackup": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env.path("DJANGO_BACKUP_ROOT", BASE_DIR / "backups")},
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Security headers. HTTPS-only settings apply whenever DEBUG is off.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
if env.bool("DJANGO_BEHIND_HTTPS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        # The nonce is sent only on pages that use it (the release editor's
        # import map).
        "script-src": [SELF, NONCE],
        # The body editor (Tiptap) adds its base styles as one <style>: allowed
        # by that text's hash alone (a new version's is refused, and the
        # browser tests say so).
        "style-src": [SELF, "'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

# Logs: time, level, logger and the request id (from nginx's X-Request-ID, or
# made here) on every line; one JSON object a line with DJANGO_LOG_FORMAT=json.
# Errors (500s, counting failures) are mailed to DJANGO_ADMINS when set.
LOG_FORMAT = env.str(
    "DJANGO_LOG_FORMAT", "text", validate=validate.OneOf(["text", "json"])
)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "django_guid.log_filters.CorrelationId"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "formatters": {
        "text": {
            "format": "%(asctime)s %(levelname)s %(name)s "
            "[%(correlation_id)s] %(message)s",
            "datefmt": "%Y-%m-%dT%H:%M:%S%z",
        },
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(correlation_id)s "
            "%(message)s",
            "rename_fields": {
                "asctime": "time",
                "levelname": "level",
                "name": "logger",
                "correlation_id": "request_id",
            },
            "datefmt": "%Y-%m-%dT%H:%M:%S%z",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        },
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own console handler would print each line a second time.
        "django": {"handlers": ["mail_admins"], "level": "INFO"},
        "releases": {"handlers": ["mail_admins"], "level": "INFO"},
        "django_guid": {"level": "WARNING"},
    },
}
DJANGO_GUID = {
    "GUID_HEADER_NAME": "X-Request-ID",
    "RETURN_HEADER": True,
    "UUID_FORMAT": "hex",
}

# "Name <address>" or a bare address, comma-separated.
ADMINS = [admin_address(entry) for entry in env_list("DJANGO_ADMINS", [])]
SERVER_EMAIL = env.str("DJANGO_SERVER_EMAIL", "pressoffice@localhost")
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", SERVER_EMAIL)
# The mail server as one address (dj-email-url), e.g.
# smtp://user:password@mail.example.org:587/?tls=1, smtp://127.0.0.1:2525;
# else the DJANGO_EMAIL_* variables.
if env.str("EMAIL_URL", ""):
    _mail = env.dj_email_url("EMAIL_URL")
    EMAIL_BACKEND = _mail["EMAIL_BACKEND"]
    EMAIL_HOST, EMAIL_PORT = _mail["EMAIL_HOST"], _mail["EMAIL_PORT"]
    EMAIL_HOST_USER = _mail["EMAIL_HOST_USER"] or ""
    EMAIL_HOST_PASSWORD = _mail["EMAIL_HOST_PASSWORD"] or ""
    EMAIL_USE_TLS, EMAIL_USE_SSL = _mail["EMAIL_USE_TLS"], _mail["EMAIL_USE_SSL"]
else:
    EMAIL_HOST = env.str("DJANGO_EMAIL_HOST", "localhost")
    EMAIL_PORT = env.int("DJANGO_EMAIL_PORT", 25)
    EMAIL_HOST_USER = env.str("DJANGO_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = env.str("DJANGO_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = env.bool("DJANGO_EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 10
# The site's address as staff reach it, for links in workflow mail.
SITE_URL = env.str("DJANGO_SITE_URL", "http://127.0.0.1:8000")

# Hit counting (releases/hits.py; README "What counts as a hit").
HITS_ENABLED = env.bool("HITS_ENABLED", True)
HITS_COOLDOWN = env.int("HITS_COOLDOWN", 1800)  # seconds; 0 = every view
HITS_COUNT_STAFF = env.bool("HITS_COUNT_STAFF", False)
HITS_TRUSTED_PROXIES = env.int("HITS_TRUSTED_PROXIES", 0)
HITS_CACHE = "hits"
# Behind the front server: its log of release page answers (deploy/nginx/), from
# which manage.py count_hits_from_front_log counts; Django then only marks the
# pages it answers. Empty: Django counts each view itself (make run).
HITS_FRONT_LOG = env.str("HITS_FRONT_LOG", "")

# Public release pages are cached whole (releases/page_cache.py) for this many
# seconds, keyed on the release's last save; renamed officials or places, or a
# new translation, show within this time.
RELEASE_PAGE_SECONDS = env.int("RELEASE_PAGE_SECONDS", 600)

# Upload limits (releases/uploads.py).
IMAGE_MAX_BYTES = 20 * 1024 * 1024
IMAGE_MAX_PIXELS = 40_000_000
ATTACHMENT_MAX_BYTES = 50 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024  # form fields other than files

# Preview links for outside fact-checkers expire after this many days.
PREVIEW_LINK_DAYS = env.int("PREVIEW_LINK_DAYS", 7)

# The licence under which releases may be reused, shown on every release page.
REUSE_LICENCE = {
    "name": env.str("REUSE_LICENCE_NAME", "")
    or _("Korea Open Government License Type 1 (attribution)"),
    "url": env.str("REUSE_LICENCE_URL", "https://www.kogl.or.kr/info/licenseType1.do"),
}

# The licence under which the press may reuse a release's photos unless the
# photo names its own: kogl-1 to kogl-4 (Korea Open Government License types).
PHOTO_LICENCE = env.str(
    "PHOTO_LICENCE",
    "kogl-1",
    validate=validate.OneOf(["kogl-1", "kogl-2", "kogl-3", "kogl-4"]),
)

# Text versions of attachments (releases.readable): each file is read in a
# child process stopped after this many seconds or this much memory.
DOCUMENT_SECONDS = env.int("DOCUMENT_SECONDS", 60, validate=validate.Range(min=1))
DOCUMENT_MEMORY_MB = env.int(
    "DOCUMENT_MEMORY_MB", 768, validate=validate.Range(min=64, max=16384)
)

# The open data API (releases/api.py): requests a client address may make, as
# "number/period" (s, m, h or d); more get 429 with Retry-After; a malformed
# one stops the start, naming it.
RATE = validate.Regexp(r"^[1-9][0-9]*/[smhd]$", error="{input} is not like 120/m")
API_RATE = env.str("API_RATE", "120/m", validate=RATE)

# The queue of work done outside requests (alerts' mail): django-tasks with its
# database backend, so it lives in the site's own database; `manage.py
# alerts_worker` runs it.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# The old board's addresses that answer 301 with what the import made of them
# (legacy.links): comma-separated patterns, {board} and {article} (articles),
# {file} and {number} (files) standing where their values are.
LEGACY_ARTICLE_LINKS = env_list(
    "LEGACY_ARTICLE_LINKS",
    ["/cop/bbs/selectBoardArticle.do?bbsId={board}&nttId={article}"],
)
LEGACY_FILE_LINKS = env_list(
    "LEGACY_FILE_LINKS", ["/cmm/fms/FileDown.do?atchFileId={file}&fileSn={number}"]
)

# E-mail alerts (alerts/): a confirmation link expires after this many hours;
# subscribing is limited per client address and per e-mail address ("number/
# period", s, m, h or d); daily digests go out at this local time.
ALERTS_CONFIRM_HOURS = env.int(
    "ALERTS_CONFIRM_HOURS", 48, validate=validate.Range(min=1, max=24 * 30)
)
ALERTS_RATE_CLIENT = env.str("ALERTS_RATE_CLIENT", "10/h", validate=RATE)
ALERTS_RATE_ADDRESS = env.str("ALERTS_RATE_ADDRESS", "3/d", validate=RATE)
ALERTS_DIGEST_TIME = env.time("ALERTS_DIGEST_TIME", datetime.time(18, 0))

# Feeds list this many of the latest releases.
FEED_LENGTH = 30

# The public list pages show this many releases a page.
RELEASES_PER_PAGE = 20
