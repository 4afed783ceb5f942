"""A small per-process cache with expiry, for reference data read on every request
(agency lookups, calendars). Each process keeps its own copy for at most `seconds`; the
writing process clears it at once through `clear()`."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Hashable
from typing import Any, Generic, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

_ALL: list[TtlCache[Any, Any]] = []


class TtlCache(Generic[P, R]):
    def __init__(self, function: Callable[P, R], seconds: float) -> None:
        self._function = function
        self._seconds = seconds
        self._store: dict[Hashable, tuple[float, R]] = {}
        functools.update_wrapper(self, function)
        _ALL.append(self)

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        key = (args, tuple(sorted(kwargs.items())))
        now = time.monotonic()
        hit = self._store.get(key)
        if hit is not None and now - hit[0] < self._seconds:
            return hit[1]
        value = self._function(*args, **kwargs)
        self._store[key] = (now, value)
        return value

    def clear(self) -> None:
        self._store.clear()


def ttl_cache(seconds: float) -> Callable[[Callable[P, R]], TtlCache[P, R]]:
    def decorate(function: Callable[P, R]) -> TtlCache[P, R]:
        return TtlCache(function, seconds)

    return decorate


_OTHER_CACHES: list[Callable[[], None]] = []


def also_clear(clear: Callable[[], None]) -> None:
    """Have `clear_all` also empty a cache kept elsewhere (e.g. the calendars')."""
    _OTHER_CACHES.append(clear)


def clear_all() -> None:
    """Forget everything (tests, and after bulk changes to reference data)."""
    for cache in _ALL:
        cache.clear()
    for clear in _OTHER_CACHES:
        clear()
