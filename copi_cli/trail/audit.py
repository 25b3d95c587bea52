"""The audit trail: a process's history read back from git, and checked against copi.yaml.

Design:
1. read_trail runs one `git log -z --full-history` over the process directory (so several
   processes in one repo keep separate trails), with the trailers and changed files of every
   commit: a thousand commits cost one git process. Fields and names are NUL-separated, which
   nothing in a commit can hold; both sides of every merge are read.
2. audit pairs copi.yaml's history entries with the transition commits, in order, and checks
   each pair, its tag and (if the process asks for it) its signature. Every disagreement is a
   Diagnostic located at the history entry it concerns.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from copi_cli.diagnostics import Diagnostic
from copi_cli.model.workspace import PROCESS_FILE
from copi_cli.trail import gitrepo
from copi_cli.trail.change import TRAILER_ACTION, TRAILER_ACTOR, TRAILER_PROCESS
from copi_cli.trail.lifecycle import (
    TRAILER_FORCED,
    TRAILER_FROM,
    TRAILER_REASON,
    TRAILER_TO,
    TRANSITION_ACTIONS,
    tag_name,
)

# One commit of `git log -z`: an empty token (the format's leading NUL) starts it, the format's
# fields follow, then the names of the files it changed, the first after a line break. Nothing
# git prints can hold a NUL, and no file name is empty, so neither a subject nor a name can end a
# record or shift a field.
FORMAT = "%x00" + "%x00".join(["%H", "%as", "%aI", "%an", "%s", "%(trailers:only,unfold)"])
FIELDS = 6


class TrailEntry(NamedTuple):
    commit: str
    date: str  # the author date, YYYY-MM-DD
    timestamp: str  # the author date, ISO 8601
    author: str
    subject: str
    action: str  # init | advance | revisit | edit (a commit copi did not make)
    process: str | None
    from_phase: str | None
    to_phase: str | None
    actor: str | None
    forced: bool
    reason: str | None
    files: list[str]  # relative to the process directory


def _readable(text: str) -> str:
    """git's bytes as text anyone can print and JSON can carry: bytes that are not UTF-8 (a
    file name from another system) show as \\xNN, not as lone surrogates."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _records(output: str) -> Iterator[tuple[list[str], list[str]]]:
    """(fields, names) of every commit in `git log -z` output made with FORMAT."""
    tokens = output.split("\0")
    at = 0
    while at + FIELDS < len(tokens):
        if tokens[at] != "":  # not a record's start: git printed something unexpected
            at += 1
            continue
        fields = tokens[at + 1:at + 1 + FIELDS]
        at += 1 + FIELDS
        names = []
        while at < len(tokens) and tokens[at] != "":
            names.append(tokens[at][1:] if not names and tokens[at].startswith("\n")
                         else tokens[at])
            at += 1
        yield fields, names


def read_trail(repo: gitrepo.Repo, root: Path) -> list[TrailEntry]:
    """Every commit that touched the process directory, oldest first.

    --full-history: a merge of two clones' identical transitions keeps both commits in the
    trail, whichever side the merge was made on, so every clone reads the same trail.
    """
    relative = os.path.relpath(root, repo.root)
    done = gitrepo.run(repo.root, "log", "-z", "--reverse", "--full-history", "--name-only",
                       "--no-renames", f"--format={FORMAT}", "--",
                       gitrepo.pathspec(root, repo.root), check=False)
    if done.returncode != 0:  # a branch without commits yet
        return []
    entries = []
    for fields, names in _records(done.stdout):
        commit, date, timestamp, author, subject, raw_trailers = map(_readable, fields)
        found: dict[str, str] = {}
        for line in raw_trailers.split("\n"):
            key, _, value = line.partition(": ")
            if key and value:
                found.setdefault(key, value)
        files = [name if relative == "." else os.path.relpath(name, relative)
                 for name in map(_readable, names)]
        entries.append(TrailEntry(
            commit, date, timestamp, author, subject, found.get(TRAILER_ACTION, "edit"),
            found.get(TRAILER_PROCESS), found.get(TRAILER_FROM), found.get(TRAILER_TO),
            found.get(TRAILER_ACTOR), found.get(TRAILER_FORCED) == "yes",
            found.get(TRAILER_REASON), files))
    return entries


def read_process(root: Path) -> dict | None:
    """copi.yaml's data if it matches its schema. The domain rules do not matter here: a
    hand-edited history is exactly what the audit is for."""
    from copi_cli.model.yamlsource import parse_yaml
    from copi_cli.validation.schemas import is_valid

    parsed = parse_yaml((root / PROCESS_FILE).read_text(encoding="utf-8-sig"), PROCESS_FILE)
    if parsed.diagnostics or not isinstance(parsed.data, dict):
        return None
    return parsed.data if is_valid("process", parsed.data) else None


def _history_place(root: Path, index: int, key: str | None = None) -> tuple[int, int]:
    from copi_cli.model.yamlsource import locate

    text = (root / PROCESS_FILE).read_text(encoding="utf-8-sig")
    where: tuple = ("history", index) + ((key,) if key else ())
    line, col, _ = locate(text, where)
    return line, col


def _yaml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "null" if value is None else str(value)


def _key(action: str | None, start: str | None, end: str | None) -> tuple:
    return (action or "advance", start, end)


