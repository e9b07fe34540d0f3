"""A conservative evaluator of literal expressions over AST nodes: it never runs the submitted code."""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable
from typing import Any

UNKNOWN: Any = object()
MAX_DEPTH = 40
MAX_SIZE = 4096  # longest string or collection, and widest integer in bits, the evaluator builds

BINARY: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Div: operator.truediv,
    ast.BitAnd: operator.and_,
    ast.BitOr: operator.or_,
    ast.BitXor: operator.xor,
}
COMPARISONS: dict[type[ast.cmpop], Callable[[Any, Any], Any]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.In: lambda left, right: left in right,
    ast.NotIn: lambda left, right: left not in right,
}
SCALARS = (str, bytes, int, float, bool, type(None))
SEQUENCES = (str, bytes, list, tuple)
BUILTINS: dict[str, Callable[..., Any]] = {"len": len, "abs": abs, "bool": bool, "min": min, "max": max}
# Methods whose result is no longer than their receiver (``replace`` could grow it: left out).
STRING_METHODS = frozenset({
    "upper", "lower", "casefold", "strip", "lstrip", "rstrip", "title", "capitalize", "startswith",
    "endswith", "isdigit", "isalpha", "isalnum", "isupper", "islower", "isspace", "count", "find",
})  # fmt: skip


def is_small(value: Any) -> bool:
    """Tell whether a computed value stays within the evaluator's size limits."""
    if isinstance(value, bool | float | type(None)):
        return True
    if isinstance(value, int):
        return value.bit_length() <= MAX_SIZE
    if isinstance(value, str | bytes | tuple | list | frozenset):
        return len(value) <= MAX_SIZE
    return False


def evaluate(node: ast.AST, depth: int = 0) -> Any:
    """Return the value of a literal expression, or ``UNKNOWN`` when it depends on anything else."""
    if depth > MAX_DEPTH:
        return UNKNOWN
    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, SCALARS) else UNKNOWN
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        items = [evaluate(item, depth + 1) for item in node.elts]
        if any(item is UNKNOWN for item in items):
            return UNKNOWN
        if isinstance(node, ast.Set):
            try:
                return frozenset(items)
            except TypeError:
                return UNKNOWN
        return tuple(items) if isinstance(node, ast.Tuple) else items
    try:
        value = compute(node, depth)
    except (ArithmeticError, TypeError, ValueError):
        return UNKNOWN
    return value if value is UNKNOWN or is_small(value) else UNKNOWN


def compute(node: ast.AST, depth: int) -> Any:
    """Evaluate an operator node whose operands are literal (helper of ``evaluate``)."""
    if isinstance(node, ast.UnaryOp):
        operand = evaluate(node.operand, depth + 1)
        if operand is UNKNOWN:
            return UNKNOWN
        if isinstance(node.op, ast.Not):
            return not operand
        if isinstance(operand, bool | int | float) and not isinstance(node.op, ast.Invert):
            return -operand if isinstance(node.op, ast.USub) else +operand
        return UNKNOWN
    if isinstance(node, ast.BinOp):
        return compute_binary(node, depth)
    if isinstance(node, ast.BoolOp):
        result: Any = UNKNOWN
        for item in node.values:
            result = evaluate(item, depth + 1)
            if result is UNKNOWN:
                return UNKNOWN
            if bool(result) == isinstance(node.op, ast.Or):
                return result
        return result
    if isinstance(node, ast.Compare):
        left = evaluate(node.left, depth + 1)
        for comparison, right_node in zip(node.ops, node.comparators, strict=True):
            right = evaluate(right_node, depth + 1)
            function = COMPARISONS.get(type(comparison))
            if left is UNKNOWN or right is UNKNOWN or function is None:
                return UNKNOWN
            if not function(left, right):
                return False
            left = right
        return True
    if isinstance(node, ast.Call) and not node.keywords:
        return compute_call(node, depth)
    return UNKNOWN


def compute_call(node: ast.Call, depth: int) -> Any:
    """Evaluate a pure built-in (``len("ab")``) or string method (``"kg".upper()``) on literals."""
    arguments = [evaluate(argument, depth + 1) for argument in node.args]
    if any(argument is UNKNOWN for argument in arguments):
        return UNKNOWN
    function = node.func
    if isinstance(function, ast.Name) and function.id in BUILTINS:
        return BUILTINS[function.id](*arguments)
    if isinstance(function, ast.Attribute) and function.attr in STRING_METHODS:
        receiver = evaluate(function.value, depth + 1)
        if isinstance(receiver, str | bytes) and all(isinstance(item, SCALARS) for item in arguments):
            return getattr(receiver, function.attr)(*arguments)
    return UNKNOWN


def compute_binary(node: ast.BinOp, depth: int) -> Any:
    """Evaluate a binary operation, refusing to build values past the size limits."""
    left = evaluate(node.left, depth + 1)
    right = evaluate(node.right, depth + 1)
    if left is UNKNOWN or right is UNKNOWN:
        return UNKNOWN
    if isinstance(node.op, ast.Pow):
        if isinstance(left, int | float) and isinstance(right, int) and 0 <= right <= 64:
            return left**right
        return UNKNOWN
    if isinstance(node.op, ast.Mult) and isinstance(left, SEQUENCES) and isinstance(right, int):
        return left * right if len(left) * max(right, 0) <= MAX_SIZE else UNKNOWN
    if isinstance(node.op, ast.Mult) and isinstance(right, SEQUENCES):
        return UNKNOWN
    if isinstance(node.op, ast.Mod) and isinstance(left, str | bytes):
        return UNKNOWN  # formatting: not worth the risk
    function = BINARY.get(type(node.op))
    return UNKNOWN if function is None else function(left, right)


def decide(node: ast.AST) -> bool | None:
    """Return the truth of a condition decidable from literals, or ``None``."""
    value = evaluate(node)
    if value is UNKNOWN:
        return None
    return bool(value)


def literal_text(value: Any) -> str | None:
    """Return source text for a scalar literal value, or ``None`` when it is not one."""
    if isinstance(value, SCALARS) and is_small(value):
        text = repr(value)
        return text if "\n" not in text else None
    return None
