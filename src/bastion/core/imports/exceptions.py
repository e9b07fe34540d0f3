"""Import errors.

ImportError_
└── ImportRefused   the request cannot become an import (asset, engagement, size, format)
"""


class ImportRefused(Exception):  # noqa: N818
    """The request cannot become an import; the message says why."""
