"""Fixtures for the dossier tests."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Every test builds the personas of `testing.world` (eleven users); with the production
    PBKDF2 hasher that alone takes seconds per test. The hasher plays no part in these rules."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
