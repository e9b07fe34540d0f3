"""Seal the webhook secrets stored in clear before sealing existed (core/sealed.py)."""

from typing import Any

from django.db import migrations

from bastion.core.sealed import is_sealed, seal


def seal_clear_secrets(apps: Any, schema_editor: Any) -> None:
    """Replace each clear secret by its sealed form: the secret itself is unchanged for CI."""
    webhook_secret = apps.get_model("imports", "WebhookSecret")
    for row in webhook_secret.objects.all():
        if not is_sealed(row.secret):
            row.secret = seal(row.secret)
            row.save(update_fields=["secret"])


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0005_backfill_sightings"),
    ]

    # Not reversible into clear text on purpose: going back leaves the secrets sealed.
    operations = [migrations.RunPython(seal_clear_secrets, migrations.RunPython.noop)]
