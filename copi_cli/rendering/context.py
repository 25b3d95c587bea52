"""What a document template sees: the process's records, cut to the audience, named for readers.

Templates get plain data — dicts, lists, text — never the workspace or copi's objects: the
sandbox then has nothing to reach through, and a process-local template can rely on the same
names as copi's own (documented in templates/documents/README.md). Ids are resolved to names,
vocabulary ids to words in the document's language, and every record passes through the
audience's View first (copi_cli.rendering.confidentiality), so a template cannot print what the
audience may not see.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import secrets
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from copi_cli.diagnostics import Diagnostic
from copi_cli.messages import message
from copi_cli.model import figures, potential
from copi_cli.model.catalogue import load_catalogue
from copi_cli.model.dialogue import is_market_activity, is_open
from copi_cli.model.documents import Document
from copi_cli.model.organisations import is_facilitator
from copi_cli.model.vocabulary import label
from copi_cli.model.workspace import Record, Workspace, load_layout
from copi_cli.rendering import charts
from copi_cli.rendering.confidentiality import (
    Allowance,
    Guard,
    Origin,
    Restricted,
    View,
    origin_data,
    origin_of,
)
from copi_cli.validation.pipeline import Report

# The field that names a record of a kind; a record whose name is confidential is shown so.
NAME_FIELDS = {"organisation": "name", "supplier": "name", "event": "title"}
# The findings that make the potential calculation impossible, and the context names that show
# it: a process with such a finding renders every document that does not read those names.
IMPOSSIBLE = frozenset({"R036"})
BUSINESS_CASE = frozenset({"potential", "declaration_figures"})


def _labelled(group: str, value: Any, lang: str) -> Any:
    if not isinstance(value, str):
        return value
    try:
        return label(group, value, lang)
    except KeyError:
        return value


def _by_date(items: list[dict], key: str = "date") -> list[dict]:
    return sorted(items, key=lambda item: (str(item.get(key) or ""), str(item.get("id") or "")))


class Sources:
    """The records of one process as one audience may see them, in one language."""

    def __init__(self, report: Report, audience: str, lang: str, today: dt.date,
                 published: bool = False, kept: Kept | None = None) -> None:
        """today is the day the records are seen as of: the day of rendering, or for a
        publication (published) the day it was published, so it renders the same later.
        kept: the view as made before for the same state of the process (`kept`)."""
        ws = report.workspace
        assert ws is not None
        self.ws: Workspace = ws
        self.report = report
        self.audience = audience
        self.lang = lang
        self.today = today
        self.published = published
        self.view = View(audience, lang)
        self.names: dict[str, str] = {}
        self.hidden: set[str] = set()
        self.unnamed: set[str] = set()  # records shown, their names withheld
        # The first finding that makes the business case impossible (R036), or None.
        self.impossible: Diagnostic | None = next(
            (d for d in sorted(report.errors, key=Diagnostic.sort_key) if d.code in IMPOSSIBLE),
            None)
        if kept is None:
            self.context = self._build()
            self._kept: Kept | None = None
        else:
            self._restore(kept)
        self._plain = self.context  # as kept: without this run's charts
        # the charts beside the tables, from the same context values; a document places one
        # with chart("demand"), and its picture is found by a name no text can guess (made
        # anew each time, never kept)
        self.charts = self._charts(secrets.token_hex(8))
        self.context = {**self._plain, "charts": {chart.name: {"alt": chart.alt, "ref": ref}
                                                  for ref, chart in self.charts.items()}}

    # -- kept for the next render of the same state ------------------------------------------

    def kept(self) -> Kept:
        """The view as _build made it, before any document's text is read; for the public,
        with the records' guard and what the public may see anyway (`Allowance`), read once.
        Ask right after the Sources are made."""
        if self._kept is None:
            view = self.view
            guard = allowance = None
            if view.public:
                allowance = Allowance.of(self.public_texts(), self.public_people(),
                                         self.public_places(), view.withheld_ids)
                guard = view.guard()
                guard.allow_by(allowance)
            self._kept = Kept(self._plain, dict(self.names), frozenset(self.hidden),
                              frozenset(self.unnamed), dict(view.cut), dict(view.sensitive),
                              dict(view.short_names), dict(view.withheld_ids),
                              dict(view.people), frozenset(view.public_people), guard,
                              allowance)
        return self._kept

    def _restore(self, kept: Kept) -> None:
        self._kept = kept
        self.context = kept.context
        self.names, self.hidden, self.unnamed = dict(kept.names), set(kept.hidden), \
            set(kept.unnamed)
        view = self.view
        view.cut, view.sensitive, view.short_names = dict(kept.cut), dict(kept.sensitive), \
            dict(kept.short_names)
        view.withheld_ids, view.people = dict(kept.withheld_ids), dict(kept.people)
        view.public_people = set(kept.public_people)

    def guard(self) -> Guard:
        """The leak check of this audience's public documents: everything cut from the records
        and from the texts read so far. The records' part is kept (`kept`); what the texts
        added since is checked against the same allowance."""
        kept, view = self.kept(), self.view
        if kept.guard is None or kept.allowance is None or view.public_people != \
                kept.public_people:  # a text's front matter named a public person: anew
            guard = view.guard()
            guard.allow(self.public_texts(), self.public_people(), self.public_places())
        else:
            def added(now: dict[str, Origin], before: dict[str, Origin],
                      also: dict[str, Origin] | None = None) -> dict[str, Origin]:
                return {text: origin for text, origin in now.items()
                        if text not in before and (also is None or text not in also)}
            guard = kept.guard.copy()
            more = (added(view.cut, kept.cut, kept.sensitive),
                    added(view.sensitive, kept.sensitive), added(view.short_names,
                                                                 kept.short_names),
                    added(view.withheld_ids, kept.withheld_ids), added(view.people, kept.people))
            if any(more):
                guard.extend(*more)
                guard.allow_by(kept.allowance)
        guard.wording = self.public_wording
        return guard

    # -- records -----------------------------------------------------------------------------

    def _records(self, kind: str) -> list[dict]:
        """The records of a kind the audience may see. A record left out is remembered as
        hidden: whatever refers to it no longer names it. A record whose name or title was cut
        is shown as withheld."""
        kept = []
        field = NAME_FIELDS.get(kind)
        for record in self.ws.all(kind):
            data = self.view.record(kind, record.data, record.path)
            if data is None:
                if record.id:
                    self.hidden.add(record.id)
                # a hidden record's name, id and short name must not appear either
                self.view.withhold_name(record.data.get(field) if field else None, record.id,
                                        record.path, field or "name",
                                        record.data.get("products", ()))
                continue
            if field and field not in data:
                self.view.withhold_name(record.data.get(field), record.id, record.path, field,
                                        record.data.get("products", ()))
                if record.id:
                    self.unnamed.add(record.id)
                data[field] = message("render.withheld", self.lang)
            elif "products" in record.data and "products" not in data:
                self.view.withhold_products(record.data["products"], record.path)
            if field and record.id:
                self.names[record.id] = data[field]
            kept.append(data)
        return kept

    def _withhold_signer(self, entry: dict, where: str, number: int) -> None:
        """Who signed for an organisation whose name is withheld, their title and the place
        would name it ("Torben Hansen, Borgmester" is Randers' mayor): withheld with the name,
        and looked for by the leak check like a contact's name."""
        signer = entry.get("signer")
        if isinstance(signer, str) and signer.strip():
            origin = Origin(where, ("signatures", number, "signer"), "withheld")
            self.view.sensitive.setdefault(signer, origin)
            self.view.people.setdefault(signer, origin)
        for key in ("title", "place"):
            if isinstance(entry.get(key), str):
                self.view.remember(entry[key], Origin(where, ("signatures", number, key),
                                                      "withheld"))
            entry[key] = None
        entry["signer"] = message("render.withheld-field", self.lang)
        entry["signer_withheld"] = True

    def _single(self, kind: str) -> dict:
        record = self.ws.single(kind)
        if record is None:
            return {}
        return self.view.record(kind, record.data, record.path) or {}

    def _name(self, reference: Any) -> Any:
        """The name of a record an id refers to; None for a record the audience may not see."""
        if not isinstance(reference, str):
            return reference
        if reference in self.hidden:
            return None
        name = self.names.get(reference, reference)
        if isinstance(reference, Restricted) and not isinstance(name, Restricted):
            return Restricted(name, reference.reason)  # the asker of a question: still marked
        return name

    def _names(self, references: Any) -> list[Any]:
        return [name for name in (self._name(r) for r in references or []) if name is not None]

    def _build(self) -> dict[str, Any]:
        lang = self.lang
        # The named records first, so that every reference after them resolves to what the
        # audience may see.
        raw_organisations = self._records("organisation")
        raw_suppliers = self._records("supplier")
        raw_events = self._records("event")

        # the facilitator is shown as facilitator, never as a partner, whatever its record says
        facilitator = self.ws.process.get("facilitator")
        facilitating = {record.id for record in self.ws.all("organisation")
                        if is_facilitator(record.data, facilitator)}
        organisations = []
        for data in raw_organisations:
            data["is_facilitator"] = data.get("id") in facilitating
            role = "facilitator" if data["is_facilitator"] else data.get("role")
            data["type_label"] = _labelled("organisation_type", data.get("type"), lang)
            data["role_label"] = _labelled("role", role, lang)
            data["is_need_owner"] = data.get("role") == "need-owner" and "withdrawn" not in data
            organisations.append(data)
        organisations.sort(key=lambda o: str(o.get("name", "")).casefold())
        need_owners = [o for o in organisations if o["is_need_owner"]]
        partners = [o for o in organisations if not o["is_facilitator"]
                    and o.get("role") != "need-owner" and "withdrawn" not in o]

        events = []
        for data in raw_events:
            data["kind_label"] = _labelled("event_kind", data.get("kind"), lang)
            # an activity with the market, as the gate of phase 4 counts them: the market
            # dialogue report lists these only, not a matchmaking or a closed workshop
            data["market_activity"] = is_market_activity(data)
            data["open"] = is_open(data)
            data["owner_names"] = self._names(data.get("owners"))
            data.setdefault("materials", [])
            events.append(data)
        suppliers = sorted(raw_suppliers, key=lambda s: str(s.get("name", "")).casefold())
        for supplier in suppliers:
            supplier.setdefault("prior_involvement", [])
        meetings = self._meetings()

        questions = self._single("questions").get("questions", [])
        if self.audience == "public":  # published to all, never before (nor before its day)
            day = self.today.isoformat()

            def out(question: dict) -> bool:
                return bool(question.get("published")) and str(question["published"]) <= day

            record = self.ws.single("questions")
            written = record.data.get("questions", []) if record else []
            for question in questions:
                if out(question):
                    continue
                at = next((number for number, item in enumerate(written)
                           if isinstance(item, dict) and item.get("id") == question.get("id")),
                          None)
                for key in ("question", "answer"):
                    if isinstance(question.get(key), str):
                        field = ("questions", at, key) if at is not None else ("questions",)
                        self.view.remember(question[key], Origin(
                            record.path if record else "", field, "confidential"))
            questions = [q for q in questions if out(q)]
        for question in questions:
            question["event_title"] = self._name(question.get("event"))
            if "asked_by" in question:
                question["asked_by_name"] = self._name(question["asked_by"])

        insights = self._single("insights").get("insights", [])
        for insight in insights:
            insight.setdefault("title", message("render.withheld", lang))
            insight["source_label"] = _labelled("insight_source", insight.get("source"), lang)
            insight["owner_names"] = self._names(insight.get("owners"))
        needs_file = self._single("needs")
        needs = needs_file.get("needs", [])
        for need in needs:
            need.setdefault("title", message("render.withheld", lang))
            need["owner_names"] = self._names(need.get("owners"))
            need.setdefault("success_criteria", [])
        # the choices and deselections that narrow the needs, with the titles of the needs
        # they narrow; the parts the needs communication consists of (the method: "beskrivelser,
        # produkter eller værktøjer")
        need_titles = {need.get("id"): need["title"] for need in needs}
        choices = needs_file.get("choices", [])
        for choice in choices:
            choice["need_titles"] = [need_titles[i] for i in choice.get("needs", [])
                                     if i in need_titles]
        formats = needs_file.get("formats", [])
        for part in formats:
            part["kind_label"] = _labelled("format_kind", part.get("kind"), lang)
        barriers = needs_file.get("barriers", [])
        for barrier in barriers:
            barrier["kind_label"] = _labelled("barrier_kind", barrier.get("kind"), lang)
            barrier["owner_names"] = self._names(barrier.get("owners"))
        stakeholders = self._single("stakeholders")
        glossary = self._single("glossary")

        # the decisions made by the day the document is of (a date ahead is not yet signed)
        recorded = self._single("signatures").get("signatures", [])
        signatures = [s for s in recorded
                      if s.get("organisation") not in self.hidden
                      and str(s.get("date", "")) <= self.today.isoformat()]
        signatures_file = self.ws.single("signatures")
        for entry in signatures:
            entry["organisation_name"] = self._name(entry.get("organisation"))
            entry["event_title"] = self._name(entry.get("event"))
            if self.view.public and entry.get("organisation") in self.unnamed:
                self._withhold_signer(entry, signatures_file.path if signatures_file else "",
                                      next(i for i, s in enumerate(recorded) if s is entry))
        signed = _by_date([s for s in signatures if s.get("decision") == "signed"])
        declined = ([s for s in signatures if s.get("decision") == "declined"]
                    if self.audience == "internal" else [])

        process = self._single("process")
        calculation = self._calculation()
        refused = self._declined()
        chosen, basis, pending = figures.parties(need_owners, signed, refused)
        catalogue = load_catalogue()
        current = catalogue.phase(self.ws.process["phase"])
        context = {
            "lang": lang,
            "audience": self.audience,
            "today": self.today.isoformat(),
            "process": {
                "id": process.get("id"),
                "title": process.get("title"),
                "description": process.get("description"),
                "facilitator": process.get("facilitator", {}),
                "first_need_owner": self._name(process.get("first_need_owner")),
                "history": process.get("history", []),
                "phase": {"number": current.number, "id": current.id,
                          "name": current.name[lang]},
            },
            "phases": [{"number": p.number, "id": p.id, "name": p.name[lang],
                        "summary": p.summary[lang],
                        "need_owners": [item[lang] for item in p.need_owners],
                        "asks": [item[lang] for item in p.asks],
                        "results": [r.text[lang] for r in p.results]}
                       for p in catalogue.phases],
            "organisations": organisations,
            "need_owners": need_owners,
            "need_owners_citizens": figures.citizens(need_owners),
            "partners": partners,
            "events": _by_date(events),
            "suppliers": suppliers,
            "meetings": _by_date(meetings),
            "questions": _by_date(questions),
            "insights": insights,
            "needs": needs,
            "barriers": barriers,
            "stakeholders": stakeholders.get("stakeholders", []),
            "value_chain": stakeholders.get("value_chain", []),
            "choices": choices,
            "formats": formats,
            "terms": sorted(glossary.get("terms", []),
                            key=lambda t: str(t.get("term", "")).casefold()),
            "standards": sorted(glossary.get("standards", []),
                                key=lambda t: str(t.get("name", "")).casefold()),
            # Not computed when R036 says it cannot be: a document that shows it is refused
            # (rendering.pipeline), the others do not depend on it.
            "potential": None if self.impossible else self._potential(calculation),
            "declaration_figures": figures.declaration(
                chosen, basis, pending, None if self.impossible else calculation, self.today,
                self.ws.process.get("settings", {}).get("declaration_net_present_value") is True),
            "signed": signed,
            "declined": declined,
            "signatories": self._signatories(need_owners, signed, declined),
            "confirmations": self._single("confirmations").get("confirmations", []),
            "tools": self._tools(),
        }
        return _scrubbed(context, self.hidden)

    def _charts(self, nonce: str) -> dict[str, charts.Chart]:
        """The charts of this audience's context, by the name the Markdown refers to each with
        (their pictures are rendered only for a document that places them)."""
        context, lang = self.context, self.lang
        colours = self.ws.single_data("brand").get("colours")
        brand = colours if isinstance(colours, dict) else {}
        made = [
            _drawn(charts.demand, context["potential"], lang, brand),
            _drawn(charts.timeline, context["process"], context["phases"], context["events"],
                   context["today"], lang, brand),
            _drawn(charts.consortium, context["organisations"], context["signed"],
                   context["today"], lang, brand),
        ]
        return {f"copi-chart-{nonce}-{chart.name}.svg": chart for chart in made if chart}

    def _meetings(self) -> list[dict]:
        """Every meeting with suppliers, a confidential one too: equal treatment asks that
        each dialogue activity is listed (date, supplier, need owners, subject) while its
        minutes are withheld (data/confidentiality.yaml, listed). A supplier the audience may
        not see is shown withheld, and the meeting's id, which holds the supplier's, left out.
        `minutes_withheld`, `topics_withheld`: what was recorded and is not shown."""
        meetings = []
        for record in self.ws.all("meeting"):
            data = self.view.record("meeting", record.data, record.path)
            if data is None:  # a kind no longer listed: left out, as every other record
                if record.id:
                    self.hidden.add(record.id)
                continue
            supplier = record.data.get("supplier")
            name = self._name(supplier)
            if supplier in self.hidden or supplier in self.unnamed:
                data.pop("id", None)
                data.pop("supplier", None)
                name = message("render.withheld", self.lang)
            data["supplier_name"] = name
            data["owner_names"] = self._names(data.get("owners"))
            data["event_title"] = self._name(data.get("event"))
            data["minutes_withheld"] = bool(record.data.get("notes")) and "notes" not in data
            data["topics_withheld"] = bool(record.data.get("topics")) and "topics" not in data
            data.setdefault("topics", [])
            data.setdefault("materials", [])
            meetings.append(data)
        return meetings

    def _tools(self) -> dict[str, Any]:
        """The answers to the tools by tool id (management anchoring: by need owner id)."""
        from copi_cli.model.tools import tool_of_file

        found: dict[str, Any] = {}
        for kind in ("tool-answers", "anchoring"):
            for record in self.ws.all(kind):
                placed = tool_of_file(record.path)
                data = self.view.record(kind, record.data, record.path)
                if placed is None or data is None:
                    continue
                tool, owner = placed
                if owner is None:
                    found[tool.id] = data
                elif owner not in self.hidden:
                    found.setdefault(tool.id, {})[owner] = data
        return found

    def _calculation(self) -> dict[str, Any] | None:
        """potentiale.yaml as the audience may see it: a need owner the audience may not see
        is not in the figures either, nor one that withdrew (model.figures.counted)."""
        record = self.ws.single("potential")
        if record is None:
            return None
        data = self.view.record("potential", record.data, record.path) or {}
        data["owners"] = [entry for entry in data.get("owners", [])
                          if entry.get("owner") not in self.hidden]
        return figures.counted(data, (r.data for r in self.ws.all("organisation")))

    def _declined(self) -> set[str]:
        """Who declined, by the day the document is of."""
        return {s.get("organisation") for s in self.ws.single_data("signatures").get(
            "signatures", []) if s.get("decision") == "declined"
            and str(s.get("date", "")) <= self.today.isoformat()}

    def _potential(self, data: dict[str, Any] | None) -> dict[str, Any] | None:
        if data is None:
            return None
        calc = potential.calculate(data, self.today)
        shown = potential.as_json(calc)
        shown["status"] = data.get("status")
        shown["method"] = data.get("method")
        shown["non_economic_benefits"] = list(data.get("non_economic_benefits") or [])
        texts = {entry["owner"]: list(entry.get("non_economic_benefits") or [])
                 for entry in data.get("owners", [])}
        for row in shown["owners"]:
            row["name"] = self._name(row["owner"])
            row["non_economic_benefits"] = texts.get(row["owner"], [])
        shown["purchases"] = []
        for entry in data.get("owners", []):
            for purchase in entry.get("purchases", []):
                shown["purchases"].append({**purchase, "owner": entry["owner"],
                                           "name": self._name(entry["owner"])})
        shown["purchases"].sort(key=lambda p: (p.get("year", 0), str(p["name"])))
        return shown

    def _signatories(self, need_owners: list[dict], signed: list[dict],
                     declined: list[dict]) -> list[dict]:
        """One signature block per signing organisation: those that signed, then the need
        owners still expected to sign (their blocks left blank for the signing)."""
        done = {s.get("organisation") for s in signed}
        refused = self._declined()
        blocks = [{"organisation": s["organisation_name"], "signer": s.get("signer"),
                   "signer_withheld": s.get("signer_withheld", False),
                   "title": s.get("title"), "date": s.get("date"), "place": s.get("place"),
                   "event": s.get("event_title"), "kind": s.get("kind", "buyer"),
                   "signed": True} for s in signed]
        blocks += [{"organisation": o["name"], "signer": None, "title": None, "date": None,
                    "place": None, "event": None, "kind": "buyer", "signed": False}
                   for o in need_owners if o.get("id") not in done | refused]
        return blocks

    # -- one document ------------------------------------------------------------------------

    def for_document(self, document: Document) -> dict[str, Any]:
        """The context of one document: the shared records plus its text, its date and
        whether it is a draft.

        Draft or final follows the document's own state: a text that is not final, or a phase
        the process has never reached (revisiting an earlier phase takes nothing back), makes
        a draft; a signed document (the declaration with signatures) is final."""
        context = dict(self.context)
        catalogue = load_catalogue()
        own_phase = catalogue.phase(document.phase)
        text = None
        record = self.ws.text(document.text) if document.text else None
        reasons = []
        if own_phase.number > self._reached():
            reasons.append("phase")
        if record is not None:
            meta = self.view.record("text", record.data, record.path) or {}
            title = meta.get("title")
            if isinstance(title, str) and "{" in title:  # a marked span in the title
                title = " ".join(self.view.text(title, record.path).split()) or None
            text = {"title": title, "status": record.data.get("status"),
                    "body": self.view.text(record.body or "", record.path,
                                           self._body_line(record.path, record.body)),
                    "path": record.path,
                    "confidential": record.data.get("confidential") is True}
            if text["status"] != "final":
                reasons.append("text")
        elif document.text:
            reasons.append("no-text")
        signed = document.signing and bool(self.context["signed"])
        if signed:  # signed is final, whatever the text's status or the phase says now
            reasons = []
            context["signatories"] = [block for block in self.context["signatories"]
                                      if block["signed"]]
        date, dated_by = self._date(record, signed)
        context["document"] = {
            "id": document.id,
            "name": document.name[self.lang],
            "phase": {"number": own_phase.number, "name": own_phase.name[self.lang]},
            "draft": bool(reasons),
            "draft_reasons": reasons,
            "date": date.isoformat(),
            "dated_by": dated_by,
        }
        context["text"] = text
        if document.id == "status-report":
            from copi_cli.validation.status import build_status

            context["status"] = build_status(self.report, self.today, self.lang).as_dict()
            context["warnings"] = self._warnings()
            context["market_dialogue"] = self._market_dialogue()
        return context

    def _warnings(self) -> list[dict]:
        """The validation's open warnings, each with the file and line to edit: for the
        partnership only (a finding may quote what the public may not see)."""
        if self.audience != "internal":
            return []
        return [{"where": f"{d.path}:{d.line}", "code": d.code, "message": d.message,
                 "hint": d.hint} for d in sorted(self.report.warnings, key=Diagnostic.sort_key)]

    def _market_dialogue(self) -> dict[str, Any]:
        """The market dialogue at a glance, from the records this audience sees: the open
        activities, the meetings with suppliers, the questions, the prior involvement."""
        context = self.context
        today = self.today.isoformat()
        activities = [event for event in context["events"] if event["market_activity"]]
        one_to_one = [m for m in context["meetings"] if m.get("kind") == "one-to-one"]
        held = [m for m in one_to_one if str(m.get("date")) <= today]
        questions = context["questions"]
        involvement = [{**entry, "supplier": supplier["name"]}
                       for supplier in context["suppliers"]
                       for entry in supplier.get("prior_involvement", [])]
        return {
            "shown": bool(activities or context["meetings"] or questions or involvement)
            or context["process"]["phase"]["number"] >= 4,
            "activities": [{**event, "held": str(event.get("date")) <= today,
                            "published_materials": len([
                                m for m in event["materials"] if "published" in m
                                and m.get("visibility", "all-market") == "all-market"])}
                           for event in activities],
            "meetings": {"held": len(held), "planned": len(one_to_one) - len(held),
                         # a withheld supplier has no id here: each such meeting one
                         "suppliers": len({m.get("supplier") or n for n, m in enumerate(held)}),
                         "group": len(context["meetings"]) - len(one_to_one)},
            "questions": {"asked": len(questions),
                          "answered": len([q for q in questions if "answer" in q]),
                          "published": len([q for q in questions if "published" in q])},
            "prior_involvement": sorted(involvement,
                                        key=lambda e: (str(e.get("date")), e["supplier"])),
        }

    def _reached(self) -> int:
        """The furthest phase the process has ever reached: its history, and where it stands."""
        catalogue = load_catalogue()
        numbers = [catalogue.phase(self.ws.process["phase"]).number]
        for entry in self.ws.process.get("history", []):
            with contextlib.suppress(KeyError, TypeError):
                numbers.append(catalogue.phase(entry.get("to")).number)
        return max(numbers)

    def _date(self, text: Record | None, signed: bool) -> tuple[dt.date, str]:
        """The document's date and what gave it, the first that applies: a date in its text's
        front matter (`date` — not `updated`, which says when the text was last edited, not
        what day the document speaks for); the day it was published; for a signed
        document, the launch (the first held), else its last signature; the day it is
        rendered."""
        if text is not None:
            with contextlib.suppress(KeyError, TypeError, ValueError):
                return dt.date.fromisoformat(text.data["date"]), "text"
        if self.published:
            return self.today, "publication"
        if signed:
            launches = sorted(str(r.data["date"]) for r in self.ws.all("event")
                              if r.data.get("kind") == "launch"
                              and str(r.data["date"]) <= self.today.isoformat())
            days = launches[:1] or [max(str(s["date"]) for s in self.context["signed"])]
            with contextlib.suppress(ValueError):
                return dt.date.fromisoformat(days[0]), "signing"
        return self.today, "today"

    def _body_line(self, path: str, body: str | None) -> int:
        """The line of its file a text's body starts on, after the front matter."""
        try:
            whole = (self.ws.root / path).read_text(encoding="utf-8")
        except (OSError, UnicodeError):
            return 1
        at = whole.find(body or "")
        return whole[:at].count("\n") + 1 if at > 0 else 1

    def public_people(self) -> Iterator[str]:
        """Identities that are public by nature: signatories and their offices, the
        facilitator's name, organisation and public contact, the organisations and suppliers
        the audience sees by name, and contacts marked public (name and job title)."""
        for entry in self.context["signed"]:
            if entry.get("signer_withheld"):
                continue
            for key in ("signer", "title"):
                if isinstance(entry.get(key), str):
                    yield entry[key]
        facilitator = self.context["process"]["facilitator"]
        for key in ("name", "organisation", "public_contact"):
            if isinstance(facilitator.get(key), str):
                yield facilitator[key]
        for record in (*self.context["organisations"], *self.context["suppliers"]):
            if isinstance(record.get("name"), str) and not isinstance(record["name"], Restricted):
                yield record["name"]
        yield from sorted(self.view.public_people)

    def public_places(self) -> Iterator[str]:
        """The places the audience sees named as places: where an event is held, where the
        declaration was signed. A withheld organisation's short name may be a town's."""
        for record in (*self.context["events"], *self.context["signed"]):
            if isinstance(record.get("place"), str) \
                    and not isinstance(record["place"], Restricted):
                yield record["place"]

    def public_wording(self) -> tuple[list[str], dict[str, str]]:
        """What the public may read besides the records, for the leak check to ask when a cut
        passage turns up: the method's own phrases (the phases, tools, labels and copi's
        document templates), and the texts the public has actually seen — each published
        text (publikationer.yaml) as it stood in the commit it was published from, by path.
        A text that is only written (a draft, a starter, a final text not yet sent, of a
        phase not reached) is none of them: two texts that hold the same cut passage would
        vouch for each other, and either may be the copy."""
        return method_phrases(self.lang), self._published_texts()

    def _published_texts(self) -> dict[str, str]:
        from copi_cli.errors import UserError
        from copi_cli.model.documents import load_documents
        from copi_cli.model.publications import publications
        from copi_cli.model.yamlsource import split_front_matter
        from copi_cli.rendering.conversion import ConversionStopped

        texts: dict[str, str] = {}
        by_id = {document.id: document for document in load_documents()}
        read: set[tuple[str, str]] = set()
        for publication in publications(self.ws):
            document = by_id.get(publication.document)
            path = text_file(document) if document is not None \
                and document.audience == "public" else None
            if path is None or (publication.commit, path) in read:
                continue
            read.add((publication.commit, path))
            whole = _committed_file(self.ws.root, publication.commit, path)
            split = split_front_matter(whole) if whole is not None else None
            if split is None or _confidential_front(split[0]):
                continue
            try:
                body = View("public", self.lang).text(split[1], path)
            except (UserError, ConversionStopped):
                continue
            texts[path] = f"{texts[path]}\n\n{body}" if path in texts else body
        return texts

    def public_texts(self) -> Iterator[str]:
        """Every text of the records as this audience sees them (the documents' own texts
        excepted: they are what the leak check reads)."""
        return _strings(self.context)


# Jinja's tags, statements and comments: what is left of a template is its own wording.
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)


