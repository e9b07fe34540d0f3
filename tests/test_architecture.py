"""The architecture is a test: the import-linter contracts of pyproject.toml hold on Bastion's code.

Each part imports only what lies below it (contracts <- {bus, parsers} <- core <- servicekit <-
{scanner, agent} <- {gateway, cli}); contracts and parsers import no framework; no router imports
another. A broken contract is reported with the import chains that break it, as ``lint-imports``
prints them. Imports inside functions count, and so do those under ``TYPE_CHECKING``.
"""

from __future__ import annotations

from collections.abc import Iterator
from copy import deepcopy
from pathlib import Path

import grimp
import pytest
from importlinter.api import read_configuration
from importlinter.application.output import console
from importlinter.contracts.forbidden import ForbiddenContract
from importlinter.contracts.independence import IndependenceContract
from importlinter.contracts.layers import LayersContract
from importlinter.domain.contract import Contract, ContractCheck

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"
CONTRACT_TYPES: dict[str, type[Contract]] = {
    "forbidden": ForbiddenContract,
    "independence": IndependenceContract,
    "layers": LayersContract,
}
# Where a planted import says it is: no real import of Bastion is on this line.
PLANTED_LINE = 99_999


def _contracts() -> dict[str, Contract]:
    """Return the contracts of pyproject.toml by id."""
    configuration = read_configuration(str(PYPROJECT))
    return {
        contract_options["id"]: CONTRACT_TYPES[contract_options["type"]](
            name=contract_options["name"],
            session_options=configuration["session_options"],
            contract_options=contract_options,
        )
        for contract_options in configuration["contracts_options"]
    }


def _broken(graph: grimp.ImportGraph) -> dict[str, tuple[Contract, ContractCheck]]:
    """Return each broken contract by id, with its check."""
    checks = {
        contract_id: (contract, contract.check(deepcopy(graph), verbose=False))
        for contract_id, contract in _contracts().items()
    }
    return {
        contract_id: (contract, check) for contract_id, (contract, check) in checks.items() if not check.kept
    }


def _rendered(contract: Contract, check: ContractCheck) -> str:
    """Return the chains that break a contract, as lint-imports prints them."""
    with console.capture() as captured:
        contract.render_broken_contract(check)
    return f"{contract.name}:\n{captured.get()}"


def _imports(metadata: object) -> Iterator[tuple[str, str, int]]:
    """Yield every (importer, imported, line) of the chains a check names, however it nests them."""
    if isinstance(metadata, dict):
        if {"importer", "imported", "line_numbers"} <= metadata.keys():
            for line in metadata["line_numbers"]:
                yield metadata["importer"], metadata["imported"], line
        for value in metadata.values():
            yield from _imports(value)
    elif isinstance(metadata, list | tuple):
        for value in metadata:
            yield from _imports(value)


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    """The import graph of Bastion's code as it is, external packages as single nodes."""
    session = read_configuration(str(PYPROJECT))["session_options"]
    return grimp.build_graph(
        *session["root_packages"],
        include_external_packages=session["include_external_packages"],
        cache_dir=None,
    )


def test_every_contract_holds(graph: grimp.ImportGraph) -> None:
    broken = _broken(graph)

    assert list(broken) == [], "\n".join(_rendered(contract, check) for contract, check in broken.values())


def test_the_contracts_are_those_the_architecture_names() -> None:
    assert list(_contracts()) == ["layers", "contracts-alone", "parsers-library", "no-frameworks", "routers"]


def test_imports_inside_functions_are_in_the_graph(graph: grimp.ImportGraph) -> None:
    # cli.py imports the parsers only inside the commands that use them
    assert graph.direct_import_exists(importer="bastion.cli", imported="bastion.parsers")


def _naming(graph: grimp.ImportGraph, importer: str, imported: str) -> list[str]:
    """Plant one import in the graph; return the ids of the contracts whose broken chains name it."""
    assert {importer, imported} <= graph.modules
    planted = deepcopy(graph)
    planted.add_import(
        importer=importer, imported=imported, line_number=PLANTED_LINE, line_contents=f"import {imported}"
    )
    return [
        contract_id
        for contract_id, (_contract, check) in _broken(planted).items()
        if (importer, imported, PLANTED_LINE) in set(_imports(check.metadata))
    ]


@pytest.mark.parametrize(
    ("importer", "imported", "contract_id"),
    [
        ("bastion.contracts.finding", "bastion.config", "contracts-alone"),
        ("bastion.contracts.finding", "django", "no-frameworks"),
        ("bastion.contracts.finding", "starlette", "no-frameworks"),
        ("bastion.parsers.sarif", "bastion.config", "parsers-library"),
        ("bastion.parsers.sarif", "bastion.core.findings.models", "parsers-library"),
        ("bastion.parsers.sarif", "fastapi", "no-frameworks"),
        ("bastion.parsers.sarif", "celery", "no-frameworks"),
        ("bastion.bus.app", "bastion.core.findings.models", "layers"),
        ("bastion.bus.app", "bastion.parsers", "layers"),
        ("bastion.core.findings.services", "bastion.servicekit.auth", "layers"),
        ("bastion.core.findings.services", "bastion.scanner.main", "layers"),
        ("bastion.core.findings.services", "bastion.agent.main", "layers"),
        ("bastion.core.findings.services", "bastion.gateway", "layers"),
        ("bastion.core.findings.services", "bastion.cli", "layers"),
        ("bastion.agent.main", "bastion.scanner.main", "layers"),
        ("bastion.scanner.main", "bastion.agent.main", "layers"),
        ("bastion.scanner.webhooks.router", "bastion.scanner.diagnostics.router", "routers"),
    ],
)
def test_a_wrong_import_planted_in_the_code_breaks_its_contract(
    graph: grimp.ImportGraph, importer: str, imported: str, contract_id: str
) -> None:
    # when
    naming_it = _naming(graph, importer, imported)
    # then: the contract it breaks names it (others may too, through a longer chain)
    assert contract_id in naming_it, naming_it


@pytest.mark.parametrize(
    ("importer", "imported"),
    [
        ("bastion.contracts.finding", "pydantic"),
        ("bastion.parsers.sarif", "bastion.contracts.finding"),
        ("bastion.core.findings.services", "bastion.parsers"),
        ("bastion.servicekit.auth", "bastion.core.findings.services"),
        ("bastion.agent.main", "bastion.core.findings.services"),
        ("bastion.cli", "bastion.core.findings.services"),
    ],
)
def test_an_import_down_the_layers_breaks_nothing(
    graph: grimp.ImportGraph, importer: str, imported: str
) -> None:
    assert _naming(graph, importer, imported) == []
