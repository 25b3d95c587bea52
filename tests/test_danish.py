"""Danish a municipality would send: every Danish string copi ships (templates, catalogue, tools,
labels, messages, guidance) and what it renders and prints for the example process are scanned
for the calques and slips a native reader stopped at (issue 21, point 13). Each pattern names
what to write instead."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from conftest import REPO

# (pattern, what to write instead). Matched case-sensitively unless the pattern says (?i).
CALQUES: list[tuple[str, str]] = [
    (r"(?i)\bporten\b", "the gate is 'kriterierne for at gå videre'"),
    (r"(?i)\b(?:er|blev|ikke|endnu ikke|\d+|møder) holdt\b", "an event or meeting is 'afholdt'"),
    (r"(?i)\bmeldt fra\b", "a need owner that will not sign has 'takket nej'"),
    (r"(?i)onboarding", "say what happens: 'få nye behovsejere med'"),
    (r"(?i)\bstår \d+\b", "a small count in prose is a word: 'står seks behovsejere'"),
    (r"(?i)rapport fra dialogen til offentliggørelse", "'Rapporten … offentliggøres'"),
    (r"(?i)faciliterer processen ved\b", "'Processen faciliteres af Mette Kjær fra CO-PI'"),
    (r"(?i)\bejes af:", "not a label 'Ejes af:': the need 'deles af' its need owners"),
    (r"(?i)\(engelsk:", "'(på engelsk …)'"),
    (r"(?<![\w-])Facilitator(?![\w-])", "'facilitatoren', with its article"),
    (r"(?i)lader flere efterspørge", "'gør det muligt for flere at efterspørge'"),
    (r"\w\((?:er|e|r)\)", "no '(er)' plurals: a plural form per count"),
    (r"(?i)\bindgås af\b", "a declaration is not a contract: 'afgives af'"),
    (r"(?i)præambel", "the section says what it is: 'Den fælles udfordring'"),
    (r"\d+ (?:stakeholders|value_chain|barriers|terms)\b", "counts in Danish words"),
    (r"\bvia [A-ZÆØÅ][a-zæøå]+ [a-zæøå]", "a common noun mid-sentence is lower case"),
]
# Lists copi joins itself: in its own strings a comma before a capital may start a proper name
# (»Direktionen, Sundhed og Omsorg«), so this is read in what it renders only.
JOINED = [(r", [A-ZÆØÅ][a-zæøå]+ [a-zæøå]", "items of a list copi joins go on in lower case")]
# A whole label that is only 'videre' is an adverb, not an action.
BARE_LABELS = re.compile(r"(?i)^\s*videre\s*$")
DATA = REPO / "copi_cli" / "data"


def _danish_values(node: object) -> Iterator[str]:
    """Every string under a 'da' key (and every string of a Danish locale block)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "da":
                yield from _strings(value)
            else:
                yield from _danish_values(value)
    elif isinstance(node, list):
        for item in node:
            yield from _danish_values(item)


def _strings(node: object) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from _strings(item)


def shipped_danish() -> list[tuple[str, str]]:
    """(where, text) for every Danish string in copi's templates and data files."""
    found: list[tuple[str, str]] = []
    for folder in ("templates/documents/da", "templates/workspace/da"):
        for path in sorted((REPO / folder).rglob("*")):
            if path.is_file():
                found.append((str(path.relative_to(REPO)), path.read_text(encoding="utf-8")))
    from copi_cli.resources import load_data

    for path in sorted([*DATA.iterdir(), *(DATA / "messages").glob("*.json")]):
        if path.suffix not in (".json", ".yaml"):
            continue
        name = str(path.relative_to(DATA))  # the catalogue's parts too: messages/help.json …
        data = load_data(name)  # as copi reads it (libyaml where present)
        found += [(f"copi_cli/data/{name}", text) for text in _danish_values(data)]
    return found


def test_the_scan_reads_every_kind_of_danish_string() -> None:
    """The scan is only as good as what it reads: templates, catalogue, tools, labels and
    messages all reach it."""
    where = {place for place, _ in shipped_danish()}
    for expected in ("templates/documents/da/declaration.md.j2",
                     "templates/workspace/da/README.md.j2", "copi_cli/data/phases.yaml",
                     "copi_cli/data/tools.yaml", "copi_cli/data/labels.json",
                     "copi_cli/data/messages.json", "copi_cli/data/guidance.yaml",
                     "copi_cli/data/messages/help.json"):
        assert expected in where, expected


