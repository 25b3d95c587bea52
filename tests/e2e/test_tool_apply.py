"""copi tool apply and copi tool import --apply: the planning tool's stakeholders and value
chain reach interessenter.yaml, the exploration tool's barriers and insights reach
udforskning/ — shown as a diff first, in one commit, never twice, never overwriting."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from conftest import EXAMPLE, commit_all, git, head, load, unchanged, write

PLANNING = """tool: planning
answers:
  problem: Ældre borgere falder i eget hjem om natten og ligger længe, før de findes.
  roles: Aarhus Kommune leder behovsejergruppen; CO-PI faciliterer.
  staff_time: En projektleder 8 timer om ugen
  budget_later: true
  stakeholders: [Hjemmeplejen, Pårørende, "  hjemmeplejen "]
  value_chain: [Visitation, Akut indsats]
"""

EXPLORATION = """tool: needs-exploration
date: "2026-05-27"
answers:
  questions: [Hvornår falder borgerne?]
  barriers:
    - "Lovgivning: Data må ikke deles mellem kommune og region uden hjemmel"
    - "Financing: Gevinsten ligger i regionen, udgiften i kommunen"
    - Vi ved ikke, hvem der ejer nødkaldet
  insights_fieldwork: [De fleste fald sker om natten på vej til toilettet]
  insights_data: [Fald står for mange akutte indlæggelser af ældre]
"""


def _import(copi, process: Path, tmp_path: Path, text: str, *flags: str):
    source = tmp_path / "svar.yaml"
    source.write_text(text, encoding="utf-8")
    return copi("tool", "import", str(source), *flags, cwd=process)


@pytest.fixture
def planned(copi, process: Path, tmp_path: Path) -> Path:
    """A new process with the planning tool's answers imported (not yet carried over)."""
    assert _import(copi, process, tmp_path, PLANNING).code == 0
    return process


@pytest.mark.usefixtures("danish_cli")
def test_planning_answers_reach_interessenter_shown_first_in_one_commit(copi,
                                                                       planned: Path) -> None:
    before = head(planned)
    result = copi("tool", "apply", "planlaegning", "--yes", cwd=planned)
    assert result.code == 0, result.err
    out = result.out
    # the diff comes first, then what was committed
    assert out.index("--- a/interessenter.yaml") < out.index("+  - id: hjemmeplejen") \
        < out.index("Svar overført til registreringerne: Værktøj til planlægning")
    data = load(planned, "interessenter.yaml")
    assert data["stakeholders"] == [{"id": "hjemmeplejen", "name": "Hjemmeplejen"},
                                    {"id": "paaroerende", "name": "Pårørende"}]
    assert data["value_chain"] == [{"id": "visitation", "step": "Visitation"},
                                   {"id": "akut-indsats", "step": "Akut indsats"}]
    text = (planned / "interessenter.yaml").read_text(encoding="utf-8")
    assert "#  - id: borgere" in text  # the starter file's comments are kept
    assert git(planned, "rev-list", "--count", f"{before}..HEAD").strip() == "1"
    assert git(planned, "show", "--name-only", "--format=%B", "HEAD").split() \
        [-1] == "interessenter.yaml"
    assert "Copi-Action: tool-apply" in git(planned, "log", "-1", "--format=%B")
    assert git(planned, "status", "--porcelain") == ""
    assert copi("validate", cwd=planned).code == 0


@pytest.mark.usefixtures("danish_cli")
def test_applying_the_same_answers_again_adds_nothing(copi, planned: Path) -> None:
    assert copi("tool", "apply", "planlaegning", "--yes", cwd=planned).code == 0
    before = head(planned)
    again = copi("tool", "apply", "planning", "--yes", cwd=planned)
    assert again.code == 0, again.err
    assert "Intet at overføre" in again.out and "---" not in again.out
    assert "5 svar findes allerede i registreringerne" in again.err
    assert unchanged(planned, before)


@pytest.mark.usefixtures("danish_cli")
def test_dry_run_shows_and_writes_nothing(copi, planned: Path) -> None:
    before = head(planned)
    result = copi("tool", "apply", "planlaegning", "--dry-run", cwd=planned)
    assert result.code == 0, result.err
    assert "+  - id: paaroerende" in result.out and "--dry-run: intet er skrevet." in result.err
    assert unchanged(planned, before)


