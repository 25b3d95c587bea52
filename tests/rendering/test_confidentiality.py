"""The leak corpus: confidential material and personal data written the ways people write it by
accident (and a few on purpose), pasted into a public text and rendered in every format. Each
output is read back as its reader sees it — PDF text, Word XML, HTML text, the Markdown — and
every form must be found there by the leak check, so the render is refused; ordinary text must
not be. One render holds every form (each in a paragraph of its own after a marker), so the
corpus stays fast and a failure still names its form and format.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from copi_cli.errors import UserError
from copi_cli.model.documents import load_documents
from copi_cli.rendering import pipeline
from copi_cli.rendering.confidentiality import (
    Guard,
    Origin,
    View,
    flat,
    identity_parts,
    name_forms,
    words,
)
from copi_cli.trail.lifecycle import load_valid

from conftest import EXAMPLE

FORMATS = ("pdf", "docx", "html", "md")
NFD = "NFD"

# (form, Markdown) — each must be refused in every format.
LEAKS: list[tuple[str, str]] = [
    # a contact's name (Louise Bach, Aarhus Kommune; Jonas Holm, Sensa Care)
    ("name plain", "Spørg Louise Bach om tallene"),
    ("name emphasis on first", "Spørg *Louise* Bach om tallene"),
    ("name strong on first", "Spørg **Louise** Bach"),
    ("name emphasis inside a word", "Spørg Lou*ise* Bach"),
    ("name strong inside a word", "Spørg L**ouise** B**ach**"),
    ("name code on first", "Spørg `Louise` Bach"),
    ("name all code", "Spørg `Louise Bach`"),
    ("name underscore emphasis", "Spørg _Louise_ Bach"),
    ("name strikeout", "Spørg ~~Louise~~ Bach"),
    ("name escaped space", "Spørg Louise\\ Bach"),
    ("name non-breaking space", "Spørg Louise\u00a0Bach"),
    ("name entity nbsp", "Spørg Louise&nbsp;Bach"),
    ("name entity space", "Spørg Louise&#32;Bach"),
    ("name thin space", "Spørg Louise\u2009Bach"),
    ("name ideographic space", "Spørg Louise\u3000Bach"),
    ("name double space", "Spørg Louise  Bach"),
    ("name line break", "Spørg Louise\nBach om tallene"),
    ("name hard line break", "Spørg Louise\\\nBach"),
    ("name soft hyphen", "Spørg Lou\u00adise Bach"),
    ("name soft hyphen entity", "Spørg Lou&shy;ise Ba&shy;ch"),
    ("name zero-width space", "Spørg Lou\u200bise Bach"),
    ("name zero-width joiner", "Spørg Louise\u200d Bach"),
    ("name zero-width non-joiner", "Spørg Lo\u200cuise B\u200cach"),
    ("name word joiner", "Spørg Lou\u2060ise Bach"),
    ("name byte-order mark", "Spørg \ufeffLouise Bach"),
    ("name variation selector", "Spørg Louise\ufe0f Bach"),
    ("name full-width letters", "Spørg Ｌｏｕｉｓｅ Ｂａｃｈ"),
    ("name upper case", "SPØRG LOUISE BACH"),
    ("name lower case", "spørg louise bach"),
    ("name reversed with comma", "Kontakt: Bach, Louise"),
    ("name reversed", "Kontakt Bach Louise"),
    ("name genitive", "Louise Bachs tal"),
    ("name in a link text", "[Louise Bach](https://aarhus.example/)"),
    ("name in a heading", "### Louise Bach"),
    ("name in a list", "- Louise Bach\n- Jens"),
    ("name in a table", "| Hvem | Rolle |\n|---|---|\n| Louise Bach | kontakt |"),
    ("name in a quote", "> Louise Bach sagde ja"),
    ("name in a footnote", "Tallene[^1] er klar.\n\n[^1]: Fra Louise Bach."),
    ("name in an image description", "![Louise Bach](../materialer/logo.png)"),
    ("name in a link title", "[kilde](https://aarhus.example/ \"Louise Bach\")"),
    ("second contact", "Jonas Holm fra leverandøren"),
    ("second contact reversed", "Holm, Jonas"),
    ("NFD name", unicodedata.normalize(NFD, "Spørg Åse Søndergård")),
    ("NFD name reversed", unicodedata.normalize(NFD, "Søndergård, Åse")),
    ("NFD name upper", unicodedata.normalize(NFD, "ÅSE SØNDERGÅRD")),
    ("name of a contact title", "Teamleder for Digital Velfærd"),
    # a name as people write it without the Danish letters, or shortened (Søren Kjærgaard
    # Østergaard, Horsens Kommune)
    ("name without æ ø å", "Spørg Soren Kjaergaard Ostergaard"),
    ("name with ae oe aa", "Spørg Soeren Kjaergaard Oestergaard"),
    ("name with aa for å", "Spørg Aase Sondergaard"),
    ("name first and last of three", "Spørg Søren Østergaard"),
    ("name first and last without ø", "Spørg Soeren Ostergaard"),
    ("name with a middle initial", "Spørg Louise M. Bach"),
    ("name with a middle initial without its full stop", "Spørg Louise M Bach"),
    ("name initial and surname", "Spørg L. Bach om tallene"),
    ("name surname and initial", "Kontakt: Bach, L."),
    ("name initial and surname of three", "Spørg S. Østergaard"),
    # e-mail addresses
    ("e-mail plain", "Skriv til loba@aarhus.example"),
    ("e-mail full-width at", "Skriv til loba＠aarhus.example"),
    ("e-mail small at", "Skriv til loba﹫aarhus.example"),
    ("e-mail upper case", "Skriv til LOBA@AARHUS.EXAMPLE"),
    ("e-mail entity dot", "Skriv til loba@aarhus&#46;example"),
    ("e-mail entity at", "Skriv til loba&#64;aarhus.example"),
    ("e-mail escaped at", "Skriv til loba\\@aarhus.example"),
    ("e-mail autolink", "Skriv til <loba@aarhus.example>"),
    ("e-mail only in a link target", "[Skriv til os](mailto:loba@aarhus.example)"),
    ("e-mail percent-encoded in a link target", "[Skriv til os](mailto:loba%40aarhus.example)"),
    ("e-mail percent-encoded", "Skriv til loba%40aarhus%2Eexample"),
    ("e-mail in code", "Skriv til `loba@aarhus.example`"),
    ("e-mail emphasis inside", "Skriv til lo*ba*@aarhus.example"),
    ("e-mail zero-width", "Skriv til loba@aarhus\u200b.example"),
    ("e-mail spaced", "Skriv til loba @ aarhus . example"),
    ("e-mail at and dot in brackets", "Skriv til loba [at] aarhus [dot] example"),
    ("e-mail at and dot in parentheses", "Skriv til loba (at) aarhus (dot) example"),
    ("e-mail at and dot as words", "Skriv til loba at aarhus dot example"),
    ("e-mail of a supplier", "Skriv til jh@sensa-care.example"),
    ("e-mail of the facilitator", "Skriv til mette.kjaer@co-pi.example"),
    ("e-mail NFD", unicodedata.normalize(NFD, "Skriv til asso@horsens.example")),
    # phone numbers (+45 87 13 00 00)
    ("phone spaced in pairs", "Ring på 87 13 00 00"),
    ("phone digits only", "Ring på 87130000"),
    ("phone with country code", "Ring på +45 87 13 00 00"),
    ("phone country code in parentheses", "Ring på (+45) 87 13 00 00"),
    ("phone 0045", "Ring på 0045 87 13 00 00"),
    ("phone in fours", "Ring på 8713 0000"),
    ("phone with dots", "Ring på 87.13.00.00"),
    ("phone with slashes", "Ring på 87/13/00/00"),
    ("phone with parentheses", "Ring på (87) 13 00 00"),
    ("phone with en dashes", "Ring på 87–13–00–00"),
    ("phone with hyphens", "Ring på 87-13-00-00"),
    ("phone with commas", "Ring på 87,13,00,00"),
    ("phone with double hyphens", "Ring på 87--13--00--00"),
    ("phone with non-breaking spaces", "Ring på 87\u00a013\u00a000\u00a000"),
    ("phone with zero-width spaces", "Ring på 87\u200b13\u200b00\u200b00"),
    ("phone full-width digits", "Ring på ８７ １３ ００ ００"),
    ("phone emphasis", "Ring på **87** 13 00 00"),
    ("phone in a table", "| Telefon |\n|---|\n| 87 13 00 00 |"),
    ("phone as link text", "[87 13 00 00](tel:+4587130000)"),
    # a business secret (Sensa Care) and a confidential meeting's notes, in fragments
    ("secret opening without full stop", "Prisniveau ved over 1.000 enheder"),
    ("secret price", "Vi hørte 39 kr. pr. borger pr. måned"),
    ("secret thousands without a dot", "Prisniveau ved over 1000 enheder"),
    ("secret emphasis", "*Prisniveau* ved over **1.000** enheder"),
    ("secret clause", "radarmodulet er egen udvikling"),
    ("secret middle", "egen udvikling med patentansøgning"),
    ("secret upper case", "RADARMODULET ER EGEN UDVIKLING"),
    ("secret soft hyphens", "radar\u00admodulet er egen ud\u00advik\u00adling"),
    ("secret line-wrapped", "Prisniveau ved\nover 1.000\nenheder"),
    ("note sentence without full stop", "Leverandøren præsenterede en radarbaseret sensor"),
    ("note fragment", "præsenterede en radarbaseret sensor"),
    ("note second sentence", "Forretningshemmeligheder om prissætning er ikke referatført"),
    ("note joined to other text", "Vi hørte at leverandøren præsenterede en radarbaseret sensor"),
    ("note NFD", unicodedata.normalize(NFD, "Leverandøren præsenterede en radarbaseret sensor")),
    ("note zero-width", "Leverandøren præsen\u200bterede en radarbaseret sensor"),
    ("note in code", "`Leverandøren præsenterede en radarbaseret sensor`"),
    ("passage of another text", "Horsens Kommune venter på budgetforhandlingerne i efteråret"),
    ("confidential insight", "bruges kun til at kvalificere antallet af borgere"),
    # withheld organisations: Silkeborg Kommune (confidential), TrygStep A/S (its name)
    ("withheld organisation", "Silkeborg Kommune er med"),
    ("withheld organisation upper case", "SILKEBORG KOMMUNE er med"),
    ("withheld organisation genitive", "Silkeborg Kommunes borgere"),
    ("withheld organisation id", "Se silkeborg-kommune"),
    ("withheld organisation emphasis", "*Silkeborg* Kommune er med"),
    ("withheld organisation NBSP", "Silkeborg\u00a0Kommune er med"),
    ("withheld name", "TrygStep A/S var der"),
    ("withheld name short", "TrygStep var der"),
    ("withheld name short other case", "Trygstep var der"),
    ("withheld name short genitive", "TrygSteps sensor"),
    ("withheld name emphasis inside", "Tryg*Step* var der"),
    ("withheld name soft hyphen", "Tryg\u00adStep var der"),
    ("withheld name full-width", "Ｔｒｙｇｓｔｅｐ var der"),
    ("withheld name NFD-free zero-width", "Tryg\u200bStep var der"),
]

# Not shown at all in a format: PDF and Word show no link titles.
ABSENT = {("name in a link title", "pdf"): "bach", ("name in a link title", "docx"): "bach"}
# Shown at the end of the document: footnotes, and the targets of a Word document's links.
AT_THE_END = {("name in a footnote", fmt) for fmt in ("docx", "html", "md")} | {
    ("e-mail only in a link target", "docx"), ("e-mail percent-encoded in a link target", "docx")}

# (form, Markdown) — ordinary public text: never refused.
ORDINARY: list[tuple[str, str]] = [
    ("a price like the secret's", "Prisen er 1.200 kr. pr. borger pr. år i piloten."),
    ("a date", "Vi mødes igen 2026-09-24 på rådhuset."),
    ("the public contact's number", "Ring til sekretariatet på 70 20 30 40."),
    ("the public contact's address", "Skriv til kontakt@co-pi.example."),
    ("the facilitator's name", "Processen faciliteres af Mette Kjær."),
    ("a need owner that is public", "Aarhus Kommune og Horsens Kommune står bag."),
    ("a town that is also a withheld name", "Workshoppen blev holdt i Silkeborg."),
    ("the word fortroligt", "Priser {ekskl. moms} behandles fortroligt af hver kommune."),
    ("an amount", "Behovsejerne forventer at købe løsninger til mere end 3.000 borgere."),
    ("a first name alone", "Louise og Jonas var der."),
    ("another initial with the surname", "Musik af J. S. Bach."),
    ("the initial as a word", "Vi mødtes i Bach-salen, l Bach er ingen."),
    ("a first name and a surname apart", "Søren kom, og Østergaard Skole var vært."),
]

# (form, Markdown) — a passage meant as confidential: cut, or refused at its line.
FENCES: list[tuple[str, str]] = [
    ("fence", "::: fortroligt\nHEMMELIGT\n:::"),
    ("fence upper case", "::: FORTROLIGT\nHEMMELIGT\n:::"),
    ("fence in braces", "::: {.confidential}\nHEMMELIGT\n:::"),
    ("fence in a quote", "> ::: fortroligt\n> HEMMELIGT\n> :::"),
    ("fence with a non-breaking space", ":::\u00a0fortroligt\nHEMMELIGT\n:::"),
    ("fence with an em space", ":::\u2003fortroligt\nHEMMELIGT\n:::"),
    ("fence closed with a non-breaking space", "::: fortroligt\nHEMMELIGT\n:::\u00a0"),
    ("fence with a zero-width space in the class", "::: fortro\u200bligt\nHEMMELIGT\n:::"),
    ("fence with full-width colons", "：：： fortroligt\nHEMMELIGT\n：：："),
    ("fence indented by a non-breaking space", "\u00a0::: fortroligt\nHEMMELIGT\n:::"),
    ("fence misspelt fortrolig", "::: fortrolig\nHEMMELIGT\n:::"),
    ("fence misspelt fortrolight", "::: fortrolight\nHEMMELIGT\n:::"),
    ("fence misspelt letters swapped", "::: fortrolgit\nHEMMELIGT\n:::"),
    ("fence misspelt confidental", "::: confidental\nHEMMELIGT\n:::"),
    ("fence konfidentiel", "::: konfidentiel\nHEMMELIGT\n:::"),
    ("fence misspelt in braces", "::: {.fortrolig}\nHEMMELIGT\n:::"),
    ("fence indented four spaces", "    ::: fortroligt\n    HEMMELIGT\n    :::"),
    ("fence indented two spaces", "  ::: fortroligt\nHEMMELIGT\n:::"),
    ("fence indented by a tab", "\t::: fortroligt\n\tHEMMELIGT\n\t:::"),
    ("fence in a list item", "- punkt\n\n    ::: fortroligt\n    HEMMELIGT\n    :::"),
    ("span", "Synlig [HEMMELIGT]{.fortroligt} tekst"),
    ("span misspelt", "Synlig [HEMMELIGT]{.fortrolgt} tekst"),
    ("span with a space in the braces", "Synlig [HEMMELIGT]{ .fortrolig } tekst"),
]


def _marker(number: int) -> str:
    return f"Q{number:03d}Q"


def _corpus_process(root: Path) -> None:
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("build"))

    def edit(rel: str, old: str, new: str) -> None:
        path = root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, (rel, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    edit("organisationer/aarhus-kommune.yaml", "    email: loba@aarhus.example",
         "    email: loba@aarhus.example\n    phone: \"+45 87 13 00 00\"")
    edit("organisationer/horsens-kommune.yaml", "citizens: 97000",
         "citizens: 97000\ncontacts:\n  - name: Åse Søndergård\n"
         "    title: Teamleder for Digital Velfærd\n    email: asso@horsens.example\n"
         "    retention_until: \"2028-12-31\"\n  - name: Søren Kjærgaard Østergaard\n"
         "    email: skos@horsens.example\n    retention_until: \"2028-12-31\"")
    edit("organisationer/silkeborg-kommune.yaml", "id: silkeborg-kommune",
         "id: silkeborg-kommune\nconfidential: true")
    edit("leverandoerer/trygstep.yaml", "id: trygstep",
         "id: trygstep\nconfidential: [name, website]")
    forms = LEAKS + ORDINARY
    body = "".join(f"\n\n{_marker(n)}\n\n{markdown}\n" for n, (_, markdown) in enumerate(forms))
    text = root / "tekster" / "pressemeddelelse.md"
    text.write_text(text.read_text(encoding="utf-8") + body + f"\n\n{_marker(999)}\n",
                    encoding="utf-8")


def _segments(read: str) -> dict[int, str]:
    """Each form's part of what an output reads as, by its marker."""
    parts = re.split(r"q(\d{3})q", flat(read))
    found: dict[int, str] = {}
    for number, part in zip(parts[1::2], parts[2::2], strict=True):
        found[int(number)] = found.get(int(number), "") + "\n" + part
    return found


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, dict[int, str]], Guard]:
    """The press release with every form, prepared with every public document (so everything
    cut is known) and converted to every format; what each output reads as, by form."""
    root = tmp_path_factory.mktemp("corpus") / "faerre-fald"
    _corpus_process(root)
    report = load_valid(root, dt.date.today())
    public = [d for d in load_documents() if d.audience == "public"]
    prepared: list[pipeline.Prepared] = []
    with pytest.raises(UserError, match="personal data"):  # the Markdown check refuses too
        for document in pipeline.prepare_each(report, public, "public", "da", dt.date.today(),
                                              [], skip=True):
            prepared.append(document)
    press = next(p for p in prepared if p.document.id == "press-release")
    assert press.guard is not None
    with ThreadPoolExecutor(len(FORMATS)) as pool:
        outputs = dict(zip(FORMATS, pool.map(
            lambda fmt: pipeline._convert_one(press, fmt, root), FORMATS), strict=True))
    return {fmt: _segments(read) for fmt, (_, read) in outputs.items()}, press.guard()


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("form", [name for name, _ in LEAKS])
def test_every_form_of_a_leak_is_found_in_every_output(
        corpus: tuple[dict[str, dict[int, str]], Guard], form: str, fmt: str) -> None:
    segments, guard = corpus
    number = [name for name, _ in LEAKS].index(form)
    assert number in segments[fmt], f"the marker of {form!r} is not in the {fmt}"
    if (form, fmt) in ABSENT:
        assert ABSENT[form, fmt] not in segments[fmt][number]
        return
    if (form, fmt) in AT_THE_END:
        number = 999
    assert guard.leaks(segments[fmt][number]), \
        f"{form!r} reaches the public {fmt} unrefused: {segments[fmt][number][:200]!r}"


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("form", [name for name, _ in ORDINARY])
def test_ordinary_text_is_no_leak_in_any_output(
        corpus: tuple[dict[str, dict[int, str]], Guard], form: str, fmt: str) -> None:
    segments, guard = corpus
    number = len(LEAKS) + [name for name, _ in ORDINARY].index(form)
    assert number in segments[fmt], f"the marker of {form!r} is not in the {fmt}"
    assert guard.leaks(segments[fmt][number]) == [], form


