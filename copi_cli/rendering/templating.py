"""Document templates: Jinja2 in a sandbox, writing Markdown that is safe to hand to pandoc.

Templates come from copi and from the process repo (its `templates/` folder replaces a packaged
template of the same name), and process repos come from many hands. So:
- the environment is Jinja's SandboxedEnvironment (no attribute tricks, no Python internals);
- a process template is read only from inside the process directory (no `..`, no symlink out);
- StrictUndefined: a missing field is an error naming the template line and the missing data,
  never an empty gap in a letter to a mayor;
- every value a template prints is escaped as Markdown text (a supplier called `*X* <b>` stays
  those characters); Markdown a template means to pass on (a text's body) is marked safe by the
  filter that made it. An internal render prints a restricted value with its marker.

copi's own templates are compiled to Python when copi is built, not each time it renders
(copi_cli/rendering/compiled_templates.py, made by `python -m copi_cli.rendering.templating
--generate`; tests/rendering/test_templating.py fails while it differs). A compiled template is
used only for the very file it was made from — same name, same sha256 of the source, same
Jinja — and anything else, a process's own template included, is compiled as it is read. Nothing
compiled is ever cached outside the package.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
from collections.abc import Callable, MutableMapping
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from copi_cli.errors import UserError
from copi_cli.messages import message
from copi_cli.rendering import formatting
from copi_cli.rendering.confidentiality import Restricted
from copi_cli.resources import shipped_dir

# ASCII punctuation that can start or end Markdown syntax; pandoc's Markdown lets any of it be
# escaped with a backslash.
_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~^$@&:])")
_URL = re.compile(r"^https?://[^\s<>\"'\\]+$")
# What a restricted value is marked with in an internal render, by the reason it is restricted.
MARKERS = {
    "confidential": "marker.confidential",
    "personal": "marker.personal",
    "secret": "marker.secret",
    "internal": "marker.internal",
}


class TemplateProblem(UserError):
    """A template could not be rendered: the message names the template and line."""


def escape(value: Any) -> str:
    """Text as literal Markdown: special characters escaped, line breaks made spaces."""
    return _SPECIAL.sub(r"\\\1", " ".join(str(value).split()))


def _finalize(lang: str) -> Callable[[Any], Any]:
    """What every {{ … }} passes through: Markdown-escaped, returned as Markup so that Jinja's
    autoescaping (which would escape for HTML) leaves it alone."""
    def finalize(value: Any) -> Any:
        if value is None:
            return Markup("")
        if isinstance(value, Markup):
            return value
        if isinstance(value, Restricted):
            # no emphasis of its own: the value may sit inside a template's **…**
            return Markup(f"\\[{message(MARKERS[value.reason], lang).upper()}\\] {escape(value)}")
        return Markup(escape(value))
    return finalize


class _InsideLoader(jinja2.FileSystemLoader):
    """A FileSystemLoader that reads a template only if its real path lies inside the process
    directory or copi's own templates: a symbolic link in a process repo — to one template or
    to a whole templates/ folder — cannot lead to /etc."""

    def __init__(self, searchpath: list[str], allowed: list[Path]) -> None:
        super().__init__(searchpath)
        self.allowed = [p.resolve() for p in allowed]

    def get_source(self, environment: jinja2.Environment,
                   template: str) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        real = Path(filename).resolve()
        if not any(real.is_relative_to(base) for base in self.allowed):
            raise TemplateProblem(f"template {template} leads outside the process directory "
                                  f"({filename})", hint="copy the template into templates/")
        return source, filename, uptodate

    def load(self, environment: jinja2.Environment, name: str,
             globals: MutableMapping[str, Any] | None = None) -> jinja2.Template:
        """As Jinja's own load, without a bytecode cache, taking copi's own templates ready
        compiled when they are the files they were compiled from."""
        source, filename, uptodate = self.get_source(environment, name)
        code = _precompiled(name, filename, source)
        if code is None:
            code = environment.compile(source, name, filename)
        return environment.template_class.from_code(environment, code, globals or {},
                                                     uptodate)


def _shipped_documents() -> Path:
    return shipped_dir("templates") / "documents"


@cache
def _shipped_real() -> Path:
    return _shipped_documents().resolve()


def _digest(source: str) -> str:
    return hashlib.sha256(source.encode("utf-8")).hexdigest()


def _precompiled(name: str, filename: str, source: str) -> Any:
    """The code of one of copi's own templates compiled when copi was built, or None."""
    try:
        relative = Path(filename).resolve().relative_to(_shipped_real()).as_posix()
    except ValueError:
        return None  # a process's own template
    from copi_cli.rendering import compiled_templates

    made = compiled_templates.TEMPLATES.get(relative)
    if (made is None or jinja2.__version__ != compiled_templates.JINJA or made[0] != name
            or made[1] != _digest(source)):
        return None
    return compile(made[2], filename, "exec")  # as Jinja's environment.compile does


