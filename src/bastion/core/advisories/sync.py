"""Keep the advisory database current: download OSV's per-ecosystem exports and import them.

Each ecosystem's ``{base_url}/{ecosystem}/all.zip`` is fetched with a conditional request (the
ETag and Last-Modified of the last export imported, kept in ``advisories/sync-state.json`` under
the state directory), so an unchanged export costs one round trip and no import. A changed one
is streamed to a temporary file under the state directory, refused as soon as it passes the
byte limit, handed to ``services.import_osv`` and deleted whatever happens.

A failure mid-import leaves the batches already written in place (each batch is one
transaction, each record whole) and the rest not yet written. The validators are saved only
after an import completes, so the next sync downloads the export again, and since an import is
idempotent (the newer ``modified`` wins) that rerun completes it.

Redirects are not followed: the base URL is the administrator's setting, and a download that
is sent elsewhere is reported as a failure rather than fetched from a host nobody chose.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
import time
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Literal
from urllib.parse import quote, urlsplit

import httpx
import orjson

from bastion.config import get_settings, redact_url
from bastion.core.advisories import versions
from bastion.core.advisories.services import ImportCounts, UnsafeArchive, import_osv

__all__ = [
    "ECOSYSTEMS",
    "DownloadRefused",
    "EcosystemSync",
    "SyncRefused",
    "configured_ecosystems",
    "sync",
]

logger = logging.getLogger(__name__)

#: The OSV ecosystems the advisory database can match versions for (OSV's spelling).
ECOSYSTEMS: tuple[str, ...] = tuple(versions.ORDERINGS)
TIMEOUT = httpx.Timeout(60.0, connect=15.0)
# A stalled server that trickles a byte a minute never trips the read timeout: bound the whole download.
DOWNLOAD_DEADLINE_SECONDS = 3600.0
CHUNK_BYTES = 1024 * 1024
STATE_FILE = "sync-state.json"
_STATE_LIMIT_BYTES = 1024 * 1024
_VALIDATOR_LIMIT = 1024  # an ETag or a date longer than this is not kept (nor sent back)

Status = Literal["imported", "not-modified", "failed"]


class SyncRefused(ValueError):
    """A sync refused before any request: an unknown ecosystem or a base URL that is not http(s)."""


class DownloadRefused(RuntimeError):
    """One ecosystem's download refused: an HTTP error, a redirect, a body over the byte limit."""


@dataclass
class EcosystemSync:
    """What a sync did for one ecosystem: imported (with counts), not modified, or failed (why)."""

    ecosystem: str
    status: Status
    downloaded_bytes: int = 0
    counts: ImportCounts | None = None
    reason: str = ""


def configured_ecosystems() -> list[str]:
    """Return the ecosystems named in BASTION_ADVISORIES_ECOSYSTEMS, in order."""
    return [name.strip() for name in get_settings().advisories_ecosystems.split(",") if name.strip()]


def sync(
    *,
    ecosystems: Sequence[str] | None = None,
    base_url: str | None = None,
    client: httpx.Client | None = None,
) -> dict[str, EcosystemSync]:
    """Download and import each ecosystem's OSV export that changed since the last sync.

    ``ecosystems`` and ``base_url`` default to the settings. Every name is checked before any
    request (``SyncRefused``); after that, one ecosystem's failure is recorded with its reason
    and the others go on. Database errors are not caught: they are no one ecosystem's fault.
    """
    settings = get_settings()
    names = _checked_ecosystems(configured_ecosystems() if ecosystems is None else ecosystems)
    root = _checked_base_url(settings.advisories_url if base_url is None else base_url)
    directory = settings.resolved_var_dir / "advisories"
    directory.mkdir(parents=True, exist_ok=True)
    limit = settings.advisories_max_download_bytes
    results: dict[str, EcosystemSync] = {}
    with contextlib.ExitStack() as stack:
        if client is None:
            client = stack.enter_context(httpx.Client(timeout=TIMEOUT, follow_redirects=False))
        for name in names:
            url = f"{root}/{quote(name, safe='')}/all.zip"
            results[name] = _sync_one(client, name, url, directory, limit)
    return results


def _checked_ecosystems(names: Sequence[str]) -> list[str]:
    if isinstance(names, str):
        raise SyncRefused("ecosystems must be a list of names, not one string")
    checked: list[str] = []
    unknown: list[str] = []
    for name in names:
        canonical = versions.canonical_ecosystem(name)
        if canonical not in ECOSYSTEMS:
            unknown.append(name)
        elif canonical not in checked:
            checked.append(canonical)
    if unknown:
        raise SyncRefused(
            f"unknown ecosystem {', '.join(repr(name) for name in unknown)}: "
            f"expected one of {', '.join(ECOSYSTEMS)}"
        )
    if not checked:
        raise SyncRefused("no ecosystem to sync")
    return checked


