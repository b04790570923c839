"""One settings module, configured from the environment.

Environment variables (all optional for a first run):
  DATABASE_URL     e.g. postgres://postgres@127.0.0.1:5432/motcua; default: SQLite under var/
  SECRET_KEY       required when DEBUG is off outside a first local run; a dev key is generated into var/
  DEBUG            "1" / "true" to turn debug on (off by default)
  ALLOWED_HOSTS    comma-separated; default "127.0.0.1,localhost"
  MOTCUA_VAR_DIR   where the SQLite database, the dev secret key and uploads live; default ./var
  MOTCUA_DEMO      "1" when the demo city is loaded (enables the demo banner)
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("MOTCUA_VAR_DIR", Path.cwd() / "var")).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    """The SECRET_KEY from the environment, or a development key kept in var/ (never committed)."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_flag("DEBUG")
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]
DEMO_MODE = env_flag("MOTCUA_DEMO")

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
    "motcua.notifications",
    "motcua.access",
    "motcua.reports",
    "motcua.demo",
    "motcua.office",
    "motcua.portal",
    "motcua.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "motcua.api.middleware.RejectNul",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Background work (Huey) -------------------------------------------------------------------
# SQLite storage under var/ by default; Redis when REDIS_URL is set (production, several workers).
REDIS_URL = os.environ.get("REDIS_URL", "")
HUEY: dict[str, Any] = {
    "name": os.environ.get("MOTCUA_QUEUE_NAME", "motcua"),
    "immediate": False,
    "consumer": {"workers": int(os.environ.get("MOTCUA_WORKER_THREADS", "2"))},
}
if REDIS_URL:
    HUEY |= {"huey_class": "huey.RedisHuey", "connection": {"url": REDIS_URL}}
else:
    HUEY |= {
        "huey_class": "huey.SqliteHuey",
        "connection": {"filename": str(VAR_DIR / "tasks.sqlite3")},
    }

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

# --- Security ---------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if env_flag("MOTCUA_HTTPS"):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
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
