"""The stored search document weighs a title's words above the description's (PostgreSQL).

A search lists the best matches first (``ts_rank``); a word of the title is weight A, of
the description weight B. A generated column's expression cannot change in place before
PostgreSQL 17: the column and its GIN index are made again.
"""

from django.db import migrations

# As written when this migration was made (a migration does not follow later code).
PLAIN = "to_tsvector('english', coalesce(title, '') || ' ' || coalesce(description, ''))"
WEIGHTED = (
    "setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('english', coalesce(description, '')), 'B')"
)


def _document(schema_editor, expression: str) -> None:  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in (
        "DROP INDEX IF EXISTS finding_search_document",
        "ALTER TABLE findings_finding DROP COLUMN IF EXISTS search_document",
        f"ALTER TABLE findings_finding ADD COLUMN search_document tsvector GENERATED ALWAYS AS ({expression}) STORED",
        "CREATE INDEX finding_search_document ON findings_finding USING gin (search_document)",
    ):
        schema_editor.execute(statement)


def weighted(apps, schema_editor):  # type: ignore[no-untyped-def]
    _document(schema_editor, WEIGHTED)


def plain(apps, schema_editor):  # type: ignore[no-untyped-def]
    _document(schema_editor, PLAIN)


class Migration(migrations.Migration):
    dependencies = [("findings", "0009_list_order_indexes")]

    operations = [migrations.RunPython(weighted, plain)]
