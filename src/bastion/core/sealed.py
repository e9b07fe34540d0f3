"""Secrets Bastion must read back (webhook secrets sign with the value itself) kept sealed at rest.

A sealed value is ``sealed:v1:`` and the URL-safe base64 of a 12-byte nonce followed by the
AES-256-GCM ciphertext and tag of the secret, under a key derived (HKDF-SHA256) from Django's
SECRET_KEY; the keys of SECRET_KEY_FALLBACKS still open what they sealed, so the key can be
rotated. A database dump alone reveals no secret. Digests (API tokens) stay digests: this is
only for values that must be used, not just compared.
"""

from __future__ import annotations

import base64
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

PREFIX = "sealed:v1:"
NONCE_BYTES = 12
TAG_BYTES = 16
CONTEXT = b"bastion sealed secrets v1"


class SealBroken(Exception):  # noqa: N818 - what happened, as a noun
    """A sealed value that no configured key opens (SECRET_KEY changed without a fallback)."""


def _key(secret_key: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=CONTEXT).derive(secret_key.encode())


def seal(secret: str) -> str:
    """Return the sealed form of ``secret`` to store."""
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(_key(settings.SECRET_KEY)).encrypt(nonce, secret.encode(), CONTEXT)
    return PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode()


def is_sealed(value: str) -> bool:
    """Tell whether a stored value is sealed (rows written before sealing hold the clear value)."""
    return value.startswith(PREFIX)


def unseal(value: str) -> str:
    """Return the secret a sealed value holds; raise SealBroken when no configured key opens it."""
    try:
        raw = base64.urlsafe_b64decode(value.removeprefix(PREFIX).encode())
    except ValueError as error:
        raise SealBroken("the sealed value is not valid base64") from error
    if len(raw) < NONCE_BYTES + TAG_BYTES:
        raise SealBroken("the sealed value is too short")
    nonce, sealed = raw[:NONCE_BYTES], raw[NONCE_BYTES:]
    for secret_key in (settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])):
        try:
            return AESGCM(_key(secret_key)).decrypt(nonce, sealed, CONTEXT).decode()
        except InvalidTag:
            continue
    raise SealBroken("no configured SECRET_KEY opens this sealed value")
