"""Commit a report's normalized findings to one asset, set-based and atomically.

The findings are streamed into temporary staging tables (COPY on PostgreSQL,
batched inserts on SQLite), then merged with a handful of statements:

1. staged rows are deduplicated by fingerprint (the last occurrence wins);
2. resolved findings seen again are reopened, with a recorded transition;
3. findings whose content changed are updated, the rest only marked as seen;
4. new fingerprints are inserted, with their SLA due dates, ids and tags;
5. every finding the report contains, new or matched, records a sighting of the import;
6. a full import resolves the active findings of the report's tools that it no
   longer contains; false positives and accepted risks keep their status.

Everything happens in the caller's transaction: a failure anywhere, a malformed
record included, leaves nothing behind, and running the same import again after
a crash produces exactly the same result.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import Any

import orjson
from django.db import connection
from django.db.backends.utils import CursorWrapper
from pydantic import ConfigDict, Field

from bastion.contracts.finding import NormalizedFinding, Severity
from bastion.contracts.imports import COUNT_NAMES, ImportCounts
from bastion.core.assets.models import Asset, Tag
from bastion.core.findings import selectors as finding_selectors
from bastion.core.findings.choices import ACTIVE_STATUSES, Status
from bastion.core.findings.models import Finding

SQLITE_BATCH = 2_000
ACTIVE = tuple(status.value for status in ACTIVE_STATUSES)

# Staged columns in the order they are written; each maps to the finding column of the same name.
CONTENT_COLUMNS = (
    "title", "description", "severity", "severity_rank", "cvss_v3_vector", "cvss_v3_score",
    "cvss_v4_vector", "cvss_v4_score", "tool", "rule_id", "file_path", "line_start", "line_end",
    "url", "parameter", "host", "port", "protocol", "package", "package_version", "fixed_version",
    "component", "evidence", "remediation", "references",
)  # fmt: skip
STAGED_COLUMNS = ("ordinal", "fingerprint", "content_hash", *CONTENT_COLUMNS)
TEXT_LIMITS = {
    f.name: f.max_length
    for f in Finding._meta.concrete_fields
    if f.name in STAGED_COLUMNS and getattr(f, "max_length", None)
}
# Each content column's length limit (None: text without one, or not text), in CONTENT_COLUMNS order.
_LIMITS = tuple(TEXT_LIMITS.get(name) for name in CONTENT_COLUMNS)
_RANKS = {severity: severity.rank for severity in Severity}
ADVISORY_LIMIT = 100
TRANSITION_COLUMNS = "finding_id, actor_id, at, from_status, to_status, reason"


class CommitCounts(ImportCounts):
    """What an import did, tallied as the commit runs: the counts, the tools, the findings it moved."""

    model_config = ConfigDict(frozen=False)

    tools: set[str] = Field(default_factory=set)
    reopened_ids: list[int] = Field(default_factory=list)
    resolved_ids: list[int] = Field(default_factory=list)

    @classmethod
    def zero(cls) -> CommitCounts:
        """Return the tally of a commit that has not started."""
        return cls.model_validate(dict.fromkeys(COUNT_NAMES, 0))


def _clip(value: str | None, limit: int | None) -> str:
    text = value or ""
    if "\x00" in text:  # no database text column accepts NUL
        text = text.replace("\x00", "")
    return text[:limit] if limit else text


def content_hash(content: list[Any], finding: NormalizedFinding) -> str:
    """Hash what an analyst would call the finding's content (not when it was seen)."""
    payload = orjson.dumps([content, finding.advisory_ids, finding.cwe_ids])
    return hashlib.blake2b(payload, digest_size=16).hexdigest()


def staged_row(ordinal: int, finding: NormalizedFinding) -> tuple[Any, ...]:
    """Map a normalized finding onto the staging columns, clipped to the columns' limits."""
    location = finding.location
    values = (  # in CONTENT_COLUMNS order
        finding.title,
        finding.description,
        finding.severity.value,
        _RANKS[finding.severity],
        finding.cvss_v3_vector or "",
        finding.cvss_v3_score,
        finding.cvss_v4_vector or "",
        finding.cvss_v4_score,
        finding.tool,
        finding.rule_id or "",
        location.file_path or "",
        location.line_start,
        location.line_end,
        location.url or "",
        location.parameter or "",
        location.host or "",
        location.port,
        location.protocol or "",
        location.package or "",
        location.package_version or "",
        location.fixed_version or "",
        location.component or "",
        finding.evidence,
        finding.remediation,
        orjson.dumps(finding.references).decode(),
    )
    content = [
        _clip(value, limit) if isinstance(value, str) else value
        for value, limit in zip(values, _LIMITS, strict=True)
    ]
    fingerprint = _clip(finding.fingerprint, TEXT_LIMITS["fingerprint"])
    return (ordinal, fingerprint, content_hash(content, finding), *content)


