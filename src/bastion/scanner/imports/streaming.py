"""Receive a report upload as a stream: multipart or raw body, to a spool file, with limits.

Nothing is held in memory: chunks go to disk as they arrive (file writes run in a
worker thread), counted against the size limit and hashed on the way. Whatever goes
wrong, the spool file is deleted before the error leaves :func:`receive`; files a
crashed process left behind are removed at start-up (``core.imports.upload.remove_stale``).
The spooled report goes on to the core's intake as an ``Upload``.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import anyio.to_thread
from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import ClientDisconnect, Request

from bastion.config import get_settings
from bastion.core.imports.upload import Upload, spool_dir
from bastion.scanner.exceptions import CompressedBodyRefused, ReportTooLarge, UploadRefused
from bastion.servicekit.ratelimit import RateLimit

MAX_FIELD_BYTES = 64 * 1024
MAX_FIELDS = 32
FILE_FIELD = "file"


def refuse_nul(name: str, value: str) -> None:
    """Refuse a text the database cannot store (PostgreSQL has no NUL in text), naming its field."""
    if "\x00" in value:
        raise UploadRefused(f"{name} must not contain NUL bytes")


def refuse_nul_in(items: Iterable[tuple[str, str]], what: str) -> None:
    """Refuse NUL bytes in the names and values of form fields or query parameters."""
    for name, value in items:
        refuse_nul(f"a {what} name", name)
        refuse_nul(name or f"an unnamed {what}", value)


@dataclass(frozen=True)
class Received:
    """A report spooled from a request, and the request's form fields (or query parameters).

    Use it as a context manager around its intake: the spool file is gone when the block
    ends, however it ends (the intake deletes it too, once it has stored the report).
    """

    upload: Upload
    fields: dict[str, str]

    def __enter__(self) -> Received:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.upload.discard()


def upload_limit() -> RateLimit:
    """How many imports one user (or one organisation's webhooks) may start per minute."""
    return RateLimit(scope="imports", count=get_settings().imports_per_minute, seconds=60)


async def receive_report(request: Request, *, rate_key: str, also_hash: Any = None) -> Received:
    """Count an import against ``rate_key``'s limit, then receive its report (see :func:`receive`)."""
    await upload_limit().check(rate_key)
    return await receive(
        request, limit=get_settings().max_upload_bytes, directory=spool_dir(), also_hash=also_hash
    )


class _Spool:
    """Write the report's bytes to a temporary file, counting and hashing them."""

    def __init__(self, directory: Path, limit: int, also_hash: Any = None) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        descriptor, name = tempfile.mkstemp(prefix="upload-", dir=directory)
        self.path = Path(name)
        self.handle: BinaryIO = os.fdopen(descriptor, "wb")
        self.limit = limit
        self.size = 0
        self.digest = hashlib.sha256()
        self.also_hash = also_hash

    def write(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > self.limit:
            raise ReportTooLarge(f"the report is larger than the limit of {self.limit} bytes")
        self.digest.update(data)
        if self.also_hash is not None:
            self.also_hash.update(data)
        self.handle.write(data)

    def close(self) -> None:
        self.handle.close()

    def discard(self) -> None:
        self.handle.close()
        self.path.unlink(missing_ok=True)


class _MultipartSink:
    """Callbacks of python-multipart: the ``file`` part to the spool, other parts to fields."""

    def __init__(self, spool: _Spool) -> None:
        self.spool = spool
        self.fields: dict[str, str] = {}
        self.file_name = ""
        self.has_file = False
        self._header_field = b""
        self._header_value = b""
        self._headers: dict[bytes, bytes] = {}
        self._name = ""
        self._is_file = False
        self._value = bytearray()

    def callbacks(self) -> Any:
        return {
            "on_part_begin": self._part_begin,
            "on_part_data": self._part_data,
            "on_part_end": self._part_end,
            "on_header_field": self._header_field_data,
            "on_header_value": self._header_value_data,
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
        }

    def _part_begin(self) -> None:
        self._headers, self._value = {}, bytearray()

    def _header_field_data(self, data: bytes, start: int, end: int) -> None:
        self._header_field += data[start:end]

    def _header_value_data(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def _header_end(self) -> None:
        self._headers[self._header_field.lower()] = self._header_value
        self._header_field, self._header_value = b"", b""

    def _headers_finished(self) -> None:
        _kind, options = parse_options_header(self._headers.get(b"content-disposition", b""))
        self._name = options.get(b"name", b"").decode("utf-8", "replace")
        self._is_file = self._name == FILE_FIELD
        refuse_nul("a form field name", self._name)
        if self._is_file:
            if self.has_file:
                raise UploadRefused("send one report per import")
            self.has_file = True
            self.file_name = os.path.basename(options.get(b"filename", b"").decode("utf-8", "replace"))
            refuse_nul("the file name", self.file_name)
        elif len(self.fields) >= MAX_FIELDS:
            raise UploadRefused(f"too many form fields (at most {MAX_FIELDS})")

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        if self._is_file:
            self.spool.write(data[start:end])
            return
        self._value += data[start:end]
        if len(self._value) > MAX_FIELD_BYTES:
            raise UploadRefused(f"form field {self._name!r} is longer than {MAX_FIELD_BYTES} bytes")

    def _part_end(self) -> None:
        if not self._is_file:
            value = self._value.decode("utf-8", "replace")
            refuse_nul(self._name, value)
            self.fields[self._name] = value


async def receive(request: Request, *, limit: int, directory: Path, also_hash: Any = None) -> Received:
    """Stream the request body to disk; return the report and its fields, or raise UploadRefused.

    ``also_hash`` (an hmac or hashlib object) is fed the report's bytes as they arrive.
    Query parameters are checked before anything is written; on any error the spool
    file is gone when this returns.
    """
    if request.headers.get("content-encoding", "identity").lower() not in {"identity", ""}:
        raise CompressedBodyRefused("compressed request bodies are not accepted")
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit + MAX_FIELDS * MAX_FIELD_BYTES:
        raise ReportTooLarge(f"the report is larger than the limit of {limit} bytes")
    refuse_nul_in(request.query_params.multi_items(), "query parameter")
    content_type, options = parse_options_header(request.headers.get("content-type", ""))
    if content_type == b"multipart/form-data" and not options.get(b"boundary"):
        raise UploadRefused("multipart body without a boundary")
    spool = _Spool(directory, limit, also_hash)
    try:
        if content_type == b"multipart/form-data":
            sink = _MultipartSink(spool)
            parser = MultipartParser(options[b"boundary"], sink.callbacks())
            async for chunk in request.stream():
                await anyio.to_thread.run_sync(parser.write, chunk)
            await anyio.to_thread.run_sync(parser.finalize)
            if not sink.has_file:
                raise UploadRefused("the multipart body has no 'file' part")
            fields, file_name = sink.fields, sink.file_name
        else:
            async for chunk in request.stream():
                await anyio.to_thread.run_sync(spool.write, chunk)
            fields = dict(request.query_params.items())
            file_name = fields.pop("file_name", "")
        spool.close()
        if spool.size == 0:
            raise UploadRefused("the report is empty")
    except (MultipartParseError, ClientDisconnect) as error:
        spool.discard()
        raise UploadRefused(f"the upload could not be read: {error or type(error).__name__}") from error
    except BaseException:  # refused, cancelled, disk full...: nothing of the upload stays
        spool.discard()
        raise
    upload = Upload(path=spool.path, size=spool.size, sha256=spool.digest.hexdigest(), file_name=file_name)
    return Received(upload=upload, fields=fields)
