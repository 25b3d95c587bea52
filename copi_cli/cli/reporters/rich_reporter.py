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

from typing import TYPE_CHECKING

from copi_cli.cli.formats import printable, safe_line
from copi_cli.cli.reporters.text_reporter import (
    TextReporter,
    money,
    phase_when,
    portfolio_cells,
    portfolio_problem,
    portfolio_totals,
    shown,
    status_blocks,
)
from copi_cli.cli.reporters.words import COLUMNS, MARKS
from copi_cli.messages import in_language

if TYPE_CHECKING:
    from rich.text import Text

    from copi_cli.portfolio.summary import Portfolio
    from copi_cli.validation.status import Status


def _text(text: str, style: str = "", line: bool = False) -> Text:
    """Text from the process as rich Text: printable, never markup; a whole line made safe."""
    from rich.text import Text

    return Text(safe_line(text) if line else printable(text), style=style)


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
        for column in ("process", "phase", "owners", "signed", "demand", "findings",
                       "activity"):
            table.add_column(say(f"portfolio.column.{column}"), overflow="fold")
        for summary in portfolio.processes:
            where = _text(shown(summary.path), style="dim")
            if summary.phase is None:
                table.add_row(where, _text(portfolio_problem(summary, self.lang), style="red"))
                continue
            cells = portfolio_cells(summary, self.lang)
            name = _text(cells["title"], style="bold")
            name.append("\n")
            name.append_text(where)
            table.add_row(name, *(_text(cells[key]) for key in (
                "phase", "owners", "signed", "demand", "findings", "activity")),
                style="" if summary.state == "ok" else "yellow")
            if summary.problem is not None:
                table.add_row(_text(""), _text(portfolio_problem(summary, self.lang),
                                               style="red"))
        console.print(table)
        for line in portfolio_totals(portfolio, self.lang):
            console.print(_text(line, line=True))
