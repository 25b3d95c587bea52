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

from copi_cli.model.tools import Tool, sheet
from copi_cli.resources import shipped_dir
from copi_cli.validation.editor import modeline

WORDS = {
    "da": {"kicker": "Et værktøj fra copi · digital udgave",
           "how": "Udfyld det, du kan, og tryk »Gem svarene«. Browseren gemmer en fil, som du "
                  "sender til facilitator, der lægger svarene ind i processen. Intet sendes "
                  "over nettet.",
           "answered_by": "Udfyldt af (navn og funktion)", "yes": "Ja", "no": "Nej",
           "one_per_line": "Én pr. linje",
           "required": "Skal besvares: porten til næste fase eller et dokument venter på svaret.",
           "save": "Gem svarene", "saved": "Svarene er gemt som fil. Send filen til facilitator.",
           "noscript": "Formularen gemmer svarene med JavaScript, som er slået fra her. Åbn "
                       "filen i en browser (Edge, Chrome, Firefox, Safari), ikke i en "
                       "forhåndsvisning, eller bed facilitator om den trykte udgave."},
    "en": {"kicker": "A tool from copi · digital version",
           "how": "Fill in what you can and press \"Save the answers\". The browser saves a file "
                  "for you to send to the facilitator, who reads it in with copi tool import. "
                  "Nothing is sent over the network.",
           "answered_by": "Filled in by (name and role)", "yes": "Yes", "no": "No",
           "one_per_line": "One per line",
           "required": "Required: the gate to the next phase or a document waits for the "
                       "answer.",
           "save": "Save the answers", "saved": "The answers are saved as a file. Send it to "
                                                "the facilitator.",
           "noscript": "The form saves the answers with JavaScript, which is off here. Open the "
                       "file in a browser (Edge, Chrome, Firefox, Safari), not in a preview, or "
                       "ask the facilitator for the print version."},
}


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


def form_html(ws: object, tool: Tool, owner: str | None, lang: str) -> str:
    shown = sheet(ws, tool, owner, lang)
    brand = ws.single_data("brand")  # type: ignore[attr-defined]
    colours = brand.get("colours", {})
    title = shown["tool"]["name"] + (f" — {shown['owner']['name']}" if shown["owner"] else "")
    script = _script()
    meta = {"title": " ".join(title.split()), "tool": tool.id, "process": shown["process"]["id"],
            "owner": shown["owner"]["id"] if shown["owner"] else None,
            "file": shown["file_stem"] + ".yaml",
            "modeline": modeline(tool.path(shown["owner"]["id"] if shown["owner"] else None)),
            "fields": [{"key": f["key"], "type": f["type"]} for f in shown["fields"]]}
    env = SandboxedEnvironment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    template = env.from_string((shipped_dir("templates") / "tools" / "form.html.j2").read_text(
        encoding="utf-8"))
    return template.render(sheet=shown, words=WORDS[lang], lang=lang, title=title,
                           primary=colours.get("primary", "#1f4e79"),
                           accent=colours.get("accent", "#c0504d"),
                           meta=_json_in_html(meta), script=Markup(script),
                           script_hash=script_hash(script))
