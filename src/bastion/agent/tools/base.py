"""What a tool is: a name, a description, its arguments' model, and a function over the ORM.

Tools run in a worker thread with the caller's principal and the conversation's
organisation; every query is scoped to both (``Model.objects.for_principal(principal)``, then
``.in_organization(organization_id)``), so no argument (nor a model's choice of one) can reach
another organisation's data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BaseModel, Field

from bastion.contracts.ids import MAX_ROW_ID
from bastion.contracts.principal import Principal

# The largest row id the database holds (a 64-bit key): a model may write any number, and a
# larger one would overflow in the query instead of being refused as an argument.
RowId = Annotated[int, Field(ge=1, le=MAX_ROW_ID)]

# An enum's own title and docstring: noise in a tool's schema, where the field describes itself.
SCHEMA_LABELS = frozenset({"title", "description"})


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


@dataclass(frozen=True)
class Tool:
    """One tool the assistant may run."""

    name: str
    description: str
    arguments: type[BaseModel]
    function: Callable[[ToolContext, Any], ToolResult]
    changes_data: bool = False  # proposes a change: only when the user asked for one

    def json_schema(self) -> dict[str, Any]:
        """Return the arguments' JSON schema as providers want it: one object, no references."""
        schema = self.arguments.model_json_schema()
        definitions = schema.pop("$defs", {})
        schema.pop("title", None)
        inlined: dict[str, Any] = _inline(schema, definitions)
        return inlined


def _inline(node: Any, definitions: dict[str, Any]) -> Any:
    """Replace each ``$ref`` by its definition (an enum of the core's): small models see the values."""
    if isinstance(node, list):
        return [_inline(item, definitions) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        name = node["$ref"].removeprefix("#/$defs/")
        target = {key: value for key, value in definitions[name].items() if key not in SCHEMA_LABELS}
        rest = {key: value for key, value in node.items() if key != "$ref"}
        return _inline({**target, **rest}, definitions)
    return {key: _inline(value, definitions) for key, value in node.items()}