def test_without_a_terminal_copi_asks_for_yes_and_writes_nothing(copi, planned: Path) -> None:
    before = head(planned)
    result = copi("tool", "apply", "planlaegning", cwd=planned)
    assert result.code == 2
    assert "cannot ask here" in result.err and "--yes" in result.err
    assert "+  - id: paaroerende" in result.out  # what it would have done was shown
    assert unchanged(planned, before)


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("said, applied", [("n", False), ("", False), ("j", True),
                                            ("ja", True)])
@pytest.mark.usefixtures("danish_cli")
def test_at_a_terminal_copi_asks_before_it_writes(copi, planned: Path,
                                                  monkeypatch: pytest.MonkeyPatch, said: str,
                                                  applied: bool) -> None:
    before = head(planned)
    monkeypatch.setattr("sys.stdin", _Terminal(said + "\n"))
    result = copi("tool", "apply", "planlaegning", cwd=planned)
    assert result.code == 0, result.err
    assert "Skal ændringerne ovenfor gemmes og committes? [j/N]" in result.out
    if applied:
        assert head(planned) != before
        assert len(load(planned, "interessenter.yaml")["stakeholders"]) == 2
    else:
        assert "Intet er skrevet." in result.err
        assert unchanged(planned, before)


@pytest.mark.usefixtures("danish_cli")
def test_exploration_barriers_and_insights_reach_udforskning_with_the_import(
        copi, process: Path, tmp_path: Path) -> None:
    before = head(process)
    result = _import(copi, process, tmp_path, EXPLORATION, "--apply", "--yes")
    assert result.code == 0, result.err
    assert "--- a/udforskning/behov.yaml" in result.out
    assert "--- a/udforskning/indsigter.yaml" in result.out
    barriers = load(process, "udforskning/behov.yaml")["barriers"]
    assert [(b["kind"], b["description"]) for b in barriers] == [
        ("legislation", "Data må ikke deles mellem kommune og region uden hjemmel"),
        ("financing", "Gevinsten ligger i regionen, udgiften i kommunen"),
        ("other", "Vi ved ikke, hvem der ejer nødkaldet")]
    insights = load(process, "udforskning/indsigter.yaml")["insights"]
    assert [(i["source"], i["title"], i["date"]) for i in insights] == [
        ("fieldwork", "De fleste fald sker om natten på vej til toilettet", "2026-05-27"),
        ("data", "Fald står for mange akutte indlæggelser af ældre", "2026-05-27")]
    # the answers and the records they fed: one commit
    assert git(process, "rev-list", "--count", f"{before}..HEAD").strip() == "1"
    committed = git(process, "show", "--name-only", "--format=", "HEAD").split()
    assert sorted(committed) == ["udforskning/behov.yaml", "udforskning/indsigter.yaml",
                                 "vaerktoejer/behovsudforskning.yaml"]
    assert "Svar importeret og overført" in git(process, "log", "-1", "--format=%s")
    assert copi("validate", cwd=process).code == 0
    assert "Intet at overføre" in copi("tool", "apply", "behovsudforskning", "--yes",
                                       cwd=process).out


def test_a_conflict_is_reported_and_never_overwritten(copi, planned: Path) -> None:
    write(planned, "interessenter.yaml", "stakeholders:\n  - id: paaroerende\n"
          "    name: De pårørende\n    influence: low\n")
    commit_all(planned, "en interessent i hånden")
    before = (planned / "interessenter.yaml").read_text(encoding="utf-8")
    result = copi("tool", "apply", "planlaegning", "--yes", cwd=planned)
    assert result.code == 0, result.err
    assert ("vaerktoejer/planlaegning.yaml:8: not carried over: 'Pårørende': its id "
            "'paaroerende' is taken by 'De pårørende' (interessenter.yaml:2)") in result.err
    data = load(planned, "interessenter.yaml")
    assert data["stakeholders"][0] == {"id": "paaroerende", "name": "De pårørende",
                                       "influence": "low"}
    assert [s["id"] for s in data["stakeholders"]] == ["paaroerende", "hjemmeplejen"]
    assert (planned / "interessenter.yaml").read_text(encoding="utf-8").startswith(before)


def test_answers_with_a_mistake_are_refused_at_their_line(copi, planned: Path) -> None:
    answers = planned / "vaerktoejer" / "planlaegning.yaml"
    answers.write_text(answers.read_text(encoding="utf-8").replace(
        "Pårørende", "<b>Pårørende</b>"), encoding="utf-8")
    commit_all(planned, "rettet i hånden")
    before = head(planned)
    result = copi("tool", "apply", "planlaegning", "--yes", cwd=planned)
    assert result.code == 1
    assert "vaerktoejer/planlaegning.yaml:8:17:" in result.err and "R024" in result.err
    assert "nothing was written" in result.err and "Traceback" not in result.err
    assert unchanged(planned, before)