def test_the_corpus_is_refused_by_copi_render_and_its_document_not_written(copi,
                                                                          tmp_path: Path
                                                                          ) -> None:
    root = tmp_path / "faerre-fald"
    _corpus_process(root)
    result = copi("render", "press-release", "-f", ",".join(FORMATS), cwd=root)
    assert result.code == 1 and "confidential material or personal data" in result.err
    assert not (root / "build").exists()
    result = copi("render", "all", "-f", ",".join(FORMATS), cwd=root)
    assert result.code == 1 and "press-release: the public document" in result.err
    written = {path.name for path in (root / "build").iterdir()}
    assert not any(name.startswith("pressemeddelelse.") for name in written)
    assert {"problembeskrivelse.pdf", "hensigtserklaering.md"} <= written


def test_the_corpus_is_large() -> None:
    assert len(LEAKS) + len(FENCES) >= 100


@pytest.mark.parametrize("form", [name for name, _ in FENCES])
def test_a_confidential_passage_is_cut_or_refused_at_its_line(form: str) -> None:
    markdown = dict(FENCES)[form]
    view = View("public")
    try:
        text = view.text(f"Indledning.\n\n{markdown}\n\nSynlig afslutning.\n",
                         "tekster/x.md", 5)
    except UserError as refusal:
        line = 7 + next(n for n, content in enumerate(markdown.splitlines())
                        if re.search(r"[:：]{3}|\{", content))
        assert refusal.message.startswith(f"tekster/x.md:{line}: "), refusal.message
        return
    assert "HEMMELIGT" not in text.upper() and "Synlig" in text.replace("\\", ""), text
    internal = View("internal").text(f"{markdown}\n", "tekster/x.md")
    assert "HEMMELIGT" in internal  # an internal render keeps it


