"""Import errors: the intake refuses a request with one of these, the worker gives up with the last.

Each service maps the classes to its answers (the scanner: ``scanner.exceptions``), never
the message, which is written for the caller and says what to change::

    ImportDomainError
    ├── ImportRefused                 a request about imports cannot be served; nothing was kept
    │   ├── ImportReferenceNotFound   what the request names does not exist, or not for this caller
    │   │   ├── AssetNotFound
    │   │   ├── EngagementNotFound
    │   │   ├── OrganizationNotFound
    │   │   └── ImportNotFound
    │   ├── ImportForbidden           the caller's role is too low to import there
    │   ├── InvalidImportOptions      a field is malformed, or the request is ambiguous
    │   │   └── OrganizationNotChosen the caller may import into several organisations
    │   ├── InvalidReport             the report cannot be read as a report
    │   │   └── UnknownReportFormat   neither named nor recognised
    │   └── DuplicateDelivery         a webhook delivery id already received
    └── ImportGivenUp                 its workers died on every delivery allowed: the job is failed,
                                      its message dead-lettered
"""


class ImportDomainError(Exception):
    """Something about an import went wrong; the message says what."""


class ImportRefused(ImportDomainError):
    """The request cannot become (or read) an import; nothing of it was kept."""


class ImportReferenceNotFound(ImportRefused):
    """Something the request names does not exist, or is out of the caller's reach."""


class AssetNotFound(ImportReferenceNotFound):
    """No such asset in the organisations the caller may reach."""


class EngagementNotFound(ImportReferenceNotFound):
    """No such engagement on the import's asset."""


class OrganizationNotFound(ImportReferenceNotFound):
    """The caller names an organisation they do not belong to."""


class ImportNotFound(ImportReferenceNotFound):
    """No such import job in the organisations the caller may reach."""


class ImportForbidden(ImportRefused):
    """The caller's role in the organisation does not allow importing (analyst or higher)."""


class InvalidImportOptions(ImportRefused):
    """A field of the request is malformed or contradicts another."""


class OrganizationNotChosen(InvalidImportOptions):
    """The caller may import into several organisations and named none."""


class InvalidReport(ImportRefused):
    """The report cannot be read: checked at intake, before anything is created."""


class UnknownReportFormat(InvalidReport):
    """The report's format was neither named nor recognised."""


class DuplicateDelivery(ImportRefused):
    """A webhook delivery with this id was already received for the organisation."""


class ImportGivenUp(ImportDomainError):
    """The job was failed after its workers died on each delivery; the message says so."""
