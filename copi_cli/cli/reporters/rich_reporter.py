"""Results for a person at a terminal: the status as tables.

rich is imported only when a table is drawn, so `copi --help` and every command
whose output goes to a pipe never load it. Every text from the process (names, reasons, file
names) goes in as rich Text, never as markup: `Region [syd]` or `:fire:` in a name must print as
written, and a `[/]` must not stop copi. rich honours NO_COLOR itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from copi_cli.cli.reporters.text_reporter import TextReporter, money, status_blocks
from copi_cli.cli.reporters.words import COLUMNS, MARKS, STATES
from copi_cli.messages import in_language

if TYPE_CHECKING:
    from copi_cli.validation.status import Status


class RichReporter(TextReporter):
    """Plain lines, but the status drawn as tables."""

    def status(self, status: Status) -> None:
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text

        from copi_cli.model.vocabulary import label

        console = Console(file=self.out, emoji=False, highlight=False)
        say = in_language(status.language)
        blocks = status_blocks(status)
        console.print(Text(blocks[0][0], style="bold"))
        for line in blocks[0][1]:
            console.print(Text(f"  {line}"))
        phases = Table(title=say("status.phases"), title_justify="left", show_header=False,
                       box=None)
        for p in status.phases:
            style = "bold" if p.state in ("current", "reopened") else (
                "dim" if p.state == "not-started" else "")
            phases.add_row(Text(MARKS[p.state]), Text(f"{p.number}. {p.name}"),
                           Text(say(STATES[p.state])), Text(p.entered or ""), style=style)
        console.print(phases)
        results = Table(title=say("status.results"), title_justify="left", show_header=False,
                        box=None)
        widest = max((len(o.where or "") for o in status.outcomes), default=0)
        results.add_column(no_wrap=True)
        results.add_column(ratio=3, overflow="fold")
        results.add_column(ratio=2, overflow="fold")
        # the file to edit is what the row is for: never cut, the texts wrap instead
        results.add_column(no_wrap=True, min_width=widest)
        for o in status.outcomes:
            mark = Text("✓", style="green") if o.holds else Text("✗", style="red")
            results.add_row(mark, Text(o.result.text[status.language]), Text(o.why),
                            Text(o.where or ""))
        console.print(results)
        owners = Table(title=say("status.owners"), title_justify="left")
        for column in COLUMNS:
            owners.add_column(say(column))
        for row in status.owners:
            def backing(date: str | None, role: str = row.role) -> Text:
                if role != "need-owner":
                    return Text("")
                return Text(date) if date else Text(say("organisation.missing"), style="red")
            owners.add_row(Text(row.name), Text(label("role", row.role, status.language)),
                           Text(row.joined + (f" – {row.withdrawn}" if row.withdrawn else "")),
                           backing(row.political), backing(row.administrative),
                           Text(money(row.spend_dkk, status.language) if row.spend_dkk else ""),
                           style="dim" if row.withdrawn else "")
        console.print(owners)
        for title, lines in blocks[4:]:
            console.print(Text(title, style="bold"))
            for line in lines:
                console.print(Text(f"  {line}"))

