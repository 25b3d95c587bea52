"""Domain rules: what the schemas cannot see — references, real dates, identifiers, the method.

Two kinds of rule, so that validation can cache and parallelise:
- file rules look at one record only (real dates, CVR numbers, codes, a history's order). They
  run when the file is read, and their findings are cached with the file.
- workspace rules look across records (references, ids, signatures against organisations). They
  run over the whole loaded Workspace on every validation that is not a pure cache hit.
Rules see only records that passed their schema, so they can trust types; references may point
at any record that exists, valid or not, so one broken file is not reported twice.
"""

from copi_cli.validation.rules import (  # noqa: F401  (registers)
    dates_and_ids,
    files,
    guidance,
    market,
    method,
    neutrality,
    personal,
    potential,
)
from copi_cli.validation.rules.base import check_file, check_rules, walk
from copi_cli.validation.rules.files import FILE_REFERENCES

__all__ = ["FILE_REFERENCES", "check_file", "check_rules", "walk"]
