"""How a webhook delivery is signed: HMAC-SHA256 of ``<timestamp>.<body>`` under the organisation's secret."""

from __future__ import annotations

import hashlib
import hmac
import time

MAX_CLOCK_SKEW_SECONDS = 300


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """Sign a delivery as a client must (used by tests and documented for CI scripts)."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def signer(secret: str, timestamp: str) -> hmac.HMAC:
    """Return the HMAC to feed the body into as it arrives (the timestamp already in)."""
    return hmac.new(secret.encode(), f"{timestamp}.".encode(), hashlib.sha256)


def is_signed_by(mac: hmac.HMAC, given: str) -> bool:
    """Tell whether the signature a client gave is the one computed, in constant time."""
    return hmac.compare_digest("sha256=" + mac.hexdigest(), given)


def is_fresh(timestamp: str) -> bool:
    """Tell whether a delivery's Unix timestamp is within MAX_CLOCK_SKEW_SECONDS of now."""
    return timestamp.isdigit() and abs(time.time() - int(timestamp)) <= MAX_CLOCK_SKEW_SECONDS
