"""Fold conditions decidable from literals and drop slices, as edits on the source."""

from __future__ import annotations

import ast

from bastion.agent.engines.prepass.literals import decide
from bastion.agent.engines.prepass.text import Edit, Text


def fold(tree: ast.AST, text: Text) -> list[Edit]:
    """Return the edits that resolve decidable conditions and turn ``X[a:b]`` into ``X``."""
    edits: list[Edit] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.IfExp):
            edits.extend(fold_expression(node, text))
        elif isinstance(node, ast.If):
            edits.extend(fold_statement(node, text))
        elif isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Slice):
            edits.extend(drop_slice(node, text))
    return edits


def fold_expression(node: ast.IfExp, text: Text) -> list[Edit]:
    """Replace ``A if C else B`` by the branch a decidable ``C`` chooses."""
    truth = decide(node.test)
    if truth is None:
        return []
    chosen = node.body if truth else node.orelse
    edit = text.expression(node, "(" + text.segment(chosen) + ")")
    return [] if edit is None else [edit]


def fold_statement(node: ast.If, text: Text) -> list[Edit]:
    """Blank the statements of the branch a decidable ``if`` test never runs."""
    truth = decide(node.test)
    if truth is None:
        return []
    dead = node.orelse if truth else node.body
    if truth is False and len(node.orelse) == 1 and isinstance(node.orelse[0], ast.If):
        # An `elif` shares its line with the `if` chain: keep it, the body alone is dead.
        dead = node.body
    return [text.statement(statement, "pass") for statement in dead]


def drop_slice(node: ast.Subscript, text: Text) -> list[Edit]:
    """Rewrite a read ``X[a:b]`` as ``X``: the taint analysis then follows ``X`` itself."""
    if not isinstance(node.ctx, ast.Load):
        return []
    _, value_end = text.span(node.value)
    _, end = text.span(node)
    if text.data.count(b"\n", value_end, end) == 0:
        return [Edit(value_end, end, "")]
    edit = text.expression(node, "(" + text.segment(node.value) + ")")
    return [] if edit is None else [edit]
