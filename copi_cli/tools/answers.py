"""Reading a filled-in tool into the workspace (copi tool import).

The file comes from outside — a browser's download folder, an e-mail — so it is read as
untrusted: at most 1 MB of UTF-8, parsed with copi's safe YAML loader, and checked like every
record (the tool's questions and types, no HTML, R023–R025) before anything is written. It is
stored as it came, in the tool's answer file, and committed as one change. Management anchoring
answers are the evidence of backing: a decision they name that the need owner's record does not
have yet is recorded there too, with the answer file as its evidence, in the same commit.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from copi_cli.diagnostics import Diagnostic
from copi_cli.errors import UserError
from copi_cli.messages import Said, os_reason
from copi_cli.model.tools import Tool, find_tool
from copi_cli.model.yamlsource import parse_yaml
from copi_cli.trail.change import Change, RefusedChange

LIMIT = 1_000_000  # bytes: a filled-in worksheet is a few kilobytes


class Imported(NamedTuple):
    tool: Tool
    owner: str | None
    path: str  # where the answers now live, relative to the process
    backing: list[str]  # backing levels recorded from the answers
    data: dict  # the answers as read (copi tool import --apply feeds them on)


class ImportRefused(UserError):
    """The file has mistakes; nothing was written. findings point into the user's file."""

    def __init__(self, source: Path, findings: list[Diagnostic]) -> None:
        first = findings[0]
        more = Said("refused.more", n=len(findings) - 1) if len(findings) > 1 else ""
        super().__init__(Said("refused.finding", path=str(source), line=first.line,
                              col=first.col, code=first.code, message=first.message, more=more),
                         hint=first.hint or Said("import.refused-hint"))
        self.findings = findings


def read_answers(source: Path) -> tuple[str, dict]:
    """The file's text and data, or a refusal naming the file and line."""
    from copi_cli.model.workspace import NotRegular, read_regular

    try:  # never blocking on a FIFO, never reading more than LIMIT + 1 bytes
        raw = read_regular(source, LIMIT, follow_links=True)
    except FileNotFoundError:
        raise UserError(Said("import.no-file", source=str(source)),
                        hint=Said("import.path-hint")) from None
    except NotRegular:
        raise UserError(Said("import.not-regular", source=str(source)),
                        hint=Said("import.path-hint")) from None
    except OSError as error:
        raise UserError(Said("import.unreadable", source=str(source),
                             error=os_reason(error)),
                        hint=Said("import.path-hint")) from None
    if len(raw) > LIMIT:
        raise UserError(Said("import.too-large", source=str(source), most=LIMIT),
                        hint=Said("import.form-file-hint"))
    try:
        text = raw.decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError:
        raise UserError(Said("import.not-utf8", source=str(source)),
                        hint=Said("import.form-file-hint")) from None
    parsed = parse_yaml(text, str(source))
    errors = [d for d in parsed.diagnostics if d.level == "error"]
    if errors:
        raise ImportRefused(source, errors)
    if not isinstance(parsed.data, dict) or "tool" not in parsed.data:
        raise UserError(Said("import.no-tool", source=str(source)),
                        hint=Said("import.copi-form-hint"))
    return text, parsed.data


def import_answers(change: Change, source: Path) -> Imported:
    text, data = read_answers(source)
    return store_answers(change, text, data, source)


def answers_text(change: Change, tool: Tool, owner: str | None, answered_by: str | None,
                 answers: dict) -> tuple[str, dict]:
    """Answers given at copi's own prompt (copi tool fill), as the file a form would save."""
    import datetime as dt

    from copi_cli.model.yamledit import dump

    data: dict = {"tool": tool.id, "process": change.process_id}
    if owner:
        data["owner"] = owner
    if answered_by:
        data["answered_by"] = answered_by
    data["date"] = dt.date.today().isoformat()
    data["answers"] = answers
    from copi_cli.validation.editor import with_modeline

    text = dump(data, f"{tool.name[change.language]} (copi tool fill)")
    return with_modeline(tool.path(owner), text), data


def store_answers(change: Change, text: str, data: dict, source: Path | str) -> Imported:
    """Put answers in their tool's file, with the backing they name; refuse any mistake."""
    from copi_cli.model.organisations import find

    tool = find_tool(str(data["tool"]))
    if data.get("process") not in (None, change.process_id):
        raise UserError(Said("import.other-process", source=str(source), process=data["process"],
                             this=change.process_id),
                        hint=Said("import.other-process-hint"))
    owner = data.get("owner")
    if tool.per_owner:
        if not isinstance(owner, str) or not owner:
            raise UserError(Said("import.no-owner", source=str(source)),
                            hint=Said("import.no-owner-hint"))
        record = find(change.ws, owner, Said("lookup.what.need-owner"))
        from copi_cli.model.tools import need_owner

        need_owner(record)
        owner = record.id
    elif owner is not None:
        raise UserError(Said("import.owner-given", tool=tool.danish_id, source=str(source),
                             owner=owner),
                        hint=Said("import.owner-given-hint"))
    from copi_cli.validation.editor import with_modeline

    rel = tool.path(owner)
    stored = with_modeline(rel, text)
    shift = stored.count("\n") - text.count("\n")  # a modeline added on top
    if change.exists(rel) and change.read(rel) == stored:
        raise UserError(Said("import.same", path=rel), hint=Said("import.nothing-written"))
    _refuse_uncommitted(change, rel)
    change.put(rel, stored)
    backing = _record_backing(change, tool, owner, data.get("answers"), rel)
    try:
        change.check()
    except RefusedChange as refused:
        mine = [d._replace(line=max(1, d.line - shift)) for d in refused.findings
                if d.path == rel]
        if mine:
            raise ImportRefused(Path(source), mine) from None
        raise
    return Imported(tool, owner, rel, backing, data)


def _record_backing(change: Change, tool: Tool, owner: str | None, answers: object,
                    rel: str) -> list[str]:
    """The decisions a management anchoring names, recorded as backing where missing."""
    if tool.id != "management-anchoring" or not owner or not isinstance(answers, dict):
        return []
    from copi_cli.model.organisations import find

    record = find(change.ws, owner)
    recorded: list[str] = []
    for level in ("political", "administrative"):
        by, date = answers.get(f"{level}_body"), answers.get(f"{level}_date")
        if not (isinstance(by, str) and by.strip() and isinstance(date, str)):
            continue
        if level in record.data.get("backing", {}):
            continue  # already recorded; the answers do not overrule the record
        entry = {"by": by.strip(), "date": date, "evidence": rel}
        with change.edit(record.path) as editor:
            if "backing" in record.data or recorded:
                editor.set(("backing", level), entry)
            else:
                editor.set(("backing",), {level: entry})
        recorded.append(level)
    return recorded


def _refuse_uncommitted(change: Change, rel: str) -> None:
    """Replacing an answer file whose edits are not committed would lose them for good."""
    from copi_cli.trail import gitrepo
    target = change.root / rel
    if not target.exists():
        return
    repo = gitrepo.find_repo(change.root)
    if repo is None:
        return
    done = gitrepo.run(repo.root, "status", "--porcelain", "--",
                       gitrepo.pathspec(target, repo.root), check=False)
    if done.returncode == 0 and done.stdout.strip():
        raise UserError(Said("import.uncommitted", path=rel),
                        hint=Said("import.uncommitted-hint", path=rel))
