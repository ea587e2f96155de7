"""Settings for Varde.

Defaults need nothing running: SQLite, the in-memory channel layer and the
database task backend. ``DATABASE_URL`` switches to PostgreSQL and
``REDIS_URL`` to the Redis channel layer.
"""

import os
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VARDE_VAR_DIR", BASE_DIR / "var"))

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-insecure-key-change-me-in-production")
DEBUG = os.environ.get("DJANGO_DEBUG", "1") == "1"
ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "guardian",
    "channels",
    "django_tasks",
    "django_tasks_db",
    "org",
    "cases",
    "forms",
    "incidents",
    "notifications",
    "documents",
    "amu",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "whistleblowing",
    "sickleave",
    "parking",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # A database outage answers 503 "try again in a moment" (varde/unavailable.py).
    "varde.unavailable.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "varde.middleware.NorwegianAcceptLanguageMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A signed-in person's pages are in their profile's language (org.Profile).
    "varde.middleware.ProfileLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# A large upload that cannot be spooled to a temporary file (disk full) is
# refused with the form kept, not a 500 (varde/uploads.py).
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "varde.uploads.SpoolingUploadHandler",
]

ROOT_URLCONF = "varde.urls"

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
                "notifications.context_processors.bell",
                "varde.context_processors.accessibility",
                "varde.context_processors.languages",
            ],
        },
    },
]

WSGI_APPLICATION = None
ASGI_APPLICATION = "varde.asgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
        # A connection cut while idle (database restart, pg_terminate_backend)
        # is noticed and replaced at the next request or job, without a restart.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several writers (web + worker) share one file: wait for the lock instead
    # of failing at once, and take the write lock at BEGIN so select_for_update
    # style sections serialise instead of deadlocking on lock upgrade.
    # WAL lets readers go on while a writer commits, and with synchronous=NORMAL
    # a commit no longer waits for fsync (durable at the next checkpoint; a
    # power cut may lose the last commits but never corrupts the file).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    # Tests use a file, not memory: the browser tests' live server runs in
    # another process (channels' ChannelsLiveServerTestCase) and must see it.
    DATABASES["default"]["TEST"] = {
        "NAME": os.path.join(tempfile.gettempdir(), f"varde-test-{os.getpid()}.sqlite3")
    }
else:
    # Named explicitly: channels' live server derives the name from TEST.NAME
    # and would otherwise prefix the already-prefixed name once more.
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL]},
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

TASKS = {
    "default": {
        "BACKEND": os.environ.get("VARDE_TASK_BACKEND", "cases.task_backend.DatabaseBackend"),
    }
}

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
ANONYMOUS_USER_NAME = None  # guardian: no anonymous user row

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "nb"
# språklova § 14: bokmål and nynorsk side by side. Each is shown in its own
# name in the switcher (varde/languages.py); the names here are translated.
LANGUAGES = [
    ("nb", _("Norwegian Bokmål")),
    ("nn", _("Norwegian Nynorsk")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Day-first dates in every language (varde/formats/en: not Django's American en;
# nb and nn use Django's own Norwegian formats, 04.03.2026 and 4. mars 2026).
FORMAT_MODULE_PATH = ["varde.formats"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

if not DEBUG:
    # Behind a TLS-terminating proxy (which also serves STATIC_ROOT).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_CONTENT_TYPE_NOSNIFF = True
    CSRF_TRUSTED_ORIGINS = [
        origin for origin in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if origin
    ]
# Reverse proxies whose X-Forwarded-For is believed (addresses or networks,
# comma-separated; empty: none, the socket's address is the client). Only the
# rate limiters read the client address (varde/client_address.py), in memory.
VARDE_TRUSTED_PROXIES = [
    entry for entry in os.environ.get("VARDE_TRUSTED_PROXIES", "").split(",") if entry.strip()
]
# The incident form's flood limits, "attempts/seconds" (defaults in
# incidents/ratelimit.py: 10 an hour per anonymous client, 30 per account).
for _name in ("VARDE_INCIDENT_RATE", "VARDE_INCIDENT_RATE_SIGNED_IN"):
    if os.environ.get(_name):
        try:
            _attempts, _seconds = (int(part) for part in os.environ[_name].split("/"))
        except ValueError as _exc:
            raise ImproperlyConfigured(f"{_name} must look like 10/3600 (attempts/seconds)") \
                from _exc
        globals()[_name] = (_attempts, _seconds)
# Error reports of anonymous routes carry no request headers (varde/anonymity.py).
DEFAULT_EXCEPTION_REPORTER_FILTER = "varde.anonymity.AnonymousRouteReporterFilter"
# A form refused by the CSRF check gets a Varde page, not Django's (varde/views.py).
CSRF_FAILURE_VIEW = "varde.views.csrf_failure"
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)

# Where the file-based e-mail backend writes (bench/chaos.py counts resends there).
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))

DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "varde@hms.example.no")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "0") == "1"

