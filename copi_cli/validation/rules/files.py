"""Files a record names, and the fields it marks confidential."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from copi_cli.diagnostics import Diagnostic
from copi_cli.messages import Said
from copi_cli.model.workspace import Record, reference_state
from copi_cli.validation.rules.base import (
    Context,
    Path_,
    file_rule,
    rule,
    walk,
)


@file_rule()
def confidential_fields_known(ctx: Context, record: Record) -> Iterator[Diagnostic]:
    """`confidential: [notse]` would protect nothing while the notes go out: a name in the
    list must be a field of the record (or list item) it marks."""
    from copi_cli.model.workspace import load_layout
    from copi_cli.validation.schemas import bundled_schema

    schema = bundled_schema(load_layout().kind(record.kind).schema)
    places: list[tuple[Path_, dict, dict]] = [((), record.data, schema)]
    for key, node in schema.get("properties", {}).items():
        items = node.get("items", {}) if node.get("type") == "array" else {}
        if "confidential" in items.get("properties", {}):
            places += [((key, index), item, items) for index, item in
                       enumerate(record.data.get(key) or []) if isinstance(item, dict)]
    for where, data, node in places:
        marking = data.get("confidential")
        if not isinstance(marking, list):
            continue
        known = sorted(set(node.get("properties", {})) - {"confidential", "id"})
        for index, field in enumerate(marking):
            if isinstance(field, str) and field not in known:
                close = difflib.get_close_matches(field, known, n=1)
                yield ctx.diag(record, (*where, "confidential", index), "R022",
                               Said("finding.r022.not-a-field", field=field),
                               Said("finding.r022.did-you-mean-fields", close=close[0],
                                    fields=", ".join(known)) if close
                               else Said("finding.r022.fields", fields=", ".join(known)))


FILE_REFERENCES: list[tuple[str, Path_]] = [
    ("event", ("materials", "*", "file")),
    ("meeting", ("materials", "*", "file")),
    ("needs", ("formats", "*", "file")),
    ("organisation", ("backing", "political", "evidence")),
    ("organisation", ("backing", "administrative", "evidence")),
    ("brand", ("logo",)),
    ("brand", ("font_files", "*")),
]


@rule
def referenced_files_exist(ctx: Context) -> Iterator[Diagnostic]:
    """Files change without the records changing, so this is checked on every run."""
    for kind, pattern in FILE_REFERENCES:
        for record in ctx.ws.all(kind):
            for where, value in walk(record.data, pattern):
                if not isinstance(value, str):
                    continue
                state = reference_state(ctx.ws.root, value)
                if state == "outside":
                    yield ctx.diag(record, where, "R016",
                                   Said("finding.r016.outside", value=value),
                                   Said("finding.r016.hint"))
                elif state == "missing":
                    yield ctx.diag(record, where, "R015", Said("finding.r015.missing", value=value),
                                   Said("finding.r015.hint"))

