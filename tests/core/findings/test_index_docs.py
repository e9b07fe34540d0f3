"""docs/database.md lists every index of the findings tables with the query it serves."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import models

from bastion.core.findings.models import Finding, FindingAdvisory, FindingCwe
from bastion.core.imports.models import ImportJob

DOCS = Path(__file__).resolve().parents[3] / "docs" / "database.md"


@pytest.mark.parametrize("model", [Finding, FindingAdvisory, FindingCwe, ImportJob])
def test_every_declared_index_and_constraint_is_documented(model: type[models.Model]) -> None:
    text = DOCS.read_text(encoding="utf-8")
    names = [index.name for index in model._meta.indexes] + [
        constraint.name
        for constraint in model._meta.constraints
        if isinstance(constraint, models.UniqueConstraint)
    ]
    assert names
    assert [name for name in names if f"`{name}`" not in text] == []
