"""Issue 9, item 10: a malformed id in a path is not found (404); in a request body it is invalid (422).

Over the WebSocket, an invalid request gets an error event and the socket stays open.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

import pytest
from fastapi.testclient import TestClient

from bastion.core.assistant.models import Conversation, Proposal

Chat = Callable[..., list[dict[str, Any]]]
MALFORMED_IDS = ("abc", "1", "00000000-0000-0000-0000-00000000000g", "x" * 300, "%00", "' OR 1=1 --")
UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"


@pytest.mark.parametrize("malformed", MALFORMED_IDS)
@pytest.mark.parametrize(
    ("method", "path", "kind"),
    [
        ("get", "/agent/v1/conversations/{}", "conversation"),
        ("post", "/agent/v1/proposals/{}/confirm", "proposal"),
        ("post", "/agent/v1/proposals/{}/reject", "proposal"),
    ],
)
def test_item_10_a_malformed_id_in_a_path_is_not_found(
    chat: Chat,
    gateway_client: TestClient,
    tenants: dict[str, Any],
    method: str,
    path: str,
    kind: str,
    malformed: str,
) -> None:
    # given: a pending proposal, so that a decision that went through would show
    chat(f"Please mark #{tenants['low'].pk} as false positive")
    proposal = Proposal.objects.get()
    # when
    response = getattr(gateway_client, method)(
        path.format(malformed), headers={"Authorization": f"Token {tenants['key']}"}
    )
    # then
    assert response.status_code == 404, response.text
    assert response.json() == {"detail": f"no {kind} {unquote(malformed)[:64]}"}
    proposal.refresh_from_db()
    assert proposal.state == "pending"


@pytest.mark.parametrize(
    ("method", "path", "detail"),
    [
        ("get", f"/agent/v1/conversations/{UNKNOWN_ID}", f"no conversation {UNKNOWN_ID}"),
        ("post", f"/agent/v1/proposals/{UNKNOWN_ID}/confirm", f"no proposal {UNKNOWN_ID}"),
        ("post", f"/agent/v1/proposals/{UNKNOWN_ID}/reject", f"no proposal {UNKNOWN_ID}"),
    ],
)
def test_item_10_an_unknown_id_in_a_path_is_not_found_either(
    gateway_client: TestClient, tenants: dict[str, Any], method: str, path: str, detail: str
) -> None:
    response = getattr(gateway_client, method)(path, headers={"Authorization": f"Token {tenants['key']}"})
    assert (response.status_code, response.json()) == (404, {"detail": detail})


@pytest.mark.parametrize("malformed", [*MALFORMED_IDS, "", 12, ["abc"]])
def test_item_10_a_malformed_conversation_id_in_a_chat_request_is_invalid(
    chat: Chat, tenants: dict[str, Any], malformed: Any
) -> None:
    # when
    refused = chat("Summarise the organisation", conversation_id=malformed, expect=422)
    # then
    assert [(error["loc"], error["type"]) for error in refused[0]["detail"]] == [
        (["body", "conversation_id"], "uuid_type" if not isinstance(malformed, str) else "uuid_parsing")
    ]
    assert Conversation.objects.count() == 0


def test_item_10_an_unknown_conversation_id_in_a_chat_request_is_not_found(
    chat: Chat, tenants: dict[str, Any]
) -> None:
    refused = chat("Summarise the organisation", conversation_id=UNKNOWN_ID, expect=404)
    assert refused == [{"detail": f"no conversation {UNKNOWN_ID}"}]
    assert Conversation.objects.count() == 0


def test_item_10_a_malformed_conversation_id_on_the_websocket_gets_an_error_event(
    gateway_client: TestClient, tenants: dict[str, Any]
) -> None:
    headers = {"Authorization": f"Token {tenants['key']}"}
    with gateway_client.websocket_connect("/agent/v1/chat/ws", headers=headers) as websocket:
        # when
        errors = []
        for malformed in [*MALFORMED_IDS, ""]:
            websocket.send_json({"message": "trends", "conversation_id": malformed})
            errors.append(websocket.receive_json())
        websocket.send_json({"message": "trends", "conversation_id": UNKNOWN_ID})
        unknown = websocket.receive_json()
        websocket.send_json({"message": "trends"})
        answered = [websocket.receive_json()]
        while answered[-1]["type"] != "done":
            answered.append(websocket.receive_json())
    # then: each got an error naming the field, and the socket still answers
    assert {error["type"] for error in errors} == {"error"}
    assert [error["message"].split(":")[:2] for error in errors] == [
        ["invalid request", " conversation_id"]
    ] * len(errors)
    assert unknown == {"type": "error", "message": f"no conversation {UNKNOWN_ID}"}
    assert answered[0]["type"] == "conversation"
    assert Conversation.objects.count() == 1


def test_item_10_a_chat_message_with_a_nul_character_is_invalid_and_nothing_is_stored(
    chat: Chat, gateway_client: TestClient, tenants: dict[str, Any]
) -> None:
    # when: over HTTP (it was a PostgreSQL DataError, a 500, found by schemathesis)
    refused = chat("Summarise\x00 the organisation", expect=422)
    # then
    assert [(error["loc"], error["msg"]) for error in refused[0]["detail"]] == [
        (["body", "message"], "Value error, must not contain a NUL character (\\x00)")
    ]
    # and over the WebSocket, which stays open
    headers = {"Authorization": f"Token {tenants['key']}"}
    with gateway_client.websocket_connect("/agent/v1/chat/ws", headers=headers) as websocket:
        websocket.send_json({"message": "trends\x00"})
        error = websocket.receive_json()
    assert error["type"] == "error"
    assert "message" in error["message"]
    assert "NUL" in error["message"]
    assert Conversation.objects.count() == 0


def test_item_10_code_with_a_nul_character_is_invalid(
    gateway_client: TestClient, tenants: dict[str, Any]
) -> None:
    response = gateway_client.post(
        "/agent/v1/analyze",
        json={"code": "x = 1\x00\n", "asset": None},
        headers={"Authorization": f"Token {tenants['key']}"},
    )
    assert response.status_code == 422
    assert [(error["loc"], error["msg"]) for error in response.json()["detail"]] == [
        (["body", "code"], "Value error, must not contain a NUL character (\\x00)")
    ]
