"""Results as plain lines: for a pipe, a file or a log, and for whatever rich tables do not draw.

Findings go out as `path:line:col: CODE message`, the form editors and terminals jump from;
counts and what was written go to standard error, so standard output stays what was asked for.

Every line goes out through `line` (standard output) or `tell` (standard error), and nothing
else writes: a name, a file name, a commit subject or an author may hold escape sequences, bidi
overrides, newlines or `::error` (issue 19), so each line is made safe there, once
(copi_cli.cli.formats.safe_line): shown, never obeyed by a terminal or a CI runner.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from copi_cli.cli.formats import _clean, safe_line
from copi_cli.cli.reporters.base import Reporter
from copi_cli.cli.reporters.words import (
    ACTIONS,
    ACTIVITY,
    AUDIENCES,
    CHECKS,
    DECISIONS,
    FIGURES,
    MARKS,
    NEXT_STEPS,
    PORTFOLIO_COUNTS,
    PORTFOLIO_STATES,
    STATES,
    UNKNOWN,
)
from copi_cli.messages import in_language, text_in

if TYPE_CHECKING:
    from copi_cli.cli.results import DocumentRow, OrganisationDetail, ToolRow
    from copi_cli.diagnostics import Diagnostic
    from copi_cli.model.potential import Calculation
    from copi_cli.portfolio.summary import Portfolio, ProcessSummary, Signal
    from copi_cli.recording.contacts import Mention
    from copi_cli.rendering.pipeline import Rendered
    from copi_cli.rendering.publishing import Published
    from copi_cli.setup.doctor import Finding
    from copi_cli.tools.feeding import Feeding
    from copi_cli.trail.audit import TrailEntry
    from copi_cli.trail.change import Recorded
    from copi_cli.trail.lifecycle import Applied, Gate, Plan
    from copi_cli.validation.pipeline import Report
    from copi_cli.validation.status import PhaseState, Status


def money(value: Decimal, language: str) -> str:
    """Whole kroner, half away from zero (as the potential calculation rounds); a figure of
    more digits than a Decimal holds is shown as it was written, not rounded."""
    from decimal import ROUND_HALF_UP, InvalidOperation

    try:
        text = f"{Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP):,.0f}"
    except InvalidOperation:
        return str(value)
    return text.replace(",", ".") if language == "da" else text


def shown(path: Path | str, root: Path | None = None) -> str:
    """A path relative to the current directory, so editors and terminals can open it."""
    full = Path(root, path) if root is not None else Path(path)
    try:
        return os.path.relpath(full)
    except ValueError:  # another drive (Windows)
        return str(full)


class TextReporter(Reporter):
    """Every kind of result as plain lines."""

    def line(self, text: str = "") -> None:
        """One line of what was asked for, on standard output, made safe."""
        self.out.write(safe_line(text) + "\n")

    def tell(self, text: str) -> None:
        """One line beside the result, on standard error, made safe."""
        self.err.write(safe_line(text) + "\n")

    def write(self, text: str) -> None:
        """A document a format made safe as a whole (JSON, a CI format): written as it is."""
        self.out.write(text)

    def spoken(self, diagnostic: Diagnostic) -> Diagnostic:
        """A finding with its message and hint in the language of this run, made printable."""
        return _clean(diagnostic._replace(
            message=text_in(diagnostic.message, self.lang),
            hint=text_in(diagnostic.hint, self.lang) if diagnostic.hint else diagnostic.hint))

    def finding(self, diagnostic: Diagnostic, where: str, warning: bool = False) -> str:
        """`where: CODE [warning: ]message`, the form editors and terminals jump from."""
        warning = warning or diagnostic.level == "warning"
        level = f"{self.say('cli.warning')}: " if warning else ""
        return f"{where}: {diagnostic.code} {level}{diagnostic.message}"

    def diagnostics(self, report: Report, scope: str | None = None,
                    suite: str | None = None) -> None:
        say = self.say
        for diagnostic in map(self.spoken, report.diagnostics):
            self.line(self.finding(diagnostic, f"{shown(diagnostic.path, report.root)}:"
                                               f"{diagnostic.line}:{diagnostic.col}"))
            if diagnostic.hint:
                self.line(f"    {say('cli.hint')}: {diagnostic.hint}")
        self.out.flush()
        errors, warnings = len(report.errors), len(report.warnings)
        if self.quiet:
            return
        where = text_in(scope, self.lang) if scope else say("cli.scope.files", n=report.files)
        if errors or warnings:
            self.tell(say("cli.findings", errors=say("cli.count.errors", n=errors),
                          warnings=say("cli.count.warnings", n=warnings), scope=where))
        else:
            self.tell(say("cli.no-findings", scope=where) if scope
                      else say("cli.files-valid", n=report.files))

    def gate(self, gate: Gate, root: Path, language: str) -> None:
        """The gate's checklist, the same lines copi status shows."""
        say, lang = self.say, self.lang
        self.line(say("gate.holds" if gate.holds else "gate.does-not-hold",
                      number=gate.phase.number, name=gate.phase.name[lang]))
        for o in gate.outcomes:
            self.line(f"  [{'x' if o.holds else ' '}] {o.result.text[lang]} — "
                      f"{text_in(o.why, lang)}" + (f" → {o.where}" if o.where else ""))
            if o.advice:
                self.line(f"      {say('status.advice')}: {text_in(o.advice, lang)}")

    def status(self, status: Status) -> None:
        for title, lines in status_blocks(status):
            self.line(title)
            for line in lines:
                self.line(f"  {line}")
            self.line()

    def trail(self, trail: Sequence[TrailEntry]) -> None:
        for e in trail:
            phases = ""
            if e.to_phase:
                phases = self.say("cli.trail.phases", start=self._phase(e.from_phase),
                                  end=self._phase(e.to_phase))
            flags = f" {self.say('cli.trail.forced')}" if e.forced else ""
            self.line(f"{e.date}  {e.commit[:10]}  {e.author}  {self._action(e.action)}{flags}"
                      + (f"  {phases}" if phases else "") + f"  {e.subject}")
            if e.stated and e.stated != e.date:  # recorded afterwards (--date)
                self.line(f"    {self.say('cli.trail.dated', date=e.stated)}")
            if e.reason:
                self.line(f"    {self.say('cli.trail.reason', reason=e.reason)}")
            if e.files:
                self.line(f"    {self.say('report.files', files=', '.join(e.files))}")

    def _phase(self, phase: str | None) -> str:
        """A phase in the trail: its id in English (as --json gives it), its number in
        Danish, where the id would be English in a Danish line."""
        from copi_cli.model.catalogue import load_catalogue

        if phase is None:
            return "–"
        if self.lang == "en":
            return phase
        try:
            return str(load_catalogue().phase(phase).number)
        except KeyError:  # a phase copi does not know, written by hand
            return phase

    def _action(self, action: str) -> str:
        """What a commit did: its Copi-Action in English (as --json gives it), words in
        Danish."""
        from copi_cli.model.vocabulary import label

        if action in ACTIONS:
            return self.say(ACTIONS[action])
        return label("action", action, self.lang) if self.lang != "en" else action

    def organisations(self, rows: Sequence[dict[str, Any]]) -> None:
        from copi_cli.model.vocabulary import label

        say, language = self.say, self.lang
        missing = say("organisation.missing")
        if not rows:
            self.line(say("organisation.none"))
        for row in rows:
            line = (f"{row['id']:<28} {row['name']} — {label('role', str(row['role']), language)}"
                    f", {label('organisation_type', str(row['type']), language)}, "
                    f"{say('organisation.joined')} {row['joined']}")
            if row["role"] == "need-owner":
                line += (f"; {label('backing_level', 'political', language)}: "
                         f"{row['political'] or missing}, "
                         f"{label('backing_level', 'administrative', language)}: "
                         f"{row['administrative'] or missing}")
            if row["withdrawn"]:
                line += f"; {say('organisation.withdrawn')} {row['withdrawn']}"
            self.line(line)

    def records(self, kind: str, rows: Sequence[dict[str, Any]]) -> None:
        from copi_cli.model.vocabulary import label

        say, language = self.say, self.lang
        if not rows:
            self.line(say({"event": "listing.none.event", "supplier": "listing.none.supplier",
                           "meeting": "listing.none.meeting"}.get(kind, "listing.none.question")))
        for row in rows:
            if kind == "event":
                line = (f"{row.get('date', '')} {row.get('title', '')} — "
                        f"{label('event_kind', str(row.get('kind')), language)}")
                announced = row.get("announced")
                if isinstance(announced, dict) and announced.get("date"):
                    line += "; " + say("listing.announced", date=announced["date"]) + ", " + \
                        say("listing.closed" if announced.get("open") is False
                            or row.get("open") is False else "listing.open")
                else:
                    line += "; " + say("listing.not-announced")
                    if row.get("open") is False:
                        line += f", {say('listing.closed')}"
                if row.get("materials"):
                    line += f"; {say('listing.materials')}: {len(row['materials'])}"
            elif kind == "supplier":
                line = str(row.get("name", ""))
                if row.get("cvr"):
                    line += f", CVR {row['cvr']}"
                if row.get("prior_involvement"):
                    line += f"; {say('listing.involved')}"
            elif kind == "meeting":
                line = f"{row.get('date', '')} {row.get('supplier_name', row.get('supplier', ''))}"
                owners = row.get("owner_names", row.get("owners"))
                if owners:
                    line += f" — {', '.join(str(o) for o in owners)}"
                if row.get("kind") == "group":
                    line += f"; {say('listing.group')}"
            else:
                state = ("listing.published" if row.get("published") else "listing.answered"
                         if row.get("answer") else "listing.unanswered")
                line = f"{row.get('date', '')} {row.get('question', '')} — {say(state)}"
            self.line(f"{row.get('id', '')!s:<36} {line}")

    def organisation(self, detail: OrganisationDetail) -> None:
        from copi_cli.model.vocabulary import label

        say, language = self.say, self.lang
        record, row = detail.record, detail.summary
        out = [f"{row['name']} ({record.path})",
               f"  {label('role', str(row['role']), language)}, "
               f"{label('organisation_type', str(row['type']), language)}; "
               f"{say('organisation.joined')} "
               f"{row['joined']}"
               + (f"; {say('organisation.withdrawn')} {row['withdrawn']}"
                  + (f" ({record.data['withdrawn_reason']})"
                     if record.data.get("withdrawn_reason") else "")
                  if row["withdrawn"] else "")]
        for key, said in FIGURES.items():
            if key in record.data:
                value = record.data[key]
                out.append(f"  {say(said)}: "
                           + (money(Decimal(value), language) if key == "citizens"
                              and isinstance(value, int) else str(value)))
        for level in ("political", "administrative"):
            given = (record.data.get("backing") or {}).get(level)
            backing = say("organisation.backing", level=label("backing_level", level, language))
            if given:
                out.append(f"  {backing}: {given.get('by')}, "
                           f"{given.get('date')}" + (f" — {given['evidence']}"
                                                      if given.get("evidence") else ""))
            elif record.data.get("role") == "need-owner":
                out.append(f"  {backing}: {say('organisation.missing')}")
        for decision in detail.decisions:
            out.append(f"  {say(DECISIONS[decision['decision']])} {decision['date']}"
                       + (f": {decision.get('signer')}, {decision.get('title')}"
                          if decision.get("signer") else ""))
        if detail.meetings:
            out.append(f"  {say('organisation.meetings')}: "
                       f"{', '.join(map(str, detail.meetings))}")
        contacts = record.data.get("contacts") or []
        if contacts:
            out.append(f"  {say('organisation.contacts')}: "
                       + "; ".join(f"{c.get('name')} <{c.get('email', '')}>" for c in contacts))
        for line in out:
            self.line(line)

    def contacts(self, rows: Sequence[dict[str, Any]]) -> None:
        from copi_cli.model.vocabulary import label

        language = self.lang
        expired = self.say("contact.expired")
        for row in rows:
            basis = row.get("legal_basis")
            self.line(f"{row['holder']}: {row.get('name')}"
                      + (f", {row['title']}" if row.get("title") else "")
                      + (f" <{row['email']}>" if row.get("email") else "")
                      + f" — {row.get('retention_until', '?')}"
                      + f", {label('legal_basis', str(basis), language) if basis else '?'}"
                      + (f"  {expired}" if row["expired"] else ""))

    def potential(self, calculation: Calculation, names: Mapping[str | None, str],
                  need_owners: int) -> None:
        say, language = self.say, self.lang
        calc = calculation

        def amount(value: Decimal | None) -> str:
            return UNKNOWN if value is None else money(value, language)

        def three(figures: Sequence[Decimal] | None) -> str:
            if figures is None:
                return UNKNOWN
            return " / ".join(amount(v) for v in figures)

        out = [say("potential.demand")]
        if not calc.demand.years:
            out.append(f"  {say('potential.none')}")
        rows: tuple[Any, ...] = (*calc.demand.years, calc.demand)  # each year, then in all
        def partial(figure: object, known: int, owners: int) -> str:
            """A sum over fewer owners than buy says over how many."""
            if figure is None or known >= owners:
                return ""
            return " " + say("potential.partial", n=known, of=owners)

        for row in rows:
            head = str(getattr(row, "year", say("potential.total")))
            out.append(f"  {head:<6} {say('count.need-owners', n=row.owners)}; "
                       f"{say('potential.units', units=amount(row.units))}"
                       f"{partial(row.units, row.units_owners, row.owners)}; "
                       f"{say('potential.spend', spend=three(row.spend))}"
                       f"{partial(row.spend, row.spend_owners, row.owners)}")
        cases = [values for values in calc.owners if values.effects]
        if cases:  # need owners without costs or benefits have no business case to show
            out.append("")
            out.append(say("potential.npv", base=calc.base_year,
                           price=calc.price_year or calc.base_year))
            for values in (*cases, calc.total):
                who = names.get(values.owner, values.owner) if values.owner \
                    else say("potential.total")
                out.append(f"  {who:<28} {three(values.npv.rounded())}")
            if len(cases) < need_owners:  # the total is theirs only, not the process's
                out[-1] += " " + say("potential.npv-partial", n=len(cases), of=need_owners)
            # what a finance officer must know is left out of the figure
            if calc.out_of_case:
                out.append("  " + say("potential.outside", n=calc.out_of_case))
            if calc.total.unpriced:
                out.append("  " + say("potential.unpriced", n=calc.total.unpriced))
            horizon = calc.horizon
            out.append("  " + (say("potential.horizon", first=horizon.first, last=horizon.last,
                                   years=horizon.years) if horizon
                               else say("potential.no-horizon")))

            def percent(rate: Decimal) -> str:
                text = format(rate * 100, "f").rstrip("0").rstrip(".")
                return text.replace(".", ",") if language == "da" else text

            bands = ", ".join(
                say("potential.band", rate=percent(rate), start=start, end=end)
                if end is not None else say("potential.band-after", rate=percent(rate),
                                            start=start)
                for start, end, rate in calc.profile.rates)
            out.append("  " + say("potential.rate", valid=calc.profile.valid_from.isoformat(),
                                  bands=bands))
        for line in out:
            self.line(line)

    def portfolio(self, portfolio: Portfolio) -> None:
        say = self.say
        if not portfolio.processes:
            self.line(say("portfolio.nothing"))
        for summary in portfolio.processes:
            self.line(f"{summary.path}: {portfolio_line(summary, self.lang)}"
                      if summary.phase is not None else
                      f"{summary.path}: {portfolio_problem(summary, self.lang)}")
            if summary.phase is not None and summary.problem is not None:
                self.line(f"  {portfolio_problem(summary, self.lang)}")
        self.line()
        for line in portfolio_totals(portfolio, self.lang):
            self.line(line)

    def documents(self, rows: Sequence[DocumentRow]) -> None:
        width = max(len(self.say(key)) for key in AUDIENCES.values())
        for row in rows:
            phase = self.say("cli.documents.phase", number=row["phase"])
            audience = self.say(AUDIENCES[row["audience"]])
            self.line(f"{row['id']:<24} {row['name'][self.lang]:<32} {phase}  "
                      f"{audience:<{width}} {row['file']['da']}")

    def tools(self, rows: Sequence[ToolRow]) -> None:
        from copi_cli.model.tools import load_tools

        say = self.say
        names = {tool.id: tool.name[self.lang] for tool in load_tools()}
        for tool in rows:
            phases = ", ".join(map(str, tool["phases"]))
            self.line(f"{tool['danish_id']:<20} {names.get(tool['id'], tool['name'])}  "
                      f"({say('cli.tools.phases', phases=phases)})")
            for entry in tool["answers"]:
                missing = entry["required_unanswered"]
                state = ("–" if not entry["answered"] else
                         say("cli.tools.unanswered", n=len(missing)) if missing
                         else say("cli.tools.answered"))
                self.line(f"    {entry['path']:<48} {state}")

    def doctor(self, findings: Sequence[Finding]) -> None:
        width = max(len(self.say(key)) for key in ("cli.doctor.ok", "cli.doctor.fix",
                                                   "cli.doctor.note"))
        names = {f.name: self.say(CHECKS[f.name]) for f in findings}
        column = max(14, *map(len, names.values())) + 2  # 16 in English, as it always was
        for f in findings:
            mark = self.say("cli.doctor.ok" if f.ok else
                            "cli.doctor.fix" if f.needed else "cli.doctor.note")
            self.line(f"{mark:<{width}} {names[f.name]:<{column}}"
                      f"{text_in(f.detail, self.lang)}")
            if f.fix and not f.ok:
                self.line(f"{'':<{width}}  → {text_in(f.fix, self.lang)}")

    def note(self, text: str) -> None:
        if not self.quiet:
            for line in text.splitlines() or [""]:
                self.tell(line)

    def created(self, target: Path, unknown_owner: str | None) -> None:
        if self.quiet:
            return
        self.line(self.say("cli.created", target=str(target)))
        if unknown_owner is not None:
            self.line(self.say("cli.created.unknown-owner", owner=unknown_owner))
        self.line(self.say("cli.created.next", folder=target.name))

    def planned(self, plan: Plan) -> None:
        from copi_cli.trail.lifecycle import subject, tag_name, tag_part

        tag = tag_name(plan.process_id, plan.number,
                       tag_part(plan.transition.action, plan.transition.to_phase))
        self.line(self.say("cli.planned", subject=subject(plan.language, plan.transition)))
        self.line("  " + self.say("cli.planned.tag-forced" if plan.transition.forced
                                  else "cli.planned.tag", tag=tag))

    def applied(self, applied: Applied) -> None:
        from copi_cli.trail.lifecycle import subject, trailers

        if self.quiet and applied.commit is not None:
            self._warnings(applied.warnings, hints=False)
            return
        say = self.say
        # the commit's subject is the process's, in its language: git keeps it
        title = subject(applied.plan.language, applied.plan.transition)
        self.line(title)
        if applied.commit is None:
            # The commit is the user's to make; with copi's trailers and tag the audit finds it.
            found = trailers(applied.plan.process_id, applied.plan.transition)
            for line in (f"  {say('advance.no-commit')}",
                         f"  {say('cli.applied.commit-it')}", "", title,
                         "", *(f"{k}: {v}" for k, v in found.items()), "",
                         f"  {say('cli.applied.tag-it', tag=applied.tag, title=title)}"):
                self.line(line)
            self._warnings(applied.warnings)
            return
        self.line(f"  {say('advance.committed', commit=applied.commit[:10], tag=applied.tag)}")
        self.line(f"  {say('report.files', files=', '.join(applied.files))}")
        self._warnings(applied.warnings)

    def recorded(self, recorded: Recorded, line: str) -> None:
        say = self.say
        if self.quiet:
            self._warnings(recorded.warnings, hints=False)
            return
        self.line(line)
        self.line(f"  {say('report.files', files=', '.join(recorded.files))}")
        if recorded.commit:
            self.line(f"  {say('recorded.committed', commit=recorded.commit[:10])}")
        else:
            self.line(f"  {say('recorded.no-commit')}")
        self._warnings(recorded.warnings)

    def _warnings(self, warnings: Sequence[Diagnostic], hints: bool = True) -> None:
        """The new warnings a change brings, on standard error: it was made all the same."""
        for d in map(self.spoken, warnings):
            self.tell(self.finding(d, f"{d.path}:{d.line}:{d.col}", warning=True))
            if hints and d.hint:
                self.tell(f"  {self.say('cli.hint')}: {d.hint}")

    def fed(self, feeding: Feeding) -> None:
        say = self.say
        tool = feeding.tool.name[self.lang]
        for _file, diff in feeding.diffs:  # the records' text as it would be written
            for line in diff.splitlines():
                self.line(safe_line(line))
        for skipped in feeding.skipped:  # on standard error: what is left out, and why
            self.tell(safe_line(say("cli.fed.skipped", where=f"{skipped.path}:{skipped.line}",
                                    text=skipped.text, why=text_in(skipped.why, self.lang))))
        if feeding.present and not self.quiet:
            self.tell(say("tool.apply.present", n=feeding.present))
        if not feeding.added:
            self.line(say("tool.apply.nothing", tool=tool))

    def erased(self, mentions: Sequence[Mention]) -> None:
        for mention in mentions:
            self.tell(self.say("cli.erased.mention", where=f"{mention.path}:{mention.line}",
                               text=mention.text[:80]))
        self.tell(f"  {self.say('cli.hint')}: {self.say('cli.erased.hint')}")

    def answers_refused(self, file: Path, findings: Sequence[Diagnostic]) -> None:
        for d in map(self.spoken, findings):
            self.line(f"{file}:{d.line}:{d.col}: {d.code} {d.message}")
            if d.hint:
                self.line(f"    {self.say('cli.hint')}: {d.hint}")

    def render_notes(self, notes: Sequence[tuple[str, str]]) -> None:
        if self.quiet:
            return
        for document_id, why in notes:
            self.tell(f"{self.say('cli.note')}: {document_id}: {text_in(why, self.lang)}")

    @contextmanager
    def progress(self, total: int) -> Iterator[Callable[[Rendered], None]]:
        """A progress bar on a terminal (rendering takes seconds); silence otherwise."""
        if not self.err.isatty() or total < 2 or self.quiet:
            yield lambda rendered: None
            return
        from copi_cli.cli.reporters.progress import progress_bar

        with progress_bar(total, self.err) as advance:
            yield advance

    def rendered(self, paths: Sequence[Path],
                 refused: Sequence[tuple[str, str, str | None]] = ()) -> None:
        """The files written, one per line; their count on standard error; then each refused
        document as an error with its hint (shown under --quiet too)."""
        if not self.quiet:
            for path in paths:
                where = shown(path)
                if where.startswith(".."):  # elsewhere: the full path says more than ../../..
                    where = str(path)
                self.line(where)
            self.out.flush()
            self.tell(self.say("cli.rendered", n=len(paths)))
        error = f"copi: {self.say('cli.error')}:"
        for document_id, why, hint in refused:
            why = text_in(why, self.lang)
            named = why.startswith((f"{document_id}:", f"{document_id} ("))
            self.tell(f"{error} {why}" if named else f"{error} {document_id}: {why}")
            if hint:
                self.tell(f"  {self.say('cli.hint')}: {text_in(hint, self.lang)}")
        if refused:
            self.tell(f"{error} " + self.say(
                "cli.rendered.refused", n=len(refused),
                documents=", ".join(document_id for document_id, _, _ in refused)))


    def published(self, published: Published) -> None:
        if self.quiet:
            return
        for path in published.files:
            where = shown(path)
            self.line(str(path) if where.startswith("..") else where)
        self.out.flush()
        if published.commit:
            self.tell(self.say("cli.published.committed", n=len(published.files),
                               day=str(published.day), revision=published.revision[:12],
                               commit=published.commit[:10]))
        else:
            self.tell(self.say("cli.published", n=len(published.files), day=str(published.day),
                               revision=published.revision[:12]))

    def schemas_written(self, written: Sequence[Path], total: int, folder: Path) -> None:
        if self.quiet:
            return
        for path in written:
            self.line(str(path))
        self.out.flush()
        self.tell(self.say("cli.schemas-written", n=len(written), total=total,
                           folder=str(folder)))

    def workflow_written(self, paths: Sequence[Path], commit: str | None,
                         left: Sequence[Path] = ()) -> None:
        if self.quiet:
            return
        for path in paths:
            self.line(str(path))
        for path in left:
            self.line(self.say("ci.left", path=str(path)))
        if commit is not None:
            self.line(f"  {self.say('recorded.committed', commit=commit[:10])}")

