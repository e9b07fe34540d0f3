"""Query-parameter filters shared by every list endpoint of the core API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import django_filters
from django.core.exceptions import ValidationError
from django_filters.fields import IsoDateTimeField

#: The UTC offsets in use on Earth; anything beyond is a typo or a probe.
EARLIEST_OFFSET = timedelta(hours=-12)
LATEST_OFFSET = timedelta(hours=14)


class UtcDateTimeField(IsoDateTimeField):
    """An ISO 8601 date and time, refused with a clear message unless it is a real instant.

    The value is handed to the database in UTC: an offset the database does not accept
    (PostgreSQL stops at ±15:59) or an instant that leaves years 1 to 9999 once moved to UTC
    would otherwise fail there, as a server error.
    """

    default_error_messages = {
        "offset": "Enter a UTC offset between -12:00 and +14:00.",
        "range": "Enter a date/time between 0001-01-01 and 9999-12-31 in UTC.",
    }

    def to_python(self, value: Any) -> datetime | None:
        if isinstance(value, str) and "\x00" in value:  # Python's parser stops at a NUL and accepts the rest
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        result: datetime | None = super().to_python(value)
        if result is None:
            return None
        offset = result.utcoffset()
        if offset is not None and not EARLIEST_OFFSET <= offset <= LATEST_OFFSET:
            raise ValidationError(self.error_messages["offset"], code="offset")
        try:
            return result.astimezone(UTC)
        except OverflowError as error:
            raise ValidationError(self.error_messages["range"], code="range") from error


class UtcDateTimeFilter(django_filters.IsoDateTimeFilter):
    """Filter on a date-time field by an ISO 8601 value; a bad value is a 400 naming the filter."""

    field_class = UtcDateTimeField
