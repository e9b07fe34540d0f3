"""Start an engine under limits, unprivileged: the launcher every analysis engine runs through.

    python -I -S sandbox.py MEMORY_MB CPU_SECONDS [--expose DIR]... [--hide DIR]... -- PROGRAM [ARG...]

It runs as a script with ``-I -S``: isolated mode puts neither the script's directory nor the
working directory on ``sys.path`` and ignores every ``PYTHON*`` variable and the user's site,
and ``-S`` skips the ``site`` module, whose ``.pth`` files can run code from site-packages. So
nothing but the standard library runs before the limits, and the launcher imports only
``os``, ``sys`` and ``resource`` (and ``ctypes``, ``pwd``, ``signal`` once the limits hold). In this order:

1. the limits: address space (0: none), CPU time, no core file;
2. when started as root, the engine will run as ``nobody``. A directory it needs (``--expose``:
   the workspace, the Python installation) that ``nobody`` cannot reach, as with a Python
   installed under ``/root`` by pyenv or uv, is made reachable in a private mount namespace: an
   empty tmpfs over the closed ancestor with only that directory bound back into it. A
   directory it must not see (``--hide``: Bastion's state, with the database and the secret
   key) that ``nobody`` could enter is covered by an empty read-only tmpfs. Then the
   supplementary groups go, then the group, then the user;
3. no new privileges: a set-user-id program started by the engine gains nothing;
4. the engine dies with the process that started it (a worker killed mid-scan leaves no engine
   running on), ``PR_SET_PDEATHSIG``;
5. ``execv`` of the engine, so no ``preexec_fn`` runs in the service's threaded process.

Any failure before the engine starts exits with ``EXIT_REFUSED`` and one line on stderr: the
engine never runs with less isolation than asked for.
"""

from __future__ import annotations

import os
import resource
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import ctypes

EXIT_REFUSED = 125
# Run as a script with -I -S: see above.
LAUNCHER = os.path.realpath(__file__)
SANDBOX_USER = "nobody"
OVERFLOW_ID = 65534  # the kernel's "nobody" when the user database has none
USAGE = "usage: sandbox MEMORY_MB CPU_SECONDS [--expose DIR]... [--hide DIR]... -- PROGRAM [ARG...]"

CLONE_NEWNS = 0x00020000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 0x1, 0x2, 0x4, 0x8
MS_BIND, MS_REC, MS_PRIVATE = 0x1000, 0x4000, 0x40000
PR_SET_NO_NEW_PRIVS = 38
PR_SET_PDEATHSIG = 1


class Refused(Exception):
    """The engine cannot be started as isolated as asked."""


def launcher_command(
    argv: list[str], *, memory_mb: int, cpu_seconds: int, expose: list[str], hide: list[str]
) -> list[str]:
    """Return the command line that runs ``argv`` through this launcher under the limits.

    For the services that start engines (the agent's analyses, the scanner's scans): the
    launcher runs as a script with ``-I -S`` on the caller's interpreter (not with ``-m``,
    which needs site-packages, hence ``.pth`` files, on the path). Directories are made
    absolute and given once each.
    """
    options: list[str] = []
    for flag, directories in (("--expose", expose), ("--hide", hide)):
        for directory in dict.fromkeys(os.path.abspath(d) for d in directories):
            options += [flag, directory]
    return [sys.executable, "-I", "-S", LAUNCHER, str(memory_mb), str(cpu_seconds), *options, "--", *argv]


def installation(program: str) -> list[str]:
    """Return the directories a program is installed in: its ``bin``'s parent, before and after symlinks.

    For ``.venv/bin/python`` that is the virtual environment and the Python it was made from.
    """
    if not os.path.isabs(program):
        return []
    real = os.path.realpath(program)
    return [os.path.dirname(os.path.dirname(program)), os.path.dirname(os.path.dirname(real))]


def sandbox_identity() -> tuple[int, int]:
    """Return the user and group the engines run as when the service is root."""
    import pwd

    try:
        entry = pwd.getpwnam(SANDBOX_USER)
    except KeyError:
        return OVERFLOW_ID, OVERFLOW_ID
    return entry.pw_uid, entry.pw_gid


def parse(arguments: list[str]) -> tuple[int, int, list[str], list[str], list[str]]:
    """Split the command line into limits, directories to expose and to hide, and the engine's argv."""
    if len(arguments) < 2 or "--" not in arguments:
        raise Refused(USAGE)
    memory_mb, cpu_seconds, *rest = arguments
    separator = rest.index("--")
    options, argv = rest[:separator], rest[separator + 1 :]
    expose: list[str] = []
    hide: list[str] = []
    if len(options) % 2 or not argv:
        raise Refused(USAGE)
    for flag, directory in zip(options[::2], options[1::2], strict=True):
        if flag not in ("--expose", "--hide") or not os.path.isabs(directory):
            raise Refused(USAGE)
        (expose if flag == "--expose" else hide).append(os.path.normpath(directory))
    for needed in expose:
        for hidden in hide:
            if needed == hidden or needed.startswith(hidden.rstrip("/") + "/"):
                raise Refused(f"{needed} is inside {hidden}, which engines must not see")
    try:
        return int(memory_mb), int(cpu_seconds), expose, hide, argv
    except ValueError:
        raise Refused(USAGE) from None


