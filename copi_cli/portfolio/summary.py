"""One summary per process, and the totals across a portfolio of them.

Design:
1. Each process is validated through the pipeline and its cache (`validation.pipeline`) and
   summarised from `copi status`'s own value (`validation.status.build_status`) and the
   potential calculation's demand signal (`model.potential`), so a figure here is the figure
   `copi status` and `copi potential` show for that process.
2. git is asked about the process (its git directory, its last commit) while it is validated;
   a merge, rebase, cherry-pick or revert in progress is seen as `copi`'s changes see it
   (`trail.gitrepo.refuse_unfinished`). Outside git, the last activity is the newest file's
   modification time, and says so.
3. Whatever is wrong with one process — copi.yaml that cannot be parsed or read, errors, a
   merge in progress, a bug — becomes its state and problem: the others are summarised all
   the same.
4. Only the summaries are kept, never a workspace: a thousand processes cost what one does,
   plus a few hundred bytes each.
5. The totals count public bodies by what identifies them (`public_identity`: the reference
   list's code for a municipality or region, else the CVR number, else the name), never by
   how a process spells them.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

from copi_cli.errors import CopiError, EnvironmentProblem
from copi_cli.messages import Said
from copi_cli.model.identifiers import find_public_body, is_valid_cvr
from copi_cli.portfolio.discovery import find_processes

STATES = ("ok", "stale", "invalid", "mid-merge", "broken", "unreadable", "unavailable")


class Owner(NamedTuple):
    """A need owner of a process: identity is the same across processes (public_identity)."""

    identity: str
    id: str
    name: str


class Signal(NamedTuple):
    """One year of a demand signal: the planned spend, low / expected / high (DKK)."""

    year: int
    low: Decimal
    expected: Decimal
    high: Decimal


class Activity(NamedTuple):
    when: str  # ISO 8601, as git or the file system gives it
    source: str  # "git" (the last commit touching the process) or "files" (newest file)


class Place(NamedTuple):
    """Where to look for processes: what the user wrote, the local folder, or why there is
    none (a source that could not be fetched). A remote's folder is a checkout in copi's
    cache: its processes are shown by the remote's label, and a problem beside a folder (the
    fetch failed, the last copy is read) is said on each of their lines."""

    label: str
    path: Path | None
    problem: str | None = None
    remote: bool = False


def places(located: Iterable[Any]) -> list[Place]:
    """The places of `sources.locate`'s answers (Located)."""
    return [Place(item.source.label, item.path, item.problem, item.source.url is not None)
            for item in located]


class ProcessSummary(NamedTuple):
    """A process on one line. state is one of STATES; problem says what is wrong when it is
    not ok. The other fields are None (or empty) where they could not be read."""

    label: str  # the place it was found under, as the user wrote it
    path: str  # where it is, as the place was written (a remote's: its label)
    state: str
    problem: str | None = None
    id: str | None = None
    title: str | None = None
    language: str | None = None  # the process's: its title is written in it
    phase: str | None = None  # the phase's id
    phase_number: int | None = None
    since: str | None = None  # the day the phase was last entered
    closed: str | None = None
    need_owners: tuple[Owner, ...] = ()
    backed: int = 0  # need owners with political and administrative backing
    signed: int = 0  # need owners that signed the declaration as buyers
    demand: tuple[Signal, ...] = ()
    errors: int = 0
    warnings: int = 0
    activity: Activity | None = None
    root: str | None = None  # the local folder it was read from (for --site)

    @property
    def backing_complete(self) -> bool:
        return bool(self.need_owners) and self.backed >= len(self.need_owners)


def public_identity(data: Mapping[str, Any]) -> str:
    """What identifies an organisation across processes: a municipality or region by its code
    in the reference list (found by name where the code is not recorded), another body by its
    CVR number, and only failing both by its name, spaces and case aside."""
    kind, name = data.get("type"), str(data.get("name") or "")
    if kind == "municipality" and data.get("municipality_code"):
        return f"municipality:{data['municipality_code']}"
    if kind == "region" and data.get("region_code"):
        return f"region:{data['region_code']}"
    body = find_public_body(name) if name else None
    if body is not None:
        return f"{body.type}:{body.region_code if body.type == 'region' else body.code}"
    cvr = str(data.get("cvr") or "").replace(" ", "")
    if is_valid_cvr(cvr):
        return f"cvr:{cvr}"
    return "name:" + " ".join(name.split()).casefold()


