"""Schemathesis hooks for the API fuzz run: the caller's own organisation and membership are never removed.

Loaded by ``st`` through ``SCHEMATHESIS_HOOKS``; the ids come from ``BASTION_FUZZ_OWN_ORGANIZATION_ID``
and ``BASTION_FUZZ_OWN_MEMBERSHIP_ID``. Deleting the organisation, or demoting or deleting the membership,
that the fuzzer's token stands on would turn every later request into 401/403 and end the run's reach; any
other organisation or membership id is fuzzed as usual, in a throwaway organisation.
"""

from __future__ import annotations

import os
from typing import Any

import schemathesis
from schemathesis import Case

# (method, path template) → the environment variable holding the id the path must not name.
PROTECTED = {
    ("DELETE", "/api/v1/organizations/{id}"): "BASTION_FUZZ_OWN_ORGANIZATION_ID",
    ("PATCH", "/api/v1/memberships/{id}"): "BASTION_FUZZ_OWN_MEMBERSHIP_ID",
    ("DELETE", "/api/v1/memberships/{id}"): "BASTION_FUZZ_OWN_MEMBERSHIP_ID",
}


def targets_own(case: Case[Any]) -> bool:
    """Tell whether a case would remove or demote what the fuzzer's own token stands on."""
    variable = PROTECTED.get((case.method.upper(), case.path))
    if variable is None:
        return False
    try:
        # The server reads the id with int(), which also takes " 2", "+2" and other digits: so does this.
        return int(str(case.path_parameters.get("id"))) == int(os.environ[variable])
    except ValueError:
        return False


@schemathesis.hook
def filter_case(context: Any, case: Case[Any]) -> bool:
    """Never generate a case aimed at the caller's own organisation or membership."""
    return not targets_own(case)


@schemathesis.hook
def before_call(context: Any, case: Case[Any], **kwargs: Any) -> None:
    """Stop a case that reached the network by another way (a link, a response's id) before it is sent."""
    if targets_own(case):
        raise RuntimeError(f"refused: {case.method} {case.formatted_path} removes the fuzzer's own access")
