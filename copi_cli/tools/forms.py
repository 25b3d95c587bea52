"""The digital version of a tool: one self-contained HTML form that saves the answers as YAML.

A need owner opens the file in any browser — offline, from an e-mail — fills it in and saves;
the browser writes a YAML answer file that `copi tool import` checks and puts in the workspace.
The page loads nothing: styles and the script are inline, the Content-Security-Policy allows
that one script by its SHA-256 hash and forbids every request. Values are HTML-escaped by Jinja
(autoescape, in the sandbox); the form's description for the script is JSON with <, > and &
escaped, so no value can close the script element.
"""

from __future__ import annotations

import base64
import hashlib
import json

from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from copi_cli.messages import message
from copi_cli.model.tools import Tool, sheet
from copi_cli.model.workspace import Workspace
from copi_cli.resources import shipped_dir
from copi_cli.validation.editor import modeline

# The words of the form template (templates/tools/form.html.j2), by message id.
WORDS = {"kicker": "form.kicker", "how": "form.how", "answered_by": "form.answered-by",
         "phase": "worksheet.phase",
         "yes": "tool.yes", "no": "tool.no", "one_per_line": "form.one-per-line",
         "required": "tool.required", "save": "form.save", "saved": "form.saved",
         "noscript": "form.noscript"}


def _script() -> str:
    return (shipped_dir("templates") / "tools" / "form.js").read_text(encoding="utf-8")


def script_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


def _json_in_html(value: object) -> Markup:
    text = json.dumps(value, ensure_ascii=False)
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escaped)
    return Markup(text)


def _quoted(text: str) -> str:
    """A JSON string, which YAML reads as the same text (as form.js writes its answers)."""
    for char, escaped in (("\u0085", "\\u0085"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escaped)
    return json.dumps(text, ensure_ascii=False)


def _kept_line(key: str, value: object) -> str | None:
    """An earlier answer as the YAML line the saved file carries on, or None."""
    if isinstance(value, bool):
        shown = "true" if value else "false"
    elif isinstance(value, int | float):
        shown = repr(value)
    elif isinstance(value, str):
        shown = _quoted(value)
    elif isinstance(value, list) and all(isinstance(item, str) for item in value):
        shown = "[" + ", ".join(_quoted(item) for item in value) + "]"
    else:
        return None
    return f"  {key}: {shown}"


def form_html(ws: Workspace, tool: Tool, owner: str | None, lang: str,
              phase: str | None = None) -> str:
    shown = sheet(ws, tool, owner, lang, phase)
    brand = ws.single_data("brand")
    colours = brand.get("colours", {})
    title = shown["tool"]["name"] + (f" — {shown['owner']['name']}" if shown["owner"] else "")
    script = _script()
    meta = {"title": " ".join(title.split()), "tool": tool.id, "process": shown["process"]["id"],
            "owner": shown["owner"]["id"] if shown["owner"] else None,
            "file": shown["file_stem"] + ".yaml",
            "modeline": modeline(tool.path(shown["owner"]["id"] if shown["owner"] else None)),
            "fields": [{"key": f["key"], "type": f["type"]} for f in shown["fields"]],
            # answers to other phases' questions, written on unchanged in the saved file
            "kept": [line for key, value in shown["kept"].items()
                     if (line := _kept_line(key, value)) is not None]}
    env = SandboxedEnvironment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    template = env.from_string((shipped_dir("templates") / "tools" / "form.html.j2").read_text(
        encoding="utf-8"))
    words = {key: message(id_, lang) for key, id_ in WORDS.items()}
    return template.render(sheet=shown, words=words, lang=lang, title=title,
                           primary=colours.get("primary", "#1f4e79"),
                           accent=colours.get("accent", "#c0504d"),
                           meta=_json_in_html(meta), script=Markup(script),
                           script_hash=script_hash(script))