def test_a_text_that_stops_pandoc_while_its_passages_are_cut_is_named(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from copi_cli.rendering import conversion

    monkeypatch.setattr(conversion, "SECONDS", 2)
    with pytest.raises(conversion.ConversionStopped) as stopped:  # polynomial in [a](
        View("public").text("::: fortroligt\nx\n:::\n\n" + "[a](" * 2000, "tekster/x.md")
    assert stopped.value.message.startswith("tekster/x.md: pandoc was stopped")


def test_an_ordinary_passage_with_braces_or_fences_is_not_refused() -> None:
    view = View("public")
    text = view.text("Priser {ekskl. moms} behandles fortroligt.\n\n::: note\nSe bilag.\n:::\n"
                     "\n[rød]{.fremhævet} tekst\n", "tekster/x.md")
    assert "fortroligt" in text and "Se bilag" in text


# --- the parts ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("written", "read"), [
    ("*Louise* Bach", ["louise", "bach"]),
    ("Lou\u00adi\u200bse\u00a0Bach", ["louise", "bach"]),
    (unicodedata.normalize("NFD", "Åse"), ["åse"]),
    ("loba＠aarhus.example", ["loba", "aarhus", "example"]),
    ("1.000 kr.", ["1000", "kr"]),
    ("loba&#64;aarhus&#46;example", ["loba", "aarhus", "example"]),
])
def test_words_are_what_a_reader_reads(written: str, read: list[str]) -> None:
    assert words(written) == read


