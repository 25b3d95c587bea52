"""README.md stays true: its set-up commands are what CI runs, its code table is complete."""

from __future__ import annotations

import re

from copi_cli.diagnostics import CODES

from conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def _setup_commands() -> list[str]:
    section = README.split("## Set-up", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section)


def test_readme_gives_exactly_two_setup_commands_and_ci_runs_them() -> None:
    commands = _setup_commands()
    assert len(commands) == 2
    assert "examples/" in commands[0] and "pytest" in commands[1]
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    for command in commands:
        assert command in ci


def test_every_code_is_documented_with_its_severity() -> None:
    for code, (severity, meaning) in CODES.items():
        assert f"| `{code}` | {severity} | {meaning} |" in README


def test_exit_codes_are_documented() -> None:
    from copi_cli import errors

    for code in (errors.EXIT_OK, errors.EXIT_FINDINGS, errors.EXIT_USAGE,
                 errors.EXIT_ENVIRONMENT, errors.EXIT_INTERRUPTED):
        assert re.search(rf"^\| {code} \| ", README, re.M)


def test_every_example_directory_is_documented_as_valid() -> None:
    for example in (REPO / "examples").iterdir():
        assert example.is_dir() and (example / "copi.yaml").is_file()
