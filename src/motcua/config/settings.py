"""MotCua settings: one module, every value from the environment (see `.env.example`)."""

from __future__ import annotations

from datetime import time, timedelta
from pathlib import Path
from typing import Any, Literal, cast

import dj_database_url

from motcua.config.env import ConfigError, env_bool, env_choice, env_int, env_list, env_parsed, env_str

BASE_DIR = Path(__file__).resolve().parents[3]
DATA_DIR = Path(env_str("MOTCUA_DATA_DIR", str(BASE_DIR / "data")))

DEBUG = env_bool("MOTCUA_DEBUG", False)
#: The placeholder `.env.example` ships with: a copied example file must not become production.
PLACEHOLDER_SECRET_KEY = "change-me-to-a-long-random-string"  # noqa: S105 - refused below
_secret = env_str("MOTCUA_SECRET_KEY", "")
if not DEBUG and (not _secret or _secret == PLACEHOLDER_SECRET_KEY):
    raise ConfigError("MOTCUA_SECRET_KEY must be set to a long random value of your own when MOTCUA_DEBUG is off")
SECRET_KEY = _secret or "insecure-development-key-only-for-debug"
ALLOWED_HOSTS = env_list("MOTCUA_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("MOTCUA_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "motcua.background",
    "axes",
    "motcua.organizations",
    "motcua.people",
    "motcua.calendars",
    "motcua.catalog",
    "motcua.dossiers",
    "motcua.payments",
    "motcua.ratings",
    "motcua.documents",
    "motcua.indicators",
    "motcua.exchange",
    "motcua.portal",
    "motcua.demo",
    "motcua.api",
    "motcua.integrations",
]

# The motcua.config.middleware classes are described in docs/architecture.md ("Hardening").
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "motcua.config.middleware.RefuseMalformedRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    "motcua.config.middleware.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "motcua.config.middleware.OfficerIdleTimeoutMiddleware",
    "motcua.config.middleware.NoStoreMiddleware",
    "motcua.config.middleware.RateLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "motcua.config.urls"
WSGI_APPLICATION = "motcua.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "src" / "motcua" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "motcua.portal.context_processors.menu",
            ],
        },
    }
]

# Database: DATABASE_URL picks the engine (sqlite:///path or postgres://...).
_default_db = f"sqlite:///{DATA_DIR / 'motcua.sqlite3'}"
_db_url = env_str("DATABASE_URL", _default_db)
try:
    _db = dj_database_url.parse(_db_url, conn_max_age=env_int("MOTCUA_DB_CONN_MAX_AGE", 60, minimum=0))
except ValueError as exc:
    raise ConfigError(f"DATABASE_URL is not a database URL we understand: {exc}") from exc
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the worker writes; IMMEDIATE takes the write
    # lock at BEGIN so two writers queue instead of failing with "database is locked".
    _db["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
    _db["CONN_MAX_AGE"] = 0
    Path(_db["NAME"]).parent.mkdir(parents=True, exist_ok=True) if _db["NAME"] != ":memory:" else None
elif _db["ENGINE"] == "django.db.backends.postgresql":
    _db["ENGINE"] = "django.db.backends.postgresql"
    # A database host that drops packets must not hang a process for the operating system's
    # TCP timeout (minutes): a web worker reads the catalogue when it starts, and gunicorn
    # would kill and restart a worker stuck past its boot timeout, over and over. A
    # `connect_timeout` in DATABASE_URL's query wins.
    _db.setdefault("OPTIONS", {}).setdefault("connect_timeout", env_int("MOTCUA_DB_CONNECT_TIMEOUT", 10, minimum=1))
else:
    raise ConfigError(f"DATABASE_URL must point to SQLite or PostgreSQL, not {_db['ENGINE']}")
# Every process checks a kept connection before reusing it (once per request, or per worker
# loop): after a database failover or restart the dead connection is replaced, not used.
_db["CONN_HEALTH_CHECKS"] = env_bool("MOTCUA_DB_CONN_HEALTH_CHECKS", True)
_db["TEST"] = {"NAME": env_str("MOTCUA_TEST_DATABASE_NAME", "") or None}
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "motcua.people.passwords.PersonalIdPasswordValidator"},
]
LOGIN_URL = "login"

