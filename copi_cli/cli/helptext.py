"""The help of copi's commands, and typer's and click's own words, in the chosen language.

Every help text lives in the catalogue (data/messages/help.json), none in the code: a command's
is `help.<command path>` (`help.advance`, `help.owner.add`; the app's is `help.copi`), a
parameter's `help.<command path>.<name>` (`help.advance.force`, `help.owner.add.name`; the
app's own options `help.copi.lang`), its name being its long option without dashes or the
argument's name. An option shared by several commands (copi_cli.cli.commands.options) names its
id instead, `help="help.shared.dir"`, and a command may still give its own. `apply()` writes
them into the click command tree before typer prints any help; a command's docstring is for
developers and never shown.

typer and click say a few words of their own: headings, "Usage:", the help of --help and of the
completion options, and the usage errors. typer asks gettext for its words; click (vendored in
typer) writes them as they are. Both are said from the catalogue's `click.*` entries, whose
English is the library's own text with its values as placeholders ("No such option: {name}"),
matched against what the library said.

The placeholders a help page shows for a value (`--dir <directory>`, `--date YYYY-MM-DD`,
`{name}`) are said from `metavar.*`, whose English is the word as typer, click or copi writes it
(`directory`, `YYYY-MM-DD`, `name`). A list of the values to type (`da|en`) stays as it is: it is
what the user types.
"""

from __future__ import annotations

import re
import weakref
from functools import cache
from typing import cast

import typer.core
from typer._click import Command, Context, HelpFormatter
from typer.core import TyperArgument, TyperOption

from copi_cli.cli import language
from copi_cli.messages import Said, catalogue, message, text_in

HELP_OPTION_NAMES = ["-h", "--help"]
Parameter = TyperOption | TyperArgument  # what typer makes of an option or an argument


def apply(command: Command, path: tuple[str, ...] = ()) -> None:
    """Say the help of `command` (at `path` under copi), its parameters and its subcommands in
    the chosen language, and let typer and click say their own words in it too."""
    lang = language.current()
    command.context_class = _Context
    command.help = _said(command_id(path), lang)
    command.short_help = None
    if command.options_metavar:  # the usage line: copi advance [OPTIONS]
        command.options_metavar = library_words(command.options_metavar, lang)
    if isinstance(command, typer.core.TyperGroup):  # copi owner [OPTIONS] COMMAND [ARGS]...
        command.subcommand_metavar = library_words(command.subcommand_metavar, lang)
    command.get_help_option(Context(command, help_option_names=HELP_OPTION_NAMES))
    context = Context(command)
    for param in _params(command):
        key = parameter_id(param, path)
        if key is not None:
            param.help = _said(key, lang)
        elif param.help:
            param.help = library_words(param.help, lang)
        if lang != "en":
            param.metavar = placeholder(param, context, lang)
    if isinstance(command, typer.core.TyperGroup):
        for name, sub in command.commands.items():
            apply(sub, (*path, name))


def command_id(path: tuple[str, ...]) -> str:
    return "help." + ".".join(path or ("copi",))


def parameter_id(param: Parameter, path: tuple[str, ...]) -> str | None:
    """The catalogue id of a parameter's help: its command's own, else the shared one its help
    names; None for typer's and click's own options (--help, --install-completion)."""
    if param in _named:  # by an earlier apply(), which replaced the id in its help
        return _named[param]
    long = next((opt[2:] for opt in param.opts if opt.startswith("--")), None)
    name = long or (param.name or "").replace("_", "-")
    key = f"{command_id(path)}.{name}"
    if key not in catalogue() and param.help in catalogue():
        key = param.help
    if key not in catalogue():
        return None
    _named[param] = key
    return key


_named: weakref.WeakKeyDictionary[Parameter, str] = weakref.WeakKeyDictionary()
_WRAPPED = re.compile(r"(?P<open>[\[{<]?)(?P<word>.*?)(?P<close>[\]}>]?)(?P<more>(?:\.\.\.)?)")