def _hits(pattern: str, texts: list[tuple[str, str]]) -> list[str]:
    return [f"{where}: …{match.group(0)}…" for where, text in texts
            for match in re.finditer(pattern, text)]


@pytest.mark.parametrize("pattern, instead", CALQUES, ids=[p for p, _ in CALQUES])
def test_no_calque_in_what_copi_ships(pattern: str, instead: str) -> None:
    hits = _hits(pattern, shipped_danish())
    assert not hits, f"{instead}:\n" + "\n".join(hits)


def test_no_bare_adverb_as_a_label() -> None:
    labels = json.loads((DATA / "labels.json").read_text(encoding="utf-8"))
    bare = [text for text in _danish_values(labels) if BARE_LABELS.match(text)]
    assert not bare, "an action label says what happened, e.g. 'gået videre'"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, str]]:
    """The example's Danish documents as Markdown, and its status, as copi writes them."""
    import shutil
    import subprocess
    import sys

    root = tmp_path_factory.mktemp("danish") / "faerre-fald"
    shutil.copytree(REPO / "examples" / "faerre-fald", root)
    out = root.parent / "build"
    env = {"PYTHONPATH": str(REPO), "COLUMNS": "200", "NO_COLOR": "1", "HOME": str(root.parent),
           "PATH": "/usr/bin:/bin", "GIT_CONFIG_NOSYSTEM": "1"}
    render = subprocess.run([sys.executable, "-m", "copi_cli", "render", "all", "--format", "md",
                             "--lang", "da", "--dir", str(root), "-o", str(out)],
                            capture_output=True, text=True, env=env, check=False)
    assert render.returncode == 0, render.stderr
    status = subprocess.run([sys.executable, "-m", "copi_cli", "status", "--dir", str(root)],
                            capture_output=True, text=True, env=env, check=False)
    assert status.returncode == 0, status.stderr
    texts = [(path.name, path.read_text(encoding="utf-8").replace("\u00a0", " "))
             for path in sorted(out.glob("*.md"))]
    assert len(texts) >= 10
    return [*texts, ("copi status", status.stdout)]


@pytest.mark.parametrize("pattern, instead", CALQUES + JOINED,
                         ids=[p for p, _ in CALQUES + JOINED])
def test_no_calque_in_the_examples_danish_documents(rendered: list[tuple[str, str]],
                                                    pattern: str, instead: str) -> None:
    hits = _hits(pattern, rendered)
    assert not hits, f"{instead}:\n" + "\n".join(hits)


def test_the_rendered_documents_use_the_fixed_wording(rendered: list[tuple[str, str]]) -> None:
    """The replacements themselves, where the example shows them."""
    text = "\n".join(body for _, body in rendered)
    for wording in ("Denne erklæring afgives af", "## Den fælles udfordring",
                    "Bag denne behovsformidling står syv offentlige behovsejere",
                    "Processen faciliteres af Mette Kjær fra CO-PI.",
                    "Behovet deles af Aarhus Kommune", "(på engelsk *Own home*)",
                    "Dialogen blev annonceret via forhåndsmeddelelse på udbud.dk og Welfare Techs "
                    "nyhedsbrev.", "Næste skridt for facilitatoren",
                    "Mindst én åben, annonceret markedsdialog er afholdt",
                    "**Behovsejerne:**\n\n- Inviterer eget netværk",
                    "**Facilitatoren:**\n\n- Arrangerer og faciliterer"):
        assert wording in text, wording


