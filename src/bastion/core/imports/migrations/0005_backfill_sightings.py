"""Record, for each finding already imported, the sighting of its last import.

Earlier imports left no trace but ``Finding.last_import_id``: that one import is all the
history there is. One INSERT ... SELECT (the same text on SQLite and PostgreSQL, where the
two columns share a type); a finding whose last import was deleted since gets none.
Reversed, it does nothing: dropping the table (0004, reversed) removes the rows.
"""

from django.db import migrations

BACKFILL = """
INSERT INTO imports_sighting (import_job_id, finding_id)
SELECT job.id, finding.id
FROM findings_finding finding
JOIN imports_importjob job ON job.id = finding.last_import_id
"""


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0004_sighting"),
    ]

    operations = [
        migrations.RunSQL(BACKFILL, reverse_sql=migrations.RunSQL.noop, elidable=True),
    ]