def template_dirs(root: Path, lang: str) -> list[Path]:
    """Where templates are looked up, first match wins: the process's own, then copi's."""
    shipped = shipped_dir("templates") / "documents"
    local = root / "templates"
    return [p for p in (local / lang, local, shipped / lang, shipped) if p.is_dir()]


def environment(root: Path, lang: str) -> SandboxedEnvironment:
    show = _finalize(lang)
    env = SandboxedEnvironment(
        loader=_InsideLoader([str(p) for p in template_dirs(root, lang)],
                             [root, shipped_dir("templates") / "documents"]),
        undefined=jinja2.StrictUndefined,
        finalize=show,
        # On, so that macros return Markup and their output is not escaped twice; the
        # escaping itself is finalize's (Markdown, not HTML).
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        date=lambda value: formatting.date(value, lang),
        number=lambda value, decimals=None: formatting.number(value, lang, decimals),
        money=lambda value: formatting.money(value, lang),
        percent=lambda value: formatting.percent(value, lang),
        text=show,
        paragraphs=_paragraphs,
        link=_link,
        cell=lambda value: show(value) or Markup("–"),
        markdown=_markdown,
        join=lambda values, separator="", attribute=None: _join(values, separator, attribute,
                                                                show),
        sentence=_sentence,
        label=lambda value, group: _label(value, group, lang),
        phase=lambda value: _phase(value, lang),
    )
    return env


def _paragraphs(value: Any) -> Markup:
    """Multi-paragraph text (a folded YAML answer): each paragraph escaped, blank lines kept."""
    if value is None:
        return Markup("")
    parts = [escape(part) for part in re.split(r"\n\s*\n", str(value)) if part.strip()]
    return Markup("\n\n".join(parts))


def _join(values: Any, separator: str, attribute: str | None,
          show: Callable[[Any], Markup]) -> Markup:
    """Jinja's join, escaping each item as Markdown (Jinja's own escapes for HTML)."""
    items = [v.get(attribute) if isinstance(v, dict) else getattr(v, attribute, None)
             for v in values] if attribute else list(values)
    return Markup(_SPECIAL.sub(r"\\\1", separator).join(show(item) for item in items))


def _label(value: Any, group: str, lang: str) -> Any:
    """An id in the document's words: need-owner → behovsejer (copi_cli/data/labels.json)."""
    from copi_cli.model.vocabulary import label

    try:
        return label(group, value, lang) if isinstance(value, str) else value
    except KeyError:
        return value


def _phase(value: Any, lang: str) -> Any:
    """A phase id as its number and name: needs-exploration → 3. Behovsudforskning."""
    from copi_cli.model.catalogue import load_catalogue

    try:
        return load_catalogue().phase(value).title(lang) if value else value
    except KeyError:
        return value


def _sentence(value: Any) -> str:
    """First letter upper case, the rest as it is (capitalize would lower it)."""
    text = "" if value is None else str(value)
    return text[:1].upper() + text[1:]


