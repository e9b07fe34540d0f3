"""`bastion advisories import PATH` prints the counts and the rate."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from bastion import cli
from bastion.core.advisories.models import Advisory

pytestmark = pytest.mark.django_db(transaction=True)


def test_import_prints_counts(export_directory: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "_setup_django", lambda **_options: None)
    (export_directory / "broken.json").write_text("{")

    result = CliRunner().invoke(cli.app, ["advisories", "import", str(export_directory)])

    assert result.exit_code == 0, result.output
    assert "read 7, new 6, updated 0, unchanged 0, refused 1 in " in result.stdout
    assert "records/s" in result.stdout
    assert "refused broken.json: not JSON" in result.stderr
    assert Advisory.objects.count() == 6


def test_an_unsafe_zip_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import zipfile

    monkeypatch.setattr(cli, "_setup_django", lambda **_options: None)
    with zipfile.ZipFile(tmp_path / "all.zip", "w") as archive:
        archive.writestr("../x.json", "{}")

    result = CliRunner().invoke(cli.app, ["advisories", "import", str(tmp_path / "all.zip")])

    assert result.exit_code == 2
    assert "refused: member '../x.json'" in result.stderr
