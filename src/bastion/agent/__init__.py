"""The agent service: code analysis and the assistant."""
