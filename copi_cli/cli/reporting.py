"""Drawing results for people and machines: diagnostics as text or JSON, status as tables.

This is the terminal side of copi; the core hands it values and never prints itself.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # importing them would load the whole core just to print diagnostics
    from copi_cli.diagnostics import Diagnostic
    from copi_cli.model.workspace import Record, Workspace
    from copi_cli.trail.audit import TrailEntry
    from copi_cli.trail.change import Recorded
    from copi_cli.trail.lifecycle import Applied, Gate, Plan
    from copi_cli.validation.pipeline import Report
    from copi_cli.validation.status import Status


def quiet() -> bool:
    """copi --quiet (or COPI_QUIET=1): only errors, findings and what a command was asked to
    show; no counts, no lists of files written, no progress."""
    return os.environ.get("COPI_QUIET") == "1"


def _shown_path(report: Report, path: str) -> str:
    """Paths relative to the current directory, so editors and terminals can open them."""
    full = report.root / path
    try:
        return os.path.relpath(full)
    except ValueError:  # another drive (Windows)
        return str(full)


def print_diagnostics(report: Report, output: str, scope: str | None = None,
                      suite: str | None = None) -> None:
    """Findings to standard output, in one of copi_cli.cli.formats.FORMATS; with text, the closing
    count to standard error.

    scope says what was checked ("in the audit trail"); by default the files. suite names the
    check in JUnit (validate, audit, gate).
    """
    if output in ("github", "junit", "sarif"):
        from copi_cli.cli import formats
        prefix = formats.repository_prefix(report.root)
        findings = report.diagnostics
        sys.stdout.write(formats.github(findings, prefix) if output == "github" else
                         formats.sarif(findings, prefix) if output == "sarif" else
                         formats.junit(findings, f"copi {suite or 'validate'}", report.files,
                                       prefix, warnings_fail=suite == "gate"))
        sys.stdout.flush()
        return
    from copi_cli.cli.formats import _clean, printable

    if output == "json":
        json.dump({
            "root": printable(str(report.root)), "files": report.files,
            "errors": len(report.errors), "warnings": len(report.warnings),
            "diagnostics": [_clean(d).as_dict() for d in report.diagnostics],
        }, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    for diagnostic in map(_clean, report.diagnostics):
        level = "warning: " if diagnostic.level == "warning" else ""
        sys.stdout.write(f"{_shown_path(report, diagnostic.path)}:{diagnostic.line}:"
                         f"{diagnostic.col}: {diagnostic.code} {level}{diagnostic.message}\n")
        if diagnostic.hint:
            sys.stdout.write(f"    hint: {diagnostic.hint}\n")
    sys.stdout.flush()
    errors, warnings = len(report.errors), len(report.warnings)
    if quiet():
        return
    if errors or warnings:
        sys.stderr.write(f"{errors} error(s), {warnings} warning(s) "
                         f"{scope or f'in {report.files} files'}\n")
    else:
        sys.stderr.write(f"no findings {scope}\n" if scope else f"{report.files} files valid\n")


LABELS = {
    "da": {
        "phase": "Fase", "phases": "Faser", "results": "Resultater i denne fase",
        "owners": "Organisationer", "scale": "Skala", "next": "Næste skridt",
        "need-owner": "Behovsejere", "facilitator": "Facilitator",
        "done": "færdig", "current": "nu", "reopened": "genåbnet", "not-started": "ikke startet",
        "name": "Navn", "role": "Rolle", "joined": "Med fra", "political": "Politisk",
        "administrative": "Administrativ", "volume": "Planlagt køb (DKK)",
        "missing": "mangler", "withdrawn": "udtrådt",
        "validation": "Validering",
        "problems": "{e} fejl, {w} advarsl{w_plural} — kør copi validate",
        "valid": "ingen fejl",
        "scale_line": "{n} behovsejer{n_plural} ({b} med fuld ledelsesopbakning), {p} "
                      "partner{p_plural}; planlagte køb {s} DKK, {u} enheder; {c} borgere "
                      "(opgjort for {cr} af {n}); hensigtserklæringen: {signed} underskrevet, "
                      "{declined} afslået, {supported} støtteerklæring{s_plural}",
        "roles": {"need-owner": "behovsejer", "scaling-partner": "skaleringspartner",
                  "knowledge-partner": "videnspartner", "adviser": "rådgiver",
                  "facilitator": "facilitator"},
    },
    "en": {
        "phase": "Phase", "phases": "Phases", "results": "Results of this phase",
        "owners": "Organisations", "scale": "Scale", "next": "Next steps",
        "need-owner": "Need owners", "facilitator": "Facilitator",
        "done": "done", "current": "current", "reopened": "reopened", "not-started": "not started",
        "name": "Name", "role": "Role", "joined": "Joined", "political": "Political",
        "administrative": "Administrative", "volume": "Planned purchases (DKK)",
        "missing": "missing", "withdrawn": "withdrawn",
        "validation": "Validation",
        "problems": "{e} error{e_plural}, {w} warning{w_plural} — run copi validate",
        "valid": "no errors",
        "scale_line": "{n} need owner{n_plural} ({b} with full management backing), {p} "
                      "partner{p_plural}; planned purchases DKK {s}, {u} units; {c} citizens "
                      "(recorded for {cr} of {n}); declaration: {signed} signed, {declined} "
                      "declined, {supported} support declaration{s_plural}",
        "roles": {"need-owner": "need owner", "scaling-partner": "scaling partner",
                  "knowledge-partner": "knowledge partner", "adviser": "adviser",
                  "facilitator": "facilitator"},
    },
}

MARKS = {"done": "✓", "current": "▶", "reopened": "↺", "not-started": "·"}


def _money(value: Decimal, lang: str) -> str:
    """Whole kroner, half away from zero (as the potential calculation rounds)."""
    from decimal import ROUND_HALF_UP

    text = f"{Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP):,.0f}"
    return text.replace(",", ".") if lang == "da" else text


def _lines(status: Status) -> list[tuple[str, list[str]]]:
    """The status as titled blocks of plain lines (used when output is not a terminal)."""
    t = LABELS[status.language]
    scale = status.scale
    blocks = [
        (f"{status.title} ({status.id})", [
            f"{t['phase']}: {status.phase.number}. {status.phase.name} ({t[status.phase.state]})",
            f"{t['validation']}: " + (t["problems"].format(
                e=status.errors, w=status.warnings, e_plural="" if status.errors == 1 else "s",
                w_plural=("el" if status.language == "da" else "") if status.warnings == 1
                else ("er" if status.language == "da" else "s"))
                                      if status.errors or status.warnings else t["valid"]),
        ]),
        (t["phases"], [f"{MARKS[p.state]} {p.number}. {p.name} — {t[p.state]}"
                       + (f" ({p.entered})" if p.entered else "") for p in status.phases]),
        (t["results"], [f"[{'x' if o.holds else ' '}] {o.result.text[status.language]} — {o.why}"
                        + (f" → {o.where}" if o.where else "") for o in status.outcomes]),
        (t["owners"], [
            f"{o.name} — {t['roles'][o.role]}, {t['joined'].lower()} {o.joined}"
            + (f"; {t['political'].lower()}: {o.political or t['missing']}, "
               f"{t['administrative'].lower()}: {o.administrative or t['missing']}"
               if o.role == "need-owner" else "")
            + (f"; {t['withdrawn']} {o.withdrawn}" if o.withdrawn else "")
            + (f"; {_money(o.spend_dkk, status.language)} DKK" if o.spend_dkk else "")
            for o in status.owners]),
        (t["scale"], [t["scale_line"].format(
            n=scale.need_owners, b=scale.fully_backed, p=scale.partners,
            n_plural="" if scale.need_owners == 1 else ("e" if status.language == "da" else "s"),
            p_plural="" if scale.partners == 1 else ("e" if status.language == "da" else "s"),
            s=_money(scale.spend_dkk, status.language), u=_money(scale.units, status.language),
            c=_money(Decimal(scale.citizens), status.language), cr=scale.citizens_recorded,
            signed=scale.signed, declined=scale.declined, supported=scale.supported,
            s_plural="" if scale.supported == 1 else ("er" if status.language == "da"
                                                      else "s"))]),
    ]
    for role, steps in status.next_steps.items():
        blocks.append((f"{t['next']} — {t[role]}", [f"- {step}" for step in steps]))
    return blocks


def print_status(status: Status, as_json: bool = False) -> None:
    if as_json:
        json.dump(status.as_dict(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif sys.stdout.isatty():
        _print_rich(status)
    else:
        for title, lines in _lines(status):
            sys.stdout.write(f"{title}\n")
            sys.stdout.writelines(f"  {line}\n" for line in lines)
            sys.stdout.write("\n")


def _print_rich(status: Status) -> None:
    """Tables for a person at a terminal. Every text from the process (names, reasons, file
    names) goes in as rich Text, never as markup: `Region [syd]` or `:fire:` in a name must
    print as written, and a `[/]` must not stop copi."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(emoji=False, highlight=False)
    t = LABELS[status.language]
    blocks = _lines(status)
    console.print(Text(blocks[0][0], style="bold"))
    for line in blocks[0][1]:
        console.print(Text(f"  {line}"))
    phases = Table(title=t["phases"], title_justify="left", show_header=False, box=None)
    for p in status.phases:
        style = "bold" if p.state in ("current", "reopened") else ("dim" if p.state ==
                                                                   "not-started" else "")
        phases.add_row(Text(MARKS[p.state]), Text(f"{p.number}. {p.name}"), Text(t[p.state]),
                       Text(p.entered or ""), style=style)
    console.print(phases)
    results = Table(title=t["results"], title_justify="left", show_header=False, box=None)
    widest = max((len(o.where or "") for o in status.outcomes), default=0)
    results.add_column(no_wrap=True)
    results.add_column(ratio=3, overflow="fold")
    results.add_column(ratio=2, overflow="fold")
    # the file to edit is what the row is for: never cut, the texts wrap instead
    results.add_column(no_wrap=True, min_width=widest)
    for o in status.outcomes:
        mark = Text("✓", style="green") if o.holds else Text("✗", style="red")
        results.add_row(mark, Text(o.result.text[status.language]), Text(o.why),
                        Text(o.where or ""))
    console.print(results)
    owners = Table(title=t["owners"], title_justify="left")
    for header in ("name", "role", "joined", "political", "administrative", "volume"):
        owners.add_column(t[header])
    for o in status.owners:
        def backing(date: str | None, role: str = o.role) -> Text:
            if role != "need-owner":
                return Text("")
            return Text(date) if date else Text(t["missing"], style="red")
        owners.add_row(Text(o.name), Text(t["roles"][o.role]),
                       Text(o.joined + (f" – {o.withdrawn}" if o.withdrawn else "")),
                       backing(o.political), backing(o.administrative),
                       Text(_money(o.spend_dkk, status.language) if o.spend_dkk else ""),
                       style="dim" if o.withdrawn else "")
    console.print(owners)
    for title, lines in blocks[4:]:
        console.print(Text(title, style="bold"))
        for line in lines:
            console.print(Text(f"  {line}"))