def _markdown(value: Any) -> Markup:
    """Markdown meant as Markdown: a text's body. pandoc reads it with raw HTML, raw TeX and
    raw blocks switched off, so it can format but not inject."""
    return Markup("" if value is None else str(value))


def _link(value: Any) -> Markup:
    """A web address as a link; anything that is not a plain http(s) address as text."""
    text = str(value).strip()
    return Markup(f"<{text}>") if _URL.match(text) else Markup(escape(text))


def render_template(env: SandboxedEnvironment, name: str, context: dict[str, Any]) -> str:
    """The template's Markdown, or a TemplateProblem naming file, line and what is missing."""
    try:
        template = env.get_template(name)
        return template.render(context)
    except jinja2.TemplateSyntaxError as error:
        raise TemplateProblem(f"{_shown(error.filename or name)}:{error.lineno}: "
                              f"{error.message}",
                              hint="fix the template's Jinja syntax") from None
    except jinja2.TemplateNotFound as error:
        raise TemplateProblem(f"no template {error.name}",
                              hint="copi's templates are in templates/documents; a process "
                                   "may add its own in templates/") from None
    except jinja2.UndefinedError as error:
        where = _template_line(error)
        raise TemplateProblem(f"{where}: {error.message}" if where else str(error.message),
                              hint="the template uses data the process does not have: record "
                                   "it, or test for it in the template ({% if x is defined %})"
                              ) from None
    except jinja2.exceptions.SecurityError as error:
        where = _template_line(error)
        raise TemplateProblem(f"{where}: not allowed in a template: {error}" if where
                              else f"not allowed in a template: {error}",
                              hint="templates may read the document's data, nothing else"
                              ) from None
    except TemplateProblem:
        raise
    except Exception as error:  # 1/0, a filter given the wrong kind of value, range(10**8)
        where = _template_line(error) or name
        raise TemplateProblem(f"{where}: {type(error).__name__}: {error}",
                              hint="the template computes something that fails on this "
                                   "process's data; fix the template") from None


def _shown(filename: str) -> str:
    try:
        return os.path.relpath(filename)
    except ValueError:
        return filename


def _template_line(error: BaseException) -> str | None:
    """template.md.j2:12 from the traceback: Jinja maps its frames to template lines."""
    found = None
    trace = error.__traceback__
    while trace is not None:
        filename = trace.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            found = f"{_shown(filename)}:{trace.tb_lineno}"
        trace = trace.tb_next
    return found


def generated_templates() -> str:
    """copi_cli/rendering/compiled_templates.py as copi's templates make it now: each template
    in templates/documents/, by its path there, with the name it is looked up by, the sha256
    of its source and the Python Jinja compiles it to."""
    shipped = _shipped_documents()
    env = environment(shipped, "da")  # the code is the same for every process and language
    lines = ['"""copi\'s document templates compiled by Jinja: generated by `python -m',
             'copi_cli.rendering.templating --generate` from templates/documents/, not by hand."""',
             "", f"JINJA = {jinja2.__version__!r}", "", "TEMPLATES = {"]
    for path in sorted(shipped.rglob("*.j2")):
        relative = path.relative_to(shipped).as_posix()
        name = path.name  # found in its own folder: templates/documents or …/da, …/en
        source = path.read_text(encoding="utf-8")
        code = env.compile(source, name, str(path), raw=True)
        lines.append(f"    {relative!r}: ({name!r}, {_digest(source)!r}, {code!r}),")
    lines.append("}")
    return "\n".join(lines) + "\n"


def compiled_templates_path() -> Path:
    return Path(__file__).with_name("compiled_templates.py")


if __name__ == "__main__":
    if sys.argv[1:] != ["--generate"]:
        sys.exit("usage: python -m copi_cli.rendering.templating --generate")
    compiled_templates_path().write_text(generated_templates(), encoding="utf-8")
    print(compiled_templates_path())
