"""Full-text search index on PostgreSQL (SQLite searches with LIKE and needs none)."""

from django.db import migrations

from bastion.core.findings.selectors import SEARCH_DOCUMENT

CREATE = f"CREATE INDEX IF NOT EXISTS finding_search ON findings_finding USING gin (({SEARCH_DOCUMENT}))"
DROP = "DROP INDEX IF EXISTS finding_search"


def create_index(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_index(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("findings", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]
