"""Mark the calls of the file's helpers that can only return a clean value.

Semgrep carries a tainted argument's taint to the result of any call it cannot see into. A helper
of the same file that escapes, converts or allow-lists its argument before returning it
(``def landing(url): return url if url in PAGES else "/"``, ``return escape(name)``,
``return TABLE[key]``) then looks like a propagator, and every use of its result is a false
finding. A function is *clean* when every value it returns is: a literal or a module constant, a
sanitising call (``int``, ``html.escape``, ``shlex.quote``, … or a call of another clean helper),
a lookup in a constant table, ``x if x in ALLOWED else literal``, a conditional whose two branches
are clean, or a guard's ``__bastion_guard__(...)``; a function with no value-returning
``return`` is not summarised. Each call of a clean function is passed through
``__bastion_guard__(...)``, which the rules declare a sanitiser.
"""

from __future__ import annotations

import ast

from bastion.agent.engines.prepass.guards import GUARD
from bastion.agent.engines.prepass.helpers import (
    constant_lookup,
    dotted,
    is_constant_name,
    is_sanitiser,
    safe_parameters,
)
from bastion.agent.engines.prepass.text import Edit, Text

ROUNDS = 4  # a clean helper may return another clean helper's result


def mark_clean_calls(tree: ast.Module, text: Text) -> list[Edit]:
    """Return the edits that pass each call of a clean helper through the guard marker."""
    try:
        return _edits(tree, text)
    except Exception:  # noqa: BLE001 - a failure of this pass must not cost the other passes' rewrites
        return []


def _edits(tree: ast.Module, text: Text) -> list[Edit]:
    functions: dict[str, list[ast.FunctionDef | ast.AsyncFunctionDef]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            functions.setdefault(node.name, []).append(node)
    clean: set[str] = set()
    for _ in range(ROUNDS):
        found = {
            name
            for name, definitions in functions.items()
            if all(_returns_clean(definition, clean) for definition in definitions)
        }
        if found == clean:
            break
        clean = found
    edits: list[Edit] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _called_name(node) in clean and text.located(node):
            start, end = text.span(node)
            edits.extend((Edit(start, start, GUARD + "("), Edit(end, end, ")")))
    return edits


def _called_name(node: ast.Call) -> str | None:
    """Return the helper a call names: ``f(...)``, ``self.f(...)`` or ``cls.f(...)``."""
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name):
        if node.func.value.id in {"self", "cls"}:
            return node.func.attr
    return None


def _returns_clean(function: ast.FunctionDef | ast.AsyncFunctionDef, clean: set[str]) -> bool:
    values = [node.value for node in _own_returns(function) if node.value is not None]
    numbers = safe_parameters(function)  # parameters declared int, float, bool, UUID, date…
    return bool(values) and all(_is_clean(value, clean, numbers) for value in values)


def _own_returns(function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.Return]:
    """Return the function's ``return`` statements, not those of functions nested in it."""
    found: list[ast.Return] = []
    pending: list[ast.AST] = list(function.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Return):
            found.append(node)
        elif not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda):
            pending.extend(ast.iter_child_nodes(node))
    return found


def _is_clean(node: ast.expr, clean: set[str], numbers: frozenset[str] | set[str] = frozenset()) -> bool:
    if isinstance(node, ast.Constant) or is_constant_name(node):
        return True
    if isinstance(node, ast.Name):
        return node.id in numbers
    if isinstance(node, ast.JoinedStr):
        parts = [part.value for part in node.values if isinstance(part, ast.FormattedValue)]
        return all(_is_clean(part, clean, numbers) for part in parts)
    if isinstance(node, ast.Call):
        name = dotted(node.func)
        return name == GUARD or is_sanitiser(node) or _called_name(node) in clean
    if constant_lookup(node):
        return True
    if isinstance(node, ast.IfExp):
        return (
            _is_clean(node.body, clean, numbers) and _is_clean(node.orelse, clean, numbers)
        ) or _allow_listed(node)
    if isinstance(node, ast.BinOp):
        return _is_clean(node.left, clean, numbers) and _is_clean(node.right, clean, numbers)
    return False


def _allow_listed(node: ast.IfExp) -> bool:
    """Tell ``x if x in ALLOWED else <literal>`` (or the ``not in`` mirror) apart."""
    test = node.test
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.left, ast.Name)):
        return False
    name = test.left.id
    chosen, other = (node.body, node.orelse) if isinstance(test.ops[0], ast.In) else (node.orelse, node.body)
    if not isinstance(test.ops[0], ast.In | ast.NotIn):
        return False
    return isinstance(chosen, ast.Name) and chosen.id == name and isinstance(other, ast.Constant)