# --- lifecycle ------------------------------------------------------------------------------

GATE_WORDS = {
    "da": {"gate": "Port for fase", "holds": "opfyldt", "not": "ikke opfyldt",
           "moved": "Fase", "commit": "commit", "tag": "tag", "files": "filer",
           "no_commit": "ingen commit (--no-commit): copi.yaml er skrevet"},
    "en": {"gate": "Gate of phase", "holds": "holds", "not": "does not hold",
           "moved": "Phase", "commit": "commit", "tag": "tag", "files": "files",
           "no_commit": "no commit (--no-commit): copi.yaml is written"},
}


def print_gate(gate: Gate, lang: str) -> None:
    """The gate's checklist, the same lines copi status shows."""
    words = GATE_WORDS[lang]
    verdict = words["holds"] if gate.holds else words["not"]
    sys.stdout.write(f"{words['gate']} {gate.phase.number}. {gate.phase.name[lang]}: "
                     f"{verdict}\n")
    for o in gate.outcomes:
        sys.stdout.write(f"  [{'x' if o.holds else ' '}] {o.result.text[lang]} — {o.why}"
                         + (f" → {o.where}" if o.where else "") + "\n")


def print_planned(plan: Plan) -> None:
    """What advance would do (--dry-run)."""
    from copi_cli.trail.lifecycle import subject, tag_name

    tag = tag_name(plan.process_id, plan.number, plan.transition.to_phase)
    sys.stdout.write(f"--dry-run: {subject(plan.language, plan.transition)}\n"
                     f"  tag {tag}" + ("; forced over the gate" if plan.transition.forced
                                       else "") + "\n")


