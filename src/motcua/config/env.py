"""Typed readers for environment variables.

Settings fail closed (docs/architecture.md, "Configuration"): a malformed value stops
start-up with a message naming the variable, instead of silently falling back.
Every variable read here is documented in `.env.example`; a test checks that.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}

#: Every variable read through this module, so a test can compare with `.env.example`.
READ: set[str] = set()


class ConfigError(RuntimeError):
    """Raised when an environment variable has a value MotCua cannot use."""


def _raw(name: str) -> str | None:
    READ.add(name)
    return os.environ.get(name)


def env_str(name: str, default: str) -> str:
    value = _raw(name)
    return default if value is None else value


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ConfigError(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = _raw(name)
    if value is None or value.strip() == "":
        return default
    try:
        number = int(value)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, not {value!r}") from exc
    if minimum is not None and number < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, not {number}")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = _raw(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_choice(name: str, default: str, choices: set[str]) -> str:
    value = env_str(name, default)
    if value not in choices:
        raise ConfigError(f"{name} must be one of {sorted(choices)}, not {value!r}")
    return value


def env_parsed(name: str, default: T, parse: Callable[[str], T]) -> T:
    value = _raw(name)
    if value is None or value.strip() == "":
        return default
    try:
        return parse(value)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{name}: {exc}") from exc
