"""Deployment checks of MotCua's own (`manage.py check --deploy`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def rate_limit_cache_is_shared(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """Rate limits counted per process let each worker process grant the full allowance."""
    backend = settings.CACHES["default"]["BACKEND"]
    if backend.endswith("LocMemCache"):
        return [
            Warning(
                "The cache is local to each process, so rate limits and their counters are not "
                "shared between web processes.",
                hint="Set MOTCUA_CACHE=database and run `manage.py createcachetable`.",
                id="motcua.W001",
            )
        ]
    return []