def print_applied(applied: Applied) -> None:
    from copi_cli.trail.lifecycle import subject, trailers

    if quiet() and applied.commit is not None:
        _print_warnings(applied.warnings, hints=False)
        return
    lang = applied.plan.language
    words = GATE_WORDS[lang]
    title = subject(lang, applied.plan.transition)
    sys.stdout.write(title + "\n")
    if applied.commit is None:
        # The commit is the user's to make; with copi's trailers and tag the audit finds it.
        message = "\n".join(f"{k}: {v}" for k, v in
                            trailers(applied.plan.process_id, applied.plan.transition).items())
        sys.stdout.write(f"  {words['no_commit']}\n  commit it with this message (copi audit "
                         f"looks for it):\n\n{title}\n\n{message}\n\n  and tag it: "
                         f"git tag -a {applied.tag} -m '{title}'\n")
        _print_warnings(applied.warnings)
        return
    sys.stdout.write(f"  {words['commit']} {applied.commit[:10]}, {words['tag']} "
                     f"{applied.tag}\n")
    files = ", ".join(applied.files)
    if not files.isprintable():  # a name with a control character, or not UTF-8
        from copi_cli.cli.formats import printable

        files = printable(files)
    sys.stdout.write(f"  {words['files']}: {files}\n")
    _print_warnings(applied.warnings)


