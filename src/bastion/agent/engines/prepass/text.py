"""Locate AST nodes in the source by UTF-8 offsets and apply edits that keep every line in place."""

from __future__ import annotations

import ast
from dataclasses import dataclass


@dataclass(frozen=True)
class Edit:
    """Replace the bytes ``start:end`` of the source with ``text`` (same number of line breaks)."""

    start: int
    end: int
    text: str


class Text:
    """The source as UTF-8 bytes with the offset of each line, to cut and rewrite node segments."""

    def __init__(self, source: str, tree: ast.AST) -> None:
        self.data = source.encode("utf-8")
        self.tree = tree
        self.format_string_nodes: set[int] | None = None
        self.line_starts = [0]
        position = self.data.find(b"\n")
        while position != -1:
            self.line_starts.append(position + 1)
            position = self.data.find(b"\n", position + 1)

    def offset(self, line: int, column: int) -> int:
        """Return the byte offset of a (1-based line, UTF-8 byte column) position."""
        return self.line_starts[line - 1] + column

    def span(self, node: ast.AST) -> tuple[int, int]:
        """Return the byte offsets a node covers (decorators included for definitions)."""
        first: ast.AST = node
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and node.decorator_list:
            first = node.decorator_list[0]
        start = self.offset(first.lineno, first.col_offset)  # type: ignore[attr-defined]
        end_line = node.end_lineno  # type: ignore[attr-defined]
        end_column = node.end_col_offset  # type: ignore[attr-defined]
        return start, self.offset(end_line, end_column)

    def located(self, node: ast.AST) -> bool:
        """Tell whether the node's recorded position really holds its source text."""
        # Python 3.11 sometimes misplaces nodes inside f-strings: those are checked before an edit.
        if self.format_string_nodes is None:
            self.format_string_nodes = {
                id(inner)
                for outer in ast.walk(self.tree)
                if isinstance(outer, ast.JoinedStr)
                for inner in ast.walk(outer)
                if inner is not outer
            }
        if id(node) not in self.format_string_nodes:
            return True
        try:
            parsed = ast.parse(self.segment(node).strip(), mode="eval").body
        except (SyntaxError, ValueError, UnicodeDecodeError):
            return False
        return ast.dump(parsed) == ast.dump(node)

    def segment(self, node: ast.AST) -> str:
        """Return the source text of a node."""
        start, end = self.span(node)
        return self.data[start:end].decode("utf-8")

    def line_breaks(self, node: ast.AST) -> int:
        """Return how many line breaks a node's segment holds."""
        start, end = self.span(node)
        return self.data.count(b"\n", start, end)

    def expression(self, node: ast.AST, text: str) -> Edit | None:
        """Replace an expression by ``text``, in parentheses padded with line breaks when it spanned lines."""
        if not self.located(node):
            return None
        start, end = self.span(node)
        missing = self.data.count(b"\n", start, end) - text.count("\n")
        if missing < 0:
            return None
        if missing:
            text = "(" + text + "\n" * missing + ")"
        return Edit(start, end, text)

    def statement(self, node: ast.stmt, text: str) -> Edit:
        """Replace a statement by ``text`` followed by the blank lines it no longer fills."""
        start, end = self.span(node)
        return Edit(start, end, text + "\n" * self.data.count(b"\n", start, end))

    def apply(self, edits: list[Edit]) -> str:
        """Return the source with the edits applied; an edit overlapping an earlier, wider one is dropped."""
        pieces: list[bytes] = []
        cursor = 0
        for edit in sorted(edits, key=lambda edit: (edit.start, -edit.end)):
            if edit.start < cursor:
                continue
            pieces.append(self.data[cursor : edit.start])
            pieces.append(edit.text.encode("utf-8"))
            cursor = edit.end
        pieces.append(self.data[cursor:])
        return b"".join(pieces).decode("utf-8")