@pytest.mark.parametrize(("name", "forms"), [
    ("Silkeborg Kommune", ["Silkeborg"]),
    ("TrygStep A/S", ["TrygStep"]),
    ("Region Midtjylland", ["Midtjylland"]),
    ("Københavns Kommune", ["Københavns", "København"]),
    ("VIA University College", []),
])
def test_an_organisation_has_short_names(name: str, forms: list[str]) -> None:
    found = name_forms(name)
    assert found[0] == name and f"{name}s" in found  # Silkeborg Kommunes
    assert set(forms) <= set(found)
    assert len(found) == 2 * len({name, *forms})



@pytest.mark.parametrize("written", [
    "Søren Kjærgaard Østergaard", "Soren Kjaergaard Ostergaard", "Soeren Kjaergaard Oestergaard",
    "Søren Østergaard", "Østergaard, Søren", "Søren K. Østergaard", "S. Østergaard",
    "Østergaard, S."])
def test_a_persons_name_is_found_as_people_shorten_and_spell_it(written: str) -> None:
    guard = Guard(set(), people=["Søren Kjærgaard Østergaard"])
    assert guard.leaks(f"Spørg {written} om tallene") == ["Søren Kjærgaard Østergaard"]


def test_a_public_person_is_excused_in_every_form() -> None:
    guard = Guard(set(), people=["Louise Bach"])
    guard.allow([], ["Louise Bach"])
    assert guard.leaks("L. Bach og Louise M. Bach") == []


