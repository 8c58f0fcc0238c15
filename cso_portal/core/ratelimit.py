"""A fixed-window rate limit on the shared cache, for the portal's own forms (allauth has
its own for sign-in). It answers before any expensive or mail-sending work is done."""

from __future__ import annotations

import hashlib

from django.core.cache import cache


def hit(scope: str, key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one attempt for ``key`` in ``scope``; False once more than ``limit`` attempts
    fell in the current window. Keys are hashed: no address or IP lands in the cache key."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    cache_key = f"cso:rl:{scope}:{digest}"
    if cache.add(cache_key, 1, timeout=window_seconds):
        return True
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr: a new window
        cache.add(cache_key, 1, timeout=window_seconds)
        return True
    return count <= limit