def test_a_line_too_long_for_a_record_is_refused(copi, process: Path, tmp_path: Path) -> None:
    before = head(process)
    result = _import(copi, process, tmp_path, PLANNING.replace("Pårørende", "P" * 400),
                     "--apply", "--yes")
    assert result.code == 1
    assert "vaerktoejer/planlaegning.yaml:8: stakeholders: a line of 400 characters" \
        in result.err
    assert unchanged(process, before)


def test_a_bad_import_with_apply_changes_nothing(copi, process: Path, tmp_path: Path) -> None:
    before = head(process)
    result = _import(copi, process, tmp_path, PLANNING.replace("Pårørende", "42"),
                     "--apply", "--yes")
    assert result.code == 1 and "svar.yaml:7:" in result.err and "R023" in result.err
    assert unchanged(process, before)


def test_a_failing_commit_puts_every_file_back(copi, planned: Path) -> None:
    hook = planned / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho nej >&2\nexit 1\n")
    os.chmod(hook, 0o755)
    before = head(planned)
    result = copi("tool", "apply", "planlaegning", "--yes", cwd=planned)
    assert result.code != 0 and "Traceback" not in result.err
    assert unchanged(planned, before)


@pytest.mark.parametrize("args, code, said", [
    (("tool", "apply", "markedsdialog"), 2, "the answers of markedsdialog feed no records"),
    (("tool", "apply", "ledelsesforankring"), 2, "feed no records"),
    (("tool", "apply", "behovsudforskning"), 1, "there are no answers to behovsudforskning"),
])
def test_what_cannot_be_applied_says_why(copi, process: Path, args: tuple, code: int,
                                         said: str) -> None:
    before = head(process)
    result = copi(*args, cwd=process)
    assert result.code == code and said in result.err, result.err
    assert unchanged(process, before)


@pytest.mark.usefixtures("danish_cli")
def test_the_example_has_carried_its_answers_over(copi, example_repo: Path) -> None:
    """The bundled example shows the feature done: its tools' lines are all in its records."""
    before = head(example_repo)
    for name in ("planlaegning", "behovsudforskning"):
        result = copi("tool", "apply", name, "--yes", cwd=example_repo)
        assert result.code == 0 and "Intet at overføre" in result.out, result.out + result.err
    assert unchanged(example_repo, before)
    assert (EXAMPLE / "vaerktoejer" / "behovsudforskning.yaml").is_file()


def test_english_process_says_it_in_english(copi, tmp_path: Path) -> None:
    assert copi("init", "english", "--owner", "Aarhus Kommune", "--lang", "en",
                cwd=tmp_path).code == 0
    process = tmp_path / "english"
    assert _import(copi, process, tmp_path, PLANNING, "--apply", "--yes").code == 0
    assert "Answers imported and carried over: Planning tool" in git(
        process, "log", "-1", "--format=%s")
    again = copi("tool", "apply", "planning", "--yes", cwd=process)
    assert "Nothing to carry over" in again.out


def test_only_regular_files_inside_the_process_are_read_or_fed(copi, planned: Path,
                                                               tmp_path: Path) -> None:
    outside = tmp_path / "udenfor.yaml"
    outside.write_text("stakeholders: [{id: hemmelig, name: Hemmelig}]\n", encoding="utf-8")
    (planned / "interessenter.yaml").unlink()
    (planned / "interessenter.yaml").symlink_to(outside)
    commit_all(planned, "et link ud af processen")
    before = head(planned)
    result = copi("tool", "apply", "planlaegning", "--yes", cwd=planned)
    assert result.code == 1 and "interessenter.yaml cannot be read" in result.err
    assert "Hemmelig" not in result.out + result.err and unchanged(planned, before)
    answers = planned / "vaerktoejer" / "planlaegning.yaml"
    moved = tmp_path / "svar-udenfor.yaml"
    answers.rename(moved)
    answers.symlink_to(moved)
    commit_all(planned, "svarene som et link")
    before = head(planned)
    result = copi("tool", "apply", "planlaegning", "--yes", cwd=planned)
    assert result.code == 1 and "vaerktoejer/planlaegning.yaml:1:1: Y005" in result.err
    assert unchanged(planned, before)


