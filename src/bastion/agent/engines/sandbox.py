"""Run a command under resource limits: ``python -m bastion.agent.engines.sandbox MB SECONDS -- argv``.

The limits are set in this small launcher and then the engine replaces it (``execv``), so
no ``preexec_fn`` runs in the service's threaded process.
"""

from __future__ import annotations

import os
import resource
import sys


def main(arguments: list[str]) -> None:
    """Apply the address-space and CPU limits, then become the engine."""
    memory_mb, cpu_seconds, separator, *argv = arguments
    if separator != "--" or not argv:
        raise SystemExit("usage: sandbox MEMORY_MB CPU_SECONDS -- COMMAND [ARG...]")
    memory = int(memory_mb) * 1024 * 1024
    if memory > 0:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    cpu = int(cpu_seconds)
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    os.execv(argv[0], argv)  # noqa: S606 - an argument list chosen by the engine module, no shell


if __name__ == "__main__":
    main(sys.argv[1:])
