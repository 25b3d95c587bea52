"""Findings in the formats CI systems read: GitHub workflow commands, JUnit XML, SARIF 2.1.0.

Process repos are changed through pull requests; copi's findings must show up where reviewers
look. Each format here turns the same Diagnostics (validation, the audit trail, an unmet gate)
into one text; the command prints it. Paths are made relative to the repository's root (where a
CI runner checks the repository out), so a process in a subdirectory is annotated correctly.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from copi_cli import __version__
from copi_cli.diagnostics import CODES, Diagnostic

FORMATS = ("text", "json", "github", "junit", "sarif")
# What a hostile or broken process can carry into a message, a name or a commit: C0 controls
# (ESC starts the sequences that clear a screen, write the clipboard (OSC 52) or hide a link
# (OSC 8); a newline starts a line of copi's own output), DEL, C1 controls (U+009B is a CSI of
# its own), the bidirectional overrides and isolates that reorder what a reader sees (Trojan
# Source), and the line and paragraph separators. Each is shown as \xNN or \uNNNN, never sent
# to a terminal, a CI log or XML; a lone surrogate (an undecodable file name) becomes U+FFFD.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e"
                          "\u2028\u2029\u2066-\u2069\ud800-\udfff]")
# CI log commands found anywhere in a line: Azure Pipelines' `##vso[…]` and the `##[…]` form
# Azure and GitHub's runner both read. Breaking the pair of `#`s leaves the text legible.
_LOG_COMMAND = re.compile(r"#(?=#(?:\[|vso\[))", re.IGNORECASE)
# GitHub's workflow commands (`::error …::`, `::add-mask::`, `::stop-commands::`): a line that
# starts with `::` once leading white space is trimmed, as the runner trims it.
_WORKFLOW_COMMAND = re.compile(r"^(\s*):(?=:)")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    if 0xD800 <= code <= 0xDFFF:
        return "\ufffd"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """Text from a process or git made safe for a terminal, a CI log and XML, on one line:
    control characters (newlines too), C1 controls and bidirectional overrides as \\xNN or
    \\uNNNN, lone surrogates as U+FFFD, and `##[`/`##vso[` log commands broken."""
    text = _UNPRINTABLE.sub(_escape, text)
    return _LOG_COMMAND.sub(r"\\x23", text) if "#" in text else text


def safe_line(text: str) -> str:
    """One line of output that may hold text from a process: printable, and never read as a
    GitHub workflow command (a leading `::` has its first colon shown as \\x3a)."""
    return _WORKFLOW_COMMAND.sub(r"\1\\x3a", printable(text))


# In a JSON document, as \uNNNN: what JSON itself leaves unescaped but a terminal or a CI
# runner would obey (JSON escapes the C0 controls).
_JSON_OBEYED = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2028\u2029"
                          "\u2066-\u2069\ud800-\udfff]|#(?=#(?:\\[|vso\\[))", re.IGNORECASE)


def json_document(value: object) -> str:
    """value as indented UTF-8 JSON, safe to print: every text is kept exactly, with what a
    terminal or a CI runner would obey (escape sequences, C1 controls, bidi overrides, `##[`)
    written as JSON escapes, which a reader decodes back."""
    text = json.dumps(value, ensure_ascii=False, indent=2)
    return _JSON_OBEYED.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text) + "\n"


def _clean(d: Diagnostic) -> Diagnostic:
    """The finding with every text printable."""
    return d._replace(path=printable(d.path), message=printable(d.message),
                      hint=printable(d.hint) if d.hint else d.hint)


def _data(text: str) -> str:
    """The message part of a workflow command (GitHub's escaping)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def github(findings: Sequence[Diagnostic], prefix: str = "", hint: str = "hint") -> str:
    """`::error file=…,line=…,col=…,title=…::message` per finding: annotations on the PR, for
    people (the reporter gives the findings and the word hint in the command line's language;
    JUnit and SARIF stay in English, the same in every language)."""
    lines = []
    for d in map(_clean, findings):
        message = d.message + (f"\n{hint}: {d.hint}" if d.hint else "")
        lines.append(f"::{d.level} file={_property(prefix + d.path)},line={d.line},col={d.col},"
                     f"title={_property(d.code)}::{_data(message)}")
    return "\n".join(lines) + ("\n" if lines else "")


def junit(findings: Sequence[Diagnostic], suite: str, checked: int, prefix: str = "",
          warnings_fail: bool = False) -> str:
    """One test case per finding (an error fails, a warning is skipped with its message —
    fails too with warnings_fail, for a gate), or one passing case when there is nothing to
    report: GitLab and Jenkins show them per file."""
    from xml.sax.saxutils import quoteattr  # ~25 ms to import: only for this format

    findings = [_clean(d) for d in findings]
    failing = [d for d in findings if d.level == "error" or warnings_fail]
    errors = failing
    warnings = [d for d in findings if d not in failing]
    cases = []
    for index, d in enumerate(findings):
        where = f"{prefix}{d.path}:{d.line}:{d.col}"
        text = f"{where}: {d.code} {d.message}" + (f"\nhint: {d.hint}" if d.hint else "")
        tag = "failure" if d in failing else "skipped"
        body = (f"<{tag} message={quoteattr(d.message)} type={quoteattr(d.code)}>"
                f"{_xml_text(text)}</{tag}>")
        cases.append(f'    <testcase classname={quoteattr(prefix + d.path)} '
                     f'name={quoteattr(f"{d.code} {where} #{index + 1}")} '
                     f'file={quoteattr(prefix + d.path)}'
                     f' line="{d.line}">{body}</testcase>')
    if not findings:
        cases.append(f"    <testcase classname={quoteattr(suite)} "
                     f"name={quoteattr(f'{checked} checked, no findings')}/>")
    total = len(cases)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<testsuites name="copi" tests="{total}" failures="{len(errors)}" errors="0" '
            f'skipped="{len(warnings)}">\n'
            f'  <testsuite name={quoteattr(suite)} tests="{total}" failures="{len(errors)}" '
            f'errors="0" skipped="{len(warnings)}">\n' + "\n".join(cases) +
            "\n  </testsuite>\n</testsuites>\n")