def test_fill_in_the_terminal_and_apply(copi, process: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    typed = "\n".join([
        "Mette Kjær",                                   # filled in by
        "Hvornår falder borgerne?", "",                 # questions
        "", "", "", "",                                 # fieldwork … value chain: skipped
        "Lovgivning: Data må ikke deles", "",           # barriers
        "", "",                                         # workshop date, potential basis
        "Faldene sker om natten", "",                   # insights from fieldwork
        "", "", "",                                     # the other insights: none
    ]) + "\n"
    monkeypatch.setattr("sys.stdin", io.StringIO(typed))
    before = head(process)
    result = copi("tool", "fill", "behovsudforskning", "--apply", "--yes", cwd=process)
    assert result.code == 0, result.out + result.err
    assert "+    kind: legislation" in result.out
    assert load(process, "udforskning/indsigter.yaml")["insights"][0]["title"] \
        == "Faldene sker om natten"
    assert git(process, "rev-list", "--count", f"{before}..HEAD").strip() == "1"
    assert "Copi-Action: tool-fill" in git(process, "log", "-1", "--format=%B")
    assert "Svar udfyldt og overført" in git(process, "log", "-1", "--format=%s")


def test_fill_with_apply_for_a_tool_that_feeds_nothing_says_so_first(copi,
                                                                      process: Path) -> None:
    result = copi("tool", "fill", "markedsdialog", "--apply", cwd=process)
    assert result.code == 2 and "feed no records" in result.err
    assert "Formål" not in result.out  # refused before a question was asked


def _lock_is_free(root: Path) -> bool:
    from copi_cli.errors import EnvironmentProblem
    from copi_cli.trail import gitrepo, locking

    try:
        held = locking.take(gitrepo.find_repo(root), root, wait=0)
    except EnvironmentProblem:
        return False
    locking.release(held)
    return True


class _Asked(io.StringIO):
    """A terminal whose person, while the question is open, checks the lock and may let
    another copi change the records."""

    def __init__(self, root: Path, meanwhile=None) -> None:
        super().__init__("j\n")
        self.root, self.meanwhile, self.free = root, meanwhile, None

    def isatty(self) -> bool:
        return True

    def readline(self, *args) -> str:
        self.free = _lock_is_free(self.root)
        if self.meanwhile:
            self.meanwhile()
        return super().readline(*args)


def test_copi_asks_without_holding_the_lock(copi, planned: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Another copi need not wait while the person reads the diff: the lock is taken after
    the yes, and the change written as shown."""
    terminal = _Asked(planned)
    monkeypatch.setattr("sys.stdin", terminal)
    before = head(planned)
    result = copi("tool", "apply", "planlaegning", cwd=planned)
    assert result.code == 0, result.err
    assert terminal.free is True
    assert head(planned) != before
    assert len(load(planned, "interessenter.yaml")["stakeholders"]) == 2


@pytest.mark.parametrize("moved", ["interessenter.yaml", "vaerktoejer/planlaegning.yaml"])
def test_records_moved_while_copi_asked_refuse_the_change(copi, planned: Path,
                                                          monkeypatch: pytest.MonkeyPatch,
                                                          moved: str) -> None:
    def another_copi() -> None:
        path = planned / moved
        path.write_text(path.read_text(encoding="utf-8") + "# rettet imens\n",
                        encoding="utf-8")

    monkeypatch.setattr("sys.stdin", _Asked(planned, another_copi))
    before = head(planned)
    result = copi("tool", "apply", "planlaegning", cwd=planned)
    assert result.code != 0
    assert f"{moved} was changed while copi waited for the answer" in result.err
    assert "run the command again" in result.err
    assert head(planned) == before
    assert "Hjemmeplejen" not in (planned / "interessenter.yaml").read_text(encoding="utf-8")


def test_a_conflict_with_a_confidential_entry_names_it_by_its_place_only(
        copi, planned: Path) -> None:
    """The conflict reaches CI logs: a confidential entry's text stays out (review of issue
    21, point 2)."""
    write(planned, "interessenter.yaml", "stakeholders:\n  - id: paaroerende\n"
          "    confidential: true\n    name: De pårørende\n    influence: low\n")
    commit_all(planned, "en fortrolig interessent i hånden")
    result = copi("tool", "apply", "planlaegning", "--yes", cwd=planned)
    assert result.code == 0, result.err
    assert ("its id 'paaroerende' is taken by the entry at interessenter.yaml:2; left as it "
            "is") in result.err, result.err
    assert "De pårørende" not in result.err
