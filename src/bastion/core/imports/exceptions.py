"""Import errors.

ImportError_
├── ImportRefused   the request cannot become an import (asset, engagement, size, format)
└── ImportGivenUp   its workers died on every delivery allowed: the job is failed, its message dead-lettered
"""


class ImportRefused(Exception):  # noqa: N818
    """The request cannot become an import; the message says why."""


class ImportGivenUp(Exception):  # noqa: N818
    """The job was failed after its workers died on each delivery; the message says so."""
