"""Fixtures of the advisory database's tests: real OSV records, as published, in fixtures/osv."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

OSV_FIXTURES = Path(__file__).parent / "fixtures" / "osv"


@pytest.fixture
def export_directory(tmp_path: Path) -> Path:
    """A copy of the fixture records, as a directory export a test may change."""
    target = tmp_path / "osv"
    shutil.copytree(OSV_FIXTURES, target)
    return target
