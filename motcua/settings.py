"""One settings module, configured from the environment.

Environment variables (all optional for a first run):
  DATABASE_URL     e.g. postgres://postgres@127.0.0.1:5432/motcua; default: SQLite under var/
  SECRET_KEY       required for `motcua serve`, gunicorn and the worker outside the demo
                   (MOTCUA_DEMO=1); a local key is generated into var/ for the demo and commands
  SECRET_KEY_FALLBACKS  earlier keys (comma-separated) during a rotation
  MOTCUA_LOOKUP_KEY     the key of the citizens' look-up secrets (never rotated); required
                   like SECRET_KEY
  MOTCUA_HTTPS     "1" behind HTTPS: secure cookies, HSTS, redirect to https
  DEBUG            "1" / "true" to turn debug on (off by default)
  ALLOWED_HOSTS    comma-separated; default "127.0.0.1,localhost"
  MOTCUA_VAR_DIR   where the SQLite database, the dev secret key and uploads live; default ./var
  MOTCUA_DEMO      "1" when the demo city is loaded (enables the demo banner)
"""

from __future__ import annotations

import hashlib
import os
import secrets
import sys
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("MOTCUA_VAR_DIR", Path.cwd() / "var")).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_flag("DEBUG")
DEMO_MODE = env_flag("MOTCUA_DEMO")
#: A process that serves the site or runs its tasks must be given its keys (SECRET_KEY,
#: MOTCUA_LOOKUP_KEY): each machine writing its own into var/ would break every session and
#: look-up behind a load balancer. Only the demo (`make run`), DEBUG, the test suite and the
#: one-off commands (migrate, createsuperuser…) may use keys generated into var/.
_COMMAND = sys.argv[1] if len(sys.argv) > 1 else ""
_PROGRAM = Path(sys.argv[0]).name if sys.argv else ""
SERVING = _PROGRAM in {"gunicorn", "uvicorn", "granian", "huey_consumer", "huey_consumer.py"} or (
    _PROGRAM in {"motcua", "manage.py", "django-admin", "__main__.py"}
    and _COMMAND in {"serve", "worker", "run_huey"}
)
LOCAL_KEYS_ALLOWED = DEMO_MODE or DEBUG or "PYTEST_VERSION" in os.environ or not SERVING


def _key(name: str, file_name: str) -> str:
    """The key ``name`` from the environment; on a local run a key kept in var/ (never
    committed); else ImproperlyConfigured saying what to set."""
    if key := os.environ.get(name):
        return key
    if not LOCAL_KEYS_ALLOWED:
        raise ImproperlyConfigured(
            f"{name} must be set (the same value on every web and worker process); "
            "only the demo (MOTCUA_DEMO=1) generates a key of its own."
        )
    path = VAR_DIR / file_name
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _key("SECRET_KEY", "secret_key")
#: Earlier keys, comma-separated, during a rotation: sessions, password-reset links and API
#: tokens signed with them keep working (move the old SECRET_KEY here, set a new one).
SECRET_KEY_FALLBACKS = [
    k.strip() for k in os.environ.get("SECRET_KEY_FALLBACKS", "").split(",") if k.strip()
]
#: The key the citizens' look-up secrets are derived with (motcua.core.secrets), independent of
#: SECRET_KEY: rotating SECRET_KEY never changes a secret a citizen holds. Never rotate it.
MOTCUA_LOOKUP_KEY = _key("MOTCUA_LOOKUP_KEY", "lookup_key")
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "huey.contrib.djhuey",
    "simple_history",
    "motcua.core",
    "motcua.history",
    "motcua.org",
    "motcua.catalog",
    "motcua.workdays",
    "motcua.dossiers",
    "motcua.feedback",
    "motcua.surveys",
    "motcua.payments",
    "motcua.queueing",
    "motcua.notifications",
    "motcua.access",
    "motcua.signatures",
    "motcua.reports",
    "motcua.documents",
    "motcua.demo",
    "motcua.office",
    "motcua.portal",
    "motcua.api",
    "motcua.ops",
]

MIDDLEWARE = [
    "motcua.core.logs.RequestIdMiddleware",
    "motcua.ops.middleware.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "motcua.core.routers.ReplicaMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "motcua.api.middleware.RejectNul",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "motcua.access.headers.NoStoreByDefault",
]

ROOT_URLCONF = "motcua.urls"
WSGI_APPLICATION = "motcua.wsgi.application"
AUTH_USER_MODEL = "org.Staff"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "office:home"
LOGOUT_REDIRECT_URL = "login"

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
                "motcua.context_processors.site",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------------
