"""The print version of a tool: a worksheet, filled in as far as the workspace knows.

The worksheet goes through the same pipeline as the documents (copi_cli.rendering.pipeline): one
shared template (templates/documents/worksheet.md.j2) in the process's language, then pandoc
and typst. DOCX so that a need owner can write the answers in Word; blank lines where copi
knows nothing.
"""

from __future__ import annotations

import datetime as dt

from copi_cli.messages import message
from copi_cli.model.documents import Document
from copi_cli.model.tools import Tool, sheet
from copi_cli.rendering import formatting
from copi_cli.rendering.conversion import Page
from copi_cli.rendering.pipeline import Prepared, brand_page
from copi_cli.rendering.templating import environment, render_template
from copi_cli.validation.pipeline import Report

# The words of the worksheet template (templates/documents/worksheet.md.j2), by message id.
WORDS = {"template_note": "worksheet.template-note", "process": "worksheet.process",
         "owner": "worksheet.owner", "phase": "worksheet.phase",
         "answered_by": "tool.answered-by", "date": "worksheet.date",
         "yes": "tool.yes", "no": "tool.no", "date_form": "worksheet.date-form",
         "required": "tool.required"}


def prepare_worksheet(report: Report, tool: Tool, owner: str | None, lang: str,
                      today: dt.date, phase: str | None = None) -> Prepared:
    ws = report.workspace
    assert ws is not None
    shown = sheet(ws, tool, owner, lang, phase)
    words = {key: message(id_, lang) for key, id_ in WORDS.items()}
    markdown = render_template(environment(ws.root, lang), "worksheet.md.j2",
                               {"sheet": shown, "words": words, "lang": lang})
    name = shown["tool"]["name"] + (f" — {shown['owner']['name']}" if shown["owner"] else "")
    document = Document(f"tool-{tool.id}", {lang: name}, {lang: shown["output_stem"]},
                        "worksheet.md.j2", tool.phases[0], "internal", None, ())
    page = Page(title=name, subtitle=shown["process"]["title"],
                date=formatting.date(today, lang), lang=lang,
                footer=f"{shown['process']['title']} · {shown['tool']['name']}",
                draft_label=None, internal_label=None, audience="internal",
                **brand_page(ws))
    return Prepared(document, "internal", markdown, page, "")