# PostgreSQL's staging tables, made when a session first needs them (one round trip, no DDL after).
_STAGING_TABLES = """
CREATE TEMP TABLE IF NOT EXISTS import_staging (
    ordinal bigint, {columns}, advisory_ids text[], cwe_ids integer[]
) ON COMMIT DELETE ROWS;
CREATE TEMP TABLE IF NOT EXISTS import_staged (LIKE import_staging) ON COMMIT DELETE ROWS;
CREATE UNIQUE INDEX IF NOT EXISTS import_staged_fingerprint ON import_staged (fingerprint);
CREATE TEMP TABLE IF NOT EXISTS import_advisories (fingerprint text, identifier text) ON COMMIT DELETE ROWS;
CREATE INDEX IF NOT EXISTS import_advisories_fingerprint ON import_advisories (fingerprint);
CREATE TEMP TABLE IF NOT EXISTS import_cwes (fingerprint text, cwe_id integer) ON COMMIT DELETE ROWS;
CREATE INDEX IF NOT EXISTS import_cwes_fingerprint ON import_cwes (fingerprint)
"""
# Staged findings from which ANALYZE runs before the merge.
ANALYZE_FROM_ROWS = 5_000


class ImportCommit:
    """One report's commit to one asset; call ``run`` inside ``transaction.atomic()``."""

    def __init__(
        self,
        *,
        asset: Asset,
        import_id: str,
        now: datetime,
        engagement_id: int | None = None,
        is_full: bool = False,
        tools: Iterable[str] = (),
        tags: Iterable[str] = (),
        minimum_severity: Severity | None = None,
    ) -> None:
        self.asset = asset
        self.import_id = import_id
        self.now = now
        self.engagement_id = engagement_id
        self.is_full = is_full
        self.default_tools = {tool for tool in tools if tool}
        self.tags = list(dict.fromkeys(tag for tag in tags if tag))
        self.minimum_rank = minimum_severity.rank if minimum_severity else 0
        self.is_postgres = connection.vendor == "postgresql"
        self.counts = CommitCounts.zero()
        # Raw SQL bypasses the ORM's conversions: adapt the values as the fields would.
        self.now_db = connection.ops.adapt_datetimefield_value(now)
        self.import_db: Any = (
            import_id if connection.features.has_native_uuid_field else import_id.replace("-", "")
        )

    # --- staging -------------------------------------------------------------------

    def run(self, findings: Iterable[NormalizedFinding]) -> CommitCounts:
        """Stage every finding, merge, and return the counts."""
        with connection.cursor() as cursor:
            self._create_staging(cursor)
            try:
                self._stage(cursor, findings)
                self._deduplicate(cursor)
                self._merge(cursor)
            finally:
                if not self.is_postgres:
                    for table in (
                        "import_staged",
                        "import_staging",
                        "import_advisories",
                        "import_cwes",
                    ):
                        cursor.execute(f"DROP TABLE IF EXISTS temp.{table}")
        return self.counts

    def _create_staging(self, cursor: CursorWrapper) -> None:
        text_columns = ", ".join(
            f'"{name}" {self._type(name)}' for name in STAGED_COLUMNS if name not in {"ordinal"}
        )
        if self.is_postgres:
            # Made once per database session, emptied by every commit (and rollback): a small
            # import then runs no DDL, which would write the catalogs and their WAL each time.
            cursor.execute(_STAGING_TABLES.format(columns=text_columns))
            if connection.savepoint_ids:
                # Inside a caller's transaction, which may have staged another import not yet committed.
                cursor.execute("TRUNCATE import_staging, import_staged, import_advisories, import_cwes")
            return
        cursor.execute(f"CREATE TEMP TABLE import_staging (ordinal bigint, {text_columns})")
        cursor.execute("CREATE TEMP TABLE import_advisories (fingerprint text, identifier text)")
        cursor.execute("CREATE TEMP TABLE import_cwes (fingerprint text, cwe_id integer)")

    @staticmethod
    def _type(name: str) -> str:
        if name in {"severity_rank", "line_start", "line_end", "port"}:
            return "bigint"
        if name in {"cvss_v3_score", "cvss_v4_score"}:
            return "numeric"
        return "text"

    def _accepted(self, findings: Iterable[NormalizedFinding]) -> Iterator[tuple[int, NormalizedFinding]]:
        for ordinal, finding in enumerate(findings):
            self.counts.parsed += 1
            if finding.severity.rank < self.minimum_rank:
                continue
            self.counts.tools.add(finding.tool)
            yield ordinal, finding

    def _side_rows(
        self, finding: NormalizedFinding, fingerprint: str
    ) -> tuple[list[tuple[str, str]], list[tuple[str, int]]]:
        advisories = [
            (fingerprint, _clip(identifier, ADVISORY_LIMIT))
            for identifier in dict.fromkeys(finding.advisory_ids)
        ]
        cwes = [(fingerprint, cwe) for cwe in dict.fromkeys(finding.cwe_ids)]
        return advisories, cwes

    def _stage(self, cursor: CursorWrapper, findings: Iterable[NormalizedFinding]) -> None:
        if self.is_postgres:
            self._stage_with_copy(findings)
        else:
            self._stage_with_inserts(cursor, findings)

    def _stage_with_copy(self, findings: Iterable[NormalizedFinding]) -> None:
        # One COPY per connection at a time: the ids travel as arrays in the staging row
        # and are unnested into their own tables once the COPY is done.
        raw = connection.connection
        assert raw is not None
        columns = ", ".join(f'"{name}"' for name in (*STAGED_COLUMNS, "advisory_ids", "cwe_ids"))
        with raw.cursor() as cursor:
            with cursor.copy(f"COPY import_staging ({columns}) FROM STDIN") as copy:
                for ordinal, finding in self._accepted(findings):
                    advisories = [_clip(item, ADVISORY_LIMIT) for item in dict.fromkeys(finding.advisory_ids)]
                    cwes = list(dict.fromkeys(finding.cwe_ids))
                    copy.write_row((*staged_row(ordinal, finding), advisories, cwes))
            cursor.execute(
                "INSERT INTO import_advisories (fingerprint, identifier) "
                "SELECT fingerprint, unnest(advisory_ids) FROM import_staging"
            )
            cursor.execute(
                "INSERT INTO import_cwes (fingerprint, cwe_id) "
                "SELECT fingerprint, unnest(cwe_ids) FROM import_staging"
            )

    def _stage_with_inserts(self, cursor: CursorWrapper, findings: Iterable[NormalizedFinding]) -> None:
        placeholders = ", ".join(["%s"] * len(STAGED_COLUMNS))
        columns = ", ".join(f'"{name}"' for name in STAGED_COLUMNS)
        insert = f"INSERT INTO import_staging ({columns}) VALUES ({placeholders})"
        rows: list[tuple[Any, ...]] = []
        advisories: list[tuple[str, str]] = []
        cwes: list[tuple[str, int]] = []
        for ordinal, finding in self._accepted(findings):
            row = staged_row(ordinal, finding)
            rows.append(tuple(float(v) if isinstance(v, float) else v for v in row))
            side_advisories, side_cwes = self._side_rows(finding, row[1])
            advisories += side_advisories
            cwes += side_cwes
            if len(rows) >= SQLITE_BATCH:
                self._flush_sqlite(cursor, insert, rows, advisories, cwes)
                rows, advisories, cwes = [], [], []
        self._flush_sqlite(cursor, insert, rows, advisories, cwes)

    @staticmethod
    def _flush_sqlite(
        cursor: CursorWrapper,
        insert: str,
        rows: list[tuple[Any, ...]],
        advisories: list[tuple[str, str]],
        cwes: list[tuple[str, int]],
    ) -> None:
        if rows:
            cursor.executemany(insert, rows)
        if advisories:
            cursor.executemany("INSERT INTO import_advisories VALUES (%s, %s)", advisories)
        if cwes:
            cursor.executemany("INSERT INTO import_cwes VALUES (%s, %s)", cwes)

    def _deduplicate(self, cursor: CursorWrapper) -> None:
        if self.is_postgres:
            cursor.execute(
                "INSERT INTO import_staged SELECT DISTINCT ON (fingerprint) * "
                "FROM import_staging ORDER BY fingerprint, ordinal DESC"
            )
            # Statistics for the merge's joins where they pay: the planner scales a table's last
            # statistics to its current size, and a small import's plan is the index lookup anyway.
            if cursor.rowcount >= ANALYZE_FROM_ROWS:
                cursor.execute("ANALYZE import_staged")
            return
        cursor.execute(
            "CREATE TEMP TABLE import_staged AS SELECT * FROM import_staging WHERE ordinal IN "
            "(SELECT MAX(ordinal) FROM import_staging GROUP BY fingerprint)"
        )
        cursor.execute("CREATE UNIQUE INDEX import_staged_fingerprint ON import_staged (fingerprint)")
        cursor.execute("CREATE INDEX import_advisories_fingerprint ON import_advisories (fingerprint)")
        cursor.execute("CREATE INDEX import_cwes_fingerprint ON import_cwes (fingerprint)")

    # --- merge -----------------------------------------------------------------------

    def _staged(self, name: str) -> str:
        """Return the staged column as the finding column's type wants it."""
        return f's."{name}"::jsonb' if name == "references" and self.is_postgres else f's."{name}"'

    def _merge(self, cursor: CursorWrapper) -> None:
        asset_id, now, import_id = self.asset.pk, self.now_db, self.import_db
        matched = "f.asset_id = %s AND f.fingerprint = s.fingerprint"
        content_set = ", ".join(f'"{name}" = {self._staged(name)}' for name in CONTENT_COLUMNS)
        # 2. resolved and seen again: reopened, content refreshed, transition recorded
        cursor.execute(
            f"INSERT INTO findings_findingtransition ({TRANSITION_COLUMNS}) "
            f"SELECT f.id, NULL, %s, %s, %s, %s FROM findings_finding f JOIN import_staged s ON {matched} "
            "WHERE f.status = %s",
            [
                now,
                Status.RESOLVED.value,
                Status.REOPENED.value,
                f"seen again by import {self.import_id}",
                asset_id,
                Status.RESOLVED.value,
            ],  # fmt: skip
        )
        cursor.execute(
            f"UPDATE findings_finding SET {content_set}, status = %s, resolved_at = NULL, "
            "content_hash = s.content_hash, last_seen = %s, last_import_id = %s, updated_at = %s "
            f"{self._update_from(matched)} AND findings_finding.status = %s RETURNING findings_finding.id",
            [Status.REOPENED.value, now, import_id, now, asset_id, Status.RESOLVED.value],
        )
        self.counts.reopened_ids = [row[0] for row in cursor.fetchall()]
        self.counts.reopened = len(self.counts.reopened_ids)
        # 3. changed content: updated; same content: only seen
        cursor.execute(
            f"UPDATE findings_finding SET {content_set}, content_hash = s.content_hash, "
            "last_seen = %s, last_import_id = %s, updated_at = %s "
            f"{self._update_from(matched)} AND findings_finding.content_hash <> s.content_hash "
            f"AND {self._distinct('findings_finding.last_import_id', '%s')}",
            [now, import_id, now, asset_id, import_id],
        )
        self.counts.updated = cursor.rowcount
        cursor.execute(
            "UPDATE findings_finding SET last_seen = %s, last_import_id = %s "
            f"{self._update_from(matched)} AND {self._distinct('findings_finding.last_import_id', '%s')}",
            [now, import_id, asset_id, import_id],
        )
        self.counts.unchanged = cursor.rowcount
        # 4. new fingerprints
        self._insert_new(cursor)
        self._replace_identifiers(cursor)
        self._tag(cursor)
        # 5. what the report contains was seen by this import
        self._record_sightings(cursor)
        # 6. a full import resolves what the report no longer contains
        if self.is_full:
            self._resolve_missing(cursor)

    def _update_from(self, matched: str) -> str:
        condition = matched.replace("f.", "findings_finding.")
        return f"FROM import_staged s WHERE {condition}"

    def _distinct(self, left: str, right: str) -> str:
        return f"{left} IS DISTINCT FROM {right}" if self.is_postgres else f"{left} IS NOT {right}"

    def _insert_new(self, cursor: CursorWrapper) -> None:
        policy = finding_selectors.sla_policy_for(organization_id=self.asset.organization_id)
        today: date = self.now.date()
        due = {
            severity.value: connection.ops.adapt_datefield_value(
                policy.due_on(severity=severity.value, asset_criticality=self.asset.criticality, since=today)
            )
            for severity in Severity
        }
        due_case = "CASE s.severity " + " ".join("WHEN %s THEN %s" for _ in due) + " END"
        due_params: list[Any] = [value for pair in due.items() for value in pair]
        columns = ", ".join(f'"{name}"' for name in CONTENT_COLUMNS)
        selected = ", ".join(self._staged(name) for name in CONTENT_COLUMNS)
        cursor.execute(
            "INSERT INTO findings_finding (organization_id, asset_id, engagement_id, fingerprint, "
            "content_hash, "
            f"{columns}, status, first_seen, last_seen, sla_due_on, risk_justification, last_import_id, "
            "created_at, updated_at) "
            f"SELECT %s, %s, %s, s.fingerprint, s.content_hash, {selected}, %s, %s, %s, {due_case}, '', "
            "%s, %s, %s "
            "FROM import_staged s WHERE NOT EXISTS (SELECT 1 FROM findings_finding f "
            "WHERE f.asset_id = %s AND f.fingerprint = s.fingerprint)",
            [
                self.asset.organization_id, self.asset.pk, self.engagement_id, Status.OPEN.value,
                self.now_db, self.now_db, *due_params,
                self.import_db, self.now_db, self.now_db, self.asset.pk,
            ],
        )  # fmt: skip
        self.counts.new = cursor.rowcount

    def _touched(self) -> tuple[str, list[Any]]:
        """Findings this import created, changed or reopened (their ids and tags are rewritten)."""
        return (
            "SELECT id FROM findings_finding WHERE asset_id = %s AND last_import_id = %s AND updated_at = %s",
            [self.asset.pk, self.import_db, self.now_db],
        )

    def _replace_identifiers(self, cursor: CursorWrapper) -> None:
        touched, params = self._touched()
        for table, column, staged in (
            ("findings_findingadvisory", "identifier", "import_advisories"),
            ("findings_findingcwe", "cwe_id", "import_cwes"),
        ):
            cursor.execute(f"DELETE FROM {table} WHERE finding_id IN ({touched})", params)
            cursor.execute(
                f"INSERT INTO {table} (finding_id, {column}) SELECT DISTINCT f.id, x.{column} "
                f"FROM {staged} x JOIN findings_finding f "
                "ON f.asset_id = %s AND f.fingerprint = x.fingerprint "
                f"WHERE f.id IN ({touched})",
                [self.asset.pk, *params],
            )

    def _tag(self, cursor: CursorWrapper) -> None:
        if not self.tags:
            return
        touched, params = self._touched()
        tag_ids = [
            Tag.objects.get_or_create(organization_id=self.asset.organization_id, name=name[:64])[0].pk
            for name in self.tags
        ]
        for tag_id in tag_ids:
            cursor.execute(
                f"INSERT INTO findings_finding_tags (finding_id, tag_id) SELECT id, %s FROM ({touched}) t "
                "WHERE NOT EXISTS (SELECT 1 FROM findings_finding_tags x "
                "WHERE x.finding_id = t.id AND x.tag_id = %s)",
                [tag_id, *params, tag_id],
            )

    def _record_sightings(self, cursor: CursorWrapper) -> None:
        """Record one sighting per finding the report contains: new, updated, reopened or unchanged."""
        # import_staged holds each fingerprint once and a fingerprint names one finding of the
        # asset, so each finding is inserted once; should that ever break, the unique
        # (finding, import_job) constraint fails the import rather than hide it.
        cursor.execute(
            "INSERT INTO imports_sighting (import_job_id, finding_id) "
            "SELECT %s, f.id FROM import_staged s JOIN findings_finding f "
            "ON f.asset_id = %s AND f.fingerprint = s.fingerprint",
            [self.import_db, self.asset.pk],
        )

    def _resolve_missing(self, cursor: CursorWrapper) -> None:
        tools = sorted(self.counts.tools | self.default_tools)
        if not tools:
            return
        tool_list = ", ".join(["%s"] * len(tools))
        active = ", ".join(["%s"] * len(ACTIVE))
        missing = (
            f"FROM findings_finding f WHERE f.asset_id = %s AND f.tool IN ({tool_list}) "
            f"AND f.status IN ({active}) "
            "AND NOT EXISTS (SELECT 1 FROM import_staged s WHERE s.fingerprint = f.fingerprint)"
        )
        params: list[Any] = [self.asset.pk, *tools, *ACTIVE]
        cursor.execute(
            f"INSERT INTO findings_findingtransition ({TRANSITION_COLUMNS}) "
            f"SELECT f.id, NULL, %s, f.status, %s, %s {missing}",
            [self.now_db, Status.RESOLVED.value, f"not in full import {self.import_id}", *params],
        )
        cursor.execute(
            f"UPDATE findings_finding SET status = %s, resolved_at = %s, updated_at = %s "
            f"WHERE id IN (SELECT f.id {missing}) RETURNING id",
            [Status.RESOLVED.value, self.now_db, self.now_db, *params],
        )
        self.counts.resolved_ids = [row[0] for row in cursor.fetchall()]
        self.counts.resolved = len(self.counts.resolved_ids)
