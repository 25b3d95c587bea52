"""copi tool: the four tools of the method — print version, digital form, importing answers."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from copi_cli.cli.commands.options import (
    AS_JSON,
    DIR,
    LANG,
    NO_COMMIT_RECORD,
    OUT,
    group,
    valid_report,
)
from copi_cli.cli.commands.recorder import change_of, finish

if TYPE_CHECKING:  # for annotations only: start-up does not load the model
    from copi_cli.model.tools import Tool
    from copi_cli.model.workspace import Workspace
    from copi_cli.tools.feeding import Feeding
    from copi_cli.trail.change import Change

app = group()

NAME = typer.Argument(metavar="NAME", help="help.shared.tool-name")
APPLY = typer.Option("--apply", help="help.shared.tool-apply")
YES = typer.Option("--yes", "-y", help="help.shared.tool-yes")
DRY_RUN = typer.Option("--dry-run", help="help.shared.tool-dry-run")
OWNER = typer.Option("--owner", help="help.shared.tool-owner")
PHASE = typer.Option("--phase", help="help.shared.tool-phase")


def _language(ws: Workspace, lang: str | None) -> str:
    from copi_cli.errors import UsageError
    from copi_cli.messages import Said

    chosen = (lang or ws.language).strip().lower()
    if chosen not in ("da", "en"):
        raise UsageError(Said("cli.doc-lang-unknown", lang=str(lang)),
                         hint=Said("cli.doc-lang-hint"))
    return chosen


@app.command("list")
def list_(
    directory: Annotated[Path | None, DIR] = None,
    as_json: Annotated[bool, AS_JSON] = False,
) -> None:
    """The tools, their phases, and whether the process has answers to them."""
    from copi_cli.cli.reporters import reporter_for
    from copi_cli.cli.results import tool_rows

    ws = valid_report(directory).workspace
    assert ws is not None  # valid_report loads it
    reporter_for("json" if as_json else "text").tools(tool_rows(ws))


@app.command("print")
def print_(
    name: Annotated[str, NAME],
    owner: Annotated[str | None, OWNER] = None,
    phase: Annotated[str | None, PHASE] = None,
    formats: Annotated[str, typer.Option("--format", "-f", metavar="FORMATS")] = "pdf",
    out: Annotated[Path | None, OUT] = None,
    lang: Annotated[str | None, LANG] = None,
    directory: Annotated[Path | None, DIR] = None,
) -> None:
    """A worksheet on paper, with what the process knows filled in."""
    import datetime as dt

    from copi_cli.cli.reporters import reporter_for
    from copi_cli.model.documents import parse_formats
    from copi_cli.model.tools import find_tool
    from copi_cli.rendering.pipeline import output_dir, render
    from copi_cli.tools.worksheets import prepare_worksheet

    tool = find_tool(name)
    wanted = parse_formats(formats)
    report = valid_report(directory)
    ws = report.workspace
    assert ws is not None  # valid_report loads it
    prepared = prepare_worksheet(report, tool, owner, _language(ws, lang), dt.date.today(),
                                 phase)
    rendered = render([prepared], wanted, ws.root, output_dir(ws.root, out))
    reporter_for().rendered([r.path for r in rendered])


@app.command("form")
def form(
    name: Annotated[str, NAME],
    owner: Annotated[str | None, OWNER] = None,
    phase: Annotated[str | None, PHASE] = None,
    out: Annotated[Path | None, OUT] = None,
    lang: Annotated[str | None, LANG] = None,
    directory: Annotated[Path | None, DIR] = None,
) -> None:
    """The digital version: one HTML file to open in any browser, fill in and save as YAML."""
    from copi_cli.cli.reporters import reporter_for
    from copi_cli.messages import message
    from copi_cli.model.tools import find_tool, sheet
    from copi_cli.rendering.pipeline import open_output_dir, output_dir, write_output
    from copi_cli.tools.forms import form_html

    tool = find_tool(name)
    ws = valid_report(directory).workspace
    assert ws is not None  # valid_report loads it
    chosen = _language(ws, lang)
    html = form_html(ws, tool, owner, chosen, phase)
    target_dir = output_dir(ws.root, out)
    suffix = message("tool.form-file", chosen)  # the print version may be HTML too
    target = target_dir / f"{sheet(ws, tool, owner, chosen)['output_stem']}-{suffix}.html"
    folder = open_output_dir(ws.root, target_dir)
    try:
        write_output(folder, target.name, html.encode("utf-8"))
    finally:
        import os

        os.close(folder)
    reporter_for().rendered([target])


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(dir_okay=False)],
    directory: Annotated[Path | None, DIR] = None,
    no_commit: Annotated[bool, NO_COMMIT_RECORD] = False,
    apply_: Annotated[bool, APPLY] = False,
    yes: Annotated[bool, YES] = False,
    dry_run: Annotated[bool, DRY_RUN] = False,
) -> None:
    """Check a filled-in tool and put it in the workspace (vaerktoejer/), committed."""
    from copi_cli.tools.answers import ImportRefused, import_answers

    # with --apply copi asks before it writes: the lock is taken once the answer is yes
    with change_of(directory, no_commit or dry_run, lock=not (apply_ and not yes)) as change:
        try:
            imported = import_answers(change, file)
        except ImportRefused as refused:  # every mistake at once, then the refusal
            from copi_cli.cli.reporters import reporter_for

            reporter_for().answers_refused(file, refused.findings)
            raise
        tool = imported.tool
        who = f" ({imported.owner})" if imported.owner else ""
        named = {lang: tool.name[lang] + who for lang in ("da", "en")}
        if apply_ or dry_run:
            _carry(change, imported.tool, imported.data, imported.path, yes, dry_run,
                   ("tool-import", "tool.imported-applied", "tool.imported"), named)
            return
        finish(change, "tool-import", "tool.imported", tool=named)


@app.command("apply")
def apply(
    name: Annotated[str, typer.Argument(metavar="NAME")],
    directory: Annotated[Path | None, DIR] = None,
    yes: Annotated[bool, YES] = False,
    dry_run: Annotated[bool, DRY_RUN] = False,
    no_commit: Annotated[bool, NO_COMMIT_RECORD] = False,
) -> None:
    """A tool's answers carried into the records they describe, shown as a diff first."""
    from copi_cli.model.tools import find_tool
    from copi_cli.tools.feeding import feed_recorded

    tool = find_tool(name)
    # the lock is taken once the person has said yes (another copi need not wait for the
    # answer); the answers fed and the files written are checked again under it then
    with change_of(directory, no_commit or dry_run, lock=False) as change:
        feeding = feed_recorded(change, tool)
        change.watch(feeding.source)
        _show_and_apply(change, feeding, yes, dry_run, ("tool-apply", "tool.applied", None),
                        dict(tool.name))