# Sign-in protection (django-axes): failed sign-ins are counted per account and, separately,
# per client address; at the limit, sign-in is refused for the cool-off period.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("MOTCUA_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("MOTCUA_LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "portal/locked_out.html"
AXES_VERBOSE = False
# Behind a TLS proxy, the number of proxies that append to X-Forwarded-For and set
# X-Forwarded-Proto (0: no proxy, the client address is REMOTE_ADDR).
PROXY_COUNT = env_int("MOTCUA_PROXY_COUNT", 0, minimum=0)
AXES_CLIENT_IP_CALLABLE = "motcua.config.middleware.client_ip"

# Sessions: officers and administrators are signed out after this many minutes without a
# request (motcua.config.middleware.OfficerIdleTimeoutMiddleware); citizens keep Django's
# default session age.
OFFICER_IDLE_TIMEOUT = timedelta(minutes=env_int("MOTCUA_OFFICER_IDLE_MINUTES", 30, minimum=1))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "src" / "motcua" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
# Citizens' files have no public URL: MEDIA_ROOT is served by no configuration of MotCua, only
# by the views that check the requester first (motcua.lib.files.send_file).
MEDIA_ROOT = Path(env_str("MOTCUA_MEDIA_ROOT", str(DATA_DIR / "media")))

_storage = env_choice("MOTCUA_STORAGE", "local", {"local", "s3"})
if _storage == "s3":
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("MOTCUA_S3_BUCKET", ""),
            "endpoint_url": env_str("MOTCUA_S3_ENDPOINT_URL", "") or None,
            "access_key": env_str("MOTCUA_S3_ACCESS_KEY", ""),
            "secret_key": env_str("MOTCUA_S3_SECRET_KEY", ""),
            # Private objects: readable only with a signed URL, which MotCua gives only after
            # the visibility check, valid MOTCUA_FILE_URL_EXPIRE seconds.
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": env_int("MOTCUA_FILE_URL_EXPIRE", 60, minimum=1),
            "file_overwrite": False,
        },
    }
    if not _default_storage["OPTIONS"]["bucket_name"]:  # type: ignore[index]
        raise ConfigError("MOTCUA_S3_BUCKET must be set when MOTCUA_STORAGE=s3")
