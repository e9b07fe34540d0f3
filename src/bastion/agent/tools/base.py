"""What a tool is: a name, a description, its arguments' model, and a function over the ORM.

Tools run in a worker thread with the caller's principal and the conversation's
organisation; every query goes through the core's selectors scoped to both, so no
argument (nor a model's choice of one) can reach another organisation's data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from bastion.contracts.principal import Principal


@dataclass(frozen=True)
class ToolContext:
    """Who is asking, about which organisation, in which conversation."""

    principal: Principal
    organization_id: int
    conversation_id: str


@dataclass(frozen=True)
class ToolResult:
    """A tool's answer: data for the model and the client, and a plain-text rendering."""

    data: dict[str, Any]
    text: str


class ToolFailed(Exception):
    """The tool could not answer (unknown id, missing role); the message is shown to the user."""


@dataclass(frozen=True)
class Tool:
    """One tool the assistant may run."""

    name: str
    description: str
    arguments: type[BaseModel]
    function: Callable[[ToolContext, Any], ToolResult]
    changes_data: bool = False  # proposes a change: only when the user asked for one

    def json_schema(self) -> dict[str, Any]:
        """Return the arguments' JSON schema as providers want it."""
        schema = self.arguments.model_json_schema()
        schema.pop("title", None)
        return schema
