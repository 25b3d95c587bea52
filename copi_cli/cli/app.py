"""The copi command line: a registry of thin commands and the one error boundary.

Command modules import only typer at the top; each imports the core it needs when it runs, so
`copi --help` and `copi --version` never pay for YAML, schemas, git or templates. The other
commands (render, gate, the recording commands owner, contact, event …, tool, ci, doctor) are
many: their modules are imported and their options built only when one of them is run (or help
lists them), since typer builds every option of every command it knows on each start.
"""

import importlib
import os
import signal
import sys
from typing import Annotated

import typer
import typer.core

# typer 0.28 vendors click: its groups take that click's Context and return its Command, and
# its usage errors are that click's (all loaded with typer.core already).
from typer._click import Command
from typer._click import Context as ClickContext
from typer._click.exceptions import NoArgsIsHelpError

from copi_cli import __version__
from copi_cli.cli import helptext, language
from copi_cli.cli.commands import advance, audit, init, log, revisit, status, validate
from copi_cli.errors import EXIT_ENVIRONMENT, EXIT_INTERRUPTED, EXIT_USAGE, CopiError, UsageError
from copi_cli.messages import Said, os_reason, text_in

# Commands loaded on first use (typer builds every option of every command it knows on each
# start, so only the core commands above are registered eagerly):
# name -> (module in copi_cli.cli.commands, its typer app or command function)
ON_FIRST_USE = {
    # the end of a process, and its undoing
    "close": ("closing", "close"),
    "reopen": ("closing", "reopen"),
    # documents and the gate as a CI check
    "render": ("render", "render"),
    "publish": ("publish", "publish"),
    "preview": ("preview", "preview"),
    "site": ("site", "site"),
    "gate": ("gate", "gate"),
    # recording: what facilitators write down as the process goes
    "owner": ("owner", "app"),
    "contact": ("contact", "app"),
    "event": ("event", "app"),
    "supplier": ("supplier", "app"),
    "meeting": ("meeting", "app"),
    "question": ("question", "app"),
    "insight": ("exploration", "insight_app"),
    "need": ("exploration", "need_app"),
    "barrier": ("exploration", "barrier_app"),
    "term": ("exploration", "term_app"),
    "potential": ("potential", "app"),
    "sign": ("declaration", "sign"),
    "decline": ("declaration", "decline"),
    # the method's worksheets: print and digital versions, and importing their answers
    "tool": ("tool", "app"),
    # set-up of a process repo
    "ci": ("ci", "ci"),
    "schema": ("schema", "app"),
    "doctor": ("doctor", "doctor"),
    # many processes at once
    "portfolio": ("portfolio", "portfolio"),
}


class _Commands(typer.core.TyperGroup):
    """The top-level group, with the commands of ON_FIRST_USE loaded when they are run (or
    help lists them)."""

    def list_commands(self, ctx: ClickContext) -> list[str]:
        return [*super().list_commands(ctx), *ON_FIRST_USE]

    def get_command(self, ctx: ClickContext, name: str) -> Command | None:
        found = super().get_command(ctx, name)
        if found is None and name in ON_FIRST_USE:
            module, attribute = ON_FIRST_USE[name]
            target = getattr(importlib.import_module(f"copi_cli.cli.commands.{module}"), attribute)
            if isinstance(target, typer.Typer):  # a group, even with one subcommand so far
                found = typer.main.get_group(target)
            else:
                single = typer.Typer(rich_markup_mode=None, add_completion=False)
                single.command(name)(target)
                found = typer.main.get_command(single)
            found.name = name
            helptext.apply(found, (name,))
            self.commands[name] = found
        return found


app = typer.Typer(
    cls=_Commands,
    name="copi",
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,  # plain help: rich-formatted help costs ~100 ms of start-up
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": helptext.HELP_OPTION_NAMES},
)

_state = {"debug": False}


