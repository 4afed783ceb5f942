"""Settings fail closed, and `.env.example` documents every variable they read."""

from __future__ import annotations

import importlib
import os
import re
from pathlib import Path
from typing import Any

import pytest

from motcua.config import env

ROOT = Path(__file__).resolve().parents[4]


def _load_settings(monkeypatch: Any, **values: str) -> Any:
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    import motcua.config.settings as module

    return importlib.reload(module)


def _with_database_url(monkeypatch: Any, url: str) -> Any:
    """The settings read once with DATABASE_URL=url, then again with the suite's own."""
    own = os.environ.get("DATABASE_URL")
    try:
        module = _load_settings(monkeypatch, MOTCUA_DEBUG="1", DATABASE_URL=url)
    finally:
        if own is None:
            monkeypatch.delenv("DATABASE_URL")
        else:
            monkeypatch.setenv("DATABASE_URL", own)
    return module.DATABASES["default"]


def test_every_variable_read_is_documented_in_env_example(monkeypatch: Any) -> None:
    documented = set(re.findall(r"^([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.MULTILINE))
    env.READ.clear()
    _load_settings(monkeypatch, MOTCUA_DEBUG="1")
    _load_settings(monkeypatch, MOTCUA_DEBUG="1", MOTCUA_STORAGE="s3", MOTCUA_S3_BUCKET="b")
    monkeypatch.delenv("MOTCUA_STORAGE")
    _with_database_url(monkeypatch, "postgres://motcua@127.0.0.1:5432/motcua")
    _load_settings(monkeypatch, MOTCUA_DEBUG="1")
    assert env.READ - documented == set()
    assert documented - env.READ == set()


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"MOTCUA_DEBUG": "0", "MOTCUA_SECRET_KEY": ""}, "MOTCUA_SECRET_KEY must be set"),
        ({"MOTCUA_DEBUG": "perhaps"}, "MOTCUA_DEBUG must be true or false"),
        ({"MOTCUA_DEBUG": "1", "DATABASE_URL": "mysql://x@y/z"}, "SQLite or PostgreSQL"),
        ({"MOTCUA_DEBUG": "1", "MOTCUA_DB_CONN_MAX_AGE": "-3"}, "at least 0"),
        ({"MOTCUA_DEBUG": "1", "MOTCUA_STORAGE": "ftp"}, "MOTCUA_STORAGE must be one of"),
        ({"MOTCUA_DEBUG": "1", "MOTCUA_STORAGE": "s3", "MOTCUA_S3_BUCKET": ""}, "MOTCUA_S3_BUCKET"),
        ({"MOTCUA_DEBUG": "1", "MOTCUA_DEFAULT_CUTOFF": "25:99"}, "MOTCUA_DEFAULT_CUTOFF"),
        ({"MOTCUA_DEBUG": "1", "MOTCUA_FILE_SENDING": "lighttpd"}, "MOTCUA_FILE_SENDING must be one of"),
        ({"MOTCUA_DEBUG": "1", "MOTCUA_FILE_INTERNAL_URL": "protected"}, "MOTCUA_FILE_INTERNAL_URL"),
        ({"MOTCUA_DEBUG": "1", "MOTCUA_UPLOAD_MAX_BYTES": "0"}, "MOTCUA_UPLOAD_MAX_BYTES must be at least 1"),
        ({"MOTCUA_DEBUG": "1", "MOTCUA_DELIVERY_LEASE": "0"}, "MOTCUA_DELIVERY_LEASE"),
        ({"MOTCUA_DEBUG": "1", "MOTCUA_DELIVERY_READ_AHEAD": "0"}, "MOTCUA_DELIVERY_READ_AHEAD must be at least 1"),
    ],
)
def test_a_bad_value_stops_start_up_with_the_variable_named(
    monkeypatch: Any, values: dict[str, str], message: str
) -> None:
    with pytest.raises(env.ConfigError, match=message):
        _load_settings(monkeypatch, **values)
    for name in values:
        monkeypatch.delenv(name, raising=False)
    _load_settings(monkeypatch, MOTCUA_DEBUG="1")


def test_files_on_s3_are_private_and_signed_urls_short_lived(monkeypatch: Any) -> None:
    module = _load_settings(monkeypatch, MOTCUA_DEBUG="1", MOTCUA_STORAGE="s3", MOTCUA_S3_BUCKET="b")
    options = module.STORAGES["default"]["OPTIONS"]
    assert options["default_acl"] == "private"
    assert options["querystring_auth"] is True
    assert options["querystring_expire"] == 60
    monkeypatch.delenv("MOTCUA_STORAGE")
    local = _load_settings(monkeypatch, MOTCUA_DEBUG="1")
    assert local.STORAGES["default"]["BACKEND"] == "motcua.lib.files.PrivateFileSystemStorage"
    assert not hasattr(local, "MEDIA_URL")


def test_a_postgresql_connection_gives_up_after_the_connect_timeout(monkeypatch: Any) -> None:
    """A database host that drops packets must not hang a worker's start for minutes."""
    monkeypatch.delenv("MOTCUA_DB_CONNECT_TIMEOUT", raising=False)
    assert _with_database_url(monkeypatch, "postgres://m@db.example:5432/m")["OPTIONS"]["connect_timeout"] == 10
    monkeypatch.setenv("MOTCUA_DB_CONNECT_TIMEOUT", "3")
    assert _with_database_url(monkeypatch, "postgres://m@db.example:5432/m")["OPTIONS"]["connect_timeout"] == 3
    # The URL's own value wins.
    from_url = _with_database_url(monkeypatch, "postgres://m@db.example:5432/m?connect_timeout=7")
    assert str(from_url["OPTIONS"]["connect_timeout"]) == "7"
    # SQLite has no network to wait for.
    assert "connect_timeout" not in _with_database_url(monkeypatch, "sqlite:///:memory:")["OPTIONS"]
    monkeypatch.setenv("MOTCUA_DB_CONNECT_TIMEOUT", "0")
    with pytest.raises(env.ConfigError, match="MOTCUA_DB_CONNECT_TIMEOUT must be at least 1"):
        _with_database_url(monkeypatch, "postgres://m@db.example:5432/m")
    monkeypatch.delenv("MOTCUA_DB_CONNECT_TIMEOUT")
    _load_settings(monkeypatch, MOTCUA_DEBUG="1")
