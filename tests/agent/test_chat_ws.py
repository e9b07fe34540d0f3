"""The chat over a WebSocket: the same events as SSE, authentication, bad messages."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from bastion.core.assistant.models import Conversation


def receive_turn(websocket: Any) -> list[dict[str, Any]]:
    events = []
    while not events or events[-1]["type"] not in {"done"}:
        events.append(websocket.receive_json())
    return events


def test_the_websocket_carries_the_same_events_as_sse(
    gateway_client: TestClient, tenants: dict[str, Any]
) -> None:
    headers = {"Authorization": f"Token {tenants['key']}"}
    over_sse = gateway_client.post(
        "/agent/v1/chat/stream", json={"message": "Which critical findings do we have?"}, headers=headers
    ).text
    with gateway_client.websocket_connect("/agent/v1/chat/ws", headers=headers) as websocket:
        # when: two turns of one conversation on one socket
        websocket.send_json({"message": "Which critical findings do we have?"})
        first = receive_turn(websocket)
        websocket.send_json(
            {"message": "and past their SLA?", "conversation_id": first[0]["conversation_id"]}
        )
        second = receive_turn(websocket)
    # then
    sse_types = [line for line in over_sse.split("\n\n") if line]
    assert [e["type"] for e in first] == [
        "conversation",
        "tool_call",
        "tool_result",
        "text",
        "text",
        "text",
        "text",
        "done",
    ]
    assert len(sse_types) == len(first)
    assert first[2]["result"]["total"] == 1
    assert second[0]["conversation_id"] == first[0]["conversation_id"]
    assert [e["name"] for e in second if e["type"] == "tool_call"] == ["sla_breaches"]
    assert Conversation.objects.get(pk=first[0]["conversation_id"]).messages.count() == 6


@pytest.mark.parametrize("authorization", [None, "Token wrong"])
def test_an_unauthenticated_websocket_is_closed(
    gateway_client: TestClient, tenants: dict[str, Any], authorization: str | None
) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    with pytest.raises(WebSocketDisconnect) as closed:
        with gateway_client.websocket_connect("/agent/v1/chat/ws", headers=headers) as websocket:
            websocket.receive_json()
    assert closed.value.code == 4401
    assert Conversation.objects.count() == 0


def test_a_bad_message_gets_an_error_and_the_socket_stays_open(
    gateway_client: TestClient, tenants: dict[str, Any]
) -> None:
    headers = {"Authorization": f"Token {tenants['key']}"}
    with gateway_client.websocket_connect("/agent/v1/chat/ws", headers=headers) as websocket:
        websocket.send_text("{not json")
        error = websocket.receive_json()
        websocket.send_json({"message": "x" * 9000})
        too_long = websocket.receive_json()
        websocket.send_json({"message": "trends"})
        turn = receive_turn(websocket)
    assert error["type"] == "error"
    assert error["message"].startswith("invalid request: body: Invalid JSON")
    assert too_long == {
        "type": "error",
        "message": "invalid request: message: String should have at most 8000 characters",
    }
    assert turn[-1]["type"] == "done"
    assert Conversation.objects.count() == 1


@pytest.mark.parametrize(
    ("origin", "accepted"),
    [
        ("http://testserver", True),
        ("https://testserver", True),  # TLS ended by a proxy in front
        ("https://evil.example", False),
        ("http://testserver:8080", False),
    ],
)
def test_a_session_cookie_opens_a_websocket_only_from_the_site_itself(
    gateway_client: TestClient, tenants: dict[str, Any], origin: str, accepted: bool
) -> None:
    browser = Client()
    browser.force_login(tenants["analyst"])
    cookie = f"{settings.SESSION_COOKIE_NAME}={browser.cookies[settings.SESSION_COOKIE_NAME].value}"
    headers = {"Cookie": cookie, "Origin": origin}
    if accepted:
        with gateway_client.websocket_connect("/agent/v1/chat/ws", headers=headers) as websocket:
            websocket.send_json({"message": "trends"})
            assert receive_turn(websocket)[-1]["type"] == "done"
        assert Conversation.objects.count() == 1
        return
    with pytest.raises(WebSocketDisconnect) as closed:
        with gateway_client.websocket_connect("/agent/v1/chat/ws", headers=headers) as websocket:
            websocket.receive_json()
    assert closed.value.code == 4401
    assert Conversation.objects.count() == 0
