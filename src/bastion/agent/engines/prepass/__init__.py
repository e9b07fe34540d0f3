"""Rewrite submitted Python so that Semgrep's taint mode sees constants, guards and containers.

Semgrep's open-source taint analysis loses taint through slices, forgets the other keys of a dict
when one constant key is written, keeps both branches of a condition decidable from literals,
keeps values read back from a list, dict or ``configparser`` by another key than the user's
tainted, does not end taint at a validation guard, and does not follow data into a helper. This
pre-pass rewrites the source before Semgrep reads it, from the AST's positions (UTF-8 byte
columns), segment by segment:

* conditions decidable from literals (arithmetic, comparisons, boolean operators, ``in`` on
  literal containers, ``len`` and pure string methods of literals) are folded by a conservative
  evaluator over AST nodes (never ``eval``): ``A if C else B`` becomes the chosen branch and the
  dead branch of an ``if`` becomes ``pass`` statements;
* ``X[a:b]`` becomes ``X``;
* literal-keyed writes of dicts, lists and configparser objects are followed through the
  straight-line code of each function: a later read by a literal key becomes the literal, the
  name or the short expression the slot holds; anything not followed (a loop or branch writing
  the container, a call it is passed to, an alias, a rebound name) makes the slot or the
  container unknown and its reads are left alone;
* a validation guard passes the checked name through ``__bastion_guard__(...)``, which the rules
  declare a sanitiser: an ``if`` that leaves (return, raise, abort, exit, continue, break) when
  the check fails turns the name in its test into ``(N := __bastion_guard__(N))``; a positive
  allow-list ``if`` starts its body with ``N = __bastion_guard__(N);`` on the same line; the
  checked branch of ``N if N in ALLOWED else "/"`` is wrapped; and the arguments given to a
  helper that raises unless its parameter passes such a check are marked at each call.
* data that reaches a helper of the same file (a function, a method, a constructor, a dataclass
  field, an instance attribute) is marked ``__bastion_input__(...)`` where the helper reads it,
  and a call to a helper that returns request data is marked where it is made: the rules declare
  that marker a source (the open-source taint analysis stops at a function's edge);
* a call of a helper that can only return a clean value (escaped, converted, allow-listed,
  looked up in a constant table) passes through ``__bastion_guard__(...)``.

The result keeps every line where it was (a replaced multi-line segment is padded with line
breaks), so Semgrep's line numbers stay right; it is only analysed, never run. The submitted code
is data: it is parsed, never executed. Each pass is checked by parsing its output: a pass whose
output does not parse, or whose line count changed, is dropped, and input that cannot be parsed
(syntax errors, NUL bytes, nesting too deep) comes back unchanged.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from bastion.agent.engines.prepass.containers import track
from bastion.agent.engines.prepass.folding import fold
from bastion.agent.engines.prepass.guards import GUARD, mark_guards
from bastion.agent.engines.prepass.helpers import INPUT, mark_inputs
from bastion.agent.engines.prepass.summaries import mark_clean_calls
from bastion.agent.engines.prepass.text import Edit, Text

__all__ = ["GUARD", "INPUT", "prepare"]

MAX_SOURCE = 512 * 1024
FOLD_ROUNDS = 3  # nested conditional expressions and slices come out one level a round

Rewrite = Callable[[ast.Module, Text], list[Edit]]


def prepare(source: str) -> str:
    """Return the source rewritten for the taint analysis, or unchanged when it cannot be parsed."""
    try:
        if len(source) > MAX_SOURCE or "\r" in source.replace("\r\n", "\n"):
            return source
        current = source
        tree = parse(current)
        if tree is None:
            return source
        for _ in range(FOLD_ROUNDS):
            rewritten = apply(current, tree, fold)
            if rewritten is None:
                break
            current, tree = rewritten
        rewritten = apply(current, tree, follow)
        if rewritten is not None:
            current, tree = rewritten
        else:
            # One edit of the two passes broke the code: keep at least the other pass.
            for rewrite in (track, mark_guards):
                rewritten = apply(current, tree, rewrite)
                if rewritten is not None:
                    current, tree = rewritten
        # Same-file flows are marked last: a guard's walrus then ends a parameter's taint.
        rewritten = apply(current, tree, mark_inputs)
        if rewritten is not None:
            current, tree = rewritten
        # Then the calls of helpers that can only return a clean value.
        rewritten = apply(current, tree, mark_clean_calls)
        if rewritten is not None:
            current = rewritten[0]
    except Exception:  # noqa: BLE001 - the pre-pass only sharpens the analysis: on any failure, analyse the original
        return source
    return current


def follow(tree: ast.Module, text: Text) -> list[Edit]:
    """Return the container and guard edits together: they touch different nodes, one parse checks both."""
    return [*track(tree, text), *mark_guards(tree, text)]


def parse(source: str) -> ast.Module | None:
    """Return the module's AST, or ``None`` when it is not valid Python."""
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def apply(source: str, tree: ast.Module, rewrite: Rewrite) -> tuple[str, ast.Module] | None:
    """Run one rewrite; return its output and AST, or ``None`` when it changed nothing or broke the code."""
    text = Text(source, tree)
    edits = rewrite(tree, text)
    if not edits:
        return None
    rewritten = text.apply(edits)
    if rewritten.count("\n") != source.count("\n"):
        return None
    reparsed = parse(rewritten)
    return None if reparsed is None else (rewritten, reparsed)
