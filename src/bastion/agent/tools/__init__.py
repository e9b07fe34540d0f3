"""The assistant's tools, by name."""

from __future__ import annotations

from bastion.agent.exceptions import ToolFailed
from bastion.agent.tools.base import Tool, ToolContext, ToolResult
from bastion.agent.tools.findings import EXPLAIN, SEARCH
from bastion.agent.tools.proposals import PROPOSE_ASSIGNMENT, PROPOSE_STATUS
from bastion.agent.tools.summaries import LAST_IMPORT, SLA_BREACHES, SUMMARIZE, TRENDS

TOOLS: dict[str, Tool] = {
    tool.name: tool
    for tool in (
        SEARCH,
        EXPLAIN,
        SUMMARIZE,
        TRENDS,
        SLA_BREACHES,
        LAST_IMPORT,
        PROPOSE_STATUS,
        PROPOSE_ASSIGNMENT,
    )
}

__all__ = ["TOOLS", "Tool", "ToolContext", "ToolFailed", "ToolResult"]
