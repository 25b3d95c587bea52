"""Document templates: Jinja2 in a sandbox, writing Markdown that is safe to hand to pandoc.

Templates come from copi and from the process repo (its `templates/` folder replaces a packaged
template of the same name), and process repos come from many hands. So:
- the environment is Jinja's ImmutableSandboxedEnvironment (no attribute tricks, no Python
  internals, no changing what it is given);
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
import json
import os
import re
import secrets
import stat
import subprocess
import sys
from collections.abc import Callable, Generator, MutableMapping
from functools import cache
from pathlib import Path
from typing import Any, cast

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.filters import make_attrgetter
from jinja2.loaders import split_template_path
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from copi_cli.errors import UserError
from copi_cli.messages import Said, Worded, grouped, message, os_reason
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

# Bounds on a template. One operation: a repeated string or list, a joined one, a power.
MAX_ITEMS = 1_000_000
MAX_JOINED = 10_000_000
MAX_BITS = 100_000
# A process's own template, rendered in a child process: its wall-clock time and its memory
# (the child's whole address space, Python included). A template file's size.
TEMPLATE_SECONDS = 5
TEMPLATE_MEMORY = 512 * 2**20
MAX_TEMPLATE_BYTES = 1_000_000
# What one document's template may write, texts included (README: Rendering). The example's
# largest document is under 5,000 characters; pandoc's time and memory grow with the Markdown
# (measured: 1,000,000 characters took 8 s and 300 MB for md, html and docx, 22 s with pdf;
# 3,900,000 took 34 s and 1.1 GB without pdf; 100 MB, before this bound, 88 s and 2.5 GB for
# md alone). The template is stopped as soon as it passes this, at the line that was writing,
# before any check or conversion.
MAX_MARKDOWN = 1_000_000


class TemplateProblem(UserError):
    """A template could not be rendered: the message names the template and line."""


def escape(value: Any) -> str:
    """Text as literal Markdown: special characters escaped, line breaks made spaces."""
    return _SPECIAL.sub(r"\\\1", " ".join(str(value).split()))


def _finalize(lang: str, marks: str = "") -> Callable[[Any], Any]:
    """What every {{ … }} passes through: Markdown-escaped, returned as Markup so that Jinja's
    autoescaping (which would escape for HTML) leaves it alone. A restricted value comes with
    a place-holder for its marker (marks: the environment's own, see `_marked`)."""
    def finalize(value: Any) -> Any:
        if value is None:
            return Markup("")
        if isinstance(value, Markup):
            return value
        if isinstance(value, Restricted):
            return Markup(f"\ue000{marks}{value.reason}\ue001{escape(value)}")
        return Markup(escape(value))
    return finalize


# A line that starts a block of its own: a list item, a table row, a heading, a fence, a quote.
_BLOCK_START = re.compile(r"^\s*(?:[-*+]\s|\d+[.)]\s|\||#|:::|>)")


def _marked(markdown: str, marks: str, lang: str) -> str:
    """The markers of an internal render, one per block: a paragraph, a list item or a table
    row (one record) says [PERSONDATA] once before its first personal value, not before each
    of a contact's name, title and e-mail. A marker of another kind after it is kept.

    The place-holders carry the environment's random `marks`, so no record or text can write
    one; no emphasis of their own, as the value may sit inside a template's **…**."""
    if "\ue000" not in markdown:
        return markdown
    holder = re.compile(f"\ue000{re.escape(marks)}(\\w+)\ue001")
    lines = []
    last: str | None = None  # the kind of the last marker kept in this block
    for line in markdown.split("\n"):
        if not line.strip() or _BLOCK_START.match(line):
            last = None

        def marker(found: re.Match[str]) -> str:
            nonlocal last
            if found.group(1) == last:
                return ""
            last = found.group(1)
            return f"\\[{message(MARKERS[last], lang).upper()}\\] "
        lines.append(holder.sub(marker, line))
    return "\n".join(lines)


class _InsideLoader(jinja2.BaseLoader):
    """Reads a template only as a regular file inside the process's templates/ folder (first
    templates/<lang>/, then templates/) or copi's own templates, never through a link.

    Each folder on the way down from the process directory is opened without following a
    link (O_NOFOLLOW, relative to the folder above), and so is the file: a symbolic link, a
    FIFO or a device in a process's templates/ — to a record, to /etc — is refused with its
    path, whether a document names it or a template includes or imports it."""

    def __init__(self, root: Path, lang: str) -> None:
        self.root = root
        self.local = [("templates", lang), ("templates",)]
        shipped = _shipped_documents()
        self.shipped = [shipped / lang, shipped]

    def get_source(self, environment: jinja2.Environment,
                   template: str) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)  # refuses .. and empty parts
        for folder in self.local:
            source = _read_inside(self.root, [*folder, *pieces])
            if source is not None:
                return source, str(self.root.joinpath(*folder, *pieces)), lambda: True
        for base in self.shipped:
            path = base.joinpath(*pieces)
            if path.is_file():
                return path.read_text(encoding="utf-8"), str(path), lambda: True
        raise jinja2.TemplateNotFound(template)

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