# --- git ----------------------------------------------------------------------------------

class _GitQuestions:
    """The two questions asked of git about a process, started before it is validated."""

    def __init__(self, root: Path) -> None:
        from copi_cli.trail.gitrepo import Pending

        env = {**os.environ, "LC_ALL": "C"}
        safe = ("-c", "safe.bareRepository=explicit")
        try:
            self.git_dir: Pending | None = Pending(root, *safe, "rev-parse",
                                                   "--show-toplevel", "--absolute-git-dir",
                                                   env=env)
            self.last: Pending | None = Pending(root, *safe, "log", "-1", "--format=%cI",
                                                "--", ".", env=env)
        except EnvironmentProblem:  # git missing: every process is outside git
            self.git_dir = self.last = None

    def answers(self, root: Path) -> tuple[Activity | None, str | None]:
        """(the last activity, what is unfinished in the repository, if anything)."""
        from copi_cli.trail.gitrepo import Repo, refuse_unfinished, run

        if self.git_dir is None or self.last is None:
            return _newest_file(root), None
        where = self.git_dir.result(check=False)
        last = self.last.result(check=False)
        if where.returncode != 0:
            return _newest_file(root), None
        top, git_dir = (where.stdout.splitlines() + ["", ""])[:2]
        when = last.stdout.strip() if last.returncode == 0 else ""
        activity = Activity(when, "git") if when else _newest_file(root)
        try:
            refuse_unfinished(Repo(Path(top), Path(git_dir)))
        except EnvironmentProblem as unfinished:
            conflicted = run(root, "diff", "--name-only", "--diff-filter=U", "--relative",
                             "--", ".", check=False).stdout.split()
            if conflicted:
                return activity, Said("portfolio.unfinished-conflicts", said=unfinished.message,
                                      files=", ".join(conflicted))
            return activity, unfinished.message
        return activity, None

    def close(self) -> None:
        for asked in (self.git_dir, self.last):
            if asked is not None:
                asked.close()


def _newest_file(root: Path) -> Activity | None:
    """The newest modification time of the process's files, for a process outside git."""
    from copi_cli.model.workspace import discover

    found = discover(root)
    newest = max((fp[0] for fp in found.fingerprints.values()), default=None)
    if newest is None:
        return None
    moment = dt.datetime.fromtimestamp(newest / 1e9, dt.UTC).replace(microsecond=0)
    return Activity(moment.isoformat(), "files")


# --- one process ----------------------------------------------------------------------------

def _where(diagnostic: Any) -> Said:
    """A finding as its line shows it: a message, so that it is said in the run's language."""
    return Said("portfolio.finding", path=diagnostic.path, line=diagnostic.line,
                code=diagnostic.code, message=diagnostic.message)


def summarise(root: Path, label: str, today: dt.date) -> ProcessSummary:
    """The summary of the process at root; never raises for what is wrong with the process."""
    if not os.access(root, os.R_OK | os.X_OK):
        return ProcessSummary(label, str(root), "unreadable",
                              Said("portfolio.unreadable", path=str(root)))
    git = _GitQuestions(root)
    try:
        summary = _summarised(root, label, today)
        activity, unfinished = git.answers(root)
    except OSError as problem:
        return ProcessSummary(label, str(root), "unreadable",
                              Said("portfolio.unreadable", path=f"{root}: {problem.strerror}"))
    except (CopiError, RecursionError, ValueError, KeyError, TypeError) as problem:
        # a bug of copi's, or git refusing the folder: said on the process's line, so the
        # other processes are still shown
        return ProcessSummary(label, str(root), "broken", Said(
            "portfolio.failed", error=f"{type(problem).__name__}: {problem}", path=str(root)))
    finally:
        git.close()
    summary = summary._replace(activity=activity, root=str(root))
    if unfinished is not None:
        return summary._replace(state="mid-merge", problem=unfinished)
    return summary


