"""`advisories sync` against a real HTTP server on 127.0.0.1 serving OSV-shaped exports."""

from __future__ import annotations

import hashlib
import io
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bastion import cli
from bastion.core.advisories import sync as advisories_sync
from bastion.core.advisories.models import Advisory
from bastion.core.advisories.tasks import sync_advisories
from tests.conftest import SettingsPatch

OSV_FIXTURES = Path(__file__).parent / "fixtures" / "osv"
PYPI_IDS = {"GHSA-p64x-8rxx-wf6q"}
NPM_IDS = {"GHSA-jf85-cpcp-j695"}

pytestmark = pytest.mark.django_db


def export(*osv_ids: str) -> bytes:
    """An all.zip as OSV publishes it: one JSON file per record."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for osv_id in sorted(osv_ids):
            archive.write(OSV_FIXTURES / f"{osv_id}.json", f"{osv_id}.json")
    return buffer.getvalue()


@dataclass
class ExportServer:
    """What the server serves (path -> bytes) and what it was asked (path and headers)."""

    base_url: str = ""
    files: dict[str, bytes] = field(default_factory=dict)
    redirects: dict[str, str] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    # Send bodies without Content-Length (ended by closing the connection), as a server may.
    declares_length: bool = True


@pytest.fixture
def server() -> Iterator[ExportServer]:
    """A real HTTP server on a free port of 127.0.0.1, with ETags and conditional GETs."""
    state = ExportServer()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.requests.append((self.path, {name.lower(): value for name, value in self.headers.items()}))
            if self.path in state.redirects:
                self.send_response(302)
                self.send_header("Location", state.redirects[self.path])
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            body = state.files.get(self.path)
            if body is None:
                self.send_error(404)
                return
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/zip")
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", "Mon, 03 Mar 2025 10:00:00 GMT")
            if state.declares_length:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass  # keep the test output quiet

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)  # listening once constructed
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    state.base_url = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


@pytest.fixture
def var_dir(fresh_settings: SettingsPatch, tmp_path: Path) -> Path:
    """A state directory of the test's own: sync state and downloads start empty."""
    fresh_settings.setenv("BASTION_VAR_DIR", str(tmp_path / "var"))
    return tmp_path / "var"


def imported_ids() -> set[str]:
    return set(Advisory.objects.values_list("osv_id", flat=True))


def test_first_sync_imports_then_an_unchanged_export_is_not_downloaded(
    server: ExportServer, var_dir: Path
) -> None:
    # given
    server.files["/PyPI/all.zip"] = export(*PYPI_IDS)

    # when
    first = advisories_sync.sync(ecosystems=["PyPI"], base_url=server.base_url)

    # then
    assert first["PyPI"].status == "imported"
    assert first["PyPI"].downloaded_bytes == len(server.files["/PyPI/all.zip"])
    assert first["PyPI"].counts is not None
    assert (first["PyPI"].counts.read, first["PyPI"].counts.new) == (1, 1)
    assert imported_ids() == PYPI_IDS
    assert "if-none-match" not in server.requests[0][1]

    # when: nothing changed on the server
    Advisory.objects.all().delete()  # a re-import would bring it back
    second = advisories_sync.sync(ecosystems=["PyPI"], base_url=server.base_url)

    # then
    assert second["PyPI"].status == "not-modified"
    assert second["PyPI"].counts is None
    assert second["PyPI"].downloaded_bytes == 0
    sent = server.requests[1][1]
    assert sent["if-none-match"] == '"' + hashlib.sha256(server.files["/PyPI/all.zip"]).hexdigest()[:16] + '"'
    assert sent["if-modified-since"] == "Mon, 03 Mar 2025 10:00:00 GMT"
    assert imported_ids() == set()
    assert sorted(path.name for path in (var_dir / "advisories").iterdir()) == ["sync-state.json"]


def test_a_changed_export_is_downloaded_again(server: ExportServer, var_dir: Path) -> None:
    server.files["/PyPI/all.zip"] = export(*PYPI_IDS)
    advisories_sync.sync(ecosystems=["PyPI"], base_url=server.base_url)
    server.files["/PyPI/all.zip"] = export(*PYPI_IDS, *NPM_IDS)

    result = advisories_sync.sync(ecosystems=["PyPI"], base_url=server.base_url)

    assert result["PyPI"].status == "imported"
    assert result["PyPI"].counts is not None
    assert (result["PyPI"].counts.new, result["PyPI"].counts.unchanged) == (1, 1)
    assert imported_ids() == PYPI_IDS | NPM_IDS


def test_one_missing_export_fails_alone(server: ExportServer, var_dir: Path) -> None:
    server.files["/npm/all.zip"] = export(*NPM_IDS)

    result = advisories_sync.sync(ecosystems=["PyPI", "npm"], base_url=server.base_url)

    assert result["PyPI"].status == "failed"
    assert result["PyPI"].reason == f"{server.base_url}/PyPI/all.zip: HTTP 404 Not Found"
    assert result["npm"].status == "imported"
    assert imported_ids() == NPM_IDS