def _carry(change: Change, tool: Tool, data: dict, rel: str, yes: bool, dry_run: bool,
           result: tuple[str, str, str | None], named: dict[str, str]) -> None:
    """Answers just put in the change, fed into their records in the same commit."""
    from copi_cli.tools.feeding import feed

    _feeding_only(tool)
    feeding = feed(change, tool, data, rel, change.read(rel))
    _show_and_apply(change, feeding, yes, dry_run, result, named)


def _feeding_only(tool: Tool) -> None:
    """--apply (and an import's --dry-run, which shows what it would add) for a tool whose
    answers feed records."""
    from copi_cli.errors import UsageError
    from copi_cli.messages import Said
    from copi_cli.tools.feeding import feeding_fields

    if not feeding_fields(tool):
        raise UsageError(Said("cli.tool.feeds-nothing", tool=tool.danish_id),
                         hint=Said("cli.tool.feeds-nothing-hint"))


def _show_and_apply(change: Change, feeding: Feeding, yes: bool, dry_run: bool,
                    result: tuple[str, str, str | None], named: dict[str, str]) -> None:
    """The diff first; then the commit, if asked for and agreed. result: the commit's
    action, its message, and the message when nothing is fed — None: nothing to commit; else
    the change holds more than the records fed (answers imported or filled in), and is
    applied all the same. named: the tool's name, in each language."""
    import sys

    from copi_cli.cli.reporters import reporter_for
    from copi_cli.errors import UsageError
    from copi_cli.messages import Said, message

    reporter = reporter_for()
    lang = reporter.lang
    reporter.fed(feeding)
    if dry_run:
        reporter.note(message("tool.apply.dry-run", lang))
        return
    action, key, alone = result
    if not feeding.added and alone is None:
        return
    if feeding.added and not yes:
        if not sys.stdin.isatty():
            raise UsageError(Said("cli.tool.cannot-ask"), hint=Said("cli.tool.cannot-ask-hint"))
        yes_key, no_key = message("tool.fill.yes-key", lang), message("tool.fill.no-key", lang)
        change.asked = True
        said = typer.prompt(f"{message('tool.apply.ask', lang)} [{yes_key}/{no_key.upper()}]",
                            default="", show_default=False).strip().lower()
        if not said or said[0] not in (yes_key, "y", "j"):  # the answer is no unless yes
            reporter.note(message("tool.apply.declined", lang))
            return
    if not feeding.added and alone is not None:  # the records hold every answer already
        finish(change, action, alone, tool=named)
        return
    finish(change, action, key, tool=named)