def _checked_base_url(base_url: str) -> str:
    parts = urlsplit(base_url.strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise SyncRefused(f"advisories URL {base_url!r}: expected an http or https URL with a host")
    if parts.query or parts.fragment:
        raise SyncRefused(f"advisories URL {base_url!r}: expected no query or fragment")
    return base_url.strip().rstrip("/")


def _sync_one(client: httpx.Client, name: str, url: str, directory: Path, limit: int) -> EcosystemSync:
    state = _read_state(directory)
    known = state.get(url, {})
    try:
        with _download(client, url, known, directory, limit) as download:
            if download is None:
                logger.info("advisories %s: not modified since the last sync", name)
                return EcosystemSync(name, "not-modified")
            path, size, validators = download
            if not zipfile.is_zipfile(path):
                raise DownloadRefused(f"{url}: the download ({size} bytes) is not a zip")
            counts = import_osv(path)
    except (DownloadRefused, UnsafeArchive) as error:
        return _failed(name, url, str(error))
    except httpx.HTTPError as error:
        return _failed(name, url, f"{url}: {type(error).__name__}: {error}")
    except OSError as error:
        return _failed(name, url, f"{url}: cannot store the download: {error}")
    # Only now: an import that failed half-way must be downloaded (and completed) next time.
    state = _read_state(directory)
    state[url] = validators
    _write_state(directory, state)
    return EcosystemSync(name, "imported", downloaded_bytes=size, counts=counts)


def _failed(name: str, url: str, reason: str) -> EcosystemSync:
    # A base URL may carry a password (basic auth to a mirror): never in a message.
    reason = reason.replace(url, redact_url(url))
    logger.warning("advisories %s: sync failed: %s", name, reason)
    return EcosystemSync(name, "failed", reason=reason)


@contextlib.contextmanager
def _download(
    client: httpx.Client, url: str, known: dict[str, str], directory: Path, limit: int
) -> Iterator[tuple[Path, int, dict[str, str]] | None]:
    """Yield (file, bytes, validators) of a changed export, or None when it is not modified.

    The connection is closed before the block runs (an import takes minutes), and the file is
    deleted when the block ends, however it ends.
    """
    headers = {}
    if "etag" in known:
        headers["If-None-Match"] = known["etag"]
    if "last_modified" in known:
        headers["If-Modified-Since"] = known["last_modified"]
    descriptor, name = tempfile.mkstemp(prefix="download-", suffix=".zip", dir=directory)
    path = Path(name)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            with client.stream("GET", url, headers=headers, follow_redirects=False) as response:
                if response.status_code == 304 and headers:
                    modified = False
                else:
                    modified = True
                    _check_response(response, url, limit)
                    size = _save(response, stream, url, limit)
                    validators = _validators(response)
        yield (path, size, validators) if modified else None
    finally:
        path.unlink(missing_ok=True)


def _check_response(response: httpx.Response, url: str, limit: int) -> None:
    if response.is_redirect:
        location = response.headers.get("location", "")[:200]
        raise DownloadRefused(
            f"{url}: HTTP {response.status_code}, a redirect to {location!r} (not followed)"
        )
    if response.status_code != 200:
        raise DownloadRefused(f"{url}: HTTP {response.status_code} {response.reason_phrase}".rstrip())
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise DownloadRefused(f"{url}: {declared} bytes declared, over the limit of {limit}")


def _save(response: httpx.Response, stream: BinaryIO, url: str, limit: int) -> int:
    """Write the body to ``stream``, stopping past ``limit`` bytes or the deadline; return its size."""
    size = 0
    deadline = time.monotonic() + DOWNLOAD_DEADLINE_SECONDS
    for chunk in response.iter_bytes(CHUNK_BYTES):
        size += len(chunk)
        if size > limit:
            raise DownloadRefused(f"{url}: more than the limit of {limit} bytes")
        if time.monotonic() > deadline:
            raise DownloadRefused(f"{url}: not downloaded in {DOWNLOAD_DEADLINE_SECONDS:.0f} s")
        stream.write(chunk)
    return size


def _validators(response: httpx.Response) -> dict[str, str]:
    validators = {}
    for header, key in (("etag", "etag"), ("last-modified", "last_modified")):
        value = response.headers.get(header, "")
        if value and len(value) <= _VALIDATOR_LIMIT and value.isprintable():
            validators[key] = value
    return validators


def _read_state(directory: Path) -> dict[str, dict[str, str]]:
    """Return the validators of the last imported exports by URL; a damaged file counts as none."""
    path = directory / STATE_FILE
    try:
        with path.open("rb") as stream:
            content = stream.read(_STATE_LIMIT_BYTES + 1)
    except FileNotFoundError:
        return {}
    if len(content) > _STATE_LIMIT_BYTES:
        logger.warning("%s: larger than %d bytes, ignored", path, _STATE_LIMIT_BYTES)
        return {}
    try:
        document = orjson.loads(content)
    except orjson.JSONDecodeError:
        logger.warning("%s: not JSON, ignored (every export is downloaded again)", path)
        return {}
    if not isinstance(document, dict):
        return {}
    return {
        url: {key: value for key, value in entry.items() if isinstance(value, str)}
        for url, entry in document.items()
        if isinstance(entry, dict)
    }


def _write_state(directory: Path, state: dict[str, dict[str, str]]) -> None:
    # Written aside and renamed: a crash leaves the old file or the new one, never half of one.
    descriptor, name = tempfile.mkstemp(prefix="sync-state-", suffix=".json", dir=directory)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(orjson.dumps(state, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS))
        os.replace(name, directory / STATE_FILE)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