def citizens_covered(covered: Mapping[str, Any], lang: str) -> str:
    """What the need owners' citizens figure covers (model.figures.citizens), as the
    declaration says it: a region beside its own municipalities on its own, never added on
    top of them; a figure not recorded said so, never 0."""
    from copi_cli.rendering.formatting import names

    say = in_language(lang)
    parts = []
    if covered["citizens"] is not None:
        count, towns = covered["parties"], covered["municipalities"]
        group = covered["name"] if count == 1 else \
            say("status.citizens.municipalities", n=count) if towns == count else \
            say("status.citizens.regions", n=count) if towns == 0 else \
            say("status.citizens.mixed", n=count)
        partial = covered["recorded"] < count
        parts.append(say("status.citizens.partial" if partial else "status.citizens.together",
                         citizens=money(Decimal(covered["citizens"]), lang), group=group,
                         **({"recorded": covered["recorded"],  # and which have no figure
                             "missing": names(covered["missing_names"], lang)}
                            if partial else {})))
    for region in covered["regions"]:
        if region["citizens"] is None:
            parts.append(say("status.citizens.region-none", region=region["name"]))
        else:
            parts.append(say("status.citizens.region", region=region["name"],
                             citizens=money(Decimal(region["citizens"]), lang),
                             names=names(region["names"], lang)))
    return "; ".join(parts) if parts and (covered["citizens"] is not None or any(
        region["citizens"] is not None for region in covered["regions"])) \
        else say("status.citizens.none")


