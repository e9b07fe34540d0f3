"""Receive a report upload as a stream: multipart or raw body, to a spool file, with limits.

Nothing is held in memory: chunks go to disk as they arrive (file writes run in a
worker thread), counted against the size limit and hashed on the way.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import anyio.to_thread
from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import ClientDisconnect, Request

MAX_FIELD_BYTES = 64 * 1024
MAX_FIELDS = 32
FILE_FIELD = "file"


class UploadRefused(Exception):  # noqa: N818
    """The upload breaks a limit or the multipart format; ``status`` is the HTTP answer."""

    def __init__(self, message: str, *, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Upload:
    """A received report on disk, with its form fields."""

    path: Path
    size: int
    sha256: str
    file_name: str
    fields: dict[str, str] = field(default_factory=dict)

    def discard(self) -> None:
        """Delete the spooled report."""
        self.path.unlink(missing_ok=True)


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
            raise UploadRefused(f"the report is larger than the limit of {self.limit} bytes", status=413)
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
        if self._is_file:
            if self.has_file:
                raise UploadRefused("send one report per import")
            self.has_file = True
            self.file_name = os.path.basename(options.get(b"filename", b"").decode("utf-8", "replace"))
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
            self.fields[self._name] = self._value.decode("utf-8", "replace")


async def receive(request: Request, *, limit: int, spool_dir: Path, also_hash: Any = None) -> Upload:
    """Stream the request body to disk; return the report and its fields, or raise UploadRefused.

    ``also_hash`` (an hmac or hashlib object) is fed the report's bytes as they arrive.
    """
    if request.headers.get("content-encoding", "identity").lower() not in {"identity", ""}:
        raise UploadRefused("compressed request bodies are not accepted", status=415)
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit + MAX_FIELDS * MAX_FIELD_BYTES:
        raise UploadRefused(f"the report is larger than the limit of {limit} bytes", status=413)
    spool = _Spool(spool_dir, limit, also_hash)
    content_type, options = parse_options_header(request.headers.get("content-type", ""))
    try:
        if content_type == b"multipart/form-data":
            boundary = options.get(b"boundary")
            if not boundary:
                raise UploadRefused("multipart body without a boundary")
            sink = _MultipartSink(spool)
            parser = MultipartParser(boundary, sink.callbacks())
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
    except UploadRefused:
        spool.discard()
        raise
    except (MultipartParseError, ClientDisconnect) as error:
        spool.discard()
        raise UploadRefused(f"the upload could not be read: {error or type(error).__name__}") from error
    spool.close()
    if spool.size == 0:
        spool.discard()
        raise UploadRefused("the report is empty")
    return Upload(spool.path, spool.size, spool.digest.hexdigest(), file_name, fields)
