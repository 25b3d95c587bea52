"""The core's errors in Danish through the real command line (issue 22, point 4): one or more
from each part that raises them (errors, model, recording, tools, setup), said by the error
boundary in the chosen language, with the same exit code in both."""

from __future__ import annotations

from pathlib import Path

import pytest

# (arguments, exit code, the Danish message, the Danish hint, the English message); the
# arguments run inside a new process unless they name a directory of their own.
CASES = [
    pytest.param(("status", "--dir", "{empty}"), 3,
                 ": er ikke en skaleringsproces (ingen copi.yaml her eller i en overordnet mappe)",
                 "kør kommandoen i en procesmappe, angiv --dir MAPPE", "not a scaling process",
                 id="errors: not a process"),
    pytest.param(("render", "nope"), 2, "der er intet dokument ved navn »nope«",
                 "vælg et af dokumenterne: problembeskrivelse,", "no document 'nope'",
                 id="model: documents"),
    pytest.param(("owner", "show", "xyz"), 2, "»xyz« findes ikke blandt processens organisationer",
                 "copi owner list viser organisationerne", "no organisation 'xyz' in this process",
                 id="model: lookup"),
    pytest.param(("tool", "print", "ledelsesforankring"), 2,
                 "ledelsesforankring udfyldes for hver behovsejer",
                 "angiv behovsejeren med --owner, fx --owner aarhus-kommune",
                 "ledelsesforankring is filled in per need owner", id="model: tools"),
    pytest.param(("contact", "add", "aarhus", "--name", "Ole", "--legal-basis", "l"), 2,
                 "--legal-basis: »l« passer på flere af disse: consent (samtykke),",
                 "skriv mere af det: legal-obligation (retlig forpligtelse), legitimate-interests "
                 "(legitime interesser)",
                 "--legal-basis: 'l' could be more than one of consent,", id="model: vocabulary"),
    pytest.param(("owner", "add", "Odense", "--type", "port"), 1,
                 "Odense Kommune har typen municipality, ikke port",
                 "udelad --type eller brug --type municipality",
                 "Odense Kommune is a municipality, not a port", id="model: organisations"),
    pytest.param(("owner", "add", "Aarhus"), 1,
                 "Aarhus Kommune er allerede med i processen (organisationer/aarhus-kommune.yaml)",
                 "copi owner show aarhus-kommune", "Aarhus Kommune is already in the process",
                 id="recording: organisations"),
    pytest.param(("contact", "export", "nobody"), 2,
                 "»nobody« er ikke kontaktperson i denne proces",
                 "angiv e-mailadressen eller det fulde navn, som det er registreret",
                 "no contact 'nobody' in this process", id="recording: contacts"),
    pytest.param(("potential", "purchase", "aarhus", "--year", "2020", "--units", "3"), 2,
                 "--year 2020 ligger før beregningens basisår",
                 "ret base_year i potentiale.yaml, hvis tallene begynder tidligere",
                 "--year 2020 lies before the calculation's base year", id="recording: potential"),
    pytest.param(("tool", "import", "{missing}"), 1, "findes ikke",
                 "angiv stien til de gemte svar (.yaml)", "no file ", id="tools: answers"),
    pytest.param(("ci", "foo"), 2, "ukendt CI-system »foo«", "brug github eller gitlab",
                 "unknown CI system 'foo'", id="setup: ci"),
    pytest.param(("init", "proces", "--owner", "Aarhus Kommune", "--dir", "{parent}"), 1,
                 "findes allerede og er ikke tom",
                 "vælg et andet navn, eller fjern mappen",
                 "already exists and is not empty", id="setup: scaffold"),
]


@pytest.mark.parametrize("args, code, danish, hint, english", CASES)
def test_the_core_says_its_errors_in_danish(copi, process: Path, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch, args: tuple,
                                            code: int, danish: str, hint: str,
                                            english: str) -> None:
    empty = tmp_path / "tom"
    empty.mkdir()
    places = {"empty": str(empty), "missing": str(tmp_path / "svar.yaml"),
              "parent": str(process.parent)}
    argv = [arg.format(**places) for arg in args]
    monkeypatch.setenv("COPI_LANG", "da")
    run = copi(*argv, cwd=process)
    assert run.code == code, run.err
    error, advice = run.err.splitlines()[:2]
    assert error.startswith("copi: fejl: ") and danish in error, run.err
    assert advice.startswith("  råd: ") and hint in advice, run.err
    assert "Traceback" not in run.err and "copi: error" not in run.err
    monkeypatch.setenv("COPI_LANG", "en")
    again = copi(*argv, cwd=process)
    assert again.code == code and again.err.startswith("copi: error: ") and english in again.err


def test_a_finding_of_the_yaml_reader_speaks_danish() -> None:
    """Findings the core makes (here: a duplicate key) carry both languages to the reporters."""
    from copi_cli.messages import text_in
    from copi_cli.model.yamlsource import parse_yaml

    finding = parse_yaml("title: a\ntitle: b\n", "copi.yaml").diagnostics[0]
    assert finding.message == "duplicate key 'title'"
    assert text_in(finding.message, "da") == "nøglen »title« står to gange"
    assert text_in(finding.hint or "", "da") == "YAML beholder kun den ene; slå de to til én"
    tagged = parse_yaml("n: !!int abc\n", "copi.yaml").diagnostics[0]
    assert tagged.code == "Y008" and tagged.message == "!!int 'abc' is not a whole number"
    assert text_in(tagged.message, "da") == "!!int 'abc' er ikke et helt tal"
    assert text_in(tagged.hint or "", "da").startswith("skriv værdien enkelt")