@pytest.mark.parametrize("declares_length", [True, False], ids=["declared", "streamed"])
def test_a_download_over_the_limit_is_refused(
    server: ExportServer, var_dir: Path, fresh_settings: SettingsPatch, declares_length: bool
) -> None:
    # given: an export one byte over the limit
    server.files["/PyPI/all.zip"] = body = export(*PYPI_IDS)
    server.declares_length = declares_length
    fresh_settings.setenv("BASTION_ADVISORIES_MAX_DOWNLOAD_BYTES", str(len(body) - 1))

    # when
    result = advisories_sync.sync(ecosystems=["PyPI"], base_url=server.base_url)

    # then
    assert result["PyPI"].status == "failed"
    if declares_length:
        expected = f"{len(body)} bytes declared, over the limit of {len(body) - 1}"
    else:
        expected = f"more than the limit of {len(body) - 1} bytes"
    assert result["PyPI"].reason == f"{server.base_url}/PyPI/all.zip: {expected}"
    assert imported_ids() == set()
    assert list((var_dir / "advisories").iterdir()) == []  # no download left, no state saved


def test_a_redirect_is_not_followed(server: ExportServer, var_dir: Path) -> None:
    server.files["/elsewhere/all.zip"] = export(*PYPI_IDS)
    server.redirects["/PyPI/all.zip"] = "/elsewhere/all.zip"

    result = advisories_sync.sync(ecosystems=["PyPI"], base_url=server.base_url)

    assert result["PyPI"].status == "failed"
    assert result["PyPI"].reason == (
        f"{server.base_url}/PyPI/all.zip: HTTP 302, a redirect to '/elsewhere/all.zip' (not followed)"
    )
    assert [path for path, _headers in server.requests] == ["/PyPI/all.zip"]
    assert imported_ids() == set()


def test_a_download_that_is_not_a_zip_is_refused(server: ExportServer, var_dir: Path) -> None:
    server.files["/PyPI/all.zip"] = b"<html>maintenance</html>"

    result = advisories_sync.sync(ecosystems=["PyPI"], base_url=server.base_url)

    assert result["PyPI"].status == "failed"
    assert result["PyPI"].reason.endswith("/PyPI/all.zip: the download (24 bytes) is not a zip")
    assert list((var_dir / "advisories").iterdir()) == []


def test_an_unknown_ecosystem_is_refused_before_any_request(server: ExportServer, var_dir: Path) -> None:
    server.files["/PyPI/all.zip"] = export(*PYPI_IDS)

    with pytest.raises(advisories_sync.SyncRefused, match=r"unknown ecosystem '\.\./PyPI'"):
        advisories_sync.sync(ecosystems=["PyPI", "../PyPI"], base_url=server.base_url)

    assert server.requests == []
    assert imported_ids() == set()


def test_an_ecosystem_name_is_quoted_and_aliases_are_canonical(server: ExportServer, var_dir: Path) -> None:
    server.files["/crates.io/all.zip"] = export("RUSTSEC-2021-0003")

    result = advisories_sync.sync(ecosystems=["cargo"], base_url=server.base_url + "/")

    assert list(result) == ["crates.io"]
    assert result["crates.io"].status == "imported"
    assert [path for path, _headers in server.requests] == ["/crates.io/all.zip"]


def test_the_beat_task_does_nothing_when_the_setting_is_off(
    server: ExportServer, var_dir: Path, fresh_settings: SettingsPatch
) -> None:
    server.files["/PyPI/all.zip"] = export(*PYPI_IDS)
    fresh_settings.setenv("BASTION_ADVISORIES_URL", server.base_url)
    fresh_settings.setenv("BASTION_ADVISORIES_ECOSYSTEMS", "PyPI")
    fresh_settings.delenv("BASTION_ADVISORIES_SYNC", raising=False)

    assert sync_advisories() == {"skipped": "BASTION_ADVISORIES_SYNC is off"}
    assert server.requests == []
    assert imported_ids() == set()


def test_the_beat_task_syncs_when_the_setting_is_on(
    server: ExportServer, var_dir: Path, fresh_settings: SettingsPatch
) -> None:
    server.files["/PyPI/all.zip"] = export(*PYPI_IDS)
    fresh_settings.setenv("BASTION_ADVISORIES_URL", server.base_url)
    fresh_settings.setenv("BASTION_ADVISORIES_ECOSYSTEMS", "PyPI")
    fresh_settings.setenv("BASTION_ADVISORIES_SYNC", "true")

    result = sync_advisories()

    assert result["PyPI"]["status"] == "imported"
    assert result["PyPI"]["counts"]["new"] == 1
    assert imported_ids() == PYPI_IDS


def test_the_command_prints_each_ecosystem_and_fails_if_one_failed(
    server: ExportServer, var_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli, "_setup_django", lambda **_options: None)
    server.files["/PyPI/all.zip"] = body = export(*PYPI_IDS)
    command = ["advisories", "sync", "--url", server.base_url, "--ecosystem", "PyPI"]

    first = CliRunner().invoke(cli.app, [*command, "--ecosystem", "Go"])
    second = CliRunner().invoke(cli.app, command)

    assert first.exit_code == 1, first.output
    assert first.stdout == (
        f"PyPI: downloaded {len(body)} bytes; read 1, new 1, updated 0, unchanged 0, refused 0\n"
    )
    assert first.stderr == f"bastion: Go: failed: {server.base_url}/Go/all.zip: HTTP 404 Not Found\n"
    assert second.exit_code == 0, second.output
    assert second.stdout == "PyPI: not modified\n"
    assert imported_ids() == PYPI_IDS


def test_the_command_refuses_an_unknown_ecosystem(
    server: ExportServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli, "_setup_django", lambda **_options: None)

    result = CliRunner().invoke(
        cli.app, ["advisories", "sync", "--url", server.base_url, "--ecosystem", "Debian"]
    )

    assert result.exit_code == 2
    assert "bastion: refused: unknown ecosystem 'Debian'" in result.stderr
    assert server.requests == []
