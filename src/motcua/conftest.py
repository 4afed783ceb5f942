"""Fixtures shared by every app's tests."""

from __future__ import annotations

from typing import Any

import pytest

from motcua.calendars.services import clear_cache


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    # Real hashing is slow on purpose; tests create many users and check no password strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_calendar_cache() -> Any:
    from motcua.lib.cache import clear_all

    clear_cache()
    clear_all()
    yield
    clear_cache()
    clear_all()


@pytest.fixture(autouse=True)
def _private_media_root(settings: Any, tmp_path: Any) -> Any:
    """Stored papers go to a folder of the test, never to the project's ./data/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Any:
    # Rate-limit counters live in the cache; each test starts with none spent.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db: Any) -> Any:
    from motcua.testing.world import build_world

    return build_world()


@pytest.fixture
def on_postgres() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"
