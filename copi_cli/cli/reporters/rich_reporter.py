"""Results for a person at a terminal: the status as tables.

rich is imported only when a table is drawn, so `copi --help` and every command
whose output goes to a pipe never load it. Every text from the process (names, reasons, file
names) goes in as rich Text, never as markup: `Region [syd]` or `:fire:` in a name must print as
written, and a `[/]` must not stop copi. Nor may an escape sequence or a bidi override in it
reach the terminal: rich passes them on, so each text is made printable first (`_text`), and a
line that starts with one is made safe as the text reporter's lines are. rich honours NO_COLOR
itself.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from copi_cli.cli.formats import printable, safe_line
from copi_cli.cli.reporters.text_reporter import (
    TextReporter,
    money,
    phase_when,
    portfolio_problem,
    portfolio_totals,
    status_blocks,
)
from copi_cli.cli.reporters.words import (
    ACTIVITY,
    COLUMNS,
    MARKS,
    PORTFOLIO_COLUMNS,
    PORTFOLIO_STATES,
    UNKNOWN,
)
from copi_cli.messages import in_language

if TYPE_CHECKING:
    from rich.text import Text

    from copi_cli.portfolio.summary import Portfolio, ProcessSummary
    from copi_cli.validation.status import Status


def _text(text: str, style: str = "", line: bool = False) -> Text:
    """Text from the process as rich Text: printable, never markup; a whole line made safe."""
    from rich.text import Text

    return Text(safe_line(text) if line else printable(text), style=style)


def _cell(text: str) -> Text:
    """A table cell of copi's lines, each made printable (a line break in a name is shown)."""
    from rich.text import Text

    return Text("\n").join(_text(line) for line in text.split("\n"))


class RichReporter(TextReporter):
    """Plain lines, but the status drawn as tables."""

    def status(self, status: Status) -> None:
        from rich.console import Console
        from rich.table import Table

        from copi_cli.model.vocabulary import label

        console = Console(file=self.out, emoji=False, highlight=False)
        say = in_language(status.language)
        blocks = status_blocks(status)
        console.print(_text(blocks[0][0], style="bold", line=True))
        for line in blocks[0][1]:
            console.print(_text(f"  {line}", line=True))
        phases = Table(title=say("status.phases"), title_justify="left", show_header=False,
                       box=None)
        for p in status.phases:
            style = "bold" if p.state in ("current", "reopened", "closed") else (
                "dim" if p.state == "not-started" else "")
            phases.add_row(_text(MARKS[p.state]), _text(f"{p.number}. {p.name}"),
                           _text(phase_when(p, status)), style=style)
        console.print(phases)
        results = Table(title=say("status.results"), title_justify="left", show_header=False,
                        box=None)
        widest = max((len(printable(o.where or "")) for o in status.outcomes), default=0)
        results.add_column(no_wrap=True)
        results.add_column(ratio=3, overflow="fold")
        results.add_column(ratio=2, overflow="fold")
        # the file to edit is what the row is for: never cut, the texts wrap instead
        results.add_column(no_wrap=True, min_width=widest)
        for o in status.outcomes:
            mark = _text("✓", style="green") if o.holds else _text("✗", style="red")
            results.add_row(mark, _text(o.result.text[status.language]), _text(o.why),
                            _text(o.where or ""))
            if o.advice:
                results.add_row(_text(""), _text(""),
                                _text(f"{say('status.advice')}: {o.advice}", style="yellow"),
                                _text(""))
        console.print(results)
        owners = Table(title=say("status.owners"), title_justify="left")
        for column in COLUMNS:
            owners.add_column(say(column))
        for row in status.owners:
            def backing(date: str | None, role: str = row.role) -> Text:
                if role != "need-owner":
                    return _text("")
                return _text(date) if date else _text(say("organisation.missing"), style="red")
            owners.add_row(_text(row.name), _text(label("role", row.role, status.language)),
                           _text(row.joined + (f" – {row.withdrawn}" if row.withdrawn else "")),
                           backing(row.political), backing(row.administrative),
                           _text(money(row.spend_dkk, status.language) if row.spend_dkk else ""),
                           style="dim" if row.withdrawn else "")
        console.print(owners)
        for title, lines in blocks[4:]:
            console.print(_text(title, style="bold", line=True))
            for line in lines:
                console.print(_text(f"  {line}", line=True))


    def portfolio(self, portfolio: Portfolio) -> None:
        from rich.console import Console
        from rich.table import Table

        console = Console(file=self.out, emoji=False, highlight=False)
        say = self.say
        table = Table(title=say("portfolio.title"), title_justify="left")
        for column in PORTFOLIO_COLUMNS:
            table.add_column(say(column), overflow="fold")
        for summary in portfolio.processes:
            where = _text(summary.path, style="dim")
            state = _text(say(PORTFOLIO_STATES[summary.state]), style="red")
            if summary.phase is None:  # what is wrong is said below the table, in full
                table.add_row(where, state)
                continue
            name = _text(summary.title or "", style="bold")
            name.append("\n")
            name.append_text(where)
            if summary.problem is not None:
                name.append("\n")
                name.append_text(state)
            table.add_row(name, *(_cell(cell) for cell in portfolio_row(summary, self.lang)))
        console.print(table)
        for summary in portfolio.processes:
            if summary.problem is not None:
                console.print(_text(f"{summary.path}: "
                                    f"{portfolio_problem(summary, self.lang)}", line=True))
        console.print()
        for line in portfolio_totals(portfolio, self.lang):
            console.print(_text(line, line=True))


def portfolio_row(summary: ProcessSummary, language: str) -> list[str]:
    """A summarised process as the short cells of a table row, after its name."""
    from copi_cli.model.catalogue import load_catalogue

    say = in_language(language)
    phase = load_catalogue().phase(str(summary.phase))
    owners = len(summary.need_owners)
    demand = summary.demand
    total = sum((s.expected for s in demand), Decimal(0))
    activity = summary.activity
    return [
        f"{phase.title(language)}\n{say('portfolio.since', since=summary.since or UNKNOWN)}",
        say("portfolio.cell.owners", n=owners, backed=summary.backed),
        f"{summary.signed}/{owners}",
        f"{money(total, language)}\n{demand[0].year}–{demand[-1].year}" if demand else UNKNOWN,
        f"{summary.errors} / {summary.warnings}",
        say(ACTIVITY[activity.source], date=activity.when[:10]).replace(" ", "\n", 1)
        if activity else UNKNOWN,
    ]