def phase_when(phase: PhaseState, status: Status) -> str:
    """A phase's state with its span, one form for all: a finished, left or closed phase from
    the day it was entered to the day it was left or closed, the current one since it began.
    A phase left by revisit is said not to be completed: its gate never held."""
    say = in_language(status.language)
    state = say(STATES[phase.state])
    end = status.closed if phase.state == "closed" else phase.left
    if phase.state in ("done", "left", "closed") and (phase.entered or end):
        state += f" ({phase.entered or '…'} – {end or '…'})"
    elif phase.entered and phase.state in ("current", "reopened"):
        state += f" ({say('status.since', date=phase.entered)})"
    return state + (f", {say('status.not-completed')}" if phase.state == "left" else "")


def status_blocks(status: Status) -> list[tuple[str, list[str]]]:
    """The status as titled blocks of plain lines."""
    from copi_cli.model.vocabulary import label

    lang = status.language
    say = in_language(lang)
    scale = status.scale
    missing = say("organisation.missing")
    problems = say("status.problems", errors=say("count.errors", n=status.errors),
                   warnings=say("count.warnings", n=status.warnings))
    blocks = [
        (f"{status.title} ({status.id})", [
            f"{say('status.phase')}: {status.phase.number}. {status.phase.name} "
            f"({say(STATES[status.phase.state])}"
            + (f" {status.closed})" if status.closed else ")"),
            f"{say('status.validation')}: " + (problems if status.errors or status.warnings
                                                else say("status.valid")),
        ]),
        (say("status.phases"), [f"{MARKS[p.state]} {p.number}. {p.name} — "
                                + phase_when(p, status) for p in status.phases]),
        (say("status.results"), [line for o in status.outcomes for line in (
            f"[{'x' if o.holds else ' '}] {o.result.text[lang]} — {o.why}"
            + (f" → {o.where}" if o.where else ""),
            *([f"    {say('status.advice')}: {o.advice}"] if o.advice else []))]),
        (say("status.owners"), [
            f"{o.name} — {label('role', o.role, lang)}, {say('organisation.joined')} {o.joined}"
            + (f"; {label('backing_level', 'political', lang)}: {o.political or missing}, "
               f"{label('backing_level', 'administrative', lang)}: "
               f"{o.administrative or missing}" if o.role == "need-owner" else "")
            + (f"; {say('organisation.withdrawn')} {o.withdrawn}" if o.withdrawn else "")
            + (f"; {say('status.owner-spend', spend=money(o.spend_dkk, lang))}" if o.spend_dkk
               else "")
            for o in status.owners]),
        (say("status.scale"), [say(
            "status.scale-line", need_owners=say("count.need-owners", n=scale.need_owners),
            backed=scale.fully_backed, partners=say("count.partners", n=scale.partners),
            spend=money(scale.spend_dkk, lang), units=money(scale.units, lang),
            signed=scale.signed, declined=scale.declined,
            supported=say("count.support-declarations", n=scale.supported)),
            say("status.citizens", coverage=citizens_covered(scale.citizens, lang))]),
    ]
    if status.guidance:  # work to do before anything goes public
        blocks.append((say("status.guidance"), [f"{item['path']}:{item['line']} — "
                                                f"{item['guidance']}"
                                                for item in status.guidance]))
    for role, steps in status.next_steps.items():
        blocks.append((say(NEXT_STEPS[role]), [f"- {step}" for step in steps]))
    return blocks