# SQLite is the embedded default: WAL journal, IMMEDIATE transactions (a writer takes the lock
# when its transaction begins, so two writers queue instead of failing half-way) and a busy
# timeout. PostgreSQL via DATABASE_URL in production.
SQLITE_PATH = VAR_DIR / "motcua.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{SQLITE_PATH}", conn_max_age=60
    )
}
# A kept connection is checked before a request reuses it: after a PostgreSQL restart the first
# request opens a new one instead of failing on the dead one.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):
    # Short queries only: PostgreSQL's JIT compiles a search over the dossiers for seconds
    # before running it for milliseconds (bench/search.py).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }


# Test databases are named per test run, so that two runs on one machine never share one.
_TEST_DB = os.environ.get("MOTCUA_TEST_DB") or f"test_motcua_{os.getpid()}"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"{_TEST_DB}.sqlite3")}
else:
    DATABASES["default"]["TEST"] = {"NAME": _TEST_DB}

# A streaming replica (DATABASE_REPLICA_URL): reports, exports, public statistics and boards read
# from it (motcua.core.routers); the look-up, every write and every read-after-write stay on the
# primary. Tests mirror it onto the test database.
if REPLICA_URL := os.environ.get("DATABASE_REPLICA_URL", ""):
    DATABASES["replica"] = dj_database_url.parse(REPLICA_URL, conn_max_age=60)
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["motcua.core.routers.ReplicaRouter"]
#: GET pages and endpoints that may read from the replica (path prefixes).
MOTCUA_REPLICA_PATHS = [
    p.strip()
    for p in os.environ.get(
        "MOTCUA_REPLICA_PATHS",
        "/thong-ke/,/can-bo/bang-dieu-hanh/,/can-bo/giam-sat/,/api/v1/stats/",
    ).split(",")
    if p.strip()
]
#: A replica further behind than this (seconds), or unreachable, is not used.
MOTCUA_REPLICA_MAX_LAG = float(os.environ.get("MOTCUA_REPLICA_MAX_LAG", "30"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Background work (Huey) -------------------------------------------------------------------
# SQLite storage under var/ by default; Redis when REDIS_URL is set (production, several workers).
REDIS_URL = os.environ.get("REDIS_URL", "")
HUEY: dict[str, Any] = {
    "name": os.environ.get("MOTCUA_QUEUE_NAME", "motcua"),
    "immediate": False,
    "consumer": {"workers": int(os.environ.get("MOTCUA_WORKER_THREADS", "2"))},
}
#: The bearer token of Prometheus's scraper for /metrics (unset: /metrics answers 404).
MOTCUA_METRICS_TOKEN = os.environ.get("MOTCUA_METRICS_TOKEN", "")
#: How many machines run MotCua's web processes and workers (tools/cluster and docs/deploy.md
#: set it): the SQLite task queue lives on one machine's disk, so more than one needs Redis.
MOTCUA_NODES = int(os.environ.get("MOTCUA_NODES", "1"))
if REDIS_URL:
    HUEY |= {"huey_class": "huey.RedisHuey", "connection": {"url": REDIS_URL}}
elif MOTCUA_NODES > 1:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "MOTCUA_NODES > 1 needs REDIS_URL: the SQLite task queue lives on one machine's disk."
    )
else:
    HUEY |= {
        "huey_class": "huey.SqliteHuey",
        "connection": {"filename": str(VAR_DIR / "tasks.sqlite3")},
    }

# Every login (the staff page, the admin, the API's token) passes the same shared limits.
AUTHENTICATION_BACKENDS = ["motcua.access.login.ThrottledModelBackend"]

# --- The counter floor's live screens (motcua.queueing.streams) ---------------------------------
# Calls reach every display through Redis pub/sub when a URL is set (several web processes), else
# each stream polls the database for the floor's last event. The streams are served by the ASGI
# server: behind a proxy that routes /api/v1/queue/units/*/events to it, MOTCUA_STREAM_ORIGIN is
# the public origin of that route; under `motcua serve` (no proxy) it listens on the pages' host
# at MOTCUA_STREAM_PORT, which serve sets. Neither: the pages' own origin.
QUEUE_REDIS_URL = os.environ.get("MOTCUA_QUEUE_REDIS_URL", REDIS_URL)
QUEUE_CHANNEL_PREFIX = os.environ.get("MOTCUA_QUEUE_CHANNEL_PREFIX", "motcua:floor")
QUEUE_STREAM_ORIGIN = os.environ.get("MOTCUA_STREAM_ORIGIN", "").rstrip("/")
QUEUE_STREAM_PORT = int(os.environ.get("MOTCUA_STREAM_PORT", "") or 0)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# --- Language and time ------------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["motcua.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = True  # serve app static files even before collectstatic
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "uploads"

# --- Digital signatures (motcua.signatures) ---------------------------------------------------
# Keys of leaders (`staff:<username>`) and units' seals (`unit:<code>`) in a JSON file named by
# MOTCUA_SIGNING_KEYS (see motcua/signatures/backends.py); passphrases and PINs in environment
# variables it names, never in the database. Trust roots: PEM files (MOTCUA_SIGNING_TRUST_ROOTS,
# separated by ":"); the DEMO CA only in demo mode. Revocation (OCSP/CRL) only when the machine
# is online (MOTCUA_SIGNING_REVOCATION=1).
SIGNATURES: dict[str, Any] = {
    "keys_file": os.environ.get("MOTCUA_SIGNING_KEYS", ""),
    "keys": {},
    "trust_roots": [p for p in os.environ.get("MOTCUA_SIGNING_TRUST_ROOTS", "").split(":") if p],
    "demo_dir": str(VAR_DIR / "signatures-demo"),
    "demo_fallback": DEMO_MODE,
    "trust_demo": DEMO_MODE,
    "revocation": env_flag("MOTCUA_SIGNING_REVOCATION"),
}

# --- Documents (motcua.documents) -------------------------------------------------------------
# The files of dossiers: on the filesystem under var/documents by default; in an S3-compatible
# object store when MOTCUA_S3_BUCKET is set (with MOTCUA_S3_ENDPOINT_URL, AWS_ACCESS_KEY_ID,
# AWS_SECRET_ACCESS_KEY, MOTCUA_S3_REGION). Limits per file, per dossier and per portal session.
MOTCUA_DOCUMENTS: dict[str, Any] = {
    "ROOT": os.environ.get("MOTCUA_DOCUMENTS_ROOT", str(VAR_DIR / "documents")),
    "S3_BUCKET": os.environ.get("MOTCUA_S3_BUCKET", ""),
    "S3_ENDPOINT_URL": os.environ.get("MOTCUA_S3_ENDPOINT_URL", ""),
    "S3_REGION": os.environ.get("MOTCUA_S3_REGION", "us-east-1"),
    "S3_ACCESS_KEY": os.environ.get("AWS_ACCESS_KEY_ID", ""),
    "S3_SECRET_KEY": os.environ.get("AWS_SECRET_ACCESS_KEY", ""),
    "MAX_FILE_BYTES": int(os.environ.get("MOTCUA_DOCUMENT_MAX_FILE_BYTES", str(10 * 1024 * 1024))),
    "MAX_DOSSIER_BYTES": int(
        os.environ.get("MOTCUA_DOCUMENT_MAX_DOSSIER_BYTES", str(200 * 1024 * 1024))
    ),
    "MAX_DOSSIER_FILES": int(os.environ.get("MOTCUA_DOCUMENT_MAX_DOSSIER_FILES", "60")),
    "MAX_SESSION_BYTES": int(
        os.environ.get("MOTCUA_STAGING_MAX_SESSION_BYTES", str(60 * 1024 * 1024))
    ),
    "MAX_SESSION_FILES": int(os.environ.get("MOTCUA_STAGING_MAX_SESSION_FILES", "20")),
    "STAGING_GRACE_SECONDS": int(os.environ.get("MOTCUA_STAGING_GRACE_SECONDS", str(24 * 3600))),
    "ORPHAN_GRACE_SECONDS": int(os.environ.get("MOTCUA_ORPHAN_GRACE_SECONDS", str(6 * 3600))),
    "LINK_SECONDS": int(os.environ.get("MOTCUA_DOCUMENT_LINK_SECONDS", "300")),
}

# --- Security ---------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy (django-csp): scripts, styles, images and fonts from this site only; no
# inline <script>, <style> or style="" anywhere (templates use static files). htmx is told not
# to inject its indicator <style> (htmx-config includeIndicatorStyles=false) nor to copy style=""
# from the old element to the new one when it settles a swap (attributesToSettle without style).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
if env_flag("MOTCUA_HTTPS"):
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("MOTCUA_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_flag("MOTCUA_HSTS_PRELOAD")
    if not SECURE_HSTS_PRELOAD:  # the preload list binds every subdomain: an explicit choice
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# JSON logs (one object a line, with the request id; motcua.core.logs) unless
# MOTCUA_LOG_FORMAT=text.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "motcua.core.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": os.environ.get("MOTCUA_LOG_FORMAT", "json"),
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# --- Configuration history (django-simple-history) -------------------------------------------
# Procedures, steps, papers, units, roles, focal points, office hours and notice templates keep a
# history row per change (who, when, why, the fields); the admin's "Lịch sử" page shows the diffs.
# The history is read-only: a change goes through the services, never by reverting in the admin.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
SIMPLE_HISTORY_REVERT_DISABLED = True

# --- Notifications (motcua.notifications) -----------------------------------------------------
# Email through Django's backends: console by default (the worker's log); EMAIL_BACKEND=smtp with
# EMAIL_HOST/EMAIL_PORT/EMAIL_HOST_USER/EMAIL_HOST_PASSWORD/EMAIL_USE_TLS for a real server.
# SMS and Zalo OA are HTTP adapters: unset URL = the message goes to the log (console) instead.
_EMAIL_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
}
EMAIL_BACKEND = _EMAIL_BACKENDS.get(
    os.environ.get("EMAIL_BACKEND", "console"), os.environ.get("EMAIL_BACKEND", "")
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_flag("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_flag("EMAIL_USE_SSL")
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "20"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "MotCua <khong-tra-loi@motcua.local>")
MOTCUA_NOTIFY: dict[str, Any] = {
    "SMS_URL": os.environ.get("MOTCUA_SMS_URL", ""),
    "SMS_TOKEN": os.environ.get("MOTCUA_SMS_TOKEN", ""),
    "ZALO_URL": os.environ.get("MOTCUA_ZALO_URL", ""),
    "ZALO_TOKEN": os.environ.get("MOTCUA_ZALO_TOKEN", ""),
    "HTTP_TIMEOUT": float(os.environ.get("MOTCUA_NOTIFY_HTTP_TIMEOUT", "10")),
    "MAX_ATTEMPTS": int(os.environ.get("MOTCUA_NOTIFY_MAX_ATTEMPTS", "8")),
    "RETRY_BASE_SECONDS": float(os.environ.get("MOTCUA_NOTIFY_RETRY_BASE_SECONDS", "30")),
    "RETRY_MAX_SECONDS": float(os.environ.get("MOTCUA_NOTIFY_RETRY_MAX_SECONDS", "3600")),
    "LEASE_SECONDS": float(os.environ.get("MOTCUA_NOTIFY_LEASE_SECONDS", "300")),
    "STUCK_AFTER_SECONDS": float(os.environ.get("MOTCUA_NOTIFY_STUCK_AFTER_SECONDS", "60")),
    "DUE_SOON_WORKING_HOURS": os.environ.get("MOTCUA_DUE_SOON_WORKING_HOURS", "2"),
    "SWEEP_BATCH": int(os.environ.get("MOTCUA_NOTIFY_SWEEP_BATCH", "500")),
    # Deadlines passed longer ago than this are not announced as newly overdue (a first start on
    # an old database does not flood the leaders); a worker stopped for a while still catches up.
    "OVERDUE_LOOKBACK_DAYS": float(os.environ.get("MOTCUA_NOTIFY_OVERDUE_LOOKBACK_DAYS", "7")),
    # The address people reach the site at, for the links in notices ("" leaves links out).
    "SITE_URL": os.environ.get("MOTCUA_SITE_URL", "http://127.0.0.1:8000"),
}
# The worker polls its queue at least every second when idle (Huey's default backs off to 10 s).
HUEY["consumer"].setdefault("max_delay", float(os.environ.get("MOTCUA_WORKER_MAX_DELAY", "1")))
# The worker's log once (Huey adds a handler of its own to its logger when it has none).
LOGGING["loggers"]["huey"] = {"handlers": ["console"], "level": "INFO", "propagate": False}  # type: ignore[index]
# No secret in any log line (?secret= of the GET look-ups, tokens, passwords): motcua.access.logs.
LOGGING["filters"] = {"no_secrets": {"()": "motcua.access.logs.NoSecrets"}}
LOGGING["handlers"]["console"]["filters"] = ["no_secrets"]  # type: ignore[index]
# Online payment (motcua.payments.gateway): one gateway, the national/provincial platform's
# protocol; `make run` in demo mode starts the fake one (motcua/payments/fakegateway.py) and sets
# these. The secret is never put in a URL or a log.
PAYMENT_GATEWAYS: dict[str, dict[str, str]] = {
    "paygov": {
        "URL": os.environ.get("MOTCUA_PAYMENT_GATEWAY_URL", "http://127.0.0.1:9"),
        "MERCHANT": os.environ.get("MOTCUA_PAYMENT_MERCHANT", "MOTCUA"),
        "SECRET": os.environ.get("MOTCUA_PAYMENT_SECRET")
        or hashlib.sha256(f"payment:{SECRET_KEY}".encode()).hexdigest(),
    }
}