def audit(repo: gitrepo.Repo, root: Path, process: dict, trail: list[TrailEntry],
          ) -> list[Diagnostic]:
    """Where copi.yaml's history, the transition commits, their tags and signatures disagree.

    Entries and commits are aligned by (action, from, to), so a removed or inserted entry is
    reported as that, not as every later entry disagreeing with the next commit.
    """
    from difflib import SequenceMatcher

    process_id = process["id"]
    history = process.get("history", [])
    transitions = [e for e in trail
                   if e.action in TRANSITION_ACTIONS and e.process == process_id]
    tags = _tags(repo, process_id)
    findings: list[Diagnostic] = []
    accounted_for: set[str] = set()  # commits whose tags need no further word
    moved: set[str] = set()

    def at(index: int, code: str, message: str, hint: str) -> None:
        line, col = _history_place(root, index) if history else (1, 1)
        findings.append(Diagnostic(PROCESS_FILE, line, col, code, message, hint))

    def check_pair(index: int, entry: dict, commit: TrailEntry) -> None:
        number = index + 1
        fields = (("action", entry.get("action", "advance"), commit.action),
                  ("from", entry.get("from"), commit.from_phase),
                  ("to", entry.get("to"), commit.to_phase),
                  ("date", entry.get("date"), commit.date),
                  ("actor", entry.get("actor"), commit.actor),
                  ("forced", bool(entry.get("forced")), commit.forced),
                  ("reason", " ".join(str(entry.get("reason") or "").split()) or None,
                   commit.reason))
        differ = [f"{name} {_yaml(mine)} ≠ {_yaml(theirs)}" for name, mine, theirs in fields
                  if mine != theirs]
        if differ:
            at(index, "A003", f"history entry {number} disagrees with its commit "
               f"{commit.commit[:10]}: " + ", ".join(differ),
               "copi.yaml's history was edited by hand; restore it from git "
               f"(git show {commit.commit[:10]}:{PROCESS_FILE})")
        expected = tag_name(process_id, number, commit.to_phase or "")
        own = sorted(name for name, target in tags.items() if target == commit.commit)
        accounted_for.add(commit.commit)
        if own:
            pass  # tagged, under the name it got when it was made
        elif expected in tags:
            at(index, "A005", f"tag {expected} points at {tags[expected][:10]}, not at the "
               f"transition commit {commit.commit[:10]}",
               f"restore it: git tag -f -a {expected} {commit.commit[:10]} "
               f"-m '{commit.subject}'")
            moved.add(expected)
        else:
            at(index, "A004", f"tag {expected} is missing",
               "if it exists where the process was advanced, push it (git push --follow-tags); "
               f"otherwise restore it: git tag -a {expected} {commit.commit[:10]} "
               f"-m '{commit.subject}'")
        if commit.forced:
            at(index, "A007", f"the gate of {commit.from_phase} was forced on {commit.date} by "
               f"{commit.actor}: {commit.reason or 'no reason given'}",
               "forced transitions are allowed; this lists them for review")
        if process.get("settings", {}).get("require_signed_commits"):
            verified = gitrepo.run(repo.root, "verify-commit", commit.commit, check=False)
            if verified.returncode != 0:
                at(index, "A006", f"transition commit {commit.commit[:10]} is not signed "
                   "with a trusted key", "sign transition commits (git config commit.gpgsign "
                   "true) or set require_signed_commits: false")

    def unrecorded(index: int, entry: dict) -> None:
        at(index, "A001", f"history entry {index + 1} ({entry.get('from')} → {entry.get('to')}, "
           f"{entry.get('date')}) has no transition commit",
           "commit it with the message copi printed for --no-commit (it carries copi's "
           "trailers), or restore copi.yaml from git")

    def lost(index: int, commit: TrailEntry) -> None:
        accounted_for.add(commit.commit)
        at(max(index - 1, 0), "A002", f"transition commit {commit.commit[:10]} "
           f"({commit.subject}) has no history entry",
           f"restore copi.yaml from git (git show {commit.commit[:10]}:{PROCESS_FILE})")

    matcher = SequenceMatcher(
        a=[_key(e.get("action"), e.get("from"), e.get("to")) for e in history],
        b=[_key(c.action, c.from_phase, c.to_phase) for c in transitions], autojunk=False)
    for operation, a1, a2, b1, b2 in matcher.get_opcodes():
        if operation == "equal" or (operation == "replace" and a2 - a1 == b2 - b1):
            for offset in range(a2 - a1):
                check_pair(a1 + offset, history[a1 + offset], transitions[b1 + offset])
        else:
            for index in range(a1, a2):
                unrecorded(index, history[index])
            for index in range(b1, b2):
                lost(a1, transitions[index])
    for name in sorted(n for n, target in tags.items()
                       if target not in accounted_for and n not in moved):
        findings.append(Diagnostic(
            PROCESS_FILE, 1, 1, "A008", f"tag {name} matches no history entry",
            "the history was rewritten (git reset?) or the tag made by hand; delete it "
            f"(git tag -d {name}) or restore the history"))
    return findings


def _tags(repo: gitrepo.Repo, process_id: str) -> dict[str, str]:
    """copi's tags of one process and the commits they point at, in one git call."""
    done = gitrepo.run(repo.root, "for-each-ref", f"refs/tags/copi/{process_id}/",
                       "--format=%(refname:short) %(objectname) %(*objectname)")
    tags = {}
    for line in done.stdout.splitlines():
        name, target, peeled = (line.split(" ") + ["", ""])[:3]
        tags[name] = peeled or target
    return tags
