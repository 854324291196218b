"""The case catalogue: Urgent Actions as TOML files under `actions/`, loaded and validated.

One file per case, named after its slug. Loading reports every problem of a file, each with the
file and the field it concerns, and refuses that file without touching the others. The mapping
the files hold is also the JSON document the database stores (`case_to_mapping` and
`case_from_mapping`), read back through the same checks.

The rooms: `fields` (the schema: what each table may hold, what each value must look like),
`values` (reading one value and saying what is wrong with it), `reader` (a mapping, table by
table, into the domain's dataclasses), `checks` (the rules across fields, and a draft's gaps),
`folder` (a folder of files), `document` (the stored mapping) and `problems` (what is wrong,
where).
"""

from __future__ import annotations

from bot.catalogue.checks import gaps
from bot.catalogue.document import case_from_mapping, case_to_mapping
from bot.catalogue.fields import (
    FACTS_LIMIT,
    LANGUAGE,
    OFFSET,
    SHEET_REGION,
    SLUG,
    TIME,
    format_offset,
    is_email,
    parse_offset,
)
from bot.catalogue.folder import CatalogueResult, load_case, load_catalogue
from bot.catalogue.problems import CatalogueError, Problem

__all__ = [
    "FACTS_LIMIT",
    "LANGUAGE",
    "OFFSET",
    "SHEET_REGION",
    "SLUG",
    "TIME",
    "CatalogueError",
    "CatalogueResult",
    "Problem",
    "case_from_mapping",
    "case_to_mapping",
    "format_offset",
    "gaps",
    "is_email",
    "load_case",
    "load_catalogue",
    "parse_offset",
]