def _read_inside(root: Path, parts: list[str]) -> str | None:
    """The text of root/parts, read only if every folder on the way is a real folder and the
    file a regular file (no links); None when it is not there."""
    shown = "/".join(parts)
    nofollow = getattr(os, "O_NOFOLLOW", 0)
    try:
        folder = os.open(root, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return None
    try:
        for n, part in enumerate(parts):
            last = n == len(parts) - 1
            try:
                found = os.stat(part, dir_fd=folder, follow_symlinks=False)
            except (FileNotFoundError, NotADirectoryError):
                return None
            where = "/".join(parts[:n + 1])
            if stat.S_ISLNK(found.st_mode):
                raise TemplateProblem(Said("template.link", where=where),
                                      hint=Said("template.link-hint", template=shown))
            if not last:
                if not stat.S_ISDIR(found.st_mode):
                    return None
                inner = os.open(part, os.O_RDONLY | nofollow | getattr(os, "O_DIRECTORY", 0),
                                dir_fd=folder)
                os.close(folder)
                folder = inner
                continue
            if stat.S_ISDIR(found.st_mode):
                return None
            if not stat.S_ISREG(found.st_mode):
                raise TemplateProblem(Said("template.not-a-file", where=where),
                                      hint=Said("template.not-a-file-hint"))
            if found.st_size > MAX_TEMPLATE_BYTES:
                raise TemplateProblem(Said("template.too-large", where=where,
                                           most=grouped(MAX_TEMPLATE_BYTES)),
                                      hint=Said("template.too-large-hint"))
            handle = os.open(part, os.O_RDONLY | nofollow | getattr(os, "O_NONBLOCK", 0),
                             dir_fd=folder)
            with open(handle, "rb") as file:
                if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
                    raise TemplateProblem(Said("template.not-a-file", where=where))
                raw = file.read(MAX_TEMPLATE_BYTES + 1)
            try:
                return raw.decode("utf-8")
            except UnicodeDecodeError:
                raise TemplateProblem(Said("template.not-utf8", where=where),
                                      hint=Said("template.not-utf8-hint")) from None
        return None
    except OSError as error:  # a link swapped in after the look, a folder gone
        raise TemplateProblem(Said("template.unreadable", template=shown,
                                   reason=os_reason(error)),
                              hint=Said("template.unreadable-hint")) from None
    finally:
        os.close(folder)


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
    return _code(relative, filename)


@cache
def _code(relative: str, filename: str) -> Any:
    """The code object of a compiled template, made once per process (a long-lived one, such
    as copi preview, renders the same templates edit after edit); code objects are immutable,
    and the checks above decide each time whether this one is the template's."""
    from copi_cli.rendering import compiled_templates

    return compile(compiled_templates.TEMPLATES[relative][2], filename, "exec")


class Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's sandbox, immutable (a template cannot change a list or a mapping it is given:
    the audience's view is kept and shared between renders, copi_cli.rendering.context), with
    copi's bounds on what one operation may make: a string or list
    repeated (`'x' * 300000000`), joined (`+`) or a power (`9 ** 9 ** 9`) larger than the
    limits below is refused at its template line instead of filling the memory. (range() is
    bounded by Jinja's sandbox; time and memory as a whole by render_template.)"""

    intercepted_binops = frozenset({"*", "+", "**"})

    def __init__(self, root: Path, lang: str, marks: str = "", **options: Any) -> None:
        super().__init__(**options)
        self.root = root
        self.lang = lang
        self.marks = marks  # what a restricted value's marker place-holder carries
        self.own_templates = _has_own_templates(root)

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any,
                   right: Any) -> Any:
        if operator == "*":
            for sequence, times in ((left, right), (right, left)):
                if (isinstance(sequence, str | list | tuple) and isinstance(times, int)
                        and len(sequence) * times > MAX_ITEMS):
                    raise SecurityError(Said("template.result-too-long",
                                             most=grouped(MAX_ITEMS)))
        elif operator == "+":
            if (isinstance(left, str | list | tuple) and isinstance(right, str | list | tuple)
                    and len(left) + len(right) > MAX_JOINED):
                raise SecurityError(Said("template.result-too-long", most=grouped(MAX_JOINED)))
        elif (operator == "**" and isinstance(left, int) and isinstance(right, int)
              and right > 0 and abs(left) > 1 and right * abs(left).bit_length() > MAX_BITS):
            raise SecurityError(Said("template.result-too-big", most=grouped(MAX_BITS)))
        return super().call_binop(context, operator, left, right)


def _has_own_templates(root: Path) -> bool:
    """Whether the process has anything in templates/ a template could be read from (its
    reference.docx is not a template)."""
    top = root / "templates"
    if top.is_symlink():
        return True
    for _, folders, files in os.walk(top):  # links to folders are listed, not followed
        if any(name != "reference.docx" for name in files) or any(
                (Path(_) / name).is_symlink() for name in folders):
            return True
    return False


def environment(root: Path, lang: str) -> Sandbox:
    marks = secrets.token_hex(8)
    show = _finalize(lang, marks)
    env = Sandbox(
        root, lang, marks,
        loader=_InsideLoader(root, lang),
        undefined=jinja2.StrictUndefined,
        finalize=show,
        # On, so that macros return Markup and their output is not escaped twice; the
        # escaping itself is finalize's (Markdown, not HTML).
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    # lipsum(n) writes n paragraphs of filler: nothing a document needs, and unbounded
    del env.globals["lipsum"]
    env.globals["chart"] = _chart
    env.filters.update(
        date=lambda value: formatting.date(value, lang),
        number=lambda value, decimals=None: formatting.number(value, lang, decimals),
        money=lambda value: formatting.money(value, lang),
        count=lambda value: formatting.count(value, lang),
        about=lambda value, money=False: formatting.about(value, lang, money),
        percent=lambda value: formatting.percent(value, lang),
        names=lambda values: formatting.names(values, lang),
        text=show,
        paragraphs=lambda value: _paragraphs(value, show),
        link=_link,
        cell=lambda value: show(value) or Markup("–"),
        markdown=_markdown,
        join=jinja2.pass_environment(
            lambda env, values, separator="", attribute=None: _join(
                env, values, separator, attribute, show)),
        sentence=_sentence,
        label=lambda value, group: _label(value, group, lang),
        phase=lambda value: _phase(value, lang),
    )
    return env


@jinja2.pass_context
def _chart(context: jinja2.runtime.Context, name: str) -> Markup:
    """A chart of the context (rendering.charts) as a picture of its own, its alternative text
    escaped as Markdown text; nothing when the process has no data for it."""
    found = context.get("charts")
    chart = found.get(name) if isinstance(found, dict) else None
    if not isinstance(chart, dict):
        return Markup("")
    return Markup(f"![{escape(chart['alt'])}]({chart['ref']})")


def _paragraphs(value: Any, show: Callable[[Any], Markup]) -> Markup:
    """Multi-paragraph text (a folded YAML answer): each paragraph escaped, blank lines kept;
    each paragraph of a restricted text marked."""
    if value is None:
        return Markup("")
    parts = [part for part in re.split(r"\n\s*\n", str(value)) if part.strip()]
    if isinstance(value, Restricted):
        return Markup("\n\n".join(show(Restricted(part, value.reason)) for part in parts))
    return Markup("\n\n".join(escape(part) for part in parts))


def _join(env: jinja2.Environment, values: Any, separator: str, attribute: str | None,
          show: Callable[[Any], Markup]) -> Markup:
    """Jinja's join, escaping each item as Markdown (Jinja's own escapes for HTML). An
    attribute is looked up as the template's own `item.attribute` would be, through the
    sandbox: `join('', '__globals__')` reaches nothing a template could not."""
    if attribute is not None:
        getter = make_attrgetter(env, attribute)
        items = [getter(value) for value in values]
    else:
        items = list(values)
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


def render_template(env: ImmutableSandboxedEnvironment, name: str,
                    context: dict[str, Any]) -> str:
    """The template's Markdown, or a TemplateProblem naming file, line and what is wrong.

    copi's own templates render here. When the process has templates of its own — which any
    document may use, by its name or by an include — the render runs in a child process with
    TEMPLATE_SECONDS of wall-clock time and TEMPLATE_MEMORY of memory: nested loops or a
    string of gigabytes end in a located message, not a hang."""
    if isinstance(env, Sandbox) and env.own_templates:
        return _render_in_child(env, name, context)
    return _render_here(env, name, context)


def render_traced(env: ImmutableSandboxedEnvironment, name: str, context: dict[str, Any]
                  ) -> list[tuple[str, bool, str | None]]:
    """The template's output part by part: each part's text, whether it printed a value
    ({{ … }}) rather than the template's own words, and the template line that wrote it
    (template.md.j2:12) — to say where a refused document got what it must not show
    (copi_cli.rendering.provenance). A process's template runs in its bounded child."""
    if isinstance(env, Sandbox) and env.own_templates:
        return _render_in_child(env, name, context, traced=True)
    return _traced(env.get_template(name), context)


def _traced(template: jinja2.Template, context: dict[str, Any]
            ) -> list[tuple[str, bool, str | None]]:
    parts: list[tuple[str, bool, str | None]] = []
    stream = cast(Generator[str, None, None],
                  template.root_render_func(template.new_context(context)))  # it is one
    size = 0
    for part in stream:
        size += len(part)
        if size > MAX_MARKDOWN:
            break
        generator: Any = stream
        while getattr(generator, "gi_yieldfrom", None) is not None:  # an included template
            generator = generator.gi_yieldfrom
        frame, where = generator.gi_frame, None
        written = frame.f_globals.get("__jinja_template__") if frame is not None else None
        if written is not None:
            where = (f"{written.filename or written.name}:"
                     f"{written.get_corresponding_lineno(frame.f_lineno)}")
        parts.append((str(part), isinstance(part, Markup), where))
    return parts


class _OutOfTime(Exception):
    """Raised into a template's code when its time is up (by SIGALRM, in the child)."""


class _TooLong(Exception):
    """Thrown into a template's code when it has written more than MAX_MARKDOWN."""


def _written(template: jinja2.Template, context: dict[str, Any]) -> str:
    """The template's output, stopped as soon as it passes MAX_MARKDOWN characters: the
    stop is thrown into the template's own frame, so the traceback names its line."""
    parts: list[str] = []
    size = 0
    stream = cast(Generator[str, None, None], template.generate(context))  # it is one
    for part in stream:
        size += len(part)
        if size > MAX_MARKDOWN:
            stream.throw(_TooLong())
        parts.append(part)
    return "".join(parts)


def _render_here(env: ImmutableSandboxedEnvironment, name: str,
                 context: dict[str, Any]) -> str:
    try:
        template = env.get_template(name)
        return _marked(_written(template, context), getattr(env, "marks", ""),
                       getattr(env, "lang", "da"))
    except jinja2.TemplateSyntaxError as error:
        raise TemplateProblem(Said("template.syntax",
                                   where=_shown(error.filename or name, error.lineno),
                                   said=error.message or ""),
                              hint=Said("template.syntax-hint")) from None
    except jinja2.TemplateNotFound as error:
        raise TemplateProblem(Said("template.missing", name=error.name),
                              hint=Said("template.missing-hint")) from None
    except jinja2.UndefinedError as error:
        where = _template_line(error)
        raise TemplateProblem(Said("template.undefined", where=where, said=error.message or "")
                              if where else str(error.message),
                              hint=Said("template.undefined-hint")) from None
    except jinja2.exceptions.SecurityError as error:
        where = _template_line(error)
        said = error.args[0] if error.args and isinstance(error.args[0], Said) else str(error)
        raise TemplateProblem(Said("template.not-allowed-at", where=where, said=said) if where
                              else Said("template.not-allowed", said=said),
                              hint=Said("template.not-allowed-hint")) from None
    except TemplateProblem:
        raise
    except _TooLong as error:
        where = _template_line(error) or name
        raise TemplateProblem(Said("template.too-long", where=where,
                                   most=grouped(MAX_MARKDOWN)),
                              hint=Said("template.too-long-hint")) from None
    except (_OutOfTime, MemoryError) as error:
        where = _template_line(error) or name
        what = (Said("template.ran-long", where=where, seconds=TEMPLATE_SECONDS)
                if isinstance(error, _OutOfTime)
                else Said("template.needed-memory", where=where,
                          memory=TEMPLATE_MEMORY // 2**20))
        raise TemplateProblem(what, hint=_bounds_hint()) from None
    except Exception as error:  # 1/0, a filter given the wrong kind of value, range(10**8)
        where = _template_line(error) or name
        raise TemplateProblem(Said("template.failed", where=where,
                                   said=f"{type(error).__name__}: {error}"),
                              hint=Said("template.failed-hint")) from None


def _bounds_hint() -> Said:
    return Said("template.bounds-hint", seconds=TEMPLATE_SECONDS,
                memory=TEMPLATE_MEMORY // 2**20)


def _render_in_child(env: Sandbox, name: str, context: dict[str, Any],
                     traced: bool = False) -> Any:
    """render_template (or render_traced) in `python -c …` with its time and memory bounded;
    its answer comes back as JSON (nothing from the child is unpickled)."""
    import copi_cli

    package_parent = str(Path(copi_cli.__file__).resolve().parent.parent)
    variables = dict(os.environ)
    variables["PYTHONPATH"] = os.pathsep.join(
        [package_parent, *filter(None, [os.environ.get("PYTHONPATH")])])
    request = _pickled((str(env.root), env.lang, name, context, traced))
    try:
        done = subprocess.run(
            # -P: the process directory (or wherever copi runs) is not on the child's path
            [sys.executable, "-P", "-c", "from copi_cli.rendering.templating import _child; "
             "_child()"],
            input=request, capture_output=True, timeout=TEMPLATE_SECONDS + 60,
            env=variables)
    except subprocess.TimeoutExpired:
        raise TemplateProblem(Said("template.ran-long", where=name, seconds=TEMPLATE_SECONDS),
                              hint=_bounds_hint()) from None
    try:
        answer = json.loads(done.stdout)
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        raise TemplateProblem(
            Said("template.stopped", where=name,
                 why=Said("template.stopped-why") if done.returncode < 0 else "",
                 said=done.stderr.decode("utf-8", "replace").strip()[-300:]),
            hint=_bounds_hint())
    if "problem" in answer:
        hint = answer.get("hint")
        raise TemplateProblem(_from_json(answer["problem"]),
                              hint=None if hint is None else _from_json(hint))
    if traced:
        return [(str(text), bool(value), where if isinstance(where, str) else None)
                for text, value, where in answer.get("parts", [])]
    return str(answer["markdown"])


def _pickled(value: Any) -> bytes:
    import io
    import pickle

    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = {
        Restricted: lambda value: (Restricted, (str(value), value.reason))}
    pickler.dump(value)
    return buffer.getvalue()


def _child() -> None:
    """The child of _render_in_child: a request on stdin, its answer as JSON on stdout."""
    import pickle
    import signal

    root, lang, name, context, traced = pickle.loads(sys.stdin.buffer.read())
    env = environment(Path(root), lang)
    try:
        import resource

        for limit, value in ((resource.RLIMIT_AS, TEMPLATE_MEMORY),
                             (resource.RLIMIT_CPU, TEMPLATE_SECONDS + 5)):
            hard = resource.getrlimit(limit)[1]
            value = value if hard == resource.RLIM_INFINITY else min(value, hard)
            resource.setrlimit(limit, (value, hard))
    except (ImportError, ValueError, OSError):
        pass

    def out_of_time(*_: object) -> None:
        raise _OutOfTime

    answer: dict[str, Any] = {
        "problem": _as_json(Said("template.ran-long", where=name, seconds=TEMPLATE_SECONDS)),
        "hint": _as_json(_bounds_hint())}
    signal.signal(signal.SIGALRM, out_of_time)
    try:
        try:
            signal.setitimer(signal.ITIMER_REAL, TEMPLATE_SECONDS)
            answer = ({"parts": _traced(env.get_template(name), context)} if traced
                      else {"markdown": _render_here(env, name, context)})
        except TemplateProblem as problem:
            answer = {"problem": _as_json(problem.message), "hint": _as_json(problem.hint)}
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except _OutOfTime:  # the time ran out just as the template finished
        pass
    sys.stdout.write(json.dumps(answer))
    sys.stdout.flush()


def _as_json(text: str | None) -> Any:
    """A message as the child sends it back: a catalogue message by its id and values, so
    that the parent says it in the reader's language; any other text as it is."""
    if isinstance(text, Said):
        return {"said": text.key, "values": {name: _as_json(value) if isinstance(value, str)
                                             else value for name, value in text.values.items()}}
    if isinstance(text, Worded):
        return {"words": text.words}
    return text


def _from_json(data: Any) -> str:
    """A message the child sent (_as_json), made again; what is not one, as text."""
    if isinstance(data, dict):
        try:
            if "words" in data:
                return Worded({str(lang): str(text) for lang, text in data["words"].items()})
            return Said(str(data["said"]), **{
                str(name): _from_json(value) if isinstance(value, str | dict) else value
                for name, value in data["values"].items()})
        except (LookupError, AttributeError, TypeError, ValueError):
            return json.dumps(data)
    return str(data)


def _shown(filename: str, line: int | None = None) -> str:
    """A template as a user knows it, never by a path of the machine copi is installed on:
    copi's own by its place among copi's templates ("copi's template da/x.md.j2"), a
    process's by its path in the process (templates/…); with its line (…:12) if given."""
    path = Path(filename)
    at_line = "" if line is None else f":{line}"
    try:
        return Said("render.copis-template", template=path.resolve().relative_to(
            _shipped_documents().resolve()).as_posix() + at_line)
    except (OSError, ValueError):
        pass
    parts = path.parts
    if "templates" in parts:
        at = len(parts) - 1 - parts[::-1].index("templates")
        return Path(*parts[at:]).as_posix() + at_line
    return path.name + at_line


def _template_line(error: BaseException) -> str | None:
    """template.md.j2:12 from the traceback: Jinja maps its frames to template lines."""
    found = None
    trace = error.__traceback__
    while trace is not None:
        filename = trace.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            found = _shown(filename, trace.tb_lineno)
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


def uses_names(env: jinja2.Environment, name: str, names: frozenset[str]) -> bool:
    """Whether the template, or any template it includes, imports or extends, reads one of
    names: a document that never shows the business case must not depend on it. A template
    chosen at render time (a name computed in the template) counts as reading everything."""
    from jinja2 import meta

    seen: set[str] = set()
    todo = [name]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        source, _, _ = env.loader.get_source(env, current)  # type: ignore[union-attr]
        tree = env.parse(source)
        if meta.find_undeclared_variables(tree) & names:
            return True
        for referenced in meta.find_referenced_templates(tree):
            if referenced is None:
                return True
            todo.append(referenced)
    return False