# --- what a needle is, and where it came from (issue 20) ----------------------------------------

@pytest.mark.parametrize(("identity", "parts"), [
    ("Mette Kjær, CO-PI", ["Mette Kjær", "CO-PI"]),
    ("Louise Bach (Aarhus Kommune)", ["Louise Bach", "Aarhus Kommune"]),
    ("Jonas Holm - Sensa Care", ["Jonas Holm", "Sensa Care"]),
    ("Åse Søndergård", ["Åse Søndergård"]),
    ("Jens-Ole Hansen", ["Jens-Ole Hansen"]),
])
def test_an_identity_is_judged_by_its_parts(identity: str, parts: list[str]) -> None:
    assert identity_parts(identity) == parts


def _public_view(**records: dict) -> View:
    view = View("public")
    for path, (kind, data) in records.items():
        view.record(kind, data, path)
    return view


def test_personal_data_is_remembered_with_its_record_and_field() -> None:
    view = _public_view(owner=("organisation", {
        "id": "x", "name": "X Kommune", "contacts": [
            {"name": "Anne Hansen", "title": "Klimachef", "email": "anha@x.example"},
            {"name": "Peter Borg", "title": "Borgmester", "public": True}]}))
    assert view.sensitive["anha@x.example"] == Origin("owner", ("contacts", 0, "email"),
                                                      "personal")
    assert "Klimachef" not in view.sensitive and "Klimachef" in view.cut  # no person's data
    assert view.people.keys() == {"Anne Hansen", "Peter Borg"}
    assert view.public_people == {"Peter Borg", "Borgmester"}
    assert Origin("owner", ("contacts", 0, "email"), "personal").dotted() == "contacts.email"