def three_point(signal: Signal, language: str) -> str:
    """A year's planned spend as `expected (low – high)`, in whole kroner."""
    return (f"{money(signal.expected, language)} "
            f"({money(signal.low, language)} – {money(signal.high, language)})")


def portfolio_cells(summary: ProcessSummary, language: str) -> dict[str, str]:
    """A summarised process's figures as the words a line or a table cell shows."""
    from copi_cli.model.catalogue import load_catalogue

    say = in_language(language)
    phase = load_catalogue().phase(str(summary.phase))
    owners = len(summary.need_owners)
    demand = summary.demand
    total = sum((s.expected for s in demand), Decimal(0))
    activity = summary.activity
    return {
        "title": summary.title or "",
        "phase": say("portfolio.phase", phase=phase.title(language),
                     since=summary.since or UNKNOWN),
        "owners": say("portfolio.owners", n=owners, backed=summary.backed),
        "signed": say("portfolio.signed", signed=summary.signed, n=owners),
        "demand": say("portfolio.demand", expected=money(total, language),
                      first=demand[0].year, last=demand[-1].year) if demand else UNKNOWN,
        "findings": f"{say('cli.count.errors', n=summary.errors)}, "
                    f"{say('cli.count.warnings', n=summary.warnings)}",
        "activity": say(ACTIVITY[activity.source], date=activity.when[:10])
        if activity else UNKNOWN,
    }


