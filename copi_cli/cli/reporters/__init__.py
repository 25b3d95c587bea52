"""Reporters: how results reach people and machines, one reporter per output format.

A command builds a result and hands it to the reporter reporter_for chose; every reporter draws
every kind of result (copi_cli.cli.reporters.base.Reporter lists them):

- text_reporter: plain lines, for pipes, files and logs;
- rich_reporter: tables for a person at a terminal (rich loaded only then);
- json_reporter: one JSON document (--json, --format json);
- ci_reporter: findings as GitHub annotations, JUnit or SARIF (--format github|junit|sarif).
"""

import sys

from copi_cli.cli.reporters.base import Reporter, quiet
from copi_cli.cli.reporters.ci_reporter import CI_FORMATS, CiReporter
from copi_cli.cli.reporters.json_reporter import JsonReporter
from copi_cli.cli.reporters.rich_reporter import RichReporter
from copi_cli.cli.reporters.text_reporter import TextReporter

__all__ = ["Reporter", "quiet", "reporter_for"]


def reporter_for(output: str = "text") -> Reporter:
    """The reporter for one of copi_cli.cli.formats.FORMATS; text is drawn with rich when
    standard output is a terminal."""
    if output == "json":
        return JsonReporter()
    if output in CI_FORMATS:
        return CiReporter(output)
    if output != "text":
        raise ValueError(f"unknown output format: {output}")
    return RichReporter() if sys.stdout.isatty() else TextReporter()