@app.command("fill")
def fill(
    name: Annotated[str, NAME],
    owner: Annotated[str | None, OWNER] = None,
    phase: Annotated[str | None, PHASE] = None,
    directory: Annotated[Path | None, DIR] = None,
    no_commit: Annotated[bool, NO_COMMIT_RECORD] = False,
    apply_: Annotated[bool, APPLY] = False,
    yes: Annotated[bool, YES] = False,
) -> None:
    """A tool answered in the terminal, for a facilitator without a browser at hand."""
    from copi_cli.cli.formats import printable
    from copi_cli.cli.language import current
    from copi_cli.messages import message
    from copi_cli.model.tools import find_tool, sheet
    from copi_cli.tools.answers import answers_text, store_answers

    tool = find_tool(name)
    if apply_:  # said before the questions are asked
        _feeding_only(tool)
    with change_of(directory, no_commit) as change:
        lang = current()  # a conversation in the terminal: the sheet's words in its language
        shown = sheet(change.ws, tool, owner, lang, phase)
        typer.echo(f"{shown['tool']['name']}" + (f" — {printable(shown['owner']['name'])}"
                                                  if shown["owner"] else "")
                   + (f" — {message('worksheet.phase', lang)} {shown['phase']['number']}: "
                      f"{shown['phase']['name']}" if shown["phase"] else ""))
        typer.echo(shown["tool"]["intro"] + "\n")
        answered_by = typer.prompt(message("tool.answered-by", lang),
                                   default="", show_default=False).strip()
        answers = dict(shown["kept"])  # the other phases' answers stay as they were
        for field in shown["fields"]:
            if field["section"]:
                typer.echo(f"\n== {field['section']} ==")
            value = _ask(field, lang)
            if value not in (None, "", []):
                answers[field["key"]] = value
        text, data = answers_text(change, tool, shown["owner"]["id"] if shown["owner"] else None,
                                  answered_by or None, answers)
        stored = store_answers(change, text, data, tool.path(shown["owner"]["id"]
                                                             if shown["owner"] else None))
        who = f" ({shown['owner']['id']})" if shown["owner"] else ""
        named = {language: tool.name[language] + who for language in ("da", "en")}
        if apply_:
            _carry(change, tool, stored.data, stored.path, yes, False,
                   ("tool-fill", "tool.filled-applied", "tool.filled"), named)
            return
        finish(change, "tool-fill", "tool.filled", tool=named)


def _ask(field: dict, lang: str) -> object:
    """One question at the prompt, in the field's type; the known answer is the default."""
    import datetime as dt

    from copi_cli.cli.formats import printable
    from copi_cli.messages import message

    known = field["value"]  # from the process: shown printable, never obeyed
    label = field["label"] + (" *" if field["required"] else "")
    if field["help"]:
        typer.echo(f"  ({field['help']})")
    if field["type"] == "yes-no":
        words = (message("tool.fill.yes-key", lang), message("tool.fill.no-key", lang))
        default = "" if known is None else (words[0] if known else words[1])
        while True:
            said = typer.prompt(f"{label} [{words[0]}/{words[1]}]", default=default,
                                show_default=False).strip().lower()
            if not said or said == "-":
                return None
            if said[0] in (words[0], "y", "j", "t"):
                return True
            if said[0] in (words[1], "f"):
                return False
    if field["type"] == "list":
        typer.echo(f"{label} — " + message("tool.fill.list-hint", lang))
        for item in known or []:
            typer.echo(f"  [{printable(str(item))}]")
        items: list[str] = []
        while True:
            line = typer.prompt(">", default="", show_default=False).strip()
            if not line:
                return items or known
            if line == "-":
                return []
            items.append(line)
    choices = {c["value"]: c["label"] for c in field["choices"]}
    if choices:
        typer.echo(f"{label}: " + "; ".join(f"{k} = {v}" for k, v in choices.items()))
    shown_default = "" if known is None else printable(str(known))
    while True:
        said = typer.prompt(label if not choices else "  >", default=shown_default,
                            show_default=bool(shown_default)).strip()
        if known is not None and said == shown_default:  # Enter keeps the answer as it was
            said = str(known).strip()
        if said == "-" or not said:
            return None if said == "-" or not said else said
        if field["type"] == "date":
            import re

            try:
                if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", said):
                    raise ValueError(said)
                if not 1990 <= dt.date.fromisoformat(said).year <= 2100:
                    raise ValueError(said)
            except ValueError:
                typer.echo("  " + message("tool.fill.date-hint", lang))
                continue
        if choices and said not in choices:
            typer.echo("  " + ", ".join(choices))
            continue
        if field["type"] == "number":
            try:
                return float(said.replace(",", ".")) if "." in said or "," in said else int(said)
            except ValueError:
                typer.echo("  " + message("tool.fill.number-hint", lang))
                continue
        return said
