"""Fixed-window rate limits on the shared cache: Redis when configured, in-process otherwise.

Every rate-limited call is a write (an import, a chat message, an analysis), so when the
cache does not answer the limit fails closed: 503 with ``Retry-After``, nothing done.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from fastapi import HTTPException, status
from redis import RedisError

from bastion.servicekit.orm import run_orm

logger = logging.getLogger(__name__)

#: How long a client is asked to wait when the cache that counts calls does not answer.
UNAVAILABLE_RETRY_SECONDS = 30


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
        """Answer 429 with Retry-After when the key is over its limit, 503 when it cannot be counted."""
        try:
            wait = await run_orm(self._hit, key)
        except (RedisError, OSError) as error:
            logger.warning("rate limit on %s not counted: the cache does not answer (%s)", self.scope, error)
            raise HTTPException(
                status.HTTP_503_SERVICE_UNAVAILABLE,
                detail=(
                    f"{self.scope} are paused: the rate-limit store (Redis) does not answer; "
                    f"retry in {UNAVAILABLE_RETRY_SECONDS} s"
                ),
                headers={"Retry-After": str(UNAVAILABLE_RETRY_SECONDS)},
            ) from error
        if wait is not None:
            raise HTTPException(
                status.HTTP_429_TOO_MANY_REQUESTS,
                detail=(
                    f"rate limit: at most {self.count} {self.scope} per {self.seconds} s; retry in {wait} s"
                ),
                headers={"Retry-After": str(wait)},
            )