else:
    _default_storage = {"BACKEND": "motcua.lib.files.PrivateFileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Background work: tasks are rows in the same database, written in the same transaction
# as the change that caused them (django-tasks-db); `manage.py run_worker` runs them.
TASKS = {
    "default": {
        "BACKEND": env_choice(
            "MOTCUA_TASK_BACKEND",
            "django_tasks_db.DatabaseBackend",
            {"django_tasks_db.DatabaseBackend", "django_tasks.backends.immediate.ImmediateBackend"},
        ),
        "QUEUES": ["default", "notifications", "sync"],
    }
}
# `manage.py run_worker` (motcua.background): seconds between heartbeats, seconds after which a
# silent worker is dead and its running tasks are taken back, runs a task may have (2: one retry).
_BACKGROUND = {
    "HEARTBEAT": float(env_int("MOTCUA_WORKER_HEARTBEAT", 10, minimum=1)),
    "STALE_AFTER": float(env_int("MOTCUA_WORKER_STALE_AFTER", 60, minimum=2)),
    "MAX_ATTEMPTS": env_int("MOTCUA_TASK_MAX_ATTEMPTS", 2, minimum=1),
    # Seconds between two passes of each worker's indicator catch-up over the event log
    # (motcua.indicators.tasks): how far behind a change the dashboards may be.
    "INDICATORS_CATCH_UP_EVERY": float(env_int("MOTCUA_INDICATORS_CATCH_UP_EVERY", 2, minimum=1)),
}


def _internal_url(value: str) -> str:
    if not (value.startswith("/") and value.endswith("/")):
        raise ValueError(f"an internal location starts and ends with '/', not {value!r}")
    return value


# The National Public Service Portal's integration adapter (docs/integrations.md); read by
# motcua/integrations/national_portal/conf.py. An empty URL: not connected.
NATIONAL_PORTAL: dict[str, Any] = {
    "URL": env_str("MOTCUA_NATIONAL_PORTAL_URL", "").rstrip("/"),
    "USERNAME": env_str("MOTCUA_NATIONAL_PORTAL_USERNAME", ""),
    "PASSWORD": env_str("MOTCUA_NATIONAL_PORTAL_PASSWORD", ""),
    "UNIT_CODE": env_str("MOTCUA_NATIONAL_PORTAL_UNIT_CODE", ""),
    "DSTCODE": env_str("MOTCUA_NATIONAL_PORTAL_DSTCODE", ""),
    "AUTH_PATH": env_str("MOTCUA_NATIONAL_PORTAL_AUTH_PATH", "/login"),
    "INTEGRATION_PATH": env_str("MOTCUA_NATIONAL_PORTAL_INTEGRATION_PATH", "/integration"),
    "TIMEOUT": env_parsed("MOTCUA_NATIONAL_PORTAL_TIMEOUT", 6.0, float),
    "MAX_ATTEMPTS": env_int("MOTCUA_NATIONAL_PORTAL_MAX_ATTEMPTS", 8, minimum=1),
    "BACKOFF_BASE": env_parsed("MOTCUA_NATIONAL_PORTAL_BACKOFF_BASE", 30.0, float),
    "BACKOFF_CAP": env_parsed("MOTCUA_NATIONAL_PORTAL_BACKOFF_CAP", 3600.0, float),
    "SESSION_EXPIRED_CODES": env_list("MOTCUA_NATIONAL_PORTAL_SESSION_EXPIRED_CODES", ["401", "-401"]),
    "EXISTS_CODES": env_list("MOTCUA_NATIONAL_PORTAL_EXISTS_CODES", ["3", "-3"]),
    "PULL": env_bool("MOTCUA_NATIONAL_PORTAL_PULL", False),
    "PULL_SERVICE": env_str("MOTCUA_NATIONAL_PORTAL_PULL_SERVICE", "LayDanhSachHoSoTrucTuyen"),
    "PULL_REQUESTS_SERVICE": env_str("MOTCUA_NATIONAL_PORTAL_PULL_REQUESTS_SERVICE", "LayDanhSachYeuCauHoSo"),
    "FILE_URL_PREFIXES": env_list("MOTCUA_NATIONAL_PORTAL_FILE_URL_PREFIXES", []),
}


def _seconds(value: str) -> float:
    number = float(value)
    if not number > 0:
        raise ValueError(f"a number of seconds above 0 is needed, not {value!r}")
    return number


# The delivery passes to the connected systems (docs/architecture.md, "The integration
# backbone"); read by motcua/integrations/conf.py.
DELIVERY: dict[str, Any] = {
    # Messages one pass of a consumer sends at most (also the events it derives at most); the
    # workers' pass and `run_connectors` (whose --batch overrides it).
    "BATCH": env_int("MOTCUA_DELIVERY_BATCH", 100, minimum=1),
    # Seconds during which a workers' pass starts sends (a send under way finishes).
    "BUDGET": env_parsed("MOTCUA_DELIVERY_BUDGET", 3.0, _seconds),
    # Seconds a consumer stays leased to a worker without news: well above the longest send.
    "LEASE": env_parsed("MOTCUA_DELIVERY_LEASE", 120.0, _seconds),
    # Due messages read per query, with their dossiers and events (memory is bounded by it).
    "READ_AHEAD": env_int("MOTCUA_DELIVERY_READ_AHEAD", 200, minimum=1),
    # Event ids below a consumer's cursor re-read on every pass (events committed late).
    "LOOKBACK_IDS": env_int("MOTCUA_DELIVERY_LOOKBACK_IDS", 1000, minimum=0),
    # Seconds between two checks of each worker for a pass to enqueue.
    "ENQUEUE_EVERY": env_parsed("MOTCUA_DELIVERY_ENQUEUE_EVERY", 1.0, _seconds),
    # Hours the results of successful workers' passes are kept.
    "RESULTS_KEPT_HOURS": env_parsed("MOTCUA_DELIVERY_RESULTS_KEPT_HOURS", 1.0, _seconds),
}
# An online dossier waiting longer than this for reception (working hours of the receiving
# agency's calendar) is flagged in the officers' queue and on its page (no legal text fixes it).
RECEPTION_WAIT_LIMIT_WORKING_HOURS: int = env_int("MOTCUA_RECEPTION_WAIT_LIMIT_WORKING_HOURS", 8, minimum=1)

# Supplements asked during processing (docs/legal-basis.md#supplements-during-processing).
# Đồng Tháp Decision 138/2025/QĐ-UBND Art. 3.4.a (under Decree 118/2025/NĐ-CP): the competent
# agency asks within 2 working days after the dossier reached it, and the one-stop unit
# notifies the applicant within 1 more; provinces set their own, hence settings.
SUPPLEMENT_REQUEST_WORKING_DAYS: int = env_int("MOTCUA_SUPPLEMENT_REQUEST_WORKING_DAYS", 2, minimum=1)
SUPPLEMENT_NOTICE_WORKING_DAYS: int = env_int("MOTCUA_SUPPLEMENT_NOTICE_WORKING_DAYS", 1, minimum=0)
# Requests over a dossier's life: the first, and one more when the supplement handed in does
# not complete it (counted late for indicator 2.1, Decision 766/QĐ-TTg).
SUPPLEMENT_MAX_REQUESTS: int = env_int("MOTCUA_SUPPLEMENT_MAX_REQUESTS", 2, minimum=1)
# After an accepted supplement: "pause" (the due instant moves later by the applicant's wait,
# the national portal's reading under Decision 766) or "restart" (the whole time limit
# counts again from the acceptance, as some procedures' own texts say).
SUPPLEMENT_CLOCK: Literal["pause", "restart"] = cast(
    Literal["pause", "restart"], env_choice("MOTCUA_SUPPLEMENT_CLOCK", "pause", {"pause", "restart"})
)

# Domain settings.
MOTCUA: dict[str, Any] = {
    # Decree 63/2024 Art. 7.2 uses 15:00; procedures may override it.
    "DEFAULT_CUTOFF": env_parsed("MOTCUA_DEFAULT_CUTOFF", "15:00", lambda v: time.fromisoformat(v).strftime("%H:%M")),
    "PROVINCE_CODE": env_str("MOTCUA_PROVINCE_CODE", ""),
    # 24/11 Vietnam Cultural Day as a day off (Resolution 80-NQ/TW; docs/legal-basis.md).
    "CULTURAL_DAY_OFF": env_bool("MOTCUA_CULTURAL_DAY_OFF", True),
    # The last year whose days off the government has announced; later years are provisional.
    "CALENDAR_ANNOUNCED_THROUGH": env_int("MOTCUA_CALENDAR_ANNOUNCED_THROUGH", 2026, minimum=2000),
    # Base of the public tracking links printed in QR codes.
    "PUBLIC_BASE_URL": env_str("MOTCUA_PUBLIC_BASE_URL", "http://127.0.0.1:8000"),
    # PDF signing provider; "simulator" is a self-signed certificate, not a recognised signature.
    "SIGNING_PROVIDER": env_choice("MOTCUA_SIGNING_PROVIDER", "simulator", {"simulator"}),
    "PAGE_SIZE_MAX": 200,
    # Uploaded papers (motcua.lib.uploads): limits checked on the bytes at every entry point.
    "UPLOAD_MAX_BYTES": env_int("MOTCUA_UPLOAD_MAX_BYTES", 10 * 1024 * 1024, minimum=1),
    "UPLOAD_MAX_PAGES": env_int("MOTCUA_UPLOAD_MAX_PAGES", 200, minimum=1),
    "UPLOAD_MAX_PIXELS": env_int("MOTCUA_UPLOAD_MAX_PIXELS", 50_000_000, minimum=1),
    # How a checked file is sent: by Django, or handed to nginx (X-Accel-Redirect to the
    # internal location FILE_INTERNAL_URL) or Apache (X-Sendfile). See README "Production".
    "FILE_SENDING": env_choice("MOTCUA_FILE_SENDING", "django", {"django", "nginx", "apache"}),
    "FILE_INTERNAL_URL": env_parsed("MOTCUA_FILE_INTERNAL_URL", "/_protected/", _internal_url),
    "FILE_URL_EXPIRE": env_int("MOTCUA_FILE_URL_EXPIRE", 60, minimum=1),
    # Key of the dossier history's hash chain (dossiers/chain.py). Without it, one derived from
    # the secret key; set it apart in production so rotating the secret key keeps chains valid.
    "EVENT_CHAIN_KEY": env_str("MOTCUA_EVENT_CHAIN_KEY", "") or f"event-chain:{SECRET_KEY}",
    # A chain anchor is taken after this many new events (the worker checks every minute).
    "EVENT_ANCHOR_EVERY": env_int("MOTCUA_EVENT_ANCHOR_EVERY", 1000, minimum=1),
    "BACKGROUND": _BACKGROUND,
    # PostgreSQL: a transition's statement (dossiers/writes.py) is prepared on the server once
    # a connection has sent it PREPARE_AFTER times, so it is no longer parsed and planned on
    # every transition. Switch off behind a connection pooler in transaction mode that does
    # not keep prepared statements (PgBouncer before 1.21).
    "DB_PREPARED_WRITES": env_bool("MOTCUA_DB_PREPARED_WRITES", True),
}

# Cache: rate-limit counters live here, so production with several processes needs a
# shared one ("database": run `manage.py createcachetable` once). "local" counts per process
# and suits the embedded single-process set-up.
_cache = env_choice("MOTCUA_CACHE", "local", {"local", "database"})
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "motcua"}
    if _cache == "local"
    else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "motcua_cache"}
}