@cache
def method_phrases(lang: str) -> list[str]:
    """The method's own words, public by nature: the phases, tools, labels and documents of
    the catalogue, and what copi's document templates write around the records."""
    from copi_cli.resources import load_data, shipped_dir

    phrases = [text for name in ("phases.yaml", "tools.yaml", "labels.json", "documents.yaml")
               for text in _strings(load_data(name))]
    folder = shipped_dir("templates") / "documents"
    for template in sorted([*folder.glob("*.j2"), *(folder / lang).glob("*.j2")]):
        phrases.extend(_JINJA.sub("\n", template.read_text(encoding="utf-8")).splitlines())
    return phrases


# A published text read back from git: no more than this (a text is a page or two).
_COMMITTED_LIMIT = 1 << 20


def _committed_file(root: Path, commit: str, path: str) -> str | None:
    """A text of the process as committed in commit, or None: not in git, a commit outside
    the branch's history (a record may name one made beside it, holding a forged text), not a
    regular file there (a link is no text), or too large."""
    from copi_cli.trail import gitrepo, revisions

    repo = gitrepo.find_repo(root)
    if repo is None or not re.fullmatch(r"[0-9a-f]{7,64}", commit) \
            or not revisions.in_history(repo, commit):
        return None
    prefix = revisions.prefix_of(repo, root)
    full = f"{prefix}/{path}" if prefix else path
    listed = gitrepo.run(repo.root, "ls-tree", "-z", "-l", "--full-tree", commit, "--",
                         f":(literal){full}", check=False)
    head = listed.stdout.split("\t", 1)[0].split() if listed.returncode == 0 else []
    if len(head) != 4 or head[0] not in ("100644", "100755") or head[1] != "blob" \
            or not head[3].isdigit() or int(head[3]) > _COMMITTED_LIMIT:
        return None
    blob = gitrepo.run(repo.root, "cat-file", "blob", head[2], check=False)
    return blob.stdout if blob.returncode == 0 else None