def test_a_job_title_alone_is_no_needle_but_a_post_named_in_full_is() -> None:
    view = _public_view(owner=("organisation", {"id": "x", "name": "X", "contacts": [
        {"name": "Anne Hansen", "title": "Klimachef"},
        {"name": "Åse Søndergård", "title": "Teamleder for Digital Velfærd"}]}))
    guard = view.guard()
    assert guard.leaks("Kommunens klimachef glæder sig.") == []
    assert guard.leaks("Teamleder for Digital Velfærd svarer.") == [
        "Teamleder for Digital Velfærd"]


def test_who_answered_is_personal_data_but_not_the_organisation_named_with_them() -> None:
    view = _public_view(answers=("tool-answers", {"answered_by": "Mette Kjær, CO-PI"}),
                        other=("tool-answers", {"answered_by": "Jens Jensen, Aarhus Kommune"}),
                        third=("tool-answers", {"answered_by": "Ib, Rambøll A/S"}),
                        fourth=("tool-answers", {"answered_by": "planlægger hos Anders And"}))
    guard = view.guard()
    guard.allow([], ["Mette Kjær", "CO-PI"])
    assert guard.leaks("Kontakt: Mette Kjær, CO-PI. Aarhus Kommune og Rambøll A/S er med.") \
        == []
    assert guard.leaks("Spørg J. Jensen") == ["Jens Jensen"]
    # no part is a name as people write one: the whole is the needle, as it is written
    assert guard.leaks("Ib og Rambøll A/S") == []
    assert guard.leaks("en planlægger hos Anders And") == ["planlægger hos Anders And"]
    assert guard.findings("Spørg Jens Jensen")[0].origin == Origin("other", ("answered_by",),
                                                                     "personal")


def test_a_needle_is_shown_as_its_source_writes_it() -> None:
    guard = Guard({"Leverandøren præsenterede en radarbaseret sensor. Forretningshemmeligheder "
                   "om prissætning er ikke referatført.": Origin("m.yaml", ("notes",),
                                                                 "confidential")},
                  sensitive=["Loba@Aarhus.example"])
    assert guard.leaks("skriv til loba@aarhus.example") == ["Loba@Aarhus.example"]
    found = guard.findings("Vi ved at forretningshemmeligheder om prissætning er svære")
    assert [needle.written() for needle in found] == [
        "Forretningshemmeligheder om prissætning er ikke referatført."]


def test_a_passage_the_public_may_read_anyway_is_excused_but_never_by_its_own_text() -> None:
    guard = Guard(["Hvert år falder hver tredje borger over 65 år i eget hjem."],
                  sensitive=["loba@aarhus.example"])
    guard.wording = lambda: (["Parterne forventer samlet at købe"],
                             {"tekster/a.md": "Hvert år falder hver tredje borger over 65 år "
                                              "i eget hjem. Skriv til loba@aarhus.example"})
    text = "Hvert år falder hver tredje borger over 65 år i eget hjem."
    assert guard.findings(text)  # asked as it is, nothing is excused
    assert guard.findings(text, besides="tekster/b.md") == []
    assert guard.findings(text, besides="tekster/a.md")  # its own text excuses nothing
    assert guard.leaks("loba@aarhus.example") == ["loba@aarhus.example"]
    assert [n.shown for n in guard.findings("loba@aarhus.example", besides="")] == [
        "loba@aarhus.example"]  # personal data: never excused by a text


# --- what excuses a cut passage: only what the public has seen (issue 20, point 6) -------------