# Abuse limits: requests per minute and per client address on the public endpoints
# (motcua.config.middleware.RateLimitMiddleware), and per citizen per day.
RATE_LIMITS: dict[str, int] = {
    "tracking": env_int("MOTCUA_RATE_TRACKING_PER_MINUTE", 30, minimum=1),
    "search": env_int("MOTCUA_RATE_SEARCH_PER_MINUTE", 60, minimum=1),
    "eform": env_int("MOTCUA_RATE_EFORM_PER_MINUTE", 60, minimum=1),
    "feedback": env_int("MOTCUA_RATE_FEEDBACK_PER_MINUTE", 20, minimum=1),
}
# Abuse limits per citizen: drafts open at once, online submissions a day, e-form size,
# feedback (PAKN) a day from one person, phone or e-mail.
CITIZEN_LIMITS: dict[str, int] = {
    "MAX_OPEN_DRAFTS": env_int("MOTCUA_MAX_OPEN_DRAFTS", 10, minimum=1),
    "MAX_SUBMISSIONS_PER_DAY": env_int("MOTCUA_MAX_SUBMISSIONS_PER_DAY", 20, minimum=1),
    "EFORM_MAX_BYTES": env_int("MOTCUA_EFORM_MAX_BYTES", 64 * 1024, minimum=1024),
    "MAX_FEEDBACK_PER_DAY": env_int("MOTCUA_MAX_FEEDBACK_PER_DAY", 5, minimum=1),
}

SECURE_SSL_REDIRECT = env_bool("MOTCUA_SSL_REDIRECT", not DEBUG)
# The TLS proxy in front of MotCua sets X-Forwarded-Proto; only trusted when it says so.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PROXY_COUNT else None
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("MOTCUA_HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Not preloaded: the preload list takes whole registrable domains, and a province's site is
# usually one sub-domain of the provincial portal; the check asking for it is silenced.
SECURE_HSTS_PRELOAD = False
SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = env_bool("MOTCUA_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=(), browsing-topics=()"
)

# Content-Security-Policy (django-csp): scripts and styles only from our own static files,
# nothing inline. The API documentation page adds what Swagger UI needs (motcua.config.urls).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("MOTCUA_LOG_LEVEL", "INFO")},
    # django-axes logs every sign-in at INFO; lockouts (WARNING) are what matters.
    # WeasyPrint logs each step of every PDF (and of its own start-up) at INFO.
    "loggers": {"axes": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}},
}