@pytest.mark.usefixtures("danish_cli")
def test_a_record_count_speaks_danish(copi, process: Path) -> None:
    """'7 stakeholders, 5 value_chain' were the file's keys; status says what they are."""
    empty = copi("status", cwd=process)
    assert "ingen interessenter i interessenter.yaml (nøglen stakeholders)" in empty.out, empty.out
    (process / "interessenter.yaml").write_text(
        "stakeholders:\n  - {id: borgere, name: Borgere, group: borgere, interest: Tryghed,"
        " influence: medium}\n  - {id: personale, name: Hjemmeplejen, group: medarbejdere,"
        " interest: Arbejdsmiljø, influence: high}\n"
        "value_chain:\n  - {id: visitation, step: Visitation, actors: [Kommunen],"
        " description: Behovet vurderes}\n", encoding="utf-8")
    run = copi("status", cwd=process)
    assert "registreret: 2 interessenter, 1 led i værdikæden" in run.out, run.out
    assert "stakeholders" not in run.out.split("registreret:", 1)[1].split("\n", 1)[0]


# The glossary (copi_cli/data/terms.yaml): the method's terms, and the words a Danish text of
# copi's must not use, each with the term to use instead.
GLOSSARY = yaml.safe_load((DATA / "terms.yaml").read_text(encoding="utf-8"))["terms"]
AVOID = [(avoid["pattern"], f"{avoid['use']} (glossary: {term['da']})")
         for term in GLOSSARY for avoid in term.get("avoid", [])]
# Not prose: Jinja's syntax, code in backticks, a copi command line, a YAML key.
NOT_PROSE = re.compile(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}|`[^`\n]*`|\bcopi(?: [\w|.-]+)+"
                       r"|^[ \t#-]*[\w-]+:(?=\s)", re.DOTALL | re.MULTILINE)


def _prose(texts: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(where, NOT_PROSE.sub(" ", text)) for where, text in texts]


def test_the_glossary_has_the_methods_terms() -> None:
    """Every term in both languages with its source; every pattern compiles."""
    danish = {term["da"] for term in GLOSSARY}
    for term in ("behovsejer", "fase", "kriterier for at gå videre", "markedsdialog",
                 "leverandørkonference", "1:1-møder", "behovsudforskning", "behovsformidling",
                 "hensigtserklæring", "potentialeberegning", "ledelsesforankring", "matchmaking",
                 "facilitator (CO-PI)", "værdikæde", "interessenter", "fælles sprog",
                 "valg og fravalg", "lancering"):
        assert term in danish, term
    for term in GLOSSARY:
        assert term["en"] and term["source"], term["da"]
        for avoid in term.get("avoid", []):
            re.compile("(?i)" + avoid["pattern"])
            assert avoid["use"], avoid["pattern"]


@pytest.mark.parametrize("pattern, instead", AVOID, ids=[p for p, _ in AVOID])
def test_no_word_the_glossary_avoids_in_what_copi_ships(pattern: str, instead: str) -> None:
    hits = _hits("(?i)" + pattern, _prose(shipped_danish()))
    assert not hits, f"{instead}:\n" + "\n".join(hits)


@pytest.mark.parametrize("pattern, instead", AVOID, ids=[p for p, _ in AVOID])
def test_no_word_the_glossary_avoids_in_the_examples_documents(
        rendered: list[tuple[str, str]], pattern: str, instead: str) -> None:
    hits = _hits("(?i)" + pattern, rendered)
    assert not hits, f"{instead}:\n" + "\n".join(hits)


def test_the_glossary_scan_reads_prose_and_skips_code() -> None:
    """A calque in prose is caught; the same word as a command, key or template name is not."""
    prose = _prose([("t", "Send filen til facilitator. Porten er nået. 6.310.000 DKK\n"
                          "`copi owner backing` {{ launch.title }} copi render launch\n"
                          "launch: x\n")])
    found = {pattern for pattern, _ in AVOID if _hits("(?i)" + pattern, prose)}
    assert any("facilitator" in p for p in found)
    assert any("port" in p for p in found)
    assert any("DKK" in p for p in found)
    assert not any("launch" in p for p in found)


@pytest.mark.usefixtures("danish_cli")
def test_the_gate_speaks_of_the_criteria_to_go_on(copi, example: Path) -> None:
    """'Port for fase' was a calque of 'gate'; an unconfirmed result says which confirmation
    it lacks, in Danish."""
    run = copi("gate", cwd=example)
    assert "Kriterier for at gå videre fra fase 4. Markedsdialog: ikke opfyldt" in run.out, run.out
    assert "ikke bekræftet (ingen confirmations med result: criteria-discussed)" in run.out
    assert "Port" not in run.out
