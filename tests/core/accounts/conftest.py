"""Sign-in tests: allauth's rate limits live in the cache, so each test starts with none used."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.cache import cache

#: Sign-in is wired by bastion.core.settings/urls (docs/sign-in.md); until then these tests wait.
needs_sign_in = pytest.mark.skipif(
    "allauth.mfa" not in settings.INSTALLED_APPS,
    reason="bastion.core.settings does not include bastion.core.accounts.auth_settings yet",
)


@pytest.fixture(autouse=True)
def _no_rate_limits_used() -> None:
    cache.clear()