def _version(value: bool) -> None:
    if value:
        typer.echo(f"copi {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True)] = False,
    debug: Annotated[bool, typer.Option("--debug")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False,
    lang: Annotated[str | None, typer.Option("--lang", metavar="da|en")] = None,
) -> None:
    _state["debug"] = debug
    if lang is not None and lang not in language.LANGUAGES:
        raise UsageError(Said("cli.lang-unknown", lang=lang), Said("cli.lang-hint"))
    if quiet:
        os.environ["COPI_QUIET"] = "1"


app.command("init")(init.init)
app.command("validate")(validate.validate)
app.command("status")(status.status)
app.command("advance")(advance.advance)
app.command("revisit")(revisit.revisit)
app.command("log")(log.log)
app.command("audit")(audit.audit)


def run() -> None:
    """The console script: main(), with a terminating signal handled like Ctrl-C."""
    # A CI timeout or `kill` then runs every command's undo path before copi ends.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        main()
    finally:
        try:
            sys.stdout.flush()
        except BrokenPipeError:  # the reader stopped early (copi log | head): nothing to report
            # Python flushes again as it ends; let that go nowhere (Python's own advice).
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> None:
    """Entry point: run a command and turn every outcome into an exit code."""
    language.choose(sys.argv[1:] if argv is None else argv)
    command = typer.main.get_command(app)
    helptext.apply(command)  # the commands loaded on first use: in _Commands.get_command
    from copi_cli.trail import locking

    locking.set_waiting_notice(_waiting)
    try:
        code = command.main(args=argv, prog_name="copi", standalone_mode=False)
        code = code if isinstance(code, int) else 0
        if code == EXIT_INTERRUPTED:  # typer turns Ctrl-C into a silent exit 130
            _report(Said("cli.interrupted"), None)
    except CopiError as error:
        _report(error.message, error.hint)
        code = error.exit_code
    except typer.TyperException as error:  # typer's usage errors: bad option, missing argument
        context = getattr(error, "ctx", None)
        where = f"{context.command_path} --help" if context else "copi --help"
        if isinstance(error, NoArgsIsHelpError):
            error.show()  # plain `copi`: the help is the answer
        else:
            _report(helptext.usage_error(error, language.current()),
                    Said("usage.see-help", command=where))
        code = getattr(error, "exit_code", EXIT_USAGE) or EXIT_USAGE
    except typer.Exit as error:
        code = error.exit_code
    except (KeyboardInterrupt, typer.Abort):
        _report(Said("cli.interrupted"), None)
        code = EXIT_INTERRUPTED
    except BrokenPipeError:
        code = 0
    except OSError as error:  # the surroundings: a removed working directory, a name too long
        if _state["debug"]:
            raise
        _report(Said("cli.os-error", what=os_reason(error),
                     path=str(error.filename or ".")), Said("cli.os-error-hint"))
        code = EXIT_ENVIRONMENT
    except Exception as error:  # the boundary: a bug must still end in one clear line
        if _state["debug"]:
            raise
        _report(Said("cli.internal-error", kind=type(error).__name__, error=str(error)),
                Said("cli.internal-error-hint"))
        code = EXIT_ENVIRONMENT
    sys.exit(code)


def _waiting(holder: int | None, variable: str) -> None:
    """Said once on standard error when another copi holds the repository's lock a while."""
    waiting = (Said("cli.waiting-for", pid=holder, variable=variable) if holder
               else Said("cli.waiting", variable=variable))
    sys.stderr.write(f"copi: {text_in(waiting, language.current())}\n")
    sys.stderr.flush()


def _report(message: str, hint: str | None) -> None:
    """One line (and its hint): an error may quote a name, a path or git's words, shown on
    that line and never obeyed (copi_cli.cli.formats.printable)."""
    from copi_cli.cli.formats import printable

    lang = language.current()
    sys.stderr.write(f"copi: {text_in(Said('cli.error'), lang)}: "
                     f"{printable(text_in(message, lang))}\n")
    if hint:
        sys.stderr.write(f"  {text_in(Said('cli.hint'), lang)}: "
                         f"{printable(text_in(hint, lang))}\n")
