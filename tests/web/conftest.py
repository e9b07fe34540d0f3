"""The browser harness: real Chromium (Debian's) driven by Playwright, on Django's live server.

``page_for(user)`` opens a 1400x900 page already signed in as ``user`` (a session made the way a
sign-in makes one), which records the console (``page.console_errors``). ``screenshot(page, name)``
writes ``docs/screenshots/<name>.png``; ``assert_accessible(page)`` runs axe-core and fails on any
serious or critical violation. Without /usr/bin/chromium the browser tests are skipped, or fail
under ``BASTION_TEST_SERVICES=required`` (as tests/services.py treats servers).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from fastapi.testclient import TestClient

from bastion.core.accounts.models import User
from bastion.gateway import create_gateway
from tests import services

CHROMIUM = Path("/usr/bin/chromium")
VIEWPORT = {"width": 1400, "height": 900}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
TEMPORARY_SCREENSHOTS = Path(tempfile.gettempdir()) / "bastion-screenshots"
VENDOR = (
    Path(__file__).resolve().parents[2] / "src" / "bastion" / "core" / "web" / "static" / "web" / "vendor"
)
SERIOUS = {"serious", "critical"}


def _require_chromium() -> None:
    if CHROMIUM.is_file():
        return
    message = f"no Chromium at {CHROMIUM} (Debian's `chromium` package)"
    if services.is_required():
        pytest.fail(f"{message} (BASTION_TEST_SERVICES=required)")
    pytest.skip(message)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One Chromium per test module (its event loop, and the variable below, end with the module)."""
    _require_chromium()
    if not (VENDOR / "htmx.min.js").is_file():
        pytest.fail("the web application's vendor files are missing: run `make install-dev`")
    from playwright.sync_api import sync_playwright

    # Playwright's synchronous API runs an event loop in this thread, so Django sees an "async
    # context" and refuses ORM calls; the tests' ORM calls are all synchronous and safe. The variable
    # is removed again at the module's end: a process started later must not inherit it.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def session_cookie_for(user: User) -> str:
    """Return a session key for ``user``, made as a sign-in makes one."""
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client.cookies[settings.SESSION_COOKIE_NAME].value


@pytest.fixture
def page_for(browser: Any, live_server: Any) -> Iterator[Callable[[User | None], Any]]:
    """Open pages at 1400x900 on the live server, signed in as a user (or not, with None)."""
    contexts: list[Any] = []

    def open_page(user: User | None) -> Any:
        context = browser.new_context(viewport=VIEWPORT, base_url=live_server.url)
        if user is not None:
            context.add_cookies(
                [
                    {
                        "name": settings.SESSION_COOKIE_NAME,
                        "value": session_cookie_for(user),
                        "url": live_server.url,
                    }
                ]
            )
        contexts.append(context)
        page = context.new_page()
        page.console_errors = []
        page.on(
            "console",
            lambda message: page.console_errors.append(message.text) if message.type == "error" else None,
        )
        page.on("pageerror", lambda error: page.console_errors.append(str(error)))
        return page

    yield open_page
    for context in contexts:
        context.close()


def screenshot(page: Any, name: str) -> Path:
    """Take the page at 1400x900 (the README's size); return where it went.

    Into docs/screenshots/<name>.png when BASTION_SCREENSHOTS=1 (how the README's pictures are
    refreshed), else into a temporary directory: a test run leaves the checkout as it found it.
    """
    directory = SCREENSHOTS if os.environ.get("BASTION_SCREENSHOTS") == "1" else TEMPORARY_SCREENSHOTS
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def assert_accessible(page: Any) -> None:
    """Run axe-core on the page; fail listing every serious or critical violation."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    violations = [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(str(node["target"]) for node in violation["nodes"][:3])
        for violation in results.response["violations"]
        if violation["impact"] in SERIOUS
    ]
    assert violations == []


@pytest.fixture
def agent() -> Iterator[TestClient]:
    """The gateway app in this process: the live server runs the core only."""
    with TestClient(create_gateway(), base_url="http://localhost") as client:
        yield client


def through_agent(page: Any, agent: TestClient) -> list[dict[str, Any]]:
    """Hand the page's requests to /agent/v1/ to the agent, cookies and headers untouched; return them.

    The agent authenticates the session and checks the CSRF header exactly as behind the gateway.
    """
    sent: list[dict[str, Any]] = []

    def handle(route: Any) -> None:
        request = route.request
        headers = {k: v for k, v in request.all_headers().items() if k.lower() != "content-length"}
        address = urlsplit(request.url)
        headers["host"] = address.netloc  # as the gateway receives it
        sent.append({"path": address.path, "headers": headers, "body": request.post_data_json})
        answer = agent.request(
            request.method, address.path, content=request.post_data_buffer, headers=headers
        )
        route.fulfill(
            status=answer.status_code,
            body=answer.content,
            headers={"content-type": answer.headers.get("content-type", "application/json")},
        )

    page.route("**/agent/v1/**", handle)
    return sent