def print_trail(trail: list[TrailEntry], as_json: bool = False) -> None:
    if as_json:
        json.dump([e._asdict() for e in trail], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    for e in trail:
        phases = ""
        if e.to_phase:
            phases = f"{e.from_phase or '–'} → {e.to_phase}"
        flags = " FORCED" if e.forced else ""
        sys.stdout.write(f"{e.date}  {e.commit[:10]}  {e.author}  {e.action}{flags}"
                         + (f"  {phases}" if phases else "") + f"  {e.subject}\n")
        if e.reason:
            sys.stdout.write(f"    reason: {e.reason}\n")
        if e.files:
            sys.stdout.write(f"    files: {', '.join(e.files)}\n")


# --- recording -------------------------------------------------------------------------------

RECORDED_WORDS = {
    "da": {"files": "filer", "commit": "commit",
           "no_commit": "ingen commit (--no-commit): filerne er skrevet; commit dem selv"},
    "en": {"files": "files", "commit": "commit",
           "no_commit": "no commit (--no-commit): the files are written; commit them yourself"},
}


def print_recorded(recorded: Recorded, line: str, lang: str) -> None:
    words = RECORDED_WORDS[lang]
    if quiet():
        recorded = recorded._replace(files=[])
        _print_warnings(recorded.warnings, hints=False)
        return
    sys.stdout.write(f"{line}\n  {words['files']}: {', '.join(recorded.files)}\n")
    if recorded.commit:
        sys.stdout.write(f"  {words['commit']} {recorded.commit[:10]}\n")
    else:
        sys.stdout.write(f"  {words['no_commit']}\n")
    _print_warnings(recorded.warnings)


def _print_warnings(warnings: list[Diagnostic], hints: bool = True) -> None:
    """The new warnings a change brings, on standard error: it was made all the same."""
    for d in warnings:
        sys.stderr.write(f"{d.path}:{d.line}:{d.col}: {d.code} warning: {d.message}\n")
        if hints and d.hint:
            sys.stderr.write(f"  hint: {d.hint}\n")


# --- organisations and contacts --------------------------------------------------------------

ORG_WORDS = {
    "da": {"political": "politisk", "administrative": "administrativ", "missing": "mangler",
           "withdrawn": "udtrådt", "joined": "med fra", "signed": "underskrevet",
           "declined": "afslået", "meetings": "møder", "contacts": "kontaktpersoner",
           "backing": "opbakning", "none": "ingen organisationer endnu"},
    "en": {"political": "political", "administrative": "administrative", "missing": "missing",
           "withdrawn": "withdrawn", "joined": "joined", "signed": "signed",
           "declined": "declined", "meetings": "meetings", "contacts": "contacts",
           "backing": "backing", "none": "no organisations yet"},
}


def _org_summary(data: dict, lang: str) -> dict:
    from copi_cli.model.vocabulary import label

    backing = data.get("backing") or {}
    return {
        "id": data.get("id"), "name": data.get("name"), "type": data.get("type"),
        "type_label": label("organisation_type", str(data.get("type")), lang),
        "role": data.get("role"), "role_label": label("role", str(data.get("role")), lang),
        "joined": data.get("joined"), "withdrawn": data.get("withdrawn"),
        "political": (backing.get("political") or {}).get("date"),
        "administrative": (backing.get("administrative") or {}).get("date"),
    }


def print_organisations(ws: Workspace, as_json: bool = False) -> None:
    lang = ws.language
    rows = [_org_summary(r.data, lang) for r in ws.all("organisation", valid_only=False)]
    if as_json:
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    words = ORG_WORDS[lang]
    if not rows:
        sys.stdout.write(f"{words['none']}\n")
    for row in rows:
        line = (f"{row['id']:<28} {row['name']} — {row['role_label']}, {row['type_label']}, "
                f"{words['joined']} {row['joined']}")
        if row["role"] == "need-owner":
            line += (f"; {words['political']}: {row['political'] or words['missing']}, "
                     f"{words['administrative']}: {row['administrative'] or words['missing']}")
        if row["withdrawn"]:
            line += f"; {words['withdrawn']} {row['withdrawn']}"
        sys.stdout.write(line + "\n")


def print_organisation(ws: Workspace, record: Record, as_json: bool = False) -> None:
    lang = ws.language
    signatures = ws.single_data("signatures").get("signatures", [])
    decisions = [s for s in signatures if s.get("organisation") == record.id]
    meetings = [m.id for m in ws.all("meeting") if record.id in m.data.get("owners", [])]
    if as_json:
        json.dump({"file": record.path, **record.data, "signatures": decisions,
                   "meetings": meetings}, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    words = ORG_WORDS[lang]
    row = _org_summary(record.data, lang)
    out = [f"{row['name']} ({record.path})",
           f"  {row['role_label']}, {row['type_label']}; {words['joined']} {row['joined']}"
           + (f"; {words['withdrawn']} {row['withdrawn']}"
              + (f" ({record.data['withdrawn_reason']})" if record.data.get("withdrawn_reason")
                 else "") if row["withdrawn"] else "")]
    for key in ("cvr", "municipality_code", "region_code", "citizens"):
        if key in record.data:
            out.append(f"  {key}: {record.data[key]}")
    for level in ("political", "administrative"):
        given = (record.data.get("backing") or {}).get(level)
        if given:
            out.append(f"  {words[level]} {words['backing']}: {given.get('by')}, "
                       f"{given.get('date')}" + (f" — {given['evidence']}"
                                                  if given.get("evidence") else ""))
        elif record.data.get("role") == "need-owner":
            out.append(f"  {words[level]} {words['backing']}: {words['missing']}")
    for decision in decisions:
        out.append(f"  {words[decision['decision']]} {decision['date']}"
                   + (f": {decision.get('signer')}, {decision.get('title')}"
                      if decision.get("signer") else ""))
    if meetings:
        out.append(f"  {words['meetings']}: {', '.join(map(str, meetings))}")
    contacts = record.data.get("contacts") or []
    if contacts:
        out.append(f"  {words['contacts']}: "
                   + "; ".join(f"{c.get('name')} <{c.get('email', '')}>" for c in contacts))
    sys.stdout.write("\n".join(out) + "\n")


def print_contacts(entries: list, lang: str, as_json: bool = False) -> None:
    import datetime as dt

    today = dt.date.today().isoformat()
    rows = [{"file": e.record.path, "holder": e.record.id, **e.contact,
             "expired": bool(e.contact.get("retention_until")
                             and e.contact["retention_until"] < today)} for e in entries]
    if as_json:
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    expired = {"da": "UDLØBET: slet med copi contact erase", "en": "EXPIRED: erase with copi "
               "contact erase"}[lang]
    for row in rows:
        sys.stdout.write(f"{row['holder']}: {row.get('name')}"
                         + (f", {row['title']}" if row.get("title") else "")
                         + (f" <{row['email']}>" if row.get("email") else "")
                         + f" — {row.get('retention_until', '?')}"
                         + (f"  {expired}" if row["expired"] else "") + "\n")


POTENTIAL_WORDS = {
    "da": {
        "demand": "Samlet efterspørgselssignal (planlagte køb)", "year": "År",
        "owners": ("behovsejer", "behovsejere"), "units": "enheder",
        "spend": "udgift DKK (lav / forventet / høj)", "total": "I alt",
        "npv": "Nutidsværdi (gevinster − omkostninger), DKK, basisår {base}",
        "rate": "diskonteringsrente fra {valid}: {bands}",
        "none": "ingen tal endnu: copi potential purchase / effect", "unknown": "—",
    },
    "en": {
        "demand": "Aggregated demand signal (planned purchases)", "year": "Year",
        "owners": ("need owner", "need owners"), "units": "units",
        "spend": "spend DKK (low / expected / high)", "total": "Total",
        "npv": "Net present value (benefits − costs), DKK, base year {base}",
        "rate": "discount rate from {valid}: {bands}",
        "none": "no figures yet: copi potential purchase / effect", "unknown": "—",
    },
}


def print_potential(calc: object, ws: Workspace, as_json: bool = False) -> None:
    from copi_cli.model.potential import Calculation
    from copi_cli.model.potential import as_json as to_json

    assert isinstance(calc, Calculation)
    if as_json:
        json.dump(to_json(calc), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    lang = ws.language
    w = POTENTIAL_WORDS[lang]
    names = {r.id: r.data["name"] for r in ws.all("organisation")}

    def money(value: Decimal | None) -> str:
        return w["unknown"] if value is None else _money(value, lang)

    def three(figures: object) -> str:
        if figures is None:
            return w["unknown"]
        return " / ".join(money(v) for v in figures)  # type: ignore[attr-defined]

    out = [w["demand"]]
    if not calc.demand.years:
        out.append(f"  {w['none']}")
    for row in (*calc.demand.years, calc.demand):
        head = str(getattr(row, "year", w["total"]))
        out.append(f"  {head:<6} {row.owners} {w['owners'][row.owners != 1]}; "
                   f"{money(row.units)} {w['units']}; "
                   f"{w['spend']}: {three(row.spend)}")
    cases = [values for values in calc.owners if values.effects]
    if cases:  # need owners without costs or benefits have no business case to show
        out.append("")
        out.append(w["npv"].format(base=calc.base_year))
        for values in (*cases, calc.total):
            who = names.get(values.owner, values.owner) if values.owner else w["total"]
            out.append(f"  {who:<28} {three(values.npv.rounded())}")
        def percent(rate: Decimal) -> str:
            text = format(rate * 100, "f").rstrip("0").rstrip(".")
            return text.replace(".", ",") if lang == "da" else text

        bands = ", ".join(f"{percent(rate)} % ({start}–{end})"
                          for start, end, rate in calc.profile.rates)
        out.append("  " + w["rate"].format(valid=calc.profile.valid_from.isoformat(),
                                           bands=bands))
    sys.stdout.write("\n".join(out) + "\n")


def print_documents(documents: tuple, as_json: bool = False) -> None:
    """copi render --list: what can be rendered, with its phase and audience."""
    from copi_cli.model.catalogue import load_catalogue

    catalogue = load_catalogue()
    if as_json:
        json.dump([{"id": d.id, "name": d.name, "file": d.file, "template": d.template,
                    "phase": catalogue.phase(d.phase).number, "audience": d.audience,
                    "text": d.text, "requires": list(d.requires)} for d in documents],
                  sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    for document in documents:
        phase = catalogue.phase(document.phase)
        sys.stdout.write(f"{document.id:<24} {document.name['en']:<32} phase {phase.number}  "
                         f"{document.audience:<8} {document.file['da']}\n")


@contextmanager
def rendering_progress(total: int) -> Iterator[Callable[[object], None]]:
    """A progress bar on a terminal (rendering takes seconds); silence otherwise."""
    if not sys.stderr.isatty() or total < 2 or quiet():
        yield lambda rendered: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(TextColumn("rendering"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.description}", markup=False), transient=True,
                  console=_stderr_console()) as progress:
        task = progress.add_task("", total=total)

        def advance(rendered: object) -> None:
            progress.update(task, advance=1, description=rendered.path.name)

        yield advance


def _stderr_console() -> object:
    from rich.console import Console

    return Console(stderr=True)


def print_rendered(paths: list) -> None:
    """The files written, one per line; their count on standard error."""
    if quiet():
        return
    for path in paths:
        try:
            shown = os.path.relpath(path)
        except ValueError:
            shown = str(path)
        if shown.startswith(".."):  # elsewhere: the full path says more than ../../..
            shown = str(path)
        sys.stdout.write(f"{shown}\n")
    sys.stdout.flush()
    sys.stderr.write(f"{len(paths)} file(s) written\n")


def print_render_notes(notes: list[tuple[str, str]]) -> None:
    if quiet():
        return
    for document_id, why in notes:
        sys.stderr.write(f"note: {document_id}: {why}\n")


def print_tools(ws: Workspace, as_json: bool = False) -> None:
    """copi tool list: each tool, its phases, and what the process has answered."""
    from copi_cli.model.catalogue import load_catalogue
    from copi_cli.model.tools import answers_of, load_tools, unanswered

    lang = ws.language
    catalogue = load_catalogue()
    listing = []
    for tool in load_tools():
        owners = [r.id for r in ws.need_owners()] if tool.per_owner else [None]
        files = []
        for owner in owners:
            answers = answers_of(ws, tool, owner)
            missing = unanswered(tool, answers.get("answers")) if answers is not None else []
            files.append({"path": tool.path(owner), "owner": owner,
                          "answered": answers is not None, "date": (answers or {}).get("date"),
                          "required_unanswered": [f.key for f in missing]})
        listing.append({"id": tool.id, "danish_id": tool.danish_id, "name": tool.name[lang],
                        "phases": [catalogue.phase(p).number for p in tool.phases],
                        "answers": files})
    if as_json:
        json.dump(listing, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    for tool in listing:
        phases = ", ".join(map(str, tool["phases"]))
        sys.stdout.write(f"{tool['danish_id']:<20} {tool['name']}  (fase/phase {phases})\n")
        for entry in tool["answers"]:
            missing = entry["required_unanswered"]
            state = ("–" if not entry["answered"] else
                     f"{len(missing)} required unanswered" if missing else "answered")
            sys.stdout.write(f"    {entry['path']:<48} {state}\n")


def print_doctor(findings: list, as_json: bool = False) -> None:
    if as_json:
        json.dump([f._asdict() for f in findings], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    for f in findings:
        mark = "ok  " if f.ok else ("fix " if f.needed else "note")
        sys.stdout.write(f"{mark} {f.name:<16} {f.detail}\n")
        if f.fix and not f.ok:
            sys.stdout.write(f"     → {f.fix}\n")
