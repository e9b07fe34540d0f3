"""The scanner's errors, and its one exception handler: a refusal's class chooses its HTTP status.

The scanner's own errors are about reading a request body::

    UploadRefused               the body breaks the multipart format or a limit (400)
    ├── ReportTooLarge          past BASTION_MAX_UPLOAD_BYTES (413)
    └── CompressedBodyRefused   a Content-Encoding other than identity (415)

The import domain's refusals (``core.imports.exceptions``) and the scan domain's
(``core.scans.exceptions``) are answered by the same handler, from :data:`STATUS_FOR`: the
same refusal has the same status on every endpoint.
"""

from __future__ import annotations

from fastapi import FastAPI, Request, status
from fastapi.responses import JSONResponse

from bastion.core.imports.exceptions import (
    DuplicateDelivery,
    ImportForbidden,
    ImportReferenceNotFound,
    ImportRefused,
    InvalidImportOptions,
    InvalidReport,
)
from bastion.core.scans.exceptions import ScanForbidden, ScanLimitReached, ScanNotFound, ScanRefused
from bastion.core.scans.targets import TargetRefused


class UploadRefused(Exception):  # noqa: N818
    """The upload breaks a limit or the multipart format; nothing of it was kept."""


class ReportTooLarge(UploadRefused):
    """The report is larger than the limit of an upload."""


class CompressedBodyRefused(UploadRefused):
    """The request body is compressed (a report is never unpacked)."""


# The most specific class of a refusal that is listed here chooses its status.
STATUS_FOR: dict[type[Exception], int] = {
    ImportRefused: status.HTTP_400_BAD_REQUEST,
    ImportReferenceNotFound: status.HTTP_404_NOT_FOUND,
    ImportForbidden: status.HTTP_403_FORBIDDEN,
    InvalidImportOptions: status.HTTP_400_BAD_REQUEST,
    InvalidReport: status.HTTP_400_BAD_REQUEST,
    DuplicateDelivery: status.HTTP_409_CONFLICT,
    UploadRefused: status.HTTP_400_BAD_REQUEST,
    ReportTooLarge: status.HTTP_413_CONTENT_TOO_LARGE,
    CompressedBodyRefused: status.HTTP_415_UNSUPPORTED_MEDIA_TYPE,
    ScanRefused: status.HTTP_400_BAD_REQUEST,
    ScanNotFound: status.HTTP_404_NOT_FOUND,
    ScanForbidden: status.HTTP_403_FORBIDDEN,
    ScanLimitReached: status.HTTP_429_TOO_MANY_REQUESTS,
    TargetRefused: status.HTTP_422_UNPROCESSABLE_CONTENT,
}


def status_for(error: Exception) -> int:
    """Return the HTTP status that answers a refusal."""
    return next(STATUS_FOR[kind] for kind in type(error).__mro__ if kind in STATUS_FOR)


async def refused(request: Request, error: Exception) -> JSONResponse:
    """Answer a refusal with its status and its message."""
    return JSONResponse({"detail": str(error)}, status_code=status_for(error))


def install_exception_handler(app: FastAPI) -> None:
    """Answer every refusal of the scanner's endpoints through :func:`refused`."""
    for root in (ImportRefused, UploadRefused, ScanRefused):
        app.add_exception_handler(root, refused)
