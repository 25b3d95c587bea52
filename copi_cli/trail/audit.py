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
from copi_cli.messages import Said
from copi_cli.model.catalogue import phase_as_typed
from copi_cli.model.workspace import PROCESS_FILE
from copi_cli.trail import gitrepo
from copi_cli.trail.change import TRAILER_ACTION, TRAILER_ACTOR, TRAILER_PROCESS
from copi_cli.trail.lifecycle import (
    TRAILER_DATE,
    TRAILER_FORCED,
    TRAILER_FROM,
    TRAILER_REASON,
    TRAILER_TO,
    TRANSITION_ACTIONS,
    tag_name,
    tag_part,
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
    action: str  # init | advance | revisit | close | reopen | edit (a commit copi did not make)
    process: str | None
    from_phase: str | None
    to_phase: str | None
    actor: str | None
    forced: bool
    reason: str | None
    files: list[str]  # relative to the process directory
    stated: str | None = None  # a transition's Copi-Date: the day it happened, as stated

    @property
    def happened(self) -> str:
        """The day the change happened: as stated, else the day it was committed."""
        return self.stated or self.date


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
        names: list[str] = []
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
    done = gitrepo.run(repo.root, "log", "-z", "--reverse", "--date-order", "--full-history",
                       "--name-only",
                       "--no-renames", f"--format={FORMAT}", "--",
                       gitrepo.pathspec(root, repo.root), check=False)
    if done.returncode != 0:  # a branch without commits yet
        return []
    return [_entry(fields, names, relative) for fields, names in _records(done.stdout)]


def _entry(fields: list[str], names: list[str], relative: str) -> TrailEntry:
    commit, date, timestamp, author, subject, raw_trailers = map(_readable, fields)
    found: dict[str, str] = {}
    for line in raw_trailers.split("\n"):
        key, _, value = line.partition(": ")
        if key and value:
            found.setdefault(key, value)
    files = [name if relative == "." else os.path.relpath(name, relative)
             for name in map(_readable, names)]
    return TrailEntry(
        commit, date, timestamp, author, subject, found.get(TRAILER_ACTION, "edit"),
        found.get(TRAILER_PROCESS), found.get(TRAILER_FROM), found.get(TRAILER_TO),
        found.get(TRAILER_ACTOR), found.get(TRAILER_FORCED) == "yes",
        found.get(TRAILER_REASON), files, found.get(TRAILER_DATE))


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


class _Ancestry:
    """Where commits stand to each other and to HEAD, asked only about the few a finding needs."""

    def __init__(self, repo: gitrepo.Repo) -> None:
        self.repo = repo

    def descends(self, ancestor: str, commit: str) -> bool:
        return gitrepo.run(self.repo.root, "merge-base", "--is-ancestor", ancestor, commit,
                           check=False).returncode == 0

    def parallel(self, one: str, other: str) -> bool:
        """Made side by side (in two clones), neither on top of the other."""
        return not self.descends(one, other) and not self.descends(other, one)

    def in_branch(self, commit: str) -> bool:
        return self.descends(commit, "HEAD")

    def describe(self, commit: str) -> TrailEntry | None:
        done = gitrepo.run(self.repo.root, "log", "-1", "-z", "--no-walk", f"--format={FORMAT}",
                           commit, check=False)
        found = [_entry(fields, [], ".") for fields, _ in _records(done.stdout)]
        return found[0] if done.returncode == 0 and found else None


def _same_transition(one: TrailEntry, other: TrailEntry) -> bool:
    """The same commit made again by a rebase or an amend: git keeps author, date and message."""
    return ((one.timestamp, one.author, one.subject, one.action, one.from_phase, one.to_phase,
             one.actor, one.reason) ==
            (other.timestamp, other.author, other.subject, other.action, other.from_phase,
             other.to_phase, other.actor, other.reason))


def audit(repo: gitrepo.Repo, root: Path, process: dict, trail: list[TrailEntry],
          ) -> list[Diagnostic]:
    """Where copi.yaml's history, the transition commits, their tags and signatures disagree.

    Entries and commits are aligned by (action, from, to), so a removed or inserted entry is
    reported as that, not as every later entry disagreeing with the next commit. A commit left
    over beside an entry's own, leaving the same phase and made in parallel with it (two clones
    moving the process at once, merged), is that move made twice: the entry is paired with the
    commit that agrees with it (and, of two that agree, the one its tag names), and the move is
    reported the same way in every clone.
    """
    from difflib import SequenceMatcher

    from copi_cli.validation.rules.method import parallel_entries, parallel_hint

    process_id = process["id"]
    history = process.get("history", [])
    transitions = [e for e in trail
                   if e.action in TRANSITION_ACTIONS and e.process == process_id]
    tags = _tags(repo, process_id)
    ancestry = _Ancestry(repo)
    in_parallel = parallel_hint(process_id)
    findings: list[Diagnostic] = []
    accounted_for: set[str] = set()  # commits whose tags need no further word
    moved: set[str] = set()
    set_aside: dict[str, TrailEntry] = {}  # parallel commits copi.yaml does not keep
    # Two entries that leave the same phase: until one is dropped, the numbers in the tag
    # names after them mean nothing, so no tag is judged from there on.
    unsettled = parallel_entries(history)
    previous_stated: dict[int, str] = {}  # index -> the day its commit says it happened
    tags_judged_before = min(unsettled) - 1 if unsettled else len(history)

    def at(index: int, code: str, message: str, hint: str, key: str | None = None) -> None:
        line, col = _history_place(root, index, key) if history else (1, 1)
        findings.append(Diagnostic(PROCESS_FILE, line, col, code, message, hint))

    def differences(entry: dict, commit: TrailEntry) -> list[str]:
        fields = (("action", entry.get("action", "advance"), commit.action),
                  ("from", entry.get("from"), commit.from_phase),
                  ("to", entry.get("to"), commit.to_phase),
                  ("date", entry.get("date"), commit.happened),
                  ("actor", entry.get("actor"), commit.actor),
                  ("forced", bool(entry.get("forced")), commit.forced),
                  ("reason", " ".join(str(entry.get("reason") or "").split()) or None,
                   commit.reason))
        return [f"{name} {_yaml(mine)} ≠ {_yaml(theirs)}" for name, mine, theirs in fields
                if mine != theirs]

    def check_tag(index: int, commit: TrailEntry) -> None:
        expected = tag_name(process_id, index + 1, tag_part(commit.action, commit.to_phase))
        if any(target == commit.commit for target in tags.values()):
            return  # tagged, under the name it got when it was made
        if expected not in tags:
            at(index, "A004", Said("finding.a004.missing", tag=expected),
               Said("finding.a004.hint", tag=expected, commit=commit.commit[:10],
                    subject=commit.subject))
            return
        moved.add(expected)
        target = tags[expected]
        if target in set_aside:
            at(index, "A005", Said("finding.a005.parallel", tag=expected, target=target[:10],
                                   commit=commit.commit[:10]), in_parallel)
        elif not ancestry.in_branch(target):
            before = ancestry.describe(target)
            if before is not None and _same_transition(before, commit):
                at(index, "A005", Said("finding.a005.made-again", tag=expected,
                                       target=target[:10], commit=commit.commit[:10]),
                   Said("finding.a005.made-again-hint", tag=expected, commit=commit.commit[:10],
                        subject=commit.subject))
            else:
                at(index, "A005", Said("finding.a005.not-in-branch", tag=expected,
                                       target=target[:10], commit=commit.commit[:10]),
                   in_parallel)
        else:
            at(index, "A005", Said("finding.a005.moved", tag=expected, target=target[:10],
                                   commit=commit.commit[:10]),
               Said("finding.a005.moved-hint", tag=expected, commit=commit.commit[:10],
                    subject=commit.subject))

    def check_dates(index: int, commit: TrailEntry) -> None:
        """The stated date beside the commit's own: earlier is work brought in afterwards
        (shown), later is a date that had not come when it was recorded."""
        if not commit.stated or commit.stated == commit.date:
            return
        if commit.stated > commit.date:
            at(index, "A015", Said("finding.a015.later", n=index + 1, stated=commit.stated,
                                   commit=commit.commit[:10], date=commit.date),
               Said("finding.a015.hint"), key="date")
        else:
            at(index, "A016", Said("finding.a016.earlier", n=index + 1, stated=commit.stated,
                                   commit=commit.commit[:10], date=commit.date),
               Said("finding.a016.hint"), key="date")

    def check_pair(index: int, entry: dict, commit: TrailEntry) -> None:
        number = index + 1
        check_dates(index, commit)
        stated = previous_stated.get(index - 1)
        if stated and commit.happened < stated:
            at(index, "A017", Said("finding.a017.order", n=number, date=commit.happened,
                                   stated=stated),
               Said("finding.a017.hint"), key="date")
        previous_stated[index] = commit.happened
        differ = differences(entry, commit)
        if differ:
            at(index, "A003", Said("finding.a003.differs", n=number, commit=commit.commit[:10],
                                   differences=", ".join(differ)),
               Said("finding.a003.hint", commit=commit.commit[:10], file=PROCESS_FILE))
        accounted_for.add(commit.commit)
        if index < tags_judged_before:
            check_tag(index, commit)
        if commit.forced:
            at(index, "A007", Said("finding.a007.forced", phase=phase_as_typed(commit.from_phase),
                                   date=commit.happened, actor=commit.actor,
                                   reason=commit.reason or Said("finding.a007.no-reason")),
               Said("finding.a007.hint"))
        if process.get("settings", {}).get("require_signed_commits"):
            verified = gitrepo.run(repo.root, "verify-commit", commit.commit, check=False)
            if verified.returncode != 0:
                at(index, "A006", Said("finding.a006.unsigned", commit=commit.commit[:10]),
                   Said("finding.a006.hint"))

    def unrecorded(index: int, entry: dict) -> None:
        at(index, "A001", Said("finding.a001.no-commit", n=index + 1,
                               start=phase_as_typed(entry.get("from")),
                               end=phase_as_typed(entry.get("to")), date=str(entry.get("date"))),
           Said("finding.a001.hint"))

    def lost(index: int, commit: TrailEntry) -> None:
        accounted_for.add(commit.commit)
        at(max(index - 1, 0), "A002", Said("finding.a002.no-entry", commit=commit.commit[:10],
                                           subject=commit.subject),
           Said("finding.a002.hint", commit=commit.commit[:10], file=PROCESS_FILE))

    # 1. entries and commits aligned; a commit may be left over at a place in the history
    order = {commit.commit: place for place, commit in enumerate(transitions)}
    paired: dict[int, list[TrailEntry]] = {}
    left_over: list[tuple[int, TrailEntry]] = []
    matcher = SequenceMatcher(
        a=[_key(e.get("action"), e.get("from"), e.get("to")) for e in history],
        b=[_key(c.action, c.from_phase, c.to_phase) for c in transitions], autojunk=False)
    for operation, a1, a2, b1, b2 in matcher.get_opcodes():
        if operation == "equal" or (operation == "replace" and a2 - a1 == b2 - b1):
            for offset in range(a2 - a1):
                paired[a1 + offset] = [transitions[b1 + offset]]
        else:
            for index in range(a1, a2):
                unrecorded(index, history[index])
            left_over.extend((a1, transitions[index]) for index in range(b1, b2))
    # 2. a left-over commit beside an entry's own, leaving the same phase in parallel with it,
    # is the same move made in another clone
    for place, commit in left_over:
        for index in (place - 1, place):
            own = paired.get(index)
            if own and own[0].from_phase == commit.from_phase \
                    and ancestry.parallel(own[0].commit, commit.commit):
                own.append(commit)
                break
        else:
            lost(place, commit)
    # 3. each entry with the commit that agrees with it (of two, the one its tag names)
    for index, candidates in sorted(paired.items()):
        entry = history[index]
        expected = tag_name(process_id, index + 1,
                            tag_part(entry.get("action"), entry.get("to")))
        chosen = min(candidates, key=lambda c: (bool(differences(entry, c)),
                                                tags.get(expected) != c.commit,
                                                order[c.commit]))
        if len(candidates) > 1:
            set_aside.update((c.commit, c) for c in candidates if c is not chosen)
            made = ", ".join(f"{c.commit[:10]} ({c.from_phase} → {c.to_phase})"
                             for c in sorted(candidates, key=lambda c: order[c.commit]))
            at(index, "A009", Said("finding.a009.merged", n=index + 1,
                                   phase=str(entry.get("from")), made=made), in_parallel)
        check_pair(index, entry, chosen)
    for index in unsettled:
        at(index, "A010", Said("finding.history.parallel", first=index, second=index + 1,
                               phase=str(history[index].get("from"))), in_parallel, key="from")
    if unsettled:
        return findings
    for name in sorted(n for n, target in tags.items()
                       if target not in accounted_for and n not in moved):
        target = tags[name]
        if target in set_aside:
            message, hint = (Said("finding.a008.parallel", tag=name, target=target[:10]),
                             in_parallel)
        elif not ancestry.in_branch(target):
            message, hint = (Said("finding.a008.not-in-branch", tag=name, target=target[:10]),
                             Said("finding.a008.not-in-branch-hint", tag=name))
        else:
            message, hint = (Said("finding.a008.no-entry", tag=name),
                             Said("finding.a008.no-entry-hint", tag=name))
        findings.append(Diagnostic(PROCESS_FILE, 1, 1, "A008", message, hint))
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