def placeholder(param: Parameter, context: Context, lang: str) -> str | None:
    """The placeholder `param` shows for its value in `lang` (None: none, as for a flag), its
    word from the catalogue's `metavar.*` and its brackets and dots as typer writes them."""
    if isinstance(param, TyperOption) and (param.is_flag or param.count):
        return param.metavar
    if isinstance(param, TyperArgument) and param.metavar is None:
        # typer puts the name in brackets itself, and dots after it for several
        english = (param.name or "") + ("..." if param.nargs != 1 else "")
    else:
        english = param.metavar or param.make_metavar(context)
    parts = _WRAPPED.fullmatch(english)
    word = parts.group("word") if parts else ""
    if word not in _placeholders():
        return param.metavar  # values to type (da|en), or said already by an earlier apply()
    said = catalogue()[_placeholders()[word]][lang]
    return english.replace(word, said, 1)


@cache
def _placeholders() -> dict[str, str]:
    """The ids of the placeholders' words, by their English."""
    return {entry["en"]: key for key, entry in catalogue().items()
            if key.startswith("metavar.")}


def _params(command: Command) -> list[Parameter]:
    help_option = command._help_option  # made by get_help_option() above
    return cast(list[Parameter],
                [*command.params, *([help_option] if help_option is not None else [])])


def _said(key: str, lang: str) -> str | None:
    return message(key, lang) if key in catalogue() else None


# --- typer's and click's own words ----------------------------------------------------------

def library_words(text: str, lang: str) -> str:
    """What typer or click said, in `lang`: its template from the catalogue (`click.*`), with
    the values it held said the same way (an error's message is a sentence of its own); any
    other text as it is. A value that is copi's own message (Said) is said in `lang`."""
    if lang == "en" or not text:
        return text
    if text in _fixed():  # a word or sentence of its own, as most are
        return catalogue()[_fixed()[text]][lang]
    for pattern, key in _templates():
        found = pattern.fullmatch(text)
        if found:
            values = {name: library_words(value, lang)
                      for name, value in found.groupdict().items()}
            return _fill(catalogue()[key][lang], values)
    return text


def usage_error(error: Exception, lang: str) -> str:
    """A typer or click usage error in `lang`, copi's own messages in it said too."""
    text = error.format_message()  # type: ignore[attr-defined]
    said = getattr(error, "message", None)
    if isinstance(said, Said) and lang != "en":
        # a callback's message (a bad --date): the library's frame around copi's words
        text = library_words(text.replace(said, "\0"), lang).replace("\0", text_in(said, lang))
    return library_words(text, lang)


@cache
def _fixed() -> dict[str, str]:
    """The library's texts without values (and typer's gettext templates, as it asks), by their
    English."""
    return {entry["en"]: key for key, entry in catalogue().items() if key.startswith("click.")}


@cache
def _templates() -> list[tuple[re.Pattern[str], str]]:
    """The library's templates as patterns, the most specific (most fixed words) first."""
    found = []
    for key, entry in catalogue().items():
        if key.startswith("click."):
            parts = re.split(r"\{(\w+)(?:![rs])?\}", entry["en"])
            pattern = "".join(re.escape(part) if at % 2 == 0 else f"(?P<{part}>.+?)"
                              for at, part in enumerate(parts))
            fixed = sum(len(part) for part in parts[::2])
            found.append((fixed, re.compile(pattern, re.DOTALL), key))
    return [(pattern, key) for _, pattern, key in sorted(found, key=lambda t: -t[0])]


def _fill(template: str, values: dict[str, str]) -> str:
    """A template filled with values already written out (a conversion such as !r was done
    by the library)."""
    return re.sub(r"\{(\w+)(?:![rs])?\}", lambda m: values.get(m.group(1), m.group(0)),
                  template)


def _gettext(text: str) -> str:
    """typer's gettext: its words from the catalogue, in the language chosen for this run."""
    return library_words(text, language.current())


class _Formatter(HelpFormatter):
    """click's help formatter, with its "Usage:" in the chosen language."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        if prefix is None:
            prefix = library_words("Usage:", language.current()) + " "
        super().write_usage(prog, args, prefix)


class _Context(Context):
    """click's context, formatting help with _Formatter (click's documented seam for it)."""

    formatter_class = _Formatter


# typer says its headings, "[default: …]", "[required]" and a few errors through gettext's `_`
# (typer.core imports it by that name); copi has no gettext domain, so it gives its own.
typer.core._ = _gettext  # type: ignore[attr-defined,assignment]
