"""copi question: the market dialogue's Q&A log, published to all without the asker."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from copi_cli.cli.commands.options import AS_JSON, DIR, NO_COMMIT_RECORD, date_option, group
from copi_cli.cli.commands.recorder import change_of, finish, today, workspace_of

app = group()


@app.command("add")
def add(
    question: Annotated[str, typer.Argument()],
    asked_by: Annotated[str | None, typer.Option("--asked-by")] = None,
    event: Annotated[str | None, typer.Option("--event")] = None,
    date: Annotated[str | None, date_option()] = None,
    directory: Annotated[Path | None, DIR] = None,
    no_commit: Annotated[bool, NO_COMMIT_RECORD] = False,
) -> None:
    """Add a supplier's question to spoergsmaal-og-svar.yaml."""
    from copi_cli.recording.market import add_question

    with change_of(directory, no_commit) as change:
        number = add_question(change, question, date or today(), asked_by, event)
        finish(change, "question-add", "question.added", id=number)


@app.command("answer")
def answer(
    question_id: Annotated[str, typer.Argument()],
    text: Annotated[str | None, typer.Option("--answer")] = None,
    date: Annotated[str | None, date_option()] = None,
    published: Annotated[str | None, date_option("--published")] = None,
    directory: Annotated[Path | None, DIR] = None,
    no_commit: Annotated[bool, NO_COMMIT_RECORD] = False,
) -> None:
    """Answer a question and/or record that it was published to all."""
    from copi_cli.recording.market import answer_question

    with change_of(directory, no_commit) as change:
        entry = answer_question(change, question_id, text, date or today(), published)
        finish(change, "question-answer", "question.answered", id=entry["id"])


@app.command("list")
def list_(
    directory: Annotated[Path | None, DIR] = None,
    as_json: Annotated[bool, AS_JSON] = False,
) -> None:
    """List the Q&A log: date, question, answered or published."""
    from copi_cli.cli.reporters import reporter_for
    from copi_cli.cli.results import question_rows

    ws = workspace_of(directory)
    reporter_for("json" if as_json else "text").records("question", question_rows(ws))
