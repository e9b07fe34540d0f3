"""The gateway: routing by prefix and lifespan events reaching the services."""

from __future__ import annotations

import httpx
import pytest
from fastapi.testclient import TestClient

from bastion.gateway import create_gateway


@pytest.mark.parametrize(
    ("path", "service"),
    [
        ("/scanner/healthz", "scanner"),
        ("/agent/healthz", "agent"),
        ("/healthz", "core"),
        ("/scannerx/healthz", "core"),
    ],
)
def test_routes_by_first_path_segment(path: str, service: str) -> None:
    gateway = create_gateway()

    chosen = gateway.route(path)

    expected = gateway.services.get(service, gateway.core)
    assert chosen is expected


def test_lifespan_reaches_every_service(transactional_db: None) -> None:
    # given
    gateway = create_gateway()
    # when
    with TestClient(gateway, base_url="http://localhost") as client:
        clients: list[httpx.AsyncClient] = [service.state.http for service in gateway.services.values()]
        assert client.get("/scanner/healthz").status_code == 200
        assert [http.is_closed for http in clients] == [False, False]
    # then
    assert [http.is_closed for http in clients] == [True, True]


def test_unknown_core_path_is_django_404(transactional_db: None) -> None:
    with TestClient(create_gateway(), base_url="http://localhost") as client:
        response = client.get("/no/such/page")

    assert response.status_code == 404
    assert "text/html" in response.headers["content-type"]
