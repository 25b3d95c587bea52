"""Reading one file of a process: parse it, check it against its schema and the file rules.

The cacheable unit of validation: what comes out depends on the file's bytes and the day only.
"""

from __future__ import annotations

import datetime as dt
import errno
from pathlib import Path, PurePosixPath

from copi_cli.diagnostics import Diagnostic
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
                rel, 1, 1, "Y005", "is not a regular file (a FIFO, socket or device); copi "
                "reads only regular files", hint="replace it by the file itself")])
        except OSError as exc:
            linked = exc.errno == errno.ELOOP
            return FileResult(rel, kind.kind, None, None, [Diagnostic(
                rel, 1, 1, "Y005",
                "is a symbolic link; copi reads only files inside the process" if linked
                else f"cannot read the file: {exc.strerror or exc}",
                hint="replace the link by the file itself" if linked
                else "check that the file exists and that you may read it")])
        if len(raw) > LIMITS.size:
            return FileResult(rel, kind.kind, None, None, [Diagnostic(
                rel, 1, 1, "Y007", f"the file is larger than {LIMITS.size:,} bytes, the most "
                "copi reads", hint="a record of the process is far smaller; split it, or "
                "remove what does not belong in it (README: Validation lists the limits)")])
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw.count(b"\n", 0, exc.start) + 1
            col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
            return FileResult(rel, kind.kind, None, None, [Diagnostic(
                rel, line, col, "Y005", f"not UTF-8 text ({exc.reason})",
                hint="save the file as UTF-8 (most editors: 'Save with encoding')",
            )])
    body = None
    offset = 0
    if kind.front_matter:
        split = split_front_matter(text)
        if split is None:
            opened = text.startswith("---")
            return FileResult(rel, kind.kind, None, text, [Diagnostic(
                rel, 1, 1, "Y006",
                "the front matter has no closing '---' line" if opened
                else "no YAML front matter at the top of the file",
                hint="start the file with a '---' line, the keys (document, title, status), "
                "and another '---' line before the text",
            )])
        text, body = split
        offset = 1
        if len(body) > LIMITS.text:
            return FileResult(rel, kind.kind, None, None, [Diagnostic(
                rel, text.count("\n") + 3, 1, "Y007",
                f"the text holds {len(body):,} characters; copi renders texts of at most "
                f"{LIMITS.text:,}", hint="a text of the method is a few pages; shorten it, or "
                "keep long material in materialer/ and refer to it")])
    parsed = parse_yaml(text, rel, line_offset=offset)
    diagnostics = list(parsed.diagnostics)
    data = parsed.data
    if parsed.data is None and diagnostics:
        return FileResult(rel, kind.kind, None, body, diagnostics)
    if not isinstance(data, dict):
        diagnostics.append(Diagnostic(
            rel, 1 + offset, 1, "Y004",
            "the file is empty" if data is None else "the file must hold key: value lines",
            hint="a file made by copi init shows the keys it needs (the schema is "
                 f"{kind.schema}.schema.json among copi's schemas)",
        ))
        return FileResult(rel, kind.kind, None, body, diagnostics)
    if not is_valid(kind.schema, data):
        diagnostics.extend(schema_diagnostics(kind.schema, data, rel, text, offset))
    if kind.id_is_file_name and isinstance(data.get("id"), str):
        stem = PurePosixPath(rel).stem
        if data["id"] != stem:
            line, col, _ = locate(text, ("id",), line_offset=offset)
            diagnostics.append(Diagnostic(
                rel, line, col, "W002", f"id '{data['id']}' differs from the file name '{stem}'",
                hint=f"rename the file to {data['id']}.yaml or set id: {stem}",
            ))
    valid = FileResult(rel, kind.kind, data, body, diagnostics).valid
    record = Record(kind.kind, rel, data, body, valid)
    diagnostics.extend(check_file(root, record, text, offset, today))
    return FileResult(rel, kind.kind, data, body, diagnostics)
