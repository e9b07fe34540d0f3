"""Reading reports as streams: JSON, JSON Lines, XML and CSV records, and where they are.

Every reader streams: memory follows the largest record, never the report. Every
damage they meet is a :class:`MalformedReport` naming where, with one convention for
positions across the package:

* a record in a structured document by its path, with zero-based indexes:
  ``results[3]``, ``runs[0].results[12]``, ``ReportHost[2].ReportItem[0]``; an
  entry of a JSON object by its key, ``advisories[1234]``; the document itself
  as ``top level``;
* a line of a line-oriented report (CSV, JSON Lines) by its one-based number, as
  editors show it: ``line 4``; an XML syntax error by its line and column;
* a syntax error found by a whole-document JSON read by its byte offset: ``byte 812``;
* a finding the registry could not build by its zero-based place: ``finding[0]``.

docs/formats/README.md says the same for users. The readers live in private modules
beside this one (``_streams``, ``_json``, ``_xml``, ``_csv``); parsers import them from
here, as ``readers.iter_json``...
"""

from __future__ import annotations

from bastion.parsers._csv import csv_header, iter_csv, iter_csv_records
from bastion.parsers._json import (
    JsonReader,
    JsonRecord,
    as_mapping,
    check_depth,
    depth_checked,
    expect_list,
    expect_mapping,
    iter_json,
    iter_json_lines,
    load_json,
    not_a_report,
    read_values,
)
from bastion.parsers._streams import (
    EMPTY_REPORT,
    MAX_DEPTH,
    first_byte,
    head_text,
    peek,
    replayed,
    rewound,
    seekable,
)
from bastion.parsers._xml import (
    child,
    child_text,
    children,
    children_by_name,
    descendants,
    iter_xml,
    local_name,
    named_text,
    root_attributes,
)

__all__ = [
    "EMPTY_REPORT",
    "MAX_DEPTH",
    "JsonReader",
    "JsonRecord",
    "as_mapping",
    "check_depth",
    "child",
    "child_text",
    "children",
    "children_by_name",
    "csv_header",
    "depth_checked",
    "descendants",
    "expect_list",
    "expect_mapping",
    "first_byte",
    "head_text",
    "iter_csv",
    "iter_csv_records",
    "iter_json",
    "iter_json_lines",
    "iter_xml",
    "load_json",
    "local_name",
    "named_text",
    "not_a_report",
    "peek",
    "read_values",
    "replayed",
    "rewound",
    "root_attributes",
    "seekable",
]
