"""Reading one file of a process: parse it, check it against its schema and the file rules.

The cacheable unit of validation: what comes out depends on the file's bytes and the day only.
"""

from __future__ import annotations

import datetime as dt
import errno
from pathlib import Path, PurePosixPath

from copi_cli.diagnostics import Diagnostic
from copi_cli.messages import Said, grouped, os_reason
from copi_cli.model.workspace import FileKind, FileResult, NotRegular, Record, read_regular
from copi_cli.model.yamlsource import LIMITS, locate, parse_yaml, split_front_matter
from copi_cli.validation.rules import check_file
from copi_cli.validation.schemas import is_valid, schema_diagnostics


def read_file(root: Path, rel: str, kind: FileKind, today: dt.date,
              text: str | None = None) -> FileResult:
    """Read, parse, schema-check and rule-check one file, or the text given for it (a change
    not yet written). Never raises for bad content."""
    if text is None:
        try:
            raw = read_regular(root / rel, LIMITS.size)
        except NotRegular:
            return FileResult(rel, kind.kind, None, None, [Diagnostic(
                rel, 1, 1, "Y005", Said("finding.y005.not-regular"),
                hint=Said("finding.y005.replace-by-file"))])
        except OSError as exc:
            linked = exc.errno == errno.ELOOP
            return FileResult(rel, kind.kind, None, None, [Diagnostic(
                rel, 1, 1, "Y005",
                Said("finding.y005.link") if linked
                else Said("finding.y005.cannot-read", reason=os_reason(exc)),
                hint=Said("finding.y005.replace-link") if linked
                else Said("finding.y005.cannot-read-hint"))])
        if len(raw) > LIMITS.size:
            return FileResult(rel, kind.kind, None, None, [Diagnostic(
                rel, 1, 1, "Y007", Said("finding.y007.file-size", limit=grouped(LIMITS.size)),
                hint=Said("finding.y007.hint"))])
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw.count(b"\n", 0, exc.start) + 1
            col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
            return FileResult(rel, kind.kind, None, None, [Diagnostic(
                rel, line, col, "Y005", Said("finding.y005.not-utf8", reason=exc.reason),
                hint=Said("finding.y005.not-utf8-hint"),
            )])
    body = None
    offset = 0
    if kind.front_matter:
        split = split_front_matter(text)
        if split is None:
            opened = text.startswith("---")
            return FileResult(rel, kind.kind, None, text, [Diagnostic(
                rel, 1, 1, "Y006",
                Said("finding.y006.unclosed" if opened else "finding.y006.none"),
                hint=Said("finding.y006.hint"),
            )])
        text, body = split
        offset = 1
        if len(body) > LIMITS.text:
            return FileResult(rel, kind.kind, None, None, [Diagnostic(
                rel, text.count("\n") + 3, 1, "Y007",
                Said("finding.y007.text-size", n=grouped(len(body)),
                     limit=grouped(LIMITS.text)),
                hint=Said("finding.y007.text-size-hint"))])
    parsed = parse_yaml(text, rel, line_offset=offset)
    diagnostics = [said_in_danish_too(d) for d in parsed.diagnostics]
    data = parsed.data
    if parsed.data is None and diagnostics:
        return FileResult(rel, kind.kind, None, body, diagnostics)
    if not isinstance(data, dict):
        diagnostics.append(Diagnostic(
            rel, 1 + offset, 1, "Y004",
            Said("finding.y004.empty" if data is None else "finding.y004.not-mapping"),
            hint=Said("finding.y004.hint", schema=kind.schema),
        ))
        return FileResult(rel, kind.kind, None, body, diagnostics)
    if not is_valid(kind.schema, data):
        diagnostics.extend(schema_diagnostics(kind.schema, data, rel, text, offset))
    if kind.id_is_file_name and isinstance(data.get("id"), str):
        stem = PurePosixPath(rel).stem
        if data["id"] != stem:
            line, col, _ = locate(text, ("id",), line_offset=offset)
            diagnostics.append(Diagnostic(
                rel, line, col, "W002", Said("finding.w002.id", id=data["id"], stem=stem),
                hint=Said("finding.w002.hint", id=data["id"], stem=stem),
            ))
    valid = FileResult(rel, kind.kind, data, body, diagnostics).valid
    record = Record(kind.kind, rel, data, body, valid)
    diagnostics.extend(check_file(root, record, text, offset, today))
    return FileResult(rel, kind.kind, data, body, diagnostics)


# What libyaml and PyYAML say of a syntax error (Y001), as copi says it in either language.
_YAML_WORDS = {
    "cannot read YAML": "finding.y001.cannot-read",
    "mapping values are not allowed in this context": "finding.yaml.mapping-values-context",
    "mapping values are not allowed here": "finding.yaml.mapping-values-here",
    "could not find expected ':'": "finding.yaml.no-colon",
    "did not find expected key": "finding.yaml.no-key",
    "did not find expected '-' indicator": "finding.yaml.no-dash",
    "did not find expected node content": "finding.yaml.no-node",
    "did not find expected ',' or ']'": "finding.yaml.no-comma-bracket",
    "did not find expected ',' or '}'": "finding.yaml.no-comma-brace",
    "found character that cannot start any token": "finding.yaml.no-token",
    "found a tab character that violates indentation": "finding.yaml.tab",
    "found unexpected end of stream": "finding.yaml.end-of-stream",
    "block sequence entries are not allowed in this context": "finding.yaml.sequence-entries",
    "found unknown escape character": "finding.yaml.unknown-escape",
    "found undefined alias": "finding.yaml.undefined-alias",
    "a key must be plain text": "finding.yaml.key-plain",
    "while scanning a simple key": "finding.yaml.while-simple-key",
    "while parsing a block mapping": "finding.yaml.while-block-mapping",
    "while parsing a block collection": "finding.yaml.while-block-collection",
    "while parsing a flow sequence": "finding.yaml.while-flow-sequence",
    "while parsing a flow mapping": "finding.yaml.while-flow-mapping",
    "while scanning a quoted scalar": "finding.yaml.while-quoted",
    "while parsing a quoted scalar": "finding.yaml.while-quoted-parse",
    "while scanning a plain scalar": "finding.yaml.while-plain",
    "while parsing a block node": "finding.yaml.while-block-node",
    "while parsing a flow node": "finding.yaml.while-flow-node",
    "while scanning for the next token": "finding.yaml.while-next-token",
    "while reading a mapping": "finding.yaml.while-reading-mapping",
}


def _yaml_words(text: str) -> str:
    return Said(_YAML_WORDS[text]) if text in _YAML_WORDS else text


def said_in_danish_too(finding: Diagnostic) -> Diagnostic:
    """A syntax error in the YAML reader's words, `problem (context)`, said from the
    catalogue where copi knows the words; its English stays exactly as the reader put it."""
    if finding.code != "Y001" or isinstance(finding.message, Said):
        return finding
    text = str(finding.message)
    problem, _, context = text.partition(" (")
    said = (Said("finding.y001.in-context", problem=_yaml_words(problem),
                 context=_yaml_words(context[:-1]))
            if context.endswith(")") else Said("finding.y001.problem", problem=_yaml_words(text)))
    return finding._replace(message=said) if said == text else finding