def _append(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.write_text(path.read_text(encoding="utf-8") + f"\n{text}\n", encoding="utf-8")


@pytest.mark.parametrize("passage", [
    "Leverandøren præsenterede en radarbaseret sensor.",  # a confidential meeting's minutes
    "Horsens' udtræk viser navngivne borgere med gentagne fald",  # a confidential insight
])
def test_two_texts_holding_the_same_cut_passage_do_not_vouch_for_each_other(
        copi, example_repo: Path, passage: str) -> None:
    for rel in ("tekster/pressemeddelelse.md", "tekster/behovsformidling.md"):
        _append(example_repo, rel, passage)
    for document in ("press-release", "needs-communication"):
        result = copi("render", document, "--format", "md", cwd=example_repo)
        assert result.code == 1 and "confidential material" in result.err, (document,
                                                                             result.err)
    assert not (example_repo / "build").exists()


def test_a_published_text_excuses_the_passage_it_was_published_with(
        copi, example_repo: Path) -> None:
    from conftest import git, publish

    quoted = "Andre kommuner og regioner med samme udfordring inviteres til at være med"
    _append(example_repo, "tekster/behovsformidling.md", f"{quoted}.")
    meeting = example_repo / "moeder/2026-09-24-sensa-care.yaml"
    meeting.write_text(meeting.read_text(encoding="utf-8").replace(
        "notes: Leverandøren", f"notes: {quoted}. Leverandøren"), encoding="utf-8")
    # the press release says it too, but only written: the public has not seen it
    assert copi("render", "needs-communication", "--format", "md",
                cwd=example_repo).code == 1
    git(example_repo, "stash", "-q")
    publish(example_repo, "press-release")
    git(example_repo, "stash", "pop", "-q")
    result = copi("render", "needs-communication", "--format", "md", cwd=example_repo)
    assert result.code == 0, result.err
    # what the published text says now, not as it was published, excuses nothing
    for rel in ("tekster/pressemeddelelse.md", "tekster/behovsformidling.md"):
        _append(example_repo, rel, "Leverandøren præsenterede en radarbaseret sensor.")
    result = copi("render", "needs-communication", "--format", "md", cwd=example_repo)
    assert result.code == 1 and "radarbaseret" in result.err


def _edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_contacts_phone_number_is_not_excused_by_a_record_that_repeats_it(
        copi, example_repo: Path) -> None:
    _edit(example_repo, "organisationer/aarhus-kommune.yaml", "    email: loba@aarhus.example",
          "    email: loba@aarhus.example\n    phone: \"+45 21 43 65 87\"")
    _edit(example_repo, "moeder/2026-09-29-trygstep.yaml",
          "topics: [Gulvsensorer, Installation i ældreboliger]",
          "topics: [Gulvsensorer, \"Ring til 21 43 65 87\"]")
    _append(example_repo, "tekster/pressemeddelelse.md", "Louise kan træffes på tlf. 21436587.")
    for document in ("press-release", "market-dialogue-report"):
        result = copi("render", document, "--format", "md", cwd=example_repo)
        assert result.code == 1 and "+45 21 43 65 87" in result.err, (document, result.err)
        assert "aarhus-kommune.yaml" in result.err
    assert not (example_repo / "build").exists()


def test_a_phone_number_is_excused_by_the_public_contact_not_by_a_record() -> None:
    guard = Guard({"+45 21 43 65 87": None, "70 20 30 40": None},
                  sensitive=["+45 21 43 65 87"])
    guard.allow(["Ring til 21 43 65 87", "Omstilling 70 20 30 40"], ["Mette Kjær"])
    assert guard.leaks("tlf. 21436587 eller 70203040") == ["+45 21 43 65 87"]
    guard = Guard(set(), sensitive=["+45 21 43 65 87"])
    guard.allow([], ["kontakt@co-pi.example, tlf. 21 43 65 87"])
    assert guard.leaks("tlf. 21436587") == []


def test_an_organisation_whose_name_holds_a_contacts_does_not_name_them_publicly(
        copi, example_repo: Path) -> None:
    _edit(example_repo, "leverandoerer/hjemmets-lys.yaml", "name: Hjemmets Lys ApS",
          "name: Louise Bach Consult")
    _append(example_repo, "tekster/pressemeddelelse.md",
            "Spørgsmål kan rettes til Louise Bach.")
    result = copi("render", "press-release", "--format", "md", cwd=example_repo)
    assert result.code == 1 and '"Louise Bach"' in result.err, result.err
    assert not (example_repo / "build").exists()


def test_a_person_is_excused_only_by_a_public_identity_naming_them_whole() -> None:
    guard = Guard(set(), people=["Louise Bach"])
    guard.allow([], ["Louise Bach Consult", "Aarhus Kommune"])
    assert guard.leaks("Spørg Louise Bach") == ["Louise Bach"]
    guard = Guard(set(), people=["Louise Bach"])
    guard.allow([], ["Louise Bach, Aarhus Kommune"])
    assert guard.leaks("Spørg Louise Bach") == []


@pytest.mark.parametrize("fmt", ["md", "pdf"])
def test_a_leak_from_the_brands_organisation_is_hinted_at_brand_yaml(
        copi, example_repo: Path, fmt: str) -> None:
    _edit(example_repo, "brand.yaml", "organisation: CO-PI", "organisation: Horsens Kommune")
    _append(example_repo, "organisationer/horsens-kommune.yaml", "confidential: true")
    result = copi("render", "press-release", "--format", fmt, cwd=example_repo)
    assert result.code == 1 and '"Horsens Kommune"' in result.err, result.err
    hint = result.err.split("hint:", 1)[1]
    assert "it comes from brand.yaml:4 organisation:" in hint, hint
    assert "tekster/" not in hint and "arrangementer/" not in hint, hint


def test_a_publication_naming_a_commit_beside_the_branch_excuses_nothing(
        copi, example_repo: Path) -> None:
    from conftest import commit_all, git, load

    passage = "Leverandøren præsenterede en radarbaseret sensor."
    for rel in ("tekster/pressemeddelelse.md", "tekster/behovsformidling.md"):
        _append(example_repo, rel, passage)
    git(example_repo, "add", "-A")
    tree = git(example_repo, "write-tree").strip()
    forged = git(example_repo, "commit-tree", tree, "-p", "HEAD", "-m", "beside").strip()
    (example_repo / "publikationer.yaml").write_text(
        "publications:\n  - document: press-release\n    date: \"2026-10-01\"\n"
        f"    language: da\n    commit: {forged}\n    copi_version: \"0\"\n"
        "    files: [{name: pressemeddelelse.md, format: md, sha256: "
        f"\"{'0' * 64}\"}}]\n", encoding="utf-8")
    assert load(example_repo, "publikationer.yaml")["publications"][0]["commit"] == forged
    commit_all(example_repo, "tekster og en publikation")
    result = copi("render", "needs-communication", "--format", "md", cwd=example_repo)
    assert result.code == 1 and "radarbaseret" in result.err, result.err


# --- review of issue 21: a withheld name is never excused by text that repeats it -------------

_HIDDEN_SUPPLIER = ("id: skjult\nname: Hemmelig Sensorfabrik ApS\ncvr: \"33709137\"\n"
                    "confidential: true\nproducts: [NatVagt]\n")


@pytest.mark.parametrize("said", ["NatVagt fra Hemmelig Sensorfabrik", "NatVagt",
                                  "Hemmelig Sensorfabrik"])
def test_a_withheld_supplier_and_its_product_are_not_excused_by_a_need_repeating_them(
        copi, example_repo: Path, said: str) -> None:
    """A confidential supplier's short name (its name without ApS) and its products are
    needles, and the need that repeats them excuses neither itself nor another document."""
    (example_repo / "leverandoerer" / "skjult.yaml").write_text(_HIDDEN_SUPPLIER,
                                                                 encoding="utf-8")
    _edit(example_repo, "udforskning/behov.yaml", "uden at privatlivet krænkes.",
          f"uden at privatlivet krænkes, som med {said}.")
    _append(example_repo, "tekster/pressemeddelelse-lancering.md",
            f"Løsningen {said} er allerede afprøvet.")
    result = copi("render", "needs-communication", "launch-press-release", "--format", "md,pdf",
                  cwd=example_repo)
    assert result.code == 1, result.err
    assert result.err.count("confidential material") == 2, result.err
    assert "leverandoerer/skjult.yaml" in result.err
    assert not list((example_repo / "build").glob("*")) if (example_repo / "build").exists() \
        else True


def test_a_withheld_name_is_excused_by_a_public_identity_sharing_its_words() -> None:
    """What excusing is for: the town Silkeborg where a workshop was held, a public body whose
    name holds the words — not a record's text that merely repeats them."""
    view = View("public")
    view.withhold_name("Silkeborg Kommune", "silkeborg-kommune", "organisationer/s.yaml")
    view.withhold_name("Hemmelig Sensorfabrik ApS", "skjult", "leverandoerer/skjult.yaml",
                       products=["NatVagt"])
    guard = view.guard()
    guard.allow(["Workshop i Silkeborg", "som med NatVagt fra Hemmelig Sensorfabrik"],
                ["Aarhus Kommune"], ["Silkeborg"])
    assert guard.leaks("Workshoppen blev holdt i Silkeborg.") == []
    assert guard.leaks("Som med NatVagt fra Hemmelig Sensorfabrik.") == [
        "Hemmelig Sensorfabrik", "NatVagt"]
    guard = view.guard()
    guard.allow([], ["Hemmelig Sensorfabrik Holding"])  # a public body sharing the words
    assert guard.leaks("Hemmelig Sensorfabrik") == []


def test_a_signer_is_withheld_with_the_organisation_s_name(copi, example_repo: Path) -> None:
    """Torben Hansen, Borgmester names Randers Kommune as surely as its name: withheld in the
    launch press release, the declaration and the signature sheet, and looked for."""
    from conftest import commit_all, to_phase_6

    _edit(example_repo, "organisationer/randers-kommune.yaml", "id: randers-kommune",
          "id: randers-kommune\nconfidential: [name]")
    commit_all(example_repo, "Randers' name withheld")
    to_phase_6(copi, example_repo)  # the declaration is signed in phase 6
    assert copi("sign", "randers-kommune", "--signer", "Torben Hansen", "--title",
                "Borgmester", "--date", "2026-12-01", cwd=example_repo).code == 0
    documents = {"launch-press-release": "pressemeddelelse-lancering",
                 "declaration": "hensigtserklaering", "signature-sheet": "underskriftsark"}
    result = copi("render", *documents, "--format", "md", cwd=example_repo)
    assert result.code == 0, result.err
    for name in documents.values():
        shown = (example_repo / "build" / f"{name}.md").read_text(encoding="utf-8")
        assert "Torben" not in shown and "Borgmester" not in shown, name
        assert "Randers" not in shown, name
    _append(example_repo, "tekster/pressemeddelelse-lancering.md",
            "Borgmester Torben Hansen glæder sig.")
    result = copi("render", "launch-press-release", "--format", "md", cwd=example_repo)
    assert result.code == 1 and "Torben Hansen" in result.err, result.err


@pytest.mark.parametrize(("rel", "old", "new", "document"), [
    ("udforskning/behov.yaml", "    kind: choice\n    text: Fald",
     "    kind: choice\n    confidential: [text]\n    text: Fald", "needs-communication"),
    ("ordliste.yaml", "  - name: HL7 FHIR\n", "  - name: HL7 FHIR\n    confidential: [use]\n",
     "needs-communication"),
    ("ordliste.yaml", "  - term: Fald\n", "  - term: Fald\n    confidential: [definition]\n",
     "needs-communication"),
    ("ordliste.yaml", "  - term: Fald\n", "  - term: Fald\n    confidential: [term]\n",
     "needs-communication"),
])
def test_a_withheld_field_of_a_list_item_reads_as_withheld(
        copi, example_repo: Path, rel: str, old: str, new: str, document: str) -> None:
    _edit(example_repo, rel, old, new)
    result = copi("render", document, "--format", "md", cwd=example_repo)
    assert result.code == 0, result.err
    shown = (example_repo / "build" / "behovsformidling.md").read_text(encoding="utf-8")
    assert "(ikke offentligt)" in shown