def _confidential_front(front: str) -> bool:
    """Whether a text's front matter marks it confidential (or cannot be read: then it is
    taken as such)."""
    import yaml

    try:
        data = yaml.safe_load(front)
    except yaml.YAMLError:
        return True
    return not isinstance(data, dict) or data.get("confidential") is True


def _scrubbed(value: Any, hidden: set[str]) -> Any:
    """The context without the ids of records the audience may not see (an `owners` list, a
    meeting's `event`): a process's own template prints what it finds."""
    if not hidden:
        return value
    if isinstance(value, dict):
        return {k: _scrubbed(v, hidden) for k, v in value.items()
                if not (isinstance(v, str) and v in hidden)}
    if isinstance(value, list):
        return [_scrubbed(v, hidden) for v in value if not (isinstance(v, str) and v in hidden)]
    return value


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str) and not isinstance(value, Restricted):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def text_file(document: Document) -> str | None:
    if not document.text:
        return None
    return load_layout().texts[document.text]["file"]


class Kept(NamedTuple):
    """One audience's view of one state of a process, as Sources made it before any text was
    read: kept in memory by a long-lived process, and as plain data in copi's cache."""

    context: dict[str, Any]  # shared: never changed once made (for_document copies it)
    names: dict[str, str]
    hidden: frozenset[str]
    unnamed: frozenset[str]
    cut: dict[str, Origin]
    sensitive: dict[str, Origin]
    short_names: dict[str, Origin]
    withheld_ids: dict[str, Origin]
    people: dict[str, Origin]
    public_people: frozenset[str]
    guard: Guard | None  # the public's: the records' needles, allowed
    allowance: Allowance | None

    def as_data(self) -> dict[str, Any]:
        """Plain JSON data; the context as one JSON text, with a text an internal document
        shows marked (Restricted) written as {RESTRICTED: [text, reason]}. Raises TypeError
        for a value JSON cannot hold: then nothing is kept."""
        import json

        def origins(found: dict[str, Origin]) -> dict[str, Any]:
            return {text: origin_data(origin) for text, origin in found.items()}
        return {
            "context": json.dumps(_tagged(self.context), ensure_ascii=False,
                                  separators=(",", ":")),
            "names": self.names, "hidden": sorted(self.hidden), "unnamed": sorted(self.unnamed),
            "cut": origins(self.cut), "sensitive": origins(self.sensitive),
            "short_names": origins(self.short_names),
            "withheld_ids": origins(self.withheld_ids), "people": origins(self.people),
            "public_people": sorted(self.public_people),
            "guard": self.guard.as_data() if self.guard is not None else None,
            "allowance": self.allowance.as_data() if self.allowance is not None else None,
        }

    @classmethod
    def from_data(cls, data: dict[str, Any], public: bool) -> Kept:
        """Kept from as_data; raises (KeyError, TypeError, ValueError, AttributeError) on
        anything else. A public view holds no Restricted text and no guard-less kept."""
        import json

        def texts(found: Any) -> list[str]:
            if not isinstance(found, list) or not all(isinstance(t, str) for t in found):
                raise TypeError("not a list of texts")
            return found

        def origins(found: Any) -> dict[str, Origin]:
            return {text: origin for text, origin in
                    ((text, origin_of(origin)) for text, origin in dict(found).items())
                    if origin is not None}

        context = json.loads(data["context"], object_hook=_untagged)
        names = dict(data["names"])
        if not isinstance(context, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in names.items()):
            raise TypeError("not a view")
        guard = Guard.from_data(data["guard"]) if data["guard"] is not None else None
        allowance = (Allowance.from_data(data["allowance"]) if data["allowance"] is not None
                     else None)
        if public and (guard is None or allowance is None):
            raise ValueError("a public view without its guard")
        return cls(context, names, frozenset(texts(data["hidden"])),
                   frozenset(texts(data["unnamed"])), origins(data["cut"]),
                   origins(data["sensitive"]), origins(data["short_names"]),
                   origins(data["withheld_ids"]), origins(data["people"]),
                   frozenset(texts(data["public_people"])), guard, allowance)


