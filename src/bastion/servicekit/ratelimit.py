"""Fixed-window rate limits on the shared cache: Redis when configured, in-process otherwise."""

from __future__ import annotations

import time
from dataclasses import dataclass

from fastapi import HTTPException, status

from bastion.servicekit.orm import run_orm


@dataclass(frozen=True)
class RateLimit:
    """At most ``count`` calls per ``seconds`` for one key (a user, an organisation...)."""

    scope: str
    count: int
    seconds: int

    def _hit(self, key: str) -> int | None:
        """Count one call; return the seconds to wait when over the limit, else None."""
        from django.core.cache import cache

        window = int(time.time()) // self.seconds
        cache_key = f"ratelimit:{self.scope.replace(' ', '-')}:{key}:{window}"
        cache.add(cache_key, 0, timeout=self.seconds + 1)
        if cache.incr(cache_key) <= self.count:
            return None
        return self.seconds - int(time.time()) % self.seconds

    async def check(self, key: str) -> None:
        """Answer 429 with Retry-After when the key is over its limit."""
        wait = await run_orm(self._hit, key)
        if wait is not None:
            raise HTTPException(
                status.HTTP_429_TOO_MANY_REQUESTS,
                detail=(
                    f"rate limit: at most {self.count} {self.scope} per {self.seconds} s; retry in {wait} s"
                ),
                headers={"Retry-After": str(wait)},
            )
