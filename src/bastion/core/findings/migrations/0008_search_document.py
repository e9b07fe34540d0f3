"""Full-text search through a stored ``tsvector`` column on PostgreSQL, computed once as a row is written.

The expression index of 0002 let PostgreSQL find matching rows, but every query that
filtered rows another way first (an organisation's findings, worst first) computed
``to_tsvector`` again for each row it looked at. The column holds it; a GIN index on it
serves the search. SQLite searches with LIKE and needs neither.
"""

from django.db import migrations

# As written when this migration was made (a migration does not follow later code).
DOCUMENT = "to_tsvector('english', coalesce(title, '') || ' ' || coalesce(description, ''))"
ADD = (
    f"ALTER TABLE findings_finding ADD COLUMN IF NOT EXISTS search_document tsvector GENERATED ALWAYS AS ({DOCUMENT}) STORED",
    "CREATE INDEX IF NOT EXISTS finding_search_document ON findings_finding USING gin (search_document)",
    "DROP INDEX IF EXISTS finding_search",
)
REMOVE = (
    f"CREATE INDEX IF NOT EXISTS finding_search ON findings_finding USING gin (({DOCUMENT}))",
    "DROP INDEX IF EXISTS finding_search_document",
    "ALTER TABLE findings_finding DROP COLUMN IF EXISTS search_document",
)


def add_column(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        for statement in ADD:
            schema_editor.execute(statement)


def remove_column(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        for statement in REMOVE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("findings", "0007_fk_indexes_covered")]

    operations = [migrations.RunPython(add_column, remove_column)]