def _summarised(root: Path, label: str, today: dt.date) -> ProcessSummary:
    from copi_cli.validation.pipeline import validate

    report = validate(root, today=today, want_workspace=True)
    errors, warnings = report.errors, report.warnings
    start = ProcessSummary(label, str(root), "ok", errors=len(errors), warnings=len(warnings))
    process_errors = [d for d in errors if d.path == "copi.yaml"]
    try:
        summary = _from_status(report, start, today)
    except CopiError as problem:  # copi.yaml that cannot be read as a process
        said = _where(process_errors[0]) if process_errors else problem.message
        unreadable = any(d.code == "Y005" for d in process_errors)
        return start._replace(state="unreadable" if unreadable else "broken", problem=said)
    if errors:
        return summary._replace(state="invalid", problem=Said(
            "portfolio.first-error", first=_where(errors[0]), n=len(errors)))
    return summary


def _from_status(report: Any, start: ProcessSummary, today: dt.date) -> ProcessSummary:
    from copi_cli.model import figures
    from copi_cli.model.potential import calculate
    from copi_cli.validation.status import build_status

    status = build_status(report, today=today)
    ws = report.workspace
    records = {record.id: record.data for record in ws.all("organisation")}
    owners = tuple(Owner(public_identity(records[row.id]), row.id, row.name)
                   for row in status.owners
                   if row.role == "need-owner" and row.withdrawn is None)
    demand: tuple[Signal, ...] = ()
    potential = ws.single_data("potential")
    if potential:
        try:
            calculation = calculate(figures.counted(potential, records.values()), today)
        except CopiError:  # a figure that cannot be discounted: its finding says so (R036)
            calculation = None
        if calculation is not None:
            demand = tuple(Signal(year.year, *year.spend) for year in calculation.demand.years
                           if year.spend is not None)
    return start._replace(
        id=status.id, title=status.title, language=status.language, phase=status.phase.id,
        phase_number=status.phase.number, since=status.phase.entered, closed=status.closed,
        need_owners=owners, backed=status.scale.fully_backed, signed=status.scale.signed,
        demand=demand)


# --- many processes -------------------------------------------------------------------------

def survey(places: Iterable[Place], today: dt.date | None = None) -> Iterator[ProcessSummary]:
    """A summary of every process found under places, one at a time; a place that could not
    be fetched or holds no process is a line of its own, and a process reached twice (two
    places overlap) is summarised once."""
    today = today or dt.date.today()
    seen: set[str] = set()
    for place in places:
        if place.path is None:
            yield ProcessSummary(place.label, place.label, "unavailable",
                                 place.problem or Said("portfolio.unavailable"))
            continue
        if not place.path.exists():
            yield ProcessSummary(place.label, str(place.path), "unavailable",
                                 Said("portfolio.no-such-folder", path=str(place.path)))
            continue
        any_found = False
        for found in find_processes(place.path):
            any_found = True
            if found.problem is not None:
                yield ProcessSummary(place.label, str(found.path), "unreadable", Said(
                    "portfolio.unreadable",
                    path=f"{found.path}: {found.problem.strerror or found.problem}"))
                continue
            key = os.path.realpath(found.path)
            if key in seen:
                continue
            seen.add(key)
            summary = summarise(found.path, place.label, today)
            if place.remote:  # shown by the remote's label, not the cache's folder
                inside = found.path.relative_to(place.path).as_posix()
                summary = summary._replace(
                    path=place.label if inside == "." else f"{place.label}/{inside}")
            if place.problem is not None:
                summary = summary._replace(
                    state="stale" if summary.state == "ok" else summary.state,
                    problem=place.problem if summary.problem is None
                    else Said("portfolio.problems", first=summary.problem,
                              then=place.problem))
            yield summary
        if not any_found:
            yield ProcessSummary(place.label, str(place.path), "unavailable",
                                 Said("portfolio.none-found", path=str(place.path)))


# --- totals ---------------------------------------------------------------------------------

class Body(NamedTuple):
    identity: str
    name: str  # as the first process that names it spells it
    processes: int


