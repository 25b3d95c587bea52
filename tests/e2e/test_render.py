"""copi render end to end: the real pandoc and typst, every output read back.

PDF text is extracted with pypdf, DOCX unzipped and its XML parsed, HTML parsed. The example is
rendered once per audience and language (module fixtures) and the outputs shared by the tests
that only read them; tests that change the process work on their own copy.
"""

from __future__ import annotations

import re
import shutil
import unicodedata
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pytest
import yaml
from pypdf import PdfReader

from conftest import EXAMPLE, git

FORMATS = ("pdf", "docx", "html", "md")
DOCUMENTS = ("problembeskrivelse", "pressemeddelelse", "invitation", "behovsudforskning",
             "markedsdialog", "behovsformidling", "potentialeberegning", "hensigtserklaering",
             "underskriftsark", "pressemeddelelse-lancering", "statusrapport")
NEED_OWNERS = ("Aarhus Kommune", "Horsens Kommune", "Randers Kommune", "Region Midtjylland",
               "Silkeborg Kommune", "Skanderborg Kommune", "Viborg Kommune")


class _Html(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def html_of(path: Path) -> _Html:
    parser = _Html()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        root = ElementTree.fromstring(archive.read("word/document.xml"))
    namespace = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    return " ".join(node.text or "" for node in root.iter(f"{namespace}t"))


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def readable(path: Path) -> str:
    """The text a reader sees, whitespace and line-end hyphenation undone."""
    if path.suffix == ".pdf":
        text = pdf_text(path)
    elif path.suffix == ".docx":
        text = docx_text(path)
    elif path.suffix == ".html":
        text = " ".join(html_of(path).text)
    else:
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text.replace("**", "").replace("*", ""))
    text = re.sub(r"-\s*\n\s*", "", text)
    return " ".join(text.split())