# Absolute links in e-mails.
VARDE_BASE_URL = os.environ.get("VARDE_BASE_URL", "http://127.0.0.1:8000")
# The institution's accessibility statement (on uustatus.no), linked from
# every page's footer. Empty: the footer links Varde's own page on what is
# tested and how to report a barrier. VARDE_ACCESSIBILITY_CONTACT (an e-mail
# address) is where that page asks people to report a barrier.
VARDE_ACCESSIBILITY_STATEMENT_URL = os.environ.get("VARDE_ACCESSIBILITY_STATEMENT_URL", "")
VARDE_ACCESSIBILITY_CONTACT = os.environ.get("VARDE_ACCESSIBILITY_CONTACT", "")
# Reminder this long before a task's due date.
VARDE_REMINDER_BEFORE = timedelta(days=int(os.environ.get("VARDE_REMINDER_DAYS", "2")))
# Which unit handles an HSE deviation: "place" (the unit chosen on the report
# form, where it happened) or "reporter" (the signed-in reporter's own primary
# unit, as the university's procedure says; an anonymous report keeps the form's).
VARDE_INCIDENT_UNIT_RULE = os.environ.get("VARDE_INCIDENT_UNIT_RULE", "place")

# Background jobs (cases/leases.py, manage.py jobs_worker): a worker beats every
# VARDE_JOB_HEARTBEAT; a RUNNING job whose worker has not beaten for
# VARDE_JOB_LEASE goes back to the queue. A job runs at most VARDE_JOB_MAX_TRIES
# times (a failure waits 30 s, 1, 2, 4 … minutes), then waits on the
# failed-jobs page.
VARDE_JOB_LEASE = timedelta(seconds=int(os.environ.get("VARDE_JOB_LEASE_SECONDS", "120")))
VARDE_JOB_HEARTBEAT = timedelta(seconds=int(os.environ.get("VARDE_JOB_HEARTBEAT_SECONDS", "10")))
VARDE_JOB_MAX_TRIES = int(os.environ.get("VARDE_JOB_MAX_TRIES", "5"))

# Whistleblowing channel (whistleblowing/conf.py has the other knobs): the
# receipt-lookup pepper and the optional committee-held break-glass public key
# come from the environment, never from the database.
VARDE_RECEIPT_PEPPER = os.environ.get("VARDE_RECEIPT_PEPPER", "")
VARDE_BREAKGLASS_PUBLIC_KEY = os.environ.get("VARDE_BREAKGLASS_PUBLIC_KEY", "")
VARDE_WHISTLEBLOWING_FILES = Path(
    os.environ.get("VARDE_WHISTLEBLOWING_FILES", VAR_DIR / "whistleblowing")
)
if REDIS_URL:
    # Shared by every process: the whistleblowing rate limits and reporter
    # sessions live in the cache, never in the database.
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                    "LOCATION": REDIS_URL}
    }

# Where the BPMN, DMN and form-schema files live (read by sync_workflows).
VARDE_WORKFLOW_DIR = Path(os.environ.get("VARDE_WORKFLOW_DIR", BASE_DIR / "workflows"))

# Records about anonymous routes never quote the client's headers
# (varde/anonymity.py); the same filter guards error e-mails to ADMINS.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "anonymous_routes": {"()": "varde.anonymity.AnonymousRouteLogFilter"},
        "layer_outage": {"()": "varde.layer_outage.LayerOutageLogFilter"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["anonymous_routes"]},
        "mail_admins": {
            "level": "ERROR",
            "filters": ["require_debug_false", "anonymous_routes"],
            "class": "django.utils.log.AdminEmailHandler",
        },
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "django": {"handlers": ["mail_admins"], "level": "INFO"},
        "varde": {"level": "INFO"},
        "cases": {"level": "INFO"},
        # Redis away: one line a minute, no traceback (varde/layer_outage.py).
        "channels_redis.pubsub": {"filters": ["layer_outage"]},
    },
}