class Totals(NamedTuple):
    processes: int
    states: dict[str, int]  # state -> how many
    phases: dict[str, int]  # phase id -> how many processes are in it
    bodies: tuple[Body, ...]  # the distinct public bodies engaged as need owners
    demand: tuple[Signal, ...]  # the demand signals summed by year
    errors: int
    warnings: int


class Tally:
    """The totals, added to one summary at a time."""

    def __init__(self) -> None:
        from copi_cli.model.catalogue import load_catalogue

        self.count = 0
        self.states = dict.fromkeys(STATES, 0)
        self.phases = dict.fromkeys(load_catalogue().phase_ids, 0)
        self.bodies: dict[str, list[Any]] = {}  # identity -> [name, processes]
        self.demand: dict[int, list[Decimal]] = {}
        self.errors = self.warnings = 0

    def add(self, summary: ProcessSummary) -> None:
        self.count += 1
        self.states[summary.state] += 1
        if summary.phase is not None:
            self.phases[summary.phase] += 1
        for identity in dict.fromkeys(owner.identity for owner in summary.need_owners):
            name = next(o.name for o in summary.need_owners if o.identity == identity)
            self.bodies.setdefault(identity, [name, 0])[1] += 1
        for signal in summary.demand:
            year = self.demand.setdefault(signal.year, [Decimal(0)] * 3)
            year[0] += signal.low
            year[1] += signal.expected
            year[2] += signal.high
        self.errors += summary.errors
        self.warnings += summary.warnings

    def totals(self) -> Totals:
        bodies = tuple(sorted((Body(identity, name, n)
                               for identity, (name, n) in self.bodies.items()),
                              key=lambda body: (body.name.casefold(), body.identity)))
        return Totals(self.count, dict(self.states), dict(self.phases), bodies,
                      tuple(Signal(year, *self.demand[year]) for year in sorted(self.demand)),
                      self.errors, self.warnings)


class Portfolio(NamedTuple):
    processes: tuple[ProcessSummary, ...]
    totals: Totals

    @property
    def fine(self) -> bool:
        """Every process read and free of errors (warnings allowed)."""
        return all(summary.state == "ok" for summary in self.processes)


def _amount(value: Decimal) -> str:
    return format(value, "f")


def _signals(signals: Iterable[Signal]) -> list[dict[str, Any]]:
    return [{"year": s.year, "low": _amount(s.low), "expected": _amount(s.expected),
             "high": _amount(s.high)} for s in signals]


def process_json(s: ProcessSummary) -> dict[str, Any]:
    """One process as JSON-ready values (as_json's `processes`)."""
    return {
        "source": s.label, "path": s.path, "state": s.state,
        "problem": None if s.problem is None else str(s.problem),
        "id": s.id, "title": s.title,
        "phase": None if s.phase is None else {"id": s.phase, "number": s.phase_number,
                                               "since": s.since},
        "closed": s.closed,
        "need_owners": [o._asdict() for o in s.need_owners],
        "backing": {"backed": s.backed, "need_owners": len(s.need_owners),
                    "complete": s.backing_complete},
        "signatures": {"signed": s.signed, "need_owners": len(s.need_owners)},
        "demand": _signals(s.demand),
        "validation": {"errors": s.errors, "warnings": s.warnings},
        "last_activity": None if s.activity is None else {"date": s.activity.when,
                                                          "source": s.activity.source},
    }


def totals_json(totals: Totals) -> dict[str, Any]:
    """The totals as JSON-ready values (as_json's `totals`)."""
    return {
        "processes": totals.processes, "states": totals.states, "phases": totals.phases,
        "public_bodies": {"count": len(totals.bodies),
                          "bodies": [b._asdict() for b in totals.bodies]},
        "demand": _signals(totals.demand),
        "validation": {"errors": totals.errors, "warnings": totals.warnings},
    }


def as_json(portfolio: Portfolio) -> dict[str, Any]:
    """The portfolio as JSON-ready values, its keys stable (README, `copi portfolio`):
    amounts as exact decimal strings, as `copi potential --json` gives them."""
    return {"processes": [process_json(s) for s in portfolio.processes],
            "totals": totals_json(portfolio.totals)}