def portfolio_line(summary: ProcessSummary, language: str) -> str:
    cells = portfolio_cells(summary, language)
    say = in_language(language)
    return (f"{cells['title']} — {cells['phase']} · {cells['owners']} · {cells['signed']} · "
            f"{say('portfolio.demand-word')} {cells['demand']} · {cells['findings']} · "
            f"{say('portfolio.activity-word')} {cells['activity']}")


def portfolio_problem(summary: ProcessSummary, language: str) -> str:
    """What is wrong with a process, after the name of its state."""
    return (f"{in_language(language)(PORTFOLIO_STATES[summary.state])}: "
            f"{text_in(summary.problem or '', language)}")


def portfolio_totals(portfolio: Portfolio, language: str) -> list[str]:
    """The totals of a portfolio, as lines: processes by state, per phase, the public bodies
    engaged, the demand signal by year."""
    from copi_cli.model.catalogue import load_catalogue

    say = in_language(language)
    totals = portfolio.totals
    states = ", ".join(say(PORTFOLIO_COUNTS[state], n=n)
                       for state, n in totals.states.items() if n)
    lines = [say("portfolio.total", n=totals.processes) + (f" — {states}" if states else "")]
    phases = "; ".join(f"{load_catalogue().phase(phase).title(language)}: {n}"
                       for phase, n in totals.phases.items() if n)
    lines.append(f"{say('portfolio.per-phase')}: {phases or UNKNOWN}")
    bodies = ", ".join(f"{body.name} ({body.processes})" for body in totals.bodies)
    lines.append(say("portfolio.bodies", n=len(totals.bodies))
                 + (f": {bodies}" if bodies else ""))
    lines.append(f"{say('portfolio.demand-by-year')}:" if totals.demand else
                 f"{say('portfolio.demand-by-year')}: {UNKNOWN}")
    lines += [f"  {signal.year}  {three_point(signal, language)}" for signal in totals.demand]
    return lines