def limit(memory_mb: int, cpu_seconds: int) -> None:
    """Cap the address space (unless 0), the CPU time and core files."""
    if memory_mb > 0:
        memory = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _ancestors(path: str) -> list[str]:
    """Return ``/``, then each directory down to ``path`` itself."""
    parts = [part for part in path.split("/") if part]
    return ["/"] + ["/" + "/".join(parts[: index + 1]) for index in range(len(parts))]


def survey(expose: list[str], hide: list[str], uid: int, gid: int) -> tuple[dict[str, list[str]], list[str]]:
    """As the sandbox user, find what it cannot reach but needs, and what it can reach but must not.

    Return the needed directories grouped by their highest ancestor closed to the user, and the
    directories to hide that the user could enter.
    """
    blocked: dict[str, list[str]] = {}
    open_to_user: list[str] = []
    os.setegid(gid)
    os.seteuid(uid)
    try:
        for directory in expose:
            for ancestor in _ancestors(directory):
                if not os.access(ancestor, os.X_OK, effective_ids=True):
                    if ancestor == directory:
                        raise Refused(f"{SANDBOX_USER} cannot enter {directory}")
                    blocked.setdefault(ancestor, []).append(directory)
                    break
        open_to_user = [d for d in hide if os.access(d, os.X_OK, effective_ids=True)]
    finally:
        os.seteuid(0)
        os.setegid(0)
    return blocked, open_to_user


def _libc() -> ctypes.CDLL:
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    libc.mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong, ctypes.c_char_p]
    libc.unshare.argtypes = [ctypes.c_int]
    libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    return libc


def _call(result: int, what: str) -> None:
    if result != 0:
        import ctypes

        raise Refused(f"{what}: {os.strerror(ctypes.get_errno())}")


def _encoded(text: str | None) -> bytes | None:
    return None if text is None else os.fsencode(text)


def _mount(
    libc: ctypes.CDLL, source: str | None, target: str, kind: str | None, flags: int, data: str | None
) -> None:
    result = libc.mount(_encoded(source), _encoded(target), _encoded(kind), flags, _encoded(data))
    _call(result, f"cannot mount over {target}")


def isolate_filesystem(blocked: dict[str, list[str]], hide: list[str]) -> None:
    """In a private mount namespace, open the needed directories to all and cover the hidden ones."""
    libc = _libc()
    _call(libc.unshare(CLONE_NEWNS), "cannot create a mount namespace")
    _mount(libc, None, "/", None, MS_REC | MS_PRIVATE, None)  # nothing below propagates back out
    previous_umask = os.umask(0o022)
    for closed, wanted in blocked.items():
        # Outermost first: a wanted directory inside another is reachable through it.
        kept = [d for d in sorted(set(wanted)) if not any(d.startswith(o + "/") for o in wanted if o != d)]
        handles = {directory: os.open(directory, os.O_PATH | os.O_DIRECTORY) for directory in kept}
        _mount(libc, "tmpfs", closed, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755,size=64k")
        for directory, handle in handles.items():
            os.makedirs(directory, mode=0o755, exist_ok=True)
            _mount(libc, f"/proc/self/fd/{handle}", directory, None, MS_BIND | MS_REC, None)
            os.close(handle)
    for directory in hide:
        if os.path.isdir(directory):
            flags = MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC
            _mount(libc, "tmpfs", directory, "tmpfs", flags, "mode=0000,size=4k")
    os.umask(previous_umask)


def drop_privileges(uid: int, gid: int) -> None:
    """Become the sandbox user for good: no supplementary groups, then the group, then the user."""
    os.setgroups([])
    os.setresgid(gid, gid, gid)
    os.setresuid(uid, uid, uid)
    if os.getresuid() != (uid, uid, uid) or os.getresgid() != (gid, gid, gid):
        raise Refused(f"could not become {SANDBOX_USER}")


def forbid_new_privileges() -> None:
    """Make set-user-id and file capabilities inert for the engine and its children."""
    _call(_libc().prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "cannot set no_new_privs")


def die_with_parent(parent: int) -> None:
    """Have the kernel kill the engine when the process that started it dies, however it dies.

    Set after the privileges are dropped (a change of credentials clears it). Should the
    parent already be gone, the engine is not started at all.
    """
    import signal

    _call(_libc().prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0), "cannot set the parent-death signal")
    if os.getppid() != parent:
        raise Refused("the process that started the engine is gone")


def main(arguments: list[str]) -> None:
    """Apply the limits, drop root, then become the engine."""
    parent = os.getppid()
    try:
        memory_mb, cpu_seconds, expose, hide, argv = parse(arguments)
        limit(memory_mb, cpu_seconds)
        if os.geteuid() == 0:
            uid, gid = sandbox_identity()
            os.setgroups([])
            blocked, open_to_user = survey(expose, hide, uid, gid)
            if blocked or open_to_user:
                isolate_filesystem(blocked, open_to_user)
            drop_privileges(uid, gid)
        forbid_new_privileges()
        die_with_parent(parent)
        os.execv(argv[0], argv)  # noqa: S606 - an argument list chosen by the engine module, no shell
    except (Refused, OSError) as error:
        sys.stderr.write(f"sandbox: {error}\n")
        raise SystemExit(EXIT_REFUSED) from None


if __name__ == "__main__":
    main(sys.argv[1:])
