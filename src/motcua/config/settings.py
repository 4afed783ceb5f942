"""MotCua settings: one module, every value from the environment (see `.env.example`)."""

from __future__ import annotations

from datetime import time
from pathlib import Path
from typing import Any

import dj_database_url

from motcua.config.env import ConfigError, env_bool, env_choice, env_int, env_list, env_parsed, env_str

BASE_DIR = Path(__file__).resolve().parents[3]
DATA_DIR = Path(env_str("MOTCUA_DATA_DIR", str(BASE_DIR / "data")))

DEBUG = env_bool("MOTCUA_DEBUG", False)
_secret = env_str("MOTCUA_SECRET_KEY", "")
if not _secret:
    if not DEBUG:
        raise ConfigError("MOTCUA_SECRET_KEY must be set when MOTCUA_DEBUG is off")
    _secret = "insecure-development-key-only-for-debug"  # noqa: S105 - refused above unless DEBUG
SECRET_KEY = _secret
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

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
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
else:
    raise ConfigError(f"DATABASE_URL must point to SQLite or PostgreSQL, not {_db['ENGINE']}")
_db["TEST"] = {"NAME": env_str("MOTCUA_TEST_DATABASE_NAME", "") or None}
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "src" / "motcua" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "media/"
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
            "default_acl": None,
            "querystring_auth": True,
        },
    }
    if not _default_storage["OPTIONS"]["bucket_name"]:  # type: ignore[index]
        raise ConfigError("MOTCUA_S3_BUCKET must be set when MOTCUA_STORAGE=s3")
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Background work: tasks are rows in the same database, written in the same transaction
# as the change that caused them (django-tasks-db); `manage.py db_worker` runs them.
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
}
# An online dossier waiting longer than this (working hours) for reception is flagged.
ONLINE_RECEPTION_LIMIT_HOURS = env_int("MOTCUA_ONLINE_RECEPTION_LIMIT_HOURS", 8, minimum=1)

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
}

SESSION_COOKIE_SECURE = env_bool("MOTCUA_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("MOTCUA_LOG_LEVEL", "INFO")},
}