RESTRICTED = "\x00copi:restricted"  # the key of a Restricted text in a kept context


def _tagged(value: Any) -> Any:
    if isinstance(value, Restricted):
        return {RESTRICTED: [str(value), value.reason]}
    if isinstance(value, dict):
        if RESTRICTED in value:
            raise TypeError("a record holds copi's own key")
        return {key: _tagged(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_tagged(item) for item in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"{type(value).__name__} is not kept")


def _untagged(value: dict[str, Any]) -> Any:
    if RESTRICTED in value:
        text, reason = value[RESTRICTED]
        return Restricted(text, reason)
    return value


# -- made once per state of the process ---------------------------------------------------------

# The views made in this process, newest last: a long-lived process (copi preview) renders the
# same state again and again.
_MEMO: dict[str, Kept] = {}
_MEMO_SIZE = 8


def sources_for(report: Report, audience: str, lang: str, today: dt.date,
                published: bool = False) -> Sources:
    """The audience's view of the records, made once per state of the process: kept in this
    process, and as data in copi's cache (outside the process, the user's alone) under the
    validation's key and a digest of every record, so that a change to any record, copi's code
    or data (the confidentiality rules), the day, the audience or the language makes it anew.
    Whatever is wrong with a kept view — missing, unreadable, of another state — means it is
    made anew; a view as of a publication (published) is kept in memory only."""
    from copi_cli.storage import load_cached, store_cached
    from copi_cli.validation.pipeline import cache_key, cache_path, state_digest

    ws = report.workspace
    assert ws is not None
    impossible = next((f"{d.code}:{d.path}:{d.line}" for d in sorted(
        report.errors, key=Diagnostic.sort_key) if d.code in IMPOSSIBLE), "-")
    key = "|".join([cache_key(today), audience, lang, str(published), state_digest(ws),
                    impossible])
    kept = _MEMO.get(key)
    path = cache_path(ws.root, f"view-{audience}-{lang}")
    if kept is None and not published:
        found = load_cached(path)
        if found is not None and found.get("key") == key:
            try:
                kept = Kept.from_data(found["kept"], audience == "public")
            except (KeyError, TypeError, ValueError, AttributeError):
                kept = None
    if kept is not None:
        _remember(key, kept)
        return Sources(report, audience, lang, today, published, kept)
    made = Sources(report, audience, lang, today, published)
    kept = made.kept()
    _remember(key, kept)
    if not published:
        with contextlib.suppress(TypeError):  # a value JSON cannot hold: kept in memory only
            store_cached(path, {"key": key, "kept": kept.as_data()})
    return made


def _remember(key: str, kept: Kept) -> None:
    _MEMO.pop(key, None)
    _MEMO[key] = kept
    while len(_MEMO) > _MEMO_SIZE:
        del _MEMO[next(iter(_MEMO))]


def _drawn(chart: Callable[..., charts.Chart | None], *args: Any) -> charts.Chart | None:
    """A chart, or none when its figures cannot be written (a number beyond what a document
    prints): the table beside it says so with its template's located message, and a
    document without that table renders as before."""
    try:
        return chart(*args)
    except (ArithmeticError, ValueError):
        return None
