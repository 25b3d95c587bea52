"""The preview's state between edits: what a change makes stale, the last good rendering kept
while the process is broken, rendered again once it is fixed."""

from __future__ import annotations

from pathlib import Path

from copi_cli.model.documents import load_documents
from copi_cli.preview.session import Session, affected

KEYS = {(d.id, a) for d in load_documents() for a in ("internal", "public")}


def test_a_text_affects_its_documents_the_public_ones_and_the_status_report() -> None:
    touched = affected(["tekster/problembeskrivelse.md"], load_documents(), KEYS)
    internal = {doc for doc, audience in touched if audience == "internal"}
    assert internal == {"problem-description", "status-report"}
    assert {doc for doc, audience in touched if audience == "public"} == {
        doc for doc, audience in KEYS if audience == "public"}


def test_anything_else_affects_every_document() -> None:
    for paths in (["organisationer/aarhus-kommune.yaml"], ["brand.yaml"],
                  ["tekster/problembeskrivelse.md", "potentiale.yaml"],
                  ["materialer/logo.png"], ["templates/declaration.md.j2"]):
        assert affected(paths, load_documents(), KEYS) == KEYS, paths


def test_only_what_is_shown_is_rendered_again(example: Path) -> None:
    session = Session(example)
    before = session.document("declaration", "internal")
    session.document("problem-description", "internal")
    text = example / "tekster" / "hensigtserklaering.md"
    text.write_text(text.read_text(encoding="utf-8") + "\nEn ny linje 9911.\n",
                    encoding="utf-8")
    touched = session.change(["tekster/hensigtserklaering.md"],
                             watched=[("declaration", "internal")])
    assert ("declaration", "internal") in touched
    assert ("problem-description", "internal") not in touched
    after = session.rendered[("declaration", "internal")]
    assert before.html is not None and "9911" not in before.html
    assert after.html is not None and "9911" in after.html and not session.stale


def test_the_last_good_rendering_stays_while_the_process_is_broken(example: Path) -> None:
    session = Session(example)
    good = session.document("potential", "public")
    owner = example / "organisationer" / "aarhus-kommune.yaml"
    original = owner.read_text(encoding="utf-8")
    owner.write_text(original.replace('joined: "2025-09-01"', 'joined: "2025-02-30"'),
                     encoding="utf-8")
    session.change(["organisationer/aarhus-kommune.yaml"], [("potential", "public")])
    assert not session.valid
    assert [(d.path, d.line, d.code) for d in session.report.errors] == [
        ("organisationer/aarhus-kommune.yaml", 9, "R003")]
    shown = session.document("potential", "public")
    assert shown.html == good.html and shown.stale
    assert session.document("invitation", "internal").html is None  # none made yet
    owner.write_text(original, encoding="utf-8")
    session.change(["organisationer/aarhus-kommune.yaml"], [])
    assert session.valid
    fresh = session.document("potential", "public")
    assert fresh.html is not None and not fresh.stale
    assert session.document("invitation", "internal").html is not None


def test_a_refused_public_document_shows_the_refusal_of_copi_render(example: Path) -> None:
    text = example / "tekster" / "problembeskrivelse.md"
    text.write_text(text.read_text(encoding="utf-8").replace(
        "status: final", "status: final\nconfidential: true", 1), encoding="utf-8")
    session = Session(example)
    refused = session.document("problem-description", "public")
    assert refused.html is None and refused.refusal is not None
    assert refused.refusal[0] == ("tekster/problembeskrivelse.md is marked confidential: it "
                                  "cannot become the public problem-description")
    assert session.document("problem-description", "internal").html is not None
