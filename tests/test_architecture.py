"""Structure that keeps copi fast and testable: a core without terminal code, lazy imports."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import REPO

CORE = sorted(p.stem for p in (REPO / "copi_cli").glob("*.py")
              if p.stem not in ("__main__", "cli", "reporting"))


def _modules_after(code: str) -> set[str]:
    done = subprocess.run([sys.executable, "-c", code + "\nimport sys, json\n"
                           "print(json.dumps(sorted(sys.modules)))"],
                          capture_output=True, text=True, check=True, cwd=REPO)
    return set(json.loads(done.stdout.splitlines()[-1]))


@pytest.mark.parametrize("module", CORE)
def test_core_never_imports_the_terminal(module: str) -> None:
    loaded = _modules_after(f"import copi_cli.{module}")
    assert not {m for m in loaded if m.split(".")[0] in ("typer", "rich", "click")}


@pytest.mark.parametrize("argv", [["--version"], ["--help"], ["validate", "--help"],
                                  ["owner", "add", "--help"], ["potential", "--help"]])
def test_start_up_does_not_load_heavy_libraries(argv: list[str]) -> None:
    loaded = _modules_after(
        "import sys\nfrom copi_cli.cli import main\n"
        f"sys.argv = ['copi', *{argv!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass")
    heavy = {"git", "jinja2", "jsonschema", "fastjsonschema", "pypandoc", "rich", "yaml",
             "typst"}
    assert not {m.split(".")[0] for m in loaded} & heavy


def test_version(copi) -> None:
    from copi_cli import __version__

    run = copi("--version")
    assert run.code == 0 and run.out.strip() == f"copi {__version__}"


def test_help_lists_the_commands(copi) -> None:
    run = copi("--help")
    assert run.code == 0
    for command in ("init", "validate", "status"):
        assert command in run.out


def test_unknown_command_is_a_usage_error(copi) -> None:
    run = copi("advanse")
    assert run.code == 2 and "No such command" in run.err


def test_internal_errors_end_in_one_line(copi, monkeypatch, example) -> None:
    import copi_cli.validation

    def broken(*args, **kwargs):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(copi_cli.validation, "validate", broken)
    run = copi("validate", cwd=example)
    assert run.code == 3
    assert "internal error: ZeroDivisionError: boom" in run.err and "--debug" in run.err
    assert "Traceback" not in run.err


def test_python_dash_m(example) -> None:
    done = subprocess.run([sys.executable, "-m", "copi_cli", "validate", "--dir", str(example)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_recording_commands_load_only_when_used() -> None:
    """typer builds every option of every command it knows on each start: the many recording
    commands are loaded when one of them runs, not for `copi --version` or `copi status`."""
    loaded = _modules_after(
        "import sys\nfrom copi_cli.cli import main\n"
        "sys.argv = ['copi', '--version']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass")
    assert not {m for m in loaded if m.startswith("copi_cli.commands.")} & {
        f"copi_cli.commands.{name}" for name in ("owner", "contact", "event", "supplier",
                                                 "meeting", "question", "exploration",
                                                 "potential", "declaration")}


def test_every_recording_command_answers_help(copi) -> None:
    from copi_cli.cli import ON_FIRST_USE

    for name in ON_FIRST_USE:
        run = copi(name, "--help")
        assert run.code == 0 and f"copi {name}" in run.out, name
