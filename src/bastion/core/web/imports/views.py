"""The imports page: upload a report through the core's intake, watch it run, read the history."""

from __future__ import annotations

import hashlib
import tempfile
import uuid
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from bastion.config import get_settings
from bastion.contracts.principal import Principal, Role
from bastion.core.imports import selectors
from bastion.core.imports.choices import FINISHED_STATES
from bastion.core.imports.exceptions import ImportForbidden, ImportNotFound, ImportRefused
from bastion.core.imports.intake import take_in
from bastion.core.imports.models import ImportJob
from bastion.core.imports.options import options_from
from bastion.core.imports.upload import Upload, spool_dir
from bastion.core.web.imports.forms import UploadForm
from bastion.core.web.scope import principal_of, scope_of

PAGE_SIZE = 25
CHUNK_BYTES = 1024 * 1024


def _may_import(principal: Principal) -> bool:
    return bool(principal.organization_ids(at_least=Role.ANALYST))


def _spool(file: UploadedFile) -> Upload:
    """Copy the received file to the spool directory, as the scanner's streaming upload does."""
    directory = spool_dir()
    directory.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    with tempfile.NamedTemporaryFile(prefix="web-upload-", dir=directory, delete=False) as handle:
        for chunk in file.chunks(CHUNK_BYTES):
            digest.update(chunk)
            size += len(chunk)
            handle.write(chunk)
    return Upload(path=Path(handle.name), size=size, sha256=digest.hexdigest(), file_name=file.name or "")


@require_http_methods(["GET", "POST"])
@login_required
def imports(request: HttpRequest) -> HttpResponse:
    """Show the upload form (to analysts and above) and the history of imports in scope."""
    scope = scope_of(request)
    may_import = _may_import(scope.principal)
    if request.method == "POST" and not may_import:
        raise PermissionDenied(selectors.IMPORTING_NEEDS)
    initial = {
        "asset": request.GET.get("asset", ""),
        "organization": scope.organization.organization_slug if scope.organization else "",
    }
    form = UploadForm(request.POST or None, request.FILES or None, principal=scope.principal, initial=initial)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        if file.size > get_settings().max_upload_bytes:
            form.add_error("file", f"The report is larger than {get_settings().max_upload_bytes} bytes.")
        else:
            try:
                options = options_from(form.upload_fields())
                job = take_in(upload=_spool(file), options=options, principal=scope.principal)
            except ImportForbidden as refused:
                raise PermissionDenied(str(refused)) from refused
            except ImportRefused as refused:
                form.add_error(None, _plain(str(refused)))
            else:
                return HttpResponseRedirect(reverse("web:import", args=[job.pk]))
    jobs = ImportJob.objects.for_principal(scope.principal).select_related("asset", "organization")
    if scope.organization_id is not None:
        jobs = jobs.in_organization(scope.organization_id)
    page = Paginator(jobs.order_by("-created_at"), PAGE_SIZE).get_page(request.GET.get("page"))
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request,
        "web/imports/imports.html",
        {"form": form, "may_import": may_import, "page": page},
        status=status,
    )


# The intake's refusals name the API's fields; the page names its own controls.
API_WORDS = {
    "name it with the `format` field (GET /scanner/v1/formats lists them)": "choose it in the Format list",
}


def _plain(message: str) -> str:
    """Say an intake refusal in the page's words."""
    for api_words, page_words in API_WORDS.items():
        message = message.replace(api_words, page_words)
    return message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")


def _job_for(request: HttpRequest, import_id: uuid.UUID) -> ImportJob:
    try:
        return selectors.import_for(principal=principal_of(request), import_id=str(import_id))
    except ImportNotFound as missing:
        raise Http404("No such import.") from missing


@require_GET
@login_required
def import_detail(request: HttpRequest, import_id: uuid.UUID) -> HttpResponse:
    """Show one import; while it runs, its progress refreshes itself every second."""
    job = _job_for(request, import_id)
    return render(
        request, "web/imports/import_detail.html", {"job": job, "is_finished": job.state in FINISHED_STATES}
    )


@require_GET
@login_required
def import_progress(request: HttpRequest, import_id: uuid.UUID) -> HttpResponse:
    """Return the import's progress fragment (htmx polls it until the import is finished)."""
    job = _job_for(request, import_id)
    return render(
        request, "web/imports/progress.html", {"job": job, "is_finished": job.state in FINISHED_STATES}
    )
