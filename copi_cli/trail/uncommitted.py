"""A transition in copi.yaml that git does not have: a copi stopped between writing copi.yaml
and its commit, or `--no-commit`. advance and revisit refuse it (copi_cli.trail.lifecycle);
`copi status` and `copi validate` name it as a warning, with the same advice.

Kept light: `copi validate` answered from its cache loads no YAML library, so copi.yaml is
parsed only when git's copy of it differs from the work tree's.
"""

from __future__ import annotations

from pathlib import Path

from copi_cli.diagnostics import Diagnostic
from copi_cli.errors import EnvironmentProblem
from copi_cli.messages import Said
from copi_cli.trail import gitrepo

PROCESS_FILE = "copi.yaml"


def hint(then: str = "trail.then-run-again") -> Said:
    """What to do about a transition never committed; then what: run the command again, or
    (as a finding's hint) move the process again."""
    return Said("trail.uncommitted-hint", file=PROCESS_FILE, then=Said(then))


def history(process: object) -> list:
    found = process.get("history") if isinstance(process, dict) else None
    return found if isinstance(found, list) else []


def entry(process: object, committed: object) -> dict | None:
    """The last history entry, when copi.yaml has more of them than HEAD's."""
    entries = history(process)
    if len(entries) <= len(history(committed)):
        return None
    return entries[-1] if isinstance(entries[-1], dict) else {}


def message(found: dict) -> Said:
    return Said("trail.uncommitted", start=str(found.get("from")), to=str(found.get("to")),
                date=str(found.get("date")))


class CommittedProcess:
    """copi.yaml as HEAD has it, asked of git (one process, `git cat-file`) when made, so
    that git answers while the process is validated. Outside a repository, or before a first
    commit, there is nothing to compare."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._asked: gitrepo.Pending | None
        try:
            self._asked = gitrepo.Pending(
                root, "-c", "safe.bareRepository=explicit", "--no-optional-locks",
                "cat-file", "blob", f"HEAD:./{PROCESS_FILE}")
        except EnvironmentProblem:  # no git: nothing to compare
            self._asked = None

    def finding(self) -> Diagnostic | None:
        """A warning at the uncommitted entry in copi.yaml, with advance's advice."""
        if self._asked is None:
            return None
        done = self._asked.result(check=False)
        try:
            now = (self.root / PROCESS_FILE).read_bytes()
        except OSError:
            return None
        if done.returncode != 0 or now == done.stdout.encode("utf-8", "surrogateescape"):
            return None
        import yaml

        try:
            found = entry(yaml.safe_load(now), yaml.safe_load(done.stdout))
        except yaml.YAMLError:
            return None
        if found is None:
            return None
        return Diagnostic(PROCESS_FILE, _last_entry_line(now), 1, "A001", message(found),
                          severity="warning",
                          hint=hint("trail.then-move-again"))

    def close(self) -> None:
        if self._asked is not None:
            self._asked.close()


def _last_entry_line(text: bytes) -> int:
    """The line of the last `- ` item of the block list `history:` (1 if not found)."""
    found, inside = 1, False
    for number, line in enumerate(text.decode("utf-8", "replace").splitlines(), 1):
        if line.startswith(("history:", "\ufeffhistory:")):
            inside = True
        elif inside and line and not line[0].isspace() and not line.startswith(("-", "#")):
            inside = False
        elif inside and line.lstrip().startswith("- "):
            found = number
    return found
