"""Static files: hashed names in the pages after collectstatic, cached for ever by the gateway."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from fastapi.testclient import TestClient

from bastion.contracts.principal import Role
from bastion.gateway import create_gateway
from tests import factories
from tests.web.conftest import session_cookie_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_pages_name_content_hashed_files_which_the_gateway_lets_browsers_keep(
    settings: Any, tmp_path: Path
) -> None:
    # given: the static files collected as `bastion up` collects them
    settings.STATIC_ROOT = tmp_path / "static"
    call_command("collectstatic", interactive=False, verbosity=0)
    owner = factories.member(factories.organization(), Role.OWNER)

    with TestClient(create_gateway(), base_url="http://localhost") as client:
        client.cookies.set(django_settings.SESSION_COOKIE_NAME, session_cookie_for(owner))

        # when
        page = client.get("/")
        stylesheet = re.search(r'href="(/static/web/web\.[0-9a-f]{12}\.css)"', page.text)
        assert stylesheet is not None, page.text
        hashed = client.get(stylesheet.group(1))
        plain = client.get("/static/web/web.css")

    # then
    assert re.findall(r'src="/static/web/vendor/(htmx\.min\.[0-9a-f]{12}\.js)"', page.text) != []
    assert (hashed.status_code, hashed.headers["cache-control"]) == (
        200,
        "public, max-age=31536000, immutable",
    )
    assert plain.status_code == 200
    assert "cache-control" not in plain.headers
    assert hashed.content == plain.content