def _xml_text(text: str) -> str:
    from xml.sax.saxutils import escape

    return escape(text)


def sarif(findings: Sequence[Diagnostic], prefix: str = "") -> str:
    """A SARIF 2.1.0 log: one run of the tool copi, a rule per code, a result per finding."""
    from urllib.parse import quote
    codes = sorted({d.code for d in findings})
    rules = [{"id": code, "name": code,
              "shortDescription": {"text": CODES.get(code, ("error", code))[1]},
              "defaultConfiguration": {"level": CODES.get(code, ("error", code))[0]}}
             for code in codes]
    results = []
    for d in map(_clean, findings):
        message = d.message + (f" (hint: {d.hint})" if d.hint else "")
        results.append({
            "ruleId": d.code, "ruleIndex": codes.index(d.code), "level": d.level,
            "message": {"text": message},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": quote(prefix + d.path, safe="/"),
                                     "uriBaseId": "SRCROOT"},
                "region": {"startLine": d.line, "startColumn": d.col}}}],
        })
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "copi", "version": __version__,
                                "semanticVersion": __version__, "rules": rules}},
            "originalUriBaseIds": {"SRCROOT": {"description": {
                "text": "The root of the repository the process is in."}}},
            "results": results,
        }],
    }
    return json_document(log)


def repository_prefix(root: object) -> str:
    """The process directory relative to its git repository ('' at the top, 'proc/' in a
    subdirectory), so paths in CI formats are where the runner has the files."""
    import os
    from pathlib import Path

    from copi_cli.trail.gitrepo import find_repo

    repo = find_repo(Path(str(root)))
    if repo is None:
        return ""
    relative = os.path.relpath(Path(str(root)).resolve(), repo.root.resolve())
    return "" if relative == "." else relative.replace(os.sep, "/") + "/"
