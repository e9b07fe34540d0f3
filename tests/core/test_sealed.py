"""Secrets kept sealed at rest: only the configured keys open them; a rotated key still does."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.apps import apps as django_apps

from bastion.core.imports.models import WebhookSecret
from bastion.core.sealed import PREFIX, SealBroken, is_sealed, seal, unseal
from tests import factories

migration = importlib.import_module("bastion.core.imports.migrations.0006_seal_webhook_secrets")

SECRET = "Zk3-webhook-secret-of-forty-three-characters"


def test_a_sealed_secret_opens_to_itself_and_holds_no_clear_text() -> None:
    sealed = seal(SECRET)

    assert sealed.startswith(PREFIX)
    assert SECRET not in sealed
    assert is_sealed(sealed)
    assert unseal(sealed) == SECRET
    assert len(sealed) <= 128  # the column webhook secrets are kept in


def test_the_same_secret_seals_differently_each_time() -> None:
    assert seal(SECRET) != seal(SECRET)


def test_a_previous_key_in_the_fallbacks_still_opens_what_it_sealed(settings: Any) -> None:
    settings.SECRET_KEY = "the old key " * 4
    sealed = seal(SECRET)

    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "the new key " * 4, ["the old key " * 4]

    assert unseal(sealed) == SECRET


def test_another_key_does_not_open_it(settings: Any) -> None:
    sealed = seal(SECRET)
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "somebody else's key " * 3, []

    with pytest.raises(SealBroken, match="no configured SECRET_KEY opens this sealed value"):
        unseal(sealed)


@pytest.mark.parametrize("value", [PREFIX + "!!!not base64", PREFIX + "c2hvcnQ=", seal(SECRET)[:-4] + "AAAA"])
def test_a_damaged_value_is_refused(value: str) -> None:
    with pytest.raises(SealBroken):
        unseal(value)


@pytest.mark.django_db
def test_the_migration_seals_clear_secrets_once() -> None:
    # given: a secret stored in clear before sealing existed, and one sealed since
    clear = WebhookSecret.objects.create(organization=factories.organization("acme"), secret=SECRET)
    already = WebhookSecret.objects.create(
        organization=factories.organization("globex"), secret=seal("other")
    )
    # when: the migration runs (twice: a second run changes nothing)
    migration.seal_clear_secrets(django_apps, None)
    migration.seal_clear_secrets(django_apps, None)
    # then
    clear.refresh_from_db()
    already.refresh_from_db()
    assert is_sealed(clear.secret)
    assert unseal(clear.secret) == SECRET
    assert unseal(already.secret) == "other"
