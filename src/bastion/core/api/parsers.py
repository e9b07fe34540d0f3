"""The REST API's parsers: DRF's, with a size limit and a nesting limit checked before decoding, and
no NUL byte in any value (PostgreSQL cannot store one in text: refused here with a 400 naming the field)."""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import IO, Any

from django.conf import settings
from django.http import QueryDict
from rest_framework import parsers, status
from rest_framework.exceptions import APIException, ParseError

from bastion.core.api.nesting import MAX_JSON_DEPTH, JsonTooDeep, check_nesting


class BodyTooLarge(APIException):
    """The request body is larger than the API accepts."""

    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "body_too_large"


def refuse_nul(data: Any, path: str = "") -> None:
    """Raise a ``ParseError`` naming the first field whose name or value holds a NUL byte."""
    if isinstance(data, str):
        if "\x00" in data:
            raise ParseError(f"{path or 'the body'} must not contain NUL bytes")
    elif isinstance(data, QueryDict):
        for key, values in data.lists():
            refuse_nul(key, "a field name")
            for value in values:
                refuse_nul(value, key)
    elif isinstance(data, Mapping):
        for key, value in data.items():
            refuse_nul(str(key), "a field name")
            refuse_nul(value, f"{path}.{key}" if path else str(key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            refuse_nul(value, f"{path}[{index}]")


class JSONParser(parsers.JSONParser):
    """DRF's parser; a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` is refused (413), one nested
    deeper than ``MAX_JSON_DEPTH`` too (400), both before decoding."""

    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        limit: int | None = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        body = stream.read() if limit is None else stream.read(limit + 1)
        if limit is not None and len(body) > limit:
            raise BodyTooLarge(f"the request body is larger than the limit of {limit} bytes")
        try:
            check_nesting(body, MAX_JSON_DEPTH)
        except JsonTooDeep as error:
            raise ParseError(str(error)) from error
        data = super().parse(io.BytesIO(body), media_type, parser_context)
        refuse_nul(data)
        return data


class FormParser(parsers.FormParser):
    """DRF's form parser; no NUL byte in a field's name or value."""

    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        data = super().parse(stream, media_type, parser_context)
        refuse_nul(data)
        return data


class MultiPartParser(parsers.MultiPartParser):
    """DRF's multipart parser; no NUL byte in a field's name or value, nor in a file's name."""

    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        parsed = super().parse(stream, media_type, parser_context)
        refuse_nul(parsed.data)
        for name in parsed.files:
            refuse_nul(name, "a file field's name")
            for upload in parsed.files.getlist(name):
                refuse_nul(upload.name or "", f"{name}'s file name")
        return parsed