def render_example(tmp: Path, *args: str) -> Path:
    """The example copied and rendered with the installed copi (a real process)."""
    import subprocess

    from conftest import copi_executable

    root = tmp / "faerre-fald"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("build"))
    done = subprocess.run([*copi_executable(), "render", "all", "--format", ",".join(FORMATS),
                           *args], cwd=root, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return root / "build"


@pytest.fixture(scope="module")
def public(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render_example(tmp_path_factory.mktemp("public"))


@pytest.fixture(scope="module")
def internal(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render_example(tmp_path_factory.mktemp("internal"), "--audience", "internal")


@pytest.fixture(scope="module")
def english(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render_example(tmp_path_factory.mktemp("english"), "--lang", "en")


@pytest.fixture
def process(tmp_path: Path) -> Path:
    root = tmp_path / "faerre-fald"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("build"))
    return root


# --- every document, every format ------------------------------------------------------------

def test_every_document_renders_in_every_format(public: Path) -> None:
    assert sorted(p.name for p in public.iterdir()) == sorted(
        f"{name}.{fmt}" for name in DOCUMENTS for fmt in FORMATS)


@pytest.mark.parametrize("name", DOCUMENTS)
def test_pdf_is_a4_with_the_need_owners_and_danish_letters(public: Path, name: str) -> None:
    reader = PdfReader(public / f"{name}.pdf")
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    text = readable(public / f"{name}.pdf")
    assert any(owner in text for owner in NEED_OWNERS), text[:300]
    assert {"æ", "ø", "å"} <= set(text)


@pytest.mark.parametrize("name", DOCUMENTS)
def test_docx_is_word_xml_with_the_document(public: Path, name: str) -> None:
    text = docx_text(public / f"{name}.docx")
    assert any(owner in text for owner in NEED_OWNERS)
    assert {"æ", "ø", "å"} <= set(text)


@pytest.mark.parametrize("name", DOCUMENTS)
def test_html_is_one_self_contained_page(public: Path, name: str) -> None:
    page = html_of(public / f"{name}.html")
    tags = [tag for tag, _ in page.tags]
    assert tags[0] == "html" and dict(page.tags[0][1])["lang"] == "da"
    assert "title" in tags and "h1" in tags
    assert "script" not in tags
    assert not [a for tag, a in page.tags if tag in ("link", "img", "script")
                and not str(a.get("src", a.get("href", "data:"))).startswith("data:")]


def test_markdown_carries_its_title(public: Path) -> None:
    text = (public / "hensigtserklaering.md").read_text(encoding="utf-8")
    front = yaml.safe_load(text.split("---")[1])
    assert front["title"].startswith("Fælles hensigtserklæring")
    assert front["lang"] == "da"


def test_the_declaration_has_every_part_and_a_block_per_signatory(public: Path) -> None:
    text = readable(public / "hensigtserklaering.pdf")
    for part in ("Parter", "Den fælles udfordring", "Fælles ambition", "Forpligtelser", "Midler",
                 "Erklæringens karakter", "ikke en forpligtelse til at købe",
                 "Åben for tiltrædelse", "Opfølgning", "Underskrifter"):
        assert part in text, part
    assert text.count("Underskrift:") == len(NEED_OWNERS)
    # the preamble quantifies the potential as Danish letters write it
    assert re.search(r"for i alt ca\. \d+,\d mio\. kr\.", text), text


def test_documents_of_later_phases_are_marked_drafts(public: Path) -> None:
    assert "UDKAST" in readable(public / "hensigtserklaering.pdf")  # phase 6, text a draft
    assert "Udkast." in readable(public / "hensigtserklaering.docx")
    assert "UDKAST" not in readable(public / "problembeskrivelse.pdf")  # phase 1, text final
    html = (public / "behovsformidling.html").read_text(encoding="utf-8")
    assert 'class="draft"' in html


def test_the_brand_logo_and_colour_are_applied(public: Path) -> None:
    reader = PdfReader(public / "problembeskrivelse.pdf")
    assert reader.pages[0].images  # the logo in the header
    html = (public / "problembeskrivelse.html").read_text(encoding="utf-8")
    assert '<img src="data:image/png;base64,' in html
    assert "--primary: #1f4e79" in html


def test_english_documents(english: Path) -> None:
    text = readable(english / "declaration-of-intent.pdf")
    for part in ("Parties", "The shared challenge", "Signatures", "DRAFT"):
        assert part in text
    assert re.search(r"about DKK \d+\.\d million", text), text
    assert re.search(r"\d{1,2} (January|February|March|April|May|June|July|August|September|"
                     r"October|November|December) \d{4}", text)
    assert (english / "needs-communication.docx").exists()


# --- audiences -------------------------------------------------------------------------------

def _confidential_strings() -> list[str]:
    """What the example marks confidential or holds as personal data, read from its files."""
    found: set[str] = set()

    def texts(value: object) -> list[str]:
        if isinstance(value, str):
            return [value]
        if isinstance(value, dict):
            return [t for v in value.values() for t in texts(v)]
        if isinstance(value, list):
            return [t for v in value for t in texts(v)]
        return []

    for path in EXAMPLE.rglob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if data.get("confidential") is True and "notes" in data:
            found.add(data["notes"])
        for key in ("business_secrets", "note"):
            if isinstance(data.get(key), str):
                found.add(data[key])
        for contact in data.get("contacts", []):
            found.update(texts(contact))
        for item in data.get("insights", []):
            if item.get("confidential") is True:
                found.update(t for t in texts(item) if len(t) > 25)
        if "facilitator" in data:
            found.add(data["facilitator"]["email"])
    text = (EXAMPLE / "tekster" / "behovsformidling.md").read_text(encoding="utf-8")
    found.update(re.findall(r"::: fortroligt\n(.*?)\n", text))
    return sorted(t for t in found if len(t) >= 8 and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", t))


def _fragments(text: str) -> list[str]:
    """Pieces short enough to survive a PDF's line breaks, long enough to be unmistakable."""
    words = " ".join(text.split())
    if "@" in words or len(words) <= 40:
        return [words]
    return [words[i:i + 30] for i in range(0, len(words) - 30, 30)]


def test_public_documents_hold_nothing_confidential_and_no_personal_data(
        public: Path, internal: Path) -> None:
    secrets = _confidential_strings()
    assert any("@" in s for s in secrets) and any("Prisniveau" in s for s in secrets)
    assert any("budgetforhandlingerne" in s for s in secrets)
    for path in sorted(public.iterdir()):
        if path.stem == "statusrapport":  # internal by nature, rendered for the partnership
            continue
        text = readable(path)
        for secret in secrets:
            for fragment in _fragments(secret):
                assert fragment not in text, f"{path.name} contains {fragment!r}"
        # the only address a public document shows is the facilitator's public contact
        assert set(re.findall(r"[\w.-]+@[\w-]+\.example", text)) <= {"kontakt@co-pi.example"}, \
            path.name
    # the same check finds them in the internal documents: it can fail
    internal_text = " ".join(readable(p) for p in internal.iterdir() if p.suffix == ".md")
    assert "jh@sensa-care.example" in internal_text
    assert "Prisniveau ved over 1.000 enheder" in internal_text


def test_internal_documents_mark_what_is_restricted(internal: Path) -> None:
    text = readable(internal / "markedsdialog-intern.md")
    assert "[FORTROLIGT]" in text and "[PERSONDATA]" in text
    assert "[FORRETNINGSHEMMELIGHED] Prisniveau" in text
    assert "spurgt af [INTERN] Sensa Care ApS" in text  # the asker of a question, marked
    assert "INTERNT" in readable(internal / "markedsdialog-intern.pdf")
    needs = readable(internal / "behovsformidling-intern.md")
    assert "[Fortroligt]" in needs and "budgetforhandlingerne" in needs
    assert (internal / "statusrapport.pdf").exists()  # internal by nature: no suffix


def test_a_pasted_e_mail_stops_the_public_render_and_nothing_is_written(
        copi, process: Path) -> None:
    text = process / "tekster" / "pressemeddelelse.md"
    text.write_text(text.read_text(encoding="utf-8") + "\nSkriv til jh@sensa-care.example.\n",
                    encoding="utf-8")
    result = copi("render", "press-release", "--format", "pdf,md", cwd=process)
    assert result.code == 1
    assert "personal data" in result.err and "jh@sensa-care.example" in result.err
    assert "tekster/pressemeddelelse.md" in result.err
    assert not (process / "build").exists()
    assert copi("render", "press-release", "--audience", "internal", "-f", "md",
                cwd=process).code == 0


def test_a_confidential_text_is_not_rendered_for_the_public(copi, process: Path) -> None:
    text = process / "tekster" / "problembeskrivelse.md"
    text.write_text(text.read_text(encoding="utf-8").replace(
        "status: final", "status: final\nconfidential: true", 1), encoding="utf-8")
    result = copi("render", "problem-description", cwd=process)
    assert result.code == 1 and "marked confidential" in result.err


def test_an_internal_document_cannot_be_rendered_for_the_public(copi, process: Path) -> None:
    result = copi("render", "status-report", "--audience", "public", cwd=process)
    assert result.code == 2 and "internal document" in result.err


# --- safety: sandbox, paths, raw markup ------------------------------------------------------

def test_a_missing_field_names_the_template_line(copi, process: Path) -> None:
    (process / "templates").mkdir()
    (process / "templates" / "press-release.md.j2").write_text(
        "Første linje\n\n{{ process.budget }}\n", encoding="utf-8")
    result = copi("render", "press-release", "-f", "md", cwd=process)
    assert result.code == 1
    assert re.search(r"templates/press-release\.md\.j2:3: .*'budget'", result.err), result.err
    assert "Traceback" not in result.err


def test_a_process_template_replaces_copis_own(copi, process: Path) -> None:
    (process / "templates").mkdir()
    (process / "templates" / "press-release.md.j2").write_text(
        "Lokal skabelon for {{ process.title }} med *{{ need_owners | length }}* behovsejere.\n",
        encoding="utf-8")
    assert copi("render", "press-release", "-f", "md,docx", cwd=process).code == 0
    text = readable(process / "build" / "pressemeddelelse.md")
    assert "Lokal skabelon for Sammen om færre fald i eget hjem med 7 behovsejere" in text
    assert "Lokal skabelon" in docx_text(process / "build" / "pressemeddelelse.docx")


@pytest.mark.parametrize("expression", ["{{ ''.__class__.__mro__ }}",
                                        "{{ cycler.__init__.__globals__ }}",
                                        "{{ process.__class__ }}"])
def test_templates_cannot_reach_python(copi, process: Path, expression: str) -> None:
    (process / "templates").mkdir()
    (process / "templates" / "press-release.md.j2").write_text(expression + "\n",
                                                               encoding="utf-8")
    result = copi("render", "press-release", "-f", "md", cwd=process)
    assert result.code == 1 and "Traceback" not in result.err
    assert not (process / "build").exists()


def test_a_template_symlinked_out_of_the_process_is_refused(copi, process: Path,
                                                             tmp_path: Path) -> None:
    outside = tmp_path / "outside.md.j2"
    outside.write_text("hemmeligt\n", encoding="utf-8")
    (process / "templates").mkdir()
    (process / "templates" / "press-release.md.j2").symlink_to(outside)
    result = copi("render", "press-release", "-f", "md", cwd=process)
    assert result.code == 1
    assert "templates/press-release.md.j2 is a symbolic link" in result.err, result.err


@pytest.mark.parametrize("image", ["/etc/passwd", "../../../../../../etc/hostname",
                                   "https://example.org/x.png",
                                   "materialer/aarhus-direktionsnotat.pdf"])
def test_pictures_must_be_picture_files_inside_the_process(copi, process: Path,
                                                            image: str) -> None:
    text = process / "tekster" / "problembeskrivelse.md"
    text.write_text(text.read_text(encoding="utf-8") + f"\n![figur]({image})\n",
                    encoding="utf-8")
    result = copi("render", "problem-description", "-f", "docx", cwd=process)
    assert result.code == 1 and "inside the process directory" in result.err
    assert not (process / "build").exists()


def test_a_picture_inside_the_process_is_embedded_in_every_format(copi, process: Path) -> None:
    import typst

    figure = typst.compile(b"#set page(width: 4cm, height: 2cm)\n#rect(fill: red)",
                           format="png", ignore_system_fonts=True)
    (process / "materialer" / "figur.png").write_bytes(figure)
    text = process / "tekster" / "problembeskrivelse.md"
    text.write_text(text.read_text(encoding="utf-8") + "\n![Figur](materialer/figur.png)\n",
                    encoding="utf-8")
    assert copi("render", "problem-description", "-f", "pdf,docx,html", cwd=process).code == 0
    build = process / "build"
    with zipfile.ZipFile(build / "problembeskrivelse.docx") as archive:
        assert any(name.startswith("word/media/") for name in archive.namelist())
    assert len(PdfReader(build / "problembeskrivelse.pdf").pages[0].images) >= 2
    html = (build / "problembeskrivelse.html").read_text(encoding="utf-8")
    assert html.count("data:image/png;base64,") >= 2


def test_raw_html_in_a_text_stays_text(copi, process: Path) -> None:
    text = process / "tekster" / "problembeskrivelse.md"
    text.write_text(text.read_text(encoding="utf-8")
                    + "\n<script>alert(1)</script> <img src=x onerror=alert(2)>\n",
                    encoding="utf-8")
    assert copi("render", "problem-description", "-f", "html", cwd=process).code == 0
    page = html_of(process / "build" / "problembeskrivelse.html")
    assert not [tag for tag, attrs in page.tags if tag == "script" or "onerror" in attrs]
    assert "<script>alert(1)</script>" in " ".join(page.text)


def test_record_values_are_text_not_markdown(copi, process: Path) -> None:
    supplier = process / "leverandoerer" / "hjemmets-lys.yaml"
    supplier.write_text(supplier.read_text(encoding="utf-8").replace(
        "name: Hjemmets Lys ApS", "name: \"Lys *ApS* <b>x</b> [link](javascript:alert(1))\"",
        1), encoding="utf-8")
    assert copi("render", "market-dialogue-report", "-f", "html", cwd=process).code == 0
    page = html_of(process / "build" / "markedsdialog.html")
    assert "Lys *ApS* <b>x</b> [link](javascript:alert(1))" in " ".join(page.text)
    assert not [a for tag, a in page.tags if tag in ("a", "b", "em")
                and "javascript" in str(a.get("href", ""))]


# --- all or nothing, refusals ----------------------------------------------------------------

def test_a_failing_document_leaves_the_output_folder_as_it_was(copi, process: Path) -> None:
    build = process / "build"
    build.mkdir()
    (build / "hensigtserklaering.pdf").write_bytes(b"earlier version")
    (process / "templates").mkdir()
    (process / "templates" / "signature-sheet.md.j2").write_text("{{ nothing.here }}\n",
                                                                  encoding="utf-8")
    result = copi("render", "all", "-f", "pdf,md", cwd=process)
    assert result.code == 1
    assert sorted(p.name for p in build.iterdir()) == ["hensigtserklaering.pdf"]
    assert (build / "hensigtserklaering.pdf").read_bytes() == b"earlier version"


def test_a_leak_in_the_last_document_leaves_it_out_and_no_temporary_files(
        copi, process: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The documents before it were converting while it was prepared: they are written, it
    is not, and nothing is left behind."""
    import tempfile

    from copi_cli.rendering import pipeline

    build = process / "build"
    build.mkdir()
    (build / "problembeskrivelse.pdf").write_bytes(b"earlier version")
    (process / "templates").mkdir()
    (process / "templates" / "signature-sheet.md.j2").write_text(
        "Skriv til jh@sensa-care.example.\n", encoding="utf-8")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    converted: list[str] = []
    convert_one = pipeline._convert_one

    def recorded(prepared: pipeline.Prepared, fmt: str, root: Path) -> tuple[bytes, str]:
        converted.append(prepared.document.id)
        return convert_one(prepared, fmt, root)

    monkeypatch.setattr(pipeline, "_convert_one", recorded)
    result = copi("render", "all", "-f", "pdf,md", cwd=process)
    assert result.code == 1
    assert "signature-sheet" in result.err and "jh@sensa-care.example" in result.err
    assert "problem-description" in converted
    written = sorted(p.name for p in build.iterdir())
    assert "problembeskrivelse.md" in written and not any(
        name.startswith("underskriftsark") or name.startswith(".") for name in written)
    assert (build / "problembeskrivelse.pdf").read_bytes().startswith(b"%PDF")
    assert list(scratch.iterdir()) == []


def test_an_invalid_process_is_refused_with_its_findings(copi, process: Path) -> None:
    owner = process / "organisationer" / "horsens-kommune.yaml"
    owner.write_text(owner.read_text(encoding="utf-8").replace("joined:", "jioned:", 1),
                     encoding="utf-8")
    result = copi("render", "declaration", cwd=process)
    assert result.code == 1
    assert "organisationer/horsens-kommune.yaml:" in result.out and "S001" in result.out
    assert "validation error" in result.err
    assert not (process / "build").exists()


@pytest.mark.parametrize("args, message", [
    ((), "name the documents"),
    (("nope",), "no document 'nope'"),
    (("declaration", "--format", "pdf,xyz"), "unknown format 'xyz'"),
    (("declaration", "--audience", "everyone"), "unknown audience"),
    (("declaration", "--lang", "de"), "unknown language"),
])
def test_usage_mistakes(copi, process: Path, args: tuple, message: str) -> None:
    result = copi("render", *args, cwd=process)
    assert result.code == 2 and message in result.err


def test_render_list_and_a_new_process(copi, tmp_path: Path) -> None:
    listing = copi("render", "--list")
    assert listing.code == 0 and "declaration" in listing.out and "internal" in listing.out
    assert copi("init", "ny-proces", "--title", "Ny proces", "--owner", "Aarhus Kommune",
                cwd=tmp_path).code == 0
    result = copi("render", "all", "-f", "md", cwd=tmp_path / "ny-proces")
    assert result.code == 0, result.err
    assert "note: market-dialogue-report: no events recorded yet" in result.err
    # the starter texts are copi's guidance: not for the public until written
    assert ("note: problem-description: tekster/problembeskrivelse.md:10 still holds copi's "
            "starter guidance") in result.err
    built = {p.name for p in (tmp_path / "ny-proces" / "build").iterdir()}
    assert {"underskriftsark.md", "statusrapport.md"} == built


# --- a process's own styles ------------------------------------------------------------------

def test_a_reference_docx_styles_the_word_documents(copi, process: Path) -> None:
    import io
    import subprocess

    from copi_cli.rendering.conversion import pandoc_path

    default = subprocess.run([pandoc_path(), "--print-default-data-file", "reference.docx"],
                             capture_output=True, check=True).stdout
    styled = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(default)) as source, \
            zipfile.ZipFile(styled, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/styles.xml":
                data = data.replace(
                    b"</w:styles>", b'<w:style w:type="paragraph" w:customStyle="1" '
                    b'w:styleId="Signature"><w:name w:val="Signature"/><w:rPr><w:color '
                    b'w:val="AB1234"/></w:rPr></w:style></w:styles>')
            target.writestr(item, data)
    (process / "templates").mkdir()
    (process / "templates" / "reference.docx").write_bytes(styled.getvalue())
    assert copi("render", "declaration", "-f", "docx", cwd=process).code == 0
    with zipfile.ZipFile(process / "build" / "hensigtserklaering.docx") as archive:
        assert b"AB1234" in archive.read("word/styles.xml")
        assert b'w:val="Signature"' in archive.read("word/document.xml")


# --- found by a reviewer trying to break it --------------------------------------------------

def test_a_templates_folder_symlinked_out_of_the_process_is_refused(copi, process: Path) -> None:
    (process / "templates").mkdir()
    (process / "templates" / "da").symlink_to("/")
    (process / "templates" / "press-release.md.j2").write_text('{% include "etc/passwd" %}\n',
                                                               encoding="utf-8")
    result = copi("render", "press-release", "-f", "md", cwd=process)
    assert result.code == 1 and "templates/da is a symbolic link" in result.err, result.err
    assert not (process / "build").exists()


def test_pandoc_attributes_and_script_links_do_not_reach_html_or_word(copi,
                                                                       process: Path) -> None:
    text = process / "tekster" / "problembeskrivelse.md"
    text.write_text(text.read_text(encoding="utf-8") + (
        '\n[klik]{onmouseover="alert(1)"} [x](javascript:alert(2)) [y](vbscript:z) '
        '[god](https://example.org)\n\n::: {onclick="alert(3)" style="position:fixed"}\n'
        'tekst\n:::\n'), encoding="utf-8")
    assert copi("render", "problem-description", "-f", "html,docx", cwd=process).code == 0
    page = html_of(process / "build" / "problembeskrivelse.html")
    attributes = [name for _, attrs in page.tags for name in attrs]
    assert not {"onmouseover", "onclick", "style"} & set(attributes)
    hrefs = [attrs.get("href") for tag, attrs in page.tags if tag == "a"]
    assert hrefs == ["https://example.org"]
    html = (process / "build" / "problembeskrivelse.html").read_text(encoding="utf-8")
    assert "Content-Security-Policy" in html
    with zipfile.ZipFile(process / "build" / "problembeskrivelse.docx") as archive:
        relations = archive.read("word/_rels/document.xml.rels").decode("utf-8")
    assert "javascript:" not in relations and "vbscript:" not in relations


def test_only_web_mail_and_anchor_links_reach_html_word_and_pdf(copi, process: Path) -> None:
    """A UNC path (Word and browsers send the reader's credentials to \\\\host), a file, a
    relative name or a scheme with a tab inside is no link: its text stays, its target goes."""
    _append(process, "tekster/problembeskrivelse.md",
            "\n[b](\\\\evil.example\\share\\x.docx) [c](<\\\\\\\\evil.example\\\\share>) "
            "[d](//evil.example/x) [e](../../../etc/passwd) [f](<java\tscript:alert(1)>) "
            "[g](%5C%5Cevil.example) [h](#problemet) [i](#ingen) [j](https://example.org) "
            "[k](mailto:info@example.org)\n")
    assert copi("render", "problem-description", "-f", "html,docx,pdf", cwd=process).code == 0
    page = html_of(process / "build" / "problembeskrivelse.html")
    hrefs = [attrs.get("href") for tag, attrs in page.tags if tag == "a"]
    assert hrefs == ["#problemet", "https://example.org", "mailto:info@example.org"]
    with zipfile.ZipFile(process / "build" / "problembeskrivelse.docx") as archive:
        relations = archive.read("word/_rels/document.xml.rels").decode("utf-8")
    targets = re.findall(r'Target="([^"]*)" TargetMode="External"', relations)
    assert sorted(targets) == ["https://example.org", "mailto:info@example.org"]
    assert "b c d e f g h i j k" in " ".join(docx_text(
        process / "build" / "problembeskrivelse.docx").split())


def test_a_confidential_organisation_is_named_nowhere_public(copi, process: Path) -> None:
    owner = process / "organisationer" / "viborg-kommune.yaml"
    owner.write_text(owner.read_text(encoding="utf-8") + "confidential: true\n",
                     encoding="utf-8")
    supplier = process / "leverandoerer" / "trygstep.yaml"
    supplier.write_text(supplier.read_text(encoding="utf-8") + "confidential: [name]\n",
                        encoding="utf-8")
    # a record's text that says "Viborg" excuses no short name of a withheld record (review
    # of issue 21): the supplier's pilot "i Viborg" is refused until it is said otherwise
    result = copi("render", "market-dialogue-report", "-f", "md", cwd=process)
    assert result.code == 1 and '"Viborg"' in result.err, result.err
    pilot = process / "leverandoerer" / "hjemmets-lys.yaml"
    pilot.write_text(pilot.read_text(encoding="utf-8").replace(
        "ældreboliger i Viborg", "ældreboliger"), encoding="utf-8")
    assert copi("render", "all", "-f", "md", cwd=process).code == 0
    for path in (process / "build").iterdir():
        if path.stem != "statusrapport":
            assert "Viborg Kommune" not in readable(path), path.name
            assert "TrygStep" not in readable(path), path.name
    assert "(navn ikke offentligt)" in readable(process / "build" / "markedsdialog.md")
    potential = readable(process / "build" / "potentialeberegning.md")
    assert "| I alt | 4 | 2.770 |" in potential  # its 380 units are not in the total


def test_confidential_passages_in_any_spelling_and_comments_stay_out(copi,
                                                                     process: Path) -> None:
    text = process / "tekster" / "problembeskrivelse.md"
    text.write_text(text.read_text(encoding="utf-8") + (
        "\n::: Fortroligt\nHEMMELIG-A\n:::\n\n> ::: {.FORTROLIGT}\n> HEMMELIG-B\n> :::\n\n"
        "Synlig [HEMMELIG-C]{.fortroligt} tekst.\n\n<!-- HEMMELIG-D: forfatterens note -->\n"),
        encoding="utf-8")
    assert copi("render", "problem-description", "-f", "md,html,pdf", cwd=process).code == 0
    for path in (process / "build").iterdir():
        text_read = readable(path)
        assert "Synlig" in text_read and "HEMMELIG" not in text_read, path.name
    assert copi("render", "problem-description", "--audience", "internal", "-f", "md",
                cwd=process).code == 0
    internal_text = readable(process / "build" / "problembeskrivelse-intern.md")
    assert all(secret in internal_text for secret in ("HEMMELIG-A", "HEMMELIG-B", "HEMMELIG-C"))
    assert "[Fortroligt]" in internal_text
    assert "HEMMELIG-D" not in internal_text  # a comment is never part of a document


@pytest.mark.parametrize("pasted", [
    "title: Kontakt loba@aarhus.example",  # the front matter's title, not the body
    "Spørg Louise Bach om tallene.",  # a contact's name
    "Ring på 87 13 00 00.",  # a phone written differently
    "Leverandøren præsenterede en radarbaseret sensor.",  # one sentence of a confidential note
    "Skriv til loba@aarhus&#46;example.",  # an entity for the dot
])
def test_the_leak_check_finds_pieces_and_disguises(copi, process: Path, pasted: str) -> None:
    owner = process / "organisationer" / "aarhus-kommune.yaml"
    owner.write_text(owner.read_text(encoding="utf-8").replace(
        "    email: loba@aarhus.example", "    email: loba@aarhus.example\n"
        "    phone: \"+45 87 13 00 00\""), encoding="utf-8")
    text = process / "tekster" / "pressemeddelelse.md"
    body = text.read_text(encoding="utf-8")
    if pasted.startswith("title:"):
        body = re.sub(r"^title: .*$", pasted, body, count=1, flags=re.M)
    else:
        body += f"\n{pasted}\n"
    text.write_text(body, encoding="utf-8")
    result = copi("render", "press-release", "-f", "md", cwd=process)
    assert result.code == 1 and "confidential material or personal data" in result.err
    assert not (process / "build").exists()


def test_a_folder_in_the_way_leaves_every_output_as_it_was(copi, process: Path) -> None:
    assert copi("render", "problem-description", "status-report", "-f", "md",
                cwd=process).code == 0
    build = process / "build"
    before = (build / "problembeskrivelse.md").read_bytes()
    (build / "statusrapport.md").unlink()
    (build / "statusrapport.md").mkdir()
    text = process / "tekster" / "problembeskrivelse.md"
    text.write_text(text.read_text(encoding="utf-8") + "\nNy sætning.\n", encoding="utf-8")
    result = copi("render", "problem-description", "status-report", "-f", "md", cwd=process)
    assert result.code == 1 and "folder of that name" in result.err
    assert (build / "problembeskrivelse.md").read_bytes() == before
    assert sorted(p.name for p in build.iterdir()) == ["problembeskrivelse.md",
                                                       "statusrapport.md"]


def test_out_never_points_into_the_process_but_build(copi, process: Path) -> None:
    result = copi("render", "problem-description", "-f", "md", "--out", "tekster",
                  cwd=process)
    assert result.code == 2 and "inside the process directory" in result.err
    assert copi("render", "problem-description", "-f", "md", "--out", "build/udsendt",
                cwd=process).code == 0


@pytest.mark.parametrize("body", ["{{ 1/0 }}", "{% for x in range(10**8) %}x{% endfor %}",
                                  "{{ process.title | money }}"])
def test_a_failing_template_is_the_templates_fault_not_copis(copi, process: Path,
                                                              body: str) -> None:
    (process / "templates").mkdir()
    (process / "templates" / "press-release.md.j2").write_text(f"Linje\n{body}\n",
                                                               encoding="utf-8")
    result = copi("render", "press-release", "-f", "md", cwd=process)
    assert result.code == 1, result.err
    assert "templates/press-release.md.j2:2" in result.err and "bug in copi" not in result.err


def test_a_broken_reference_docx_is_named(copi, process: Path) -> None:
    (process / "templates").mkdir()
    (process / "templates" / "reference.docx").write_text("x\n", encoding="utf-8")
    result = copi("render", "problem-description", "-f", "docx", cwd=process)
    assert result.code == 1 and "templates/reference.docx is not a Word document" in result.err


def test_signed_blocks_and_english_status(copi, process: Path) -> None:
    (process / "underskrifter.yaml").write_text(
        "signatures:\n  - organisation: aarhus-kommune\n    decision: signed\n"
        "    signer: Anders Winnerskjold\n    title: Rådmand\n    date: \"2026-11-20\"\n",
        encoding="utf-8")
    assert copi("render", "declaration", "status-report", "-f", "md", cwd=process).code == 0
    declaration = (process / "build" / "hensigtserklaering.md").read_text(encoding="utf-8")
    assert re.search(r"(?<!\\)\*Underskrevet\.\*", declaration)  # italic, not literal
    signed = readable(process / "build" / "hensigtserklaering.md")
    assert "Navn: Anders Winnerskjold Titel: Rådmand" in signed
    result = copi("render", "status-report", "--lang", "EN", "-f", "md", cwd=process)
    assert result.code == 0
    status = readable(process / "build" / "status-report.md")
    assert "Market dialogue" in status and "need owner" in status and "Markedsdialog" not in status


def test_tool_answers_feed_the_documents(public: Path, internal: Path) -> None:
    report = readable(public / "markedsdialog.md")
    assert "Formål med dialogen" in report and "Hvilke sensorer virker uden kamera?" in report
    status = readable(public / "statusrapport.md")
    assert "Markedsdialog: udfyldt" in status
    assert ("Ledelsesforankring: 2 af 7 behovsejere (Aarhus Kommune og Skanderborg Kommune)"
            in status)


# --- a second reviewer's attempts ------------------------------------------------------------

def _append(process: Path, rel: str, text: str) -> None:
    path = process / rel
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


@pytest.mark.parametrize("passage", [
    "::: fortroligt\nSyntaksen:\n\n    :::\n\nVIBORG-OVERVEJER at trække sig.\n:::\n",
    "::: fortroligt\n````\n```\n:::\n````\nVIBORG-OVERVEJER at trække sig.\n:::\n",
    "<!-- Intern note: VIBORG-OVERVEJER at trække sig\n",
])
def test_a_passage_ends_where_pandoc_says(copi, process: Path, passage: str) -> None:
    _append(process, "tekster/pressemeddelelse.md", "\nSynlig.\n\n" + passage)
    assert copi("render", "press-release", "-f", "md,html", cwd=process).code == 0
    for path in (process / "build").iterdir():
        text = readable(path)
        assert "Synlig" in text and "VIBORG-OVERVEJER" not in text, path.name


def test_notes_and_hidden_ids_never_reach_a_process_template(copi, process: Path) -> None:
    _append(process, "organisationer/viborg-kommune.yaml", "confidential: true\n")
    _append(process, "bekraeftelser.yaml",
            "  - {result: criteria-discussed, by: Mette, date: \"2026-11-20\", "
            "note: NOTE-HEMMELIG}\n")
    (process / "templates").mkdir()
    (process / "templates" / "press-release.md.j2").write_text(
        "{% for c in confirmations %}{{ c.get('note') }} {% endfor %}\n"
        "{% for n in needs %}{{ n.owners | join(', ') }} {% endfor %}\n", encoding="utf-8")
    assert copi("render", "press-release", "-f", "md", cwd=process).code == 0
    text = readable(process / "build" / "pressemeddelelse.md")
    assert "NOTE-HEMMELIG" not in text and "viborg-kommune" not in text
    assert "aarhus-kommune" in text  # the test can fail: ids are printed


def test_the_title_of_a_text_is_cut_too(copi, process: Path) -> None:
    text = process / "tekster" / "pressemeddelelse.md"
    body = text.read_text(encoding="utf-8")
    text.write_text(re.sub(r"^title: .*$", 'title: "Nyhed [budget 4,2 mio.]{.fortroligt}"',
                           body, count=1, flags=re.M), encoding="utf-8")
    assert copi("render", "press-release", "-f", "html,docx", cwd=process).code == 0
    html = (process / "build" / "pressemeddelelse.html").read_text(encoding="utf-8")
    assert "Nyhed" in html and "4,2 mio" not in html
    with zipfile.ZipFile(process / "build" / "pressemeddelelse.docx") as archive:
        assert "4,2 mio" not in archive.read("docProps/core.xml").decode("utf-8")


def test_a_contact_name_is_never_excused_by_another_field(copi, process: Path) -> None:
    confirmations = process / "bekraeftelser.yaml"
    confirmations.write_text(confirmations.read_text(encoding="utf-8").replace(
        "by: Mette", "by: Louise Bach", 1), encoding="utf-8")
    _append(process, "tekster/pressemeddelelse.md", "\nSpørg projektleder Louise Bach.\n")
    result = copi("render", "press-release", "-f", "md", cwd=process)
    assert result.code == 1 and "personal data" in result.err


def test_an_unpublished_question_and_a_supplier_picture_stay_out(copi, process: Path) -> None:
    _append(process, "tekster/pressemeddelelse.md",
            "\nHvilke omsorgssystemer skal en løsning kunne udveksle data med?\n")
    result = copi("render", "press-release", "-f", "md", cwd=process)
    assert result.code == 1 and "omsorgssystemer" in result.err
    _answer_removed(process)
    shutil.copyfile(process / "materialer" / "logo.png", process / "materialer" / "pris.png")
    meeting = process / "moeder" / "2026-09-29-trygstep.yaml"
    meeting.write_text(meeting.read_text(encoding="utf-8").replace(
        "    visibility: supplier-confidential",
        "    visibility: supplier-confidential\n    file: materialer/pris.png"), encoding="utf-8")
    _append(process, "tekster/problembeskrivelse.md", "\n![Priser](materialer/pris.png)\n")
    result = copi("render", "problem-description", "-f", "html", cwd=process)
    assert result.code == 1 and "not published to all" in result.err


def _answer_removed(process: Path) -> None:
    text = process / "tekster" / "pressemeddelelse.md"
    text.write_text(text.read_text(encoding="utf-8").replace(
        "\nHvilke omsorgssystemer skal en løsning kunne udveksle data med?\n", ""),
        encoding="utf-8")


@pytest.mark.parametrize("text", [
    "Prisen er 1.200 kr. pr. borger pr. år i piloten.",  # words also in a business secret
    "Vi mødes igen 2026-09-24 på rådhuset.",  # a date, not a phone number
    "Priser {ekskl. moms} behandles fortroligt af hver kommune.",
    "Ring til sekretariatet på 70 20 30 40.",  # the public contact's number
])
def test_ordinary_public_text_is_not_refused(copi, process: Path, text: str) -> None:
    _append(process, "tekster/pressemeddelelse.md", f"\n{text}\n")
    result = copi("render", "press-release", "-f", "md", cwd=process)
    assert result.code == 0, result.err


def test_a_confidential_title_of_a_need_is_withheld_not_a_crash(copi, process: Path) -> None:
    needs = process / "udforskning" / "behov.yaml"
    text = needs.read_text(encoding="utf-8")
    needs.write_text(re.sub(r"(\n  - id: [^\n]+\n)", r"\1    confidential: [title]\n", text,
                            count=1), encoding="utf-8")
    result = copi("render", "exploration-summary", "-f", "md", cwd=process)
    assert result.code == 0, result.err
    assert "(navn ikke offentligt)" in readable(process / "build" / "behovsudforskning.md")


# --- issue 19: leaks in the forms people write them, pictures through other paths ---------------

def _with_contacts_and_withheld_names(process: Path) -> None:
    owner = process / "organisationer" / "aarhus-kommune.yaml"
    owner.write_text(owner.read_text(encoding="utf-8").replace(
        "    email: loba@aarhus.example", "    email: loba@aarhus.example\n"
        "    phone: \"+45 87 13 00 00\""), encoding="utf-8")
    _append(process, "organisationer/horsens-kommune.yaml",
            "contacts:\n  - name: Åse Søndergård\n    email: asso@horsens.example\n")
    supplier = process / "leverandoerer" / "trygstep.yaml"
    supplier.write_text(supplier.read_text(encoding="utf-8") + "confidential: [name, website]\n",
                        encoding="utf-8")


@pytest.mark.parametrize("pasted", [
    "Spørg *Louise* Bach om tallene.",  # emphasis inside the name
    "Spørg Louise\\ Bach om tallene.",  # an escaped space
    "Spørg Louise\u00a0Bach om tallene.",  # a non-breaking space
    "Spørg Lou\u00adise Bach om tallene.",  # a soft hyphen
    "Spørg Lou\u200bise Bach om tallene.",  # a zero-width space
    unicodedata.normalize("NFD", "Spørg Åse Søndergård."),  # as macOS writes it
    "Kontakt: Bach, Louise.",  # the other order
    "Skriv til loba＠aarhus.example.",  # a full-width at
    "Ring på 87.13.00.00.",
    "Ring på 87/13/00/00.",
    "Ring på (87) 13 00 00.",
    "Ring på 87–13–00–00.",
    "Leverandøren præsenterede en radarbaseret sensor og",  # a note without its full stop
    "Sensa Care nævnte 39 kr. pr. borger pr. måned",  # a fragment of a business secret
    "TrygStep var med.",  # a withheld name by its short name
])
def test_accidental_forms_of_a_leak_are_refused(copi, process: Path, pasted: str) -> None:
    _with_contacts_and_withheld_names(process)
    _append(process, "tekster/pressemeddelelse.md", f"\n{pasted}\n")
    result = copi("render", "press-release", "-f", "md", cwd=process)
    assert result.code == 1 and "confidential material or personal data" in result.err, \
        result.err
    assert not (process / "build").exists()


@pytest.mark.parametrize("fence", [
    ":::\u00a0fortroligt\nHEMMELIG-E\n:::\n",  # a non-breaking space: read as the fence
    "::: fortrolig\nHEMMELIG-E\n:::\n",  # misspelt: refused at its line
    "    ::: fortroligt\n    HEMMELIG-E\n    :::\n",  # indented: a code block, refused
])
def test_a_fence_meant_as_confidential_is_never_published(copi, process: Path,
                                                          fence: str) -> None:
    text = process / "tekster" / "problembeskrivelse.md"
    lines = text.read_text(encoding="utf-8").count("\n")
    _append(process, "tekster/problembeskrivelse.md", f"\n{fence}\nSynlig afslutning.\n")
    result = copi("render", "problem-description", "-f", "md,html,docx,pdf", cwd=process)
    if result.code == 0:
        for path in (process / "build").iterdir():
            assert "HEMMELIG" not in readable(path) and "Synlig" in readable(path), path.name
    else:
        assert result.code == 1 and f"tekster/problembeskrivelse.md:{lines + 2}:" in result.err
        assert "fortrolig" in result.err and not (process / "build").exists()
    assert copi("render", "problem-description", "--audience", "internal", "-f", "md",
                cwd=process).code == 0


@pytest.mark.parametrize("path", [
    "../materialer/./hemmelig.png", "../materialer//hemmelig.png",
    "../materialer/alias.png",  # a link to the restricted file
    "../tekster/../materialer/hemmelig.png",
    "../materialer/kopi.png",  # a copy under another name
    "../materialer/haardlink.png"])  # a hard link
def test_a_restricted_picture_is_refused_by_any_path(copi, process: Path, path: str) -> None:
    shutil.copyfile(process / "materialer" / "logo.png", process / "materialer" / "hemmelig.png")
    (process / "materialer" / "alias.png").symlink_to("hemmelig.png")
    shutil.copyfile(process / "materialer" / "hemmelig.png", process / "materialer" / "kopi.png")
    (process / "materialer" / "haardlink.png").hardlink_to(process / "materialer" / "hemmelig.png")
    meeting = process / "moeder" / "2026-09-29-trygstep.yaml"
    meeting.write_text(meeting.read_text(encoding="utf-8").replace(
        "    visibility: supplier-confidential",
        "    visibility: supplier-confidential\n    file: materialer/hemmelig.png"),
        encoding="utf-8")
    _append(process, "tekster/problembeskrivelse.md", f"\n![Priser]({path})\n")
    result = copi("render", "problem-description", "-f", "html,docx,pdf", cwd=process)
    assert result.code == 1 and "not published to all" in result.err, result.err
    assert not (process / "build").exists()
    assert copi("render", "problem-description", "--audience", "internal", "-f", "html",
                cwd=process).code == 0


# --- hostile process templates and folders (issue 19) ----------------------------------------

@pytest.mark.parametrize(("body", "said"), [
    ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
     "ran for more than"),
    ("{{ 'x' * 300000000 }}", "more than 1,000,000"),
    ("{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}"
     "{% endfor %}{{ ns.s | length }}", "MB of memory|ran for more than"),
    # attack review F1: within 5 s a template wrote 100 MB that pandoc then took 88 s and
    # 2.5 GB over; it is stopped as it passes the bound, before any check or conversion
    ("{% for i in range(100000) %}{{ 'ord ' * 250 }}\n{% endfor %}",
     "wrote more than 1,000,000 characters of Markdown"),
])
def test_a_template_that_would_hang_or_fill_the_memory_is_stopped_at_its_line(
        copi_process, process: Path, body: str, said: str) -> None:
    (process / "templates").mkdir()
    (process / "templates" / "press-release.md.j2").write_text(f"Linje\n{body}\n",
                                                               encoding="utf-8")
    result = copi_process("render", "press-release", "-f", "md", cwd=process)
    assert result.code == 1, result.err
    assert "templates/press-release.md.j2:2:" in result.err, result.err
    assert re.search(said, result.err) and "Traceback" not in result.err, result.err
    assert not (process / "build").exists()


def test_the_assembled_document_is_bounded_and_names_its_text(
        copi, process: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The bound holds for the document as assembled (notices, texts and records), not only
    for a process's own template (attack review F1, F5)."""
    from copi_cli.rendering import pipeline

    monkeypatch.setattr(pipeline, "MAX_MARKDOWN", 1_000)
    result = copi("render", "problem-description", "-f", "md,html", cwd=process)
    assert result.code == 1 and "Traceback" not in result.err, result.err
    assert "problem-description: the document would hold" in result.err
    assert "tekster/problembeskrivelse.md" in result.err and "copi renders at most 1,000" \
        in result.err
    assert not (process / "build").exists()


def test_a_long_text_is_refused_at_its_path_before_rendering(copi, process: Path) -> None:
    """Four texts of 1.77 MB (under the 2 MB file limit) took render all 61 s and 500 MB
    (attack review F5): a text is at most 500,000 characters, checked by validation."""
    _append(process, "tekster/pressemeddelelse.md", "Ord og flere ord. " * 30_000)
    lines = (process / "tekster" / "pressemeddelelse.md").read_text(
        encoding="utf-8").split("\n---\n")[0].count("\n") + 3
    for command in (("validate",), ("render", "press-release", "-f", "md")):
        result = copi(*command, cwd=process)
        assert result.code == 1 and "Traceback" not in result.err, result.err
        assert re.search(f"tekster/pressemeddelelse.md:{lines}:1.*Y007.*540,[0-9]{{3}} "
                         "characters; copi renders texts of at most 500,000",
                         result.out + result.err), result.out + result.err
    assert not (process / "build").exists()


@pytest.mark.parametrize("escape", ["\\e", "\\0", "\\x01", "\\x1f"])
def test_a_control_character_escape_is_a_finding_not_a_crash(copi, process: Path,
                                                              escape: str) -> None:
    """`title: "Sammen \\e om fald"` passed validate, then render died with an internal
    error, exit 3 (attack review F6)."""
    path = process / "copi.yaml"
    text = path.read_text(encoding="utf-8")
    line = text[:text.index("\ntitle:") + 1].count("\n") + 1
    path.write_text(re.sub(r"(?m)^title: .*$", lambda _: f'title: "Sammen {escape} om fald"',
                           text),
                    encoding="utf-8")
    result = copi("render", "problem-description", "-f", "html,docx", cwd=process)
    assert result.code == 1 and "internal error" not in result.err, result.err
    assert re.search(f"copi.yaml:{line}:8.*Y009", result.out + result.err), result.err
    assert not (process / "build").exists()


def test_a_linked_record_in_the_templates_never_reaches_a_public_pdf(copi,
                                                                     process: Path) -> None:
    """templates/da/rec.txt → ../../organisationer/aarhus-kommune.yaml, joined with zero-width
    spaces past the leak check, put a contact's name and e-mail in a public PDF."""
    (process / "templates" / "da").mkdir(parents=True)
    (process / "templates" / "da" / "rec.txt").symlink_to(
        "../../organisationer/aarhus-kommune.yaml")
    (process / "templates" / "da" / "press-release.md.j2").write_text(
        "Linje\n\n{% set r %}{% include 'rec.txt' %}{% endset %}{{ r | list | join('\u200b') }}\n",
        encoding="utf-8")
    result = copi("render", "press-release", "-f", "pdf", cwd=process)
    assert result.code == 1 and "templates/da/rec.txt is a symbolic link" in result.err
    assert not (process / "build").exists()


def test_a_committed_build_link_is_refused_and_nothing_written_where_it_points(
        copi, process: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "statusrapport.md").write_text("mine\n", encoding="utf-8")
    (process / "build").symlink_to(elsewhere)
    result = copi("render", "all", "-f", "md", "--audience", "internal", cwd=process)
    assert result.code == 1 and "build is a symbolic link inside the process" in result.err
    assert sorted(p.name for p in elsewhere.iterdir()) == ["statusrapport.md"]
    assert (elsewhere / "statusrapport.md").read_text(encoding="utf-8") == "mine\n"


def test_out_through_a_link_inside_the_process_is_refused(copi, process: Path,
                                                         tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (process / "udsendt").symlink_to(elsewhere)
    (process / "build").mkdir()
    (process / "build" / "ud").symlink_to(elsewhere)
    for out in ("udsendt", "udsendt/ny", "build/ud"):
        result = copi("render", "problem-description", "-f", "md", "--out", out, cwd=process)
        assert result.code in (1, 2) and "Traceback" not in result.err, result.err
    assert list(elsewhere.iterdir()) == []
    # a link outside the process is the user's own choice of place
    (tmp_path / "via").symlink_to(elsewhere)
    assert copi("render", "problem-description", "-f", "md", "--out",
                str(tmp_path / "via" / "docs"), cwd=process).code == 0
    assert (elsewhere / "docs" / "problembeskrivelse.md").exists()


def test_a_link_in_place_of_an_output_is_refused_not_written_through(copi, process: Path,
                                                                    tmp_path: Path) -> None:
    target = tmp_path / "bashrc"
    target.write_text("mine\n", encoding="utf-8")
    (process / "build").mkdir()
    (process / "build" / "problembeskrivelse.md").symlink_to(target)
    result = copi("render", "problem-description", "-f", "md", cwd=process)
    assert result.code == 1 and "symbolic link of that name" in result.err
    assert target.read_text(encoding="utf-8") == "mine\n"
    assert (process / "build" / "problembeskrivelse.md").is_symlink()


def test_temporary_files_of_a_killed_render_are_cleaned_at_the_next(copi,
                                                                    process: Path) -> None:
    """A kill while publishing left .X.copi-PID.tmp files in build/ for good."""
    import subprocess
    import sys

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    pid = int(dead.stdout)
    build = process / "build"
    build.mkdir()
    (build / f".statusrapport.pdf.copi-{pid}-140234.tmp").write_bytes(b"half")
    (build / f".invitation.md.copi-{pid}.old").write_bytes(b"set aside")
    (build / ".notes.copi-x.tmp").write_bytes(b"not copi's")
    assert copi("render", "problem-description", "-f", "md", cwd=process).code == 0
    assert sorted(p.name for p in build.iterdir()) == [".notes.copi-x.tmp", "invitation.md",
                                                       "problembeskrivelse.md"]
    assert (build / "invitation.md").read_bytes() == b"set aside"


# --- issue 20: a precise leak check; a refused document does not stop the others -------------

def _replace(process: Path, rel: str, old: str, new: str) -> None:
    path = process / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def _line_of(process: Path, rel: str, wanted: str) -> int:
    lines = (process / rel).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if wanted in line)


def test_the_facilitators_identity_and_a_job_title_are_no_leak(copi, process: Path) -> None:
    """The facilitator written "Name, Organisation" where copi keeps personal data (who
    answered a tool) is public by nature: the press release's own contact line is no leak;
    nor is a contact's job title used as an ordinary word."""
    for rel in ("copi.yaml", "bekraeftelser.yaml"):
        _replace(process, rel, "Mette Kjær", "Mette Facilitator")
    _replace(process, "vaerktoejer/planlaegning.yaml", 'date: "2025-09-01"',
             'answered_by: Mette Facilitator, CO-PI\ndate: "2025-09-01"')
    _append(process, "organisationer/horsens-kommune.yaml",
            "contacts:\n  - name: Anne Hansen\n    title: Klimachef\n"
            "    email: anha@horsens.example\n")
    _append(process, "tekster/pressemeddelelse.md", "\nKommunens klimachef er med fra start.\n")
    result = copi("render", "press-release", "-f", "md,pdf", cwd=process)
    assert result.code == 0, result.err
    text = readable(process / "build" / "pressemeddelelse.pdf")
    assert "Kontakt: Mette Facilitator, CO-PI" in text and "klimachef" in text
    # the person who answered is still personal data where nothing makes them public
    _replace(process, "vaerktoejer/planlaegning.yaml", "Mette Facilitator, CO-PI",
             "Jens Jensen, CO-PI")
    _append(process, "tekster/pressemeddelelse.md", "\nSpørg Jens Jensen.\n")
    result = copi("render", "press-release", "-f", "md", cwd=process)
    line = _line_of(process, "vaerktoejer/planlaegning.yaml", "answered_by")
    assert result.code == 1 and f'"Jens Jensen" (personal data, vaerktoejer/' \
        f"planlaegning.yaml:{line} answered_by)" in result.err


def test_a_contact_marked_public_may_be_quoted_but_not_written_to(copi, process: Path) -> None:
    _append(process, "organisationer/horsens-kommune.yaml",
            "contacts:\n  - name: Peter Borg\n    title: Borgmester\n    public: true\n"
            "    email: pebo@horsens.example\n")
    _append(process, "tekster/pressemeddelelse.md",
            "\n– Vi står sammen om det, siger borgmester Peter Borg, Horsens Kommune.\n")
    assert copi("validate", cwd=process).code == 0
    result = copi("render", "press-release", "-f", "md", cwd=process)
    assert result.code == 0, result.err
    _append(process, "tekster/pressemeddelelse.md", "\nSkriv til pebo@horsens.example.\n")
    result = copi("render", "press-release", "-f", "md", cwd=process)
    assert result.code == 1 and '"pebo@horsens.example"' in result.err


def test_a_personal_e_mail_in_a_text_names_its_record_field_and_the_texts_line(
        copi, process: Path) -> None:
    _append(process, "tekster/pressemeddelelse.md", "\nSkriv til LOBA@aarhus.example.\n")
    result = copi("render", "press-release", "-f", "md", cwd=process)
    assert result.code == 1
    record = _line_of(process, "organisationer/aarhus-kommune.yaml", "email: loba@")
    text = _line_of(process, "tekster/pressemeddelelse.md", "LOBA@")
    assert ('"loba@aarhus.example" (personal data, '
            f"organisationer/aarhus-kommune.yaml:{record} contacts.email)") in result.err
    assert f"hint: it is in tekster/pressemeddelelse.md:{text}: remove it there" in result.err
    assert "nothing was written" in result.err and not (process / "build").exists()


def test_a_leak_through_a_template_names_the_template_line_and_the_record_field(
        copi, process: Path) -> None:
    from copi_cli.resources import shipped_dir

    _replace(process, "arrangementer/2026-09-10-leverandoerkonference.yaml",
             'title: "Leverandørkonference: færre fald i eget hjem"',
             'title: "Leverandørkonference: færre fald i eget hjem hos Louise Bach"')
    result = copi("render", "market-dialogue-report", "-f", "md", cwd=process)
    assert result.code == 1
    found = re.search(r"it is printed by copi's template da/market-dialogue-report\.md\.j2:(\d+)"
                      r" from arrangementer/2026-09-10-leverandoerkonference\.yaml:4 title: "
                      r"change the record", result.err)
    assert found, result.err
    template = shipped_dir("templates") / "documents" / "da" / "market-dialogue-report.md.j2"
    printing = template.read_text(encoding="utf-8").splitlines()[int(found.group(1)) - 1]
    assert "title" in printing, printing
    assert '"Louise Bach" (personal data, organisationer/aarhus-kommune.yaml:' in result.err


def test_a_confidential_passage_is_shown_as_written_with_its_record(copi, process: Path) -> None:
    _append(process, "tekster/pressemeddelelse.md",
            "\nVi hørte at leverandøren PRÆSENTEREDE en radarbaseret sensor\n")
    result = copi("render", "press-release", "-f", "md", cwd=process)
    assert result.code == 1
    assert '"Leverandøren præsenterede en radarbaseret sensor."' in result.err
    assert "(confidential, moeder/2026-09-24-sensa-care.yaml:9 notes)" in result.err


@pytest.mark.parametrize("as_json", [False, True])
def test_render_all_writes_every_document_that_passes_and_lists_the_refused(
        copi, process: Path, as_json: bool) -> None:
    _append(process, "tekster/pressemeddelelse.md", "\nSkriv til loba@aarhus.example.\n")
    result = copi("render", "all", "-f", "md,html", *(["--json"] if as_json else []),
                  cwd=process)
    assert result.code == 1
    written = sorted(p.name for p in (process / "build").iterdir())
    assert len(written) == 2 * (len(DOCUMENTS) - 1) and "problembeskrivelse.html" in written
    assert not any(name.startswith(("pressemeddelelse.", ".")) for name in written)
    if as_json:
        import json

        answer = json.loads(result.out)
        assert [r["document"] for r in answer["refused"]] == ["press-release"]
        assert "loba@aarhus.example" in answer["refused"][0]["message"]
        assert "the document was not written" in answer["refused"][0]["hint"]
        assert sorted(Path(p).name for p in answer["written"]) == written
    else:
        assert "copi: error: press-release: the public document would contain" in result.err
        assert ("1 document(s) refused and not written: press-release; the others were "
                "written") in result.err
        assert len(result.out.splitlines()) == len(written)


def test_several_documents_go_on_past_a_refused_one(copi, process: Path) -> None:
    text = process / "tekster" / "problembeskrivelse.md"
    text.write_text(text.read_text(encoding="utf-8").replace(
        "status: final", "status: final\nconfidential: true", 1), encoding="utf-8")
    result = copi("render", "problem-description", "invitation", "-f", "md", cwd=process)
    assert result.code == 1 and "marked confidential" in result.err
    assert sorted(p.name for p in (process / "build").iterdir()) == ["invitation.md"]


def test_minutes_repeating_a_public_text_or_the_methods_words_are_no_leak(
        copi, example_repo: Path) -> None:
    from conftest import publish

    process = example_repo
    sentence = ("Mange fald sker om natten i eget hjem, og borgeren ligger ofte længe, før "
                "hjælpen kommer.")

    def quote() -> None:
        _replace(process, "moeder/2026-09-24-sensa-care.yaml",
                 "notes: Leverandøren præsenterede en radarbaseret sensor.",
                 f"notes: Leverandøren præsenterede en radarbaseret sensor. {sentence} "
                 "Parterne forventer samlet at købe for store beløb.")
        _append(process, "tekster/pressemeddelelse.md", f"\n{sentence}\n")

    # the problem description only written, not published: the public has not read it, and
    # two texts with the same passage of the minutes never vouch for each other
    quote()
    result = copi("render", "press-release", "-f", "md", cwd=process)
    assert result.code == 1 and "moeder/2026-09-24-sensa-care.yaml" in result.err
    git(process, "checkout", "-q", "--", ".")
    publish(process, "problem-description")  # the public has read it from now on
    quote()
    result = copi("render", "all", "-f", "md", cwd=process)
    assert result.code == 0, result.err
