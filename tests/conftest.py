"""Fixtures and the helpers test modules share: an isolated home, git identity and cache for
every test, CLI runners, processes to work on, and the state a refused command must leave."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

# Test modules say `from conftest import …`. pytest imports this file by its path as
# `tests.conftest` (--import-mode=importlib, so that test files in different folders may share a
# name): the same module answers to both names.
sys.modules.setdefault("conftest", sys.modules[__name__])

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "faerre-fald"
CASES = Path(__file__).resolve().parent / "cases"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(autouse=True)
def isolated(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never touch the user's home, git configuration or cache; pin output width and colour."""
    home = tmp_path_factory.mktemp("home")
    gitconfig = home / ".gitconfig"
    gitconfig.write_text("[user]\n\tname = Test Facilitator\n\temail = test@example.dk\n"
                         "[init]\n\tdefaultBranch = main\n[gc]\n\tauto = 0\n")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(gitconfig))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("COPI_CACHE_DIR", str(home / "cache"))
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COPI_QUIET", "0")  # restored after each test, whatever --quiet set
    # copi speaks English to the suite unless a test asks for Danish (COPI_LANG=da, or
    # COPI_LANG removed and a Danish process or locale); the machine's locale never decides.
    monkeypatch.setenv("COPI_LANG", "en")
    monkeypatch.setenv("LANG", "C.UTF-8")
    for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    # and no language chosen by an earlier test's run in this worker lingers
    from copi_cli.cli import language

    monkeypatch.setattr(language, "_chosen", {})
    for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME",
                 "GIT_COMMITTER_EMAIL", "GIT_DIR", "GIT_WORK_TREE", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def danish_cli(monkeypatch: pytest.MonkeyPatch) -> None:
    """copi speaks Danish at the command line, as it does by default to a Danish process: for
    the tests that read its Danish words."""
    monkeypatch.setenv("COPI_LANG", "da")


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def copi(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    """Run the CLI in-process through its real entry point (error boundary included)."""
    from copi_cli.cli.app import main

    def run(*args: str, cwd: Path | None = None) -> Run:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        capsys.readouterr()
        try:
            main(list(args))
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
        else:  # pragma: no cover - main always exits
            code = 0
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


def copi_executable() -> list[str]:
    """The installed console script when there is one beside this Python, else -m."""
    script = Path(sys.executable).with_name("copi")
    return [str(script)] if script.exists() else [sys.executable, "-m", "copi_cli"]


@pytest.fixture
def copi_process():
    """Run the installed copi as a real subprocess."""
    def run(*args: str, cwd: Path | None = None) -> Run:
        done = subprocess.run([*copi_executable(), *args], cwd=cwd, capture_output=True,
                              text=True, env=os.environ.copy(), timeout=120)
        return Run(done.returncode, done.stdout, done.stderr)
    return run


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A copy of the bundled example process, free to edit."""
    target = tmp_path / "faerre-fald"
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns("build"))
    return target


@pytest.fixture
def example_repo(tmp_path: Path) -> Path:
    """The bundled example in a git repository of its own, everything committed."""
    root = tmp_path / "faerre-fald"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("build"))
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "eksempel")
    return root


def outside_env(home: Path, day: str = "2026-10-15T12:00:00+02:00") -> dict[str, str]:
    """An environment for git and copi run as subprocesses by a module-scoped fixture (which
    runs before `isolated`): its own home and cache, no git configuration of the user's, and
    commits pinned to a day."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("GIT_", "LC_")) and key not in ("LANGUAGE", "XDG_CACHE_HOME")}
    home.mkdir(parents=True, exist_ok=True)
    env.update(HOME=str(home), COPI_CACHE_DIR=str(home / "cache"), GIT_CONFIG_GLOBAL=os.devnull,
               GIT_CONFIG_NOSYSTEM="1", GIT_AUTHOR_NAME="Test Facilitator",
               GIT_AUTHOR_EMAIL="test@example.dk", GIT_COMMITTER_NAME="Test Facilitator",
               GIT_COMMITTER_EMAIL="test@example.dk", GIT_AUTHOR_DATE=day,
               GIT_COMMITTER_DATE=day, COPI_LANG="en", LANG="C.UTF-8", NO_COLOR="1")
    return env


def committed_example(root: Path, env: dict[str, str]) -> Path:
    """The bundled example copied to root, in a git repository of its own, committed with
    env (`outside_env`)."""
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("build"))
    for args in (("init", "-q", "-b", "main"), ("add", "-A"), ("commit", "-q", "-m", "eksempel")):
        subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)
    return root


@pytest.fixture
def process(copi, tmp_path: Path) -> Path:
    """A new process made by `copi init` in a repository of its own, everything committed."""
    assert copi("init", "proces", "--owner", "Aarhus Kommune", cwd=tmp_path).code == 0
    return tmp_path / "proces"


@pytest.fixture
def repo(tmp_path: Path):  # noqa: ANN201 - a gitrepo.Repo (imported where it is used)
    """A new git repository, as copi finds it."""
    from copi_cli.trail import gitrepo
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    found = gitrepo.find_repo(root)
    assert found is not None
    return found


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                          text=True).stdout


def write(root: Path, rel: str, text: str) -> None:
    """Write a file of a process, making its folder if need be."""
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def head(root: Path) -> str:
    """The commit HEAD names."""
    return git(root, "rev-parse", "HEAD").strip()


def load(root: Path, rel: str) -> dict:
    """A YAML file of a process, read as data."""
    return yaml.safe_load((root / rel).read_text(encoding="utf-8"))


def unchanged(root: Path, before: str) -> bool:
    """HEAD where it was and nothing in the work tree changed or added."""
    return head(root) == before and git(root, "status", "--porcelain") == ""


def state(root: Path) -> tuple[str, str, str, bytes]:
    """HEAD, tags, index and copi.yaml: what a failed command must leave as it was."""
    return (git(root, "rev-parse", "HEAD"), git(root, "tag"),
            git(root, "ls-files", "-s"), (root / "copi.yaml").read_bytes())


def state_and_work_tree(root: Path) -> tuple[str, str, str, bytes, str]:
    """state() and the work tree: what a refused change leaves as it was."""
    return (*state(root), git(root, "status", "--porcelain", "-uall"))


def commit_all(root: Path, message: str) -> None:
    """Commit whatever changed in the process directory, if anything did."""
    git(root, "add", "-A", "--", ".")
    if git(root, "status", "--porcelain", "--", "."):
        git(root, "commit", "-q", "-m", message, "--", ".")


def publish(root: Path, *documents: str) -> None:
    """copi publish DOC… --format md, run in-process as a facilitator runs it; the process
    directory must be committed."""
    import contextlib
    import io

    from copi_cli.cli.app import main

    said = io.StringIO()
    with contextlib.redirect_stdout(said), contextlib.redirect_stderr(said):
        try:
            main(["publish", *documents, "--format", "md", "--dir", str(root)])
        except SystemExit as done:
            assert not done.code, said.getvalue()


# What each phase's gate asks for, written into a process made by `copi init` (uncommitted,
# but for the texts of phase 1: they are committed and published, as the gate asks).

def to_phase_6(copi, root: Path) -> None:  # noqa: ANN001 - the copi fixture
    """Forced on to phase 6, where the declaration is signed at its launch."""
    while load(root, "copi.yaml")["phase"] != "declaration":
        run = copi("advance", "--force", "--reason", "Til underskrift", cwd=root)
        assert run.code == 0, run.err


def fulfil_phase_1(root: Path) -> None:
    config = root / "copi.yaml"  # the starter description replaced, its line ends kept
    config.write_bytes(re.sub(rb"description:.*?(\r?\n)(?=facilitator:)",
                              "description: Ældre falder i eget hjem, og ingen kan alene skabe "
                              "efterspørgslen.".encode() + rb"\1", config.read_bytes(),
                              flags=re.DOTALL))
    for rel, document in (("tekster/problembeskrivelse.md", "problem-description"),
                          ("tekster/pressemeddelelse.md", "press-release")):
        write(root, rel, f"---\ndocument: {document}\ntitle: Titel\nstatus: final\n---\n"
                         "Rigtig tekst om problemet.\n")
    commit_all(root, "Problembeskrivelse og pressemeddelelse")
    publish(root, "problem-description", "press-release")
    owner = root / "organisationer/aarhus-kommune.yaml"
    owner.write_text(owner.read_text(encoding="utf-8") + (
        "backing:\n  political:\n    by: Rådmanden\n    date: \"2025-05-01\"\n"
        "    evidence: https://aarhus.example/beslutning\n  administrative:\n"
        "    by: Direktionen\n    date: \"2025-04-01\"\n"
        "    evidence: https://aarhus.example/notat\n"), encoding="utf-8")
    write(root, "bekraeftelser.yaml", "confirmations:\n"
          "  - {result: expectations-aligned, by: Facilitator, date: \"2025-05-02\"}\n"
          "  - {result: fit-assessed, by: Facilitator, date: \"2025-05-03\"}\n")
    write(root, "interessenter.yaml", "stakeholders:\n  - {id: borgere, name: Borgere}\n"
          "value_chain:\n  - {id: indkoeb, step: Indkøb}\n")


def fulfil_phase_2(root: Path) -> None:
    write(root, "organisationer/odense-kommune.yaml",
          "id: odense-kommune\nname: Odense Kommune\ntype: municipality\nrole: need-owner\n"
          "municipality_code: \"461\"\njoined: \"2025-05-20\"\nbacking:\n  political:\n"
          "    by: Udvalget\n    date: \"2025-05-25\"\n    evidence: https://odense.example/u\n"
          "  administrative:\n    by: Direktionen\n    date: \"2025-05-21\"\n"
          "    evidence: https://odense.example/d\n")
    write(root, "arrangementer/matchmaking.yaml",
          "id: matchmaking\nkind: matchmaking\ntitle: Matchmaking\ndate: \"2025-05-20\"\n")


def fulfil_phase_3(root: Path) -> None:
    write(root, "udforskning/indsigter.yaml", "insights:\n"
          "  - {id: felt, source: fieldwork, title: Feltarbejde}\n"
          "  - {id: tal, source: data, title: Data}\n"
          "  - {id: lit, source: literature, title: Litteratur}\n")
    write(root, "udforskning/behov.yaml", "needs:\n  - {id: behov, title: Behov, owners: "
          "[aarhus-kommune, odense-kommune]}\nbarriers:\n"
          "  - {id: lov, kind: legislation, description: Lovgivning}\n")
    write(root, "potentiale.yaml", "status: started\n")


def fulfil_phase_4(root: Path) -> None:
    write(root, "arrangementer/konference.yaml",
          "id: konference\nkind: supplier-conference\ntitle: Leverandørkonference\n"
          "date: \"2025-06-10\"\nannounced: {date: \"2025-05-30\", channel: udbud.dk, open: true}\n"
          "materials:\n  - {title: Slides, url: https://x.example/s, published: \"2025-06-11\"}\n")
    write(root, "leverandoerer/firma.yaml", "id: firma\nname: Firma ApS\n")
    write(root, "vaerktoejer/markedsdialog.yaml",
          "tool: market-dialogue\nanswers:\n  purpose: Lære markedet at kende\n"
          "  conference_date: \"2025-06-10\"\n  announcement: [udbud.dk]\n"
          "  one_to_one: all\n  same_information: true\n")
    for day in ("12", "13"):
        write(root, f"moeder/m{day}.yaml", f"id: m{day}\nkind: one-to-one\nsupplier: firma\n"
              f"owners: [odense-kommune]\ndate: \"2025-06-{day}\"\nevent: konference\n")
    confirmations = root / "bekraeftelser.yaml"
    confirmations.write_text(confirmations.read_text(encoding="utf-8") +
                             "  - {result: criteria-discussed, by: F, date: \"2025-06-14\"}\n",
                             encoding="utf-8")
    insights = root / "udforskning/indsigter.yaml"
    insights.write_text(insights.read_text(encoding="utf-8") +
                        "  - {id: marked, source: market-dialogue, title: Markedet}\n",
                        encoding="utf-8")
    # the report of the market dialogue published after the conference
    commit_all(root, "Markedsdialogen")
    publish(root, "market-dialogue-report")



MODELINE = re.compile(r"\A# yaml-language-server: \$schema=(\S+)\n")


def schema_of(path: Path) -> Path:
    """The schema a YAML file names in the modeline on its first line, for editors."""
    found = MODELINE.match(path.read_text(encoding="utf-8"))
    assert found, f"{path} has no modeline on its first line"
    return (path.parent / found.group(1)).resolve()


def in_a_terminal(args: list[str], cwd: Path, env: dict[str, str]) -> tuple[int, bytes]:
    """Run a command with a pseudo-terminal as its output, as a person at a terminal does:
    its exit code and everything it wrote."""
    import pty

    main, secondary = pty.openpty()
    process = subprocess.Popen(args, stdout=secondary, stderr=secondary, cwd=cwd, env=env)
    os.close(secondary)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    code = process.wait(timeout=60)
    os.close(main)
    return code, b"".join(chunks)


def require_chromium() -> None:
    """Skip what needs Debian's Chromium and its ChromeDriver when they are missing, unless
    COPI_REQUIRE_BROWSER is set (CI sets it): then fail, so CI never passes by skipping."""
    if (shutil.which("chromium") or shutil.which("chromium-browser")) and \
            shutil.which("chromedriver"):
        return
    if os.environ.get("COPI_REQUIRE_BROWSER"):
        pytest.fail("Chromium and ChromeDriver are required: apt-get install chromium "
                    "chromium-driver", pytrace=False)
    pytest.skip("Chromium and ChromeDriver are not installed", allow_module_level=True)


def axe_failures(browser, url: str, label: str) -> dict[str, list]:  # noqa: ANN001
    """What axe-core 4 (bundled by selenium-axe-python, no network) finds against WCAG 2.1 A
    and AA on the page at url, at a desktop and a phone width, keyed by label and width. A
    contrast axe cannot judge counts too: a header once came out in its background's colour,
    which axe reports only as incomplete."""
    from selenium_axe_python import Axe

    wanted = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
    failures = {}
    for width in (1200, 390):
        browser.set_window_size(width, 900)
        browser.get(url)
        axe = Axe(browser)
        axe.inject()
        known = set(browser.execute_script("return axe.getRules().flatMap(rule => rule.tags)"))
        assert set(wanted) <= known, f"axe-core {browser.execute_script('return axe.version')}"
        results = axe.run(options={"runOnly": {"type": "tag", "values": wanted}})
        assert results["passes"], "axe ran no check"
        unsure = [r for r in results["incomplete"] if r["id"] == "color-contrast"]
        if results["violations"] or unsure:
            failures[f"{label} @ {width}px"] = [
                (v["id"], [n["html"] for n in v["nodes"]][:3])
                for v in [*results["violations"], *unsure]]
    browser.set_window_size(1200, 900)
    return failures


def chromium(profile: Path, downloads: Path | None = None):  # noqa: ANN201 - a WebDriver
    """Debian's Chromium in headless mode through its ChromeDriver, with the flags this
    machine's closed network needs; downloads (if given) land in that folder."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or shutil.which("chromium-browser")
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                 f"--user-data-dir={profile}"):
        options.add_argument(flag)
    if downloads is not None:
        options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                                  "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(executable_path=shutil.which("chromedriver")),
                              options=options)
    if downloads is not None:
        driver.execute_cdp_cmd("Browser.setDownloadBehavior",
                               {"behavior": "allow", "downloadPath": str(downloads)})
    return driver


# --- a portfolio of processes (copi portfolio) ---------------------------------------------

PORTFOLIO_COMMITTED = "2026-11-02T10:00:00+00:00"  # the committed processes last changed
PORTFOLIO_TOUCHED = 1_780_000_000  # 2026-05-28T20:26:40Z: the files of the process outside git


def _example_copy(target: Path) -> Path:
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns("build"))
    return target


def _committed_copy(root: Path) -> None:
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "eksempel")


@pytest.fixture
def portfolio(tmp_path: Path, copi, monkeypatch: pytest.MonkeyPatch) -> Path:
    """portfolio/ holding:
    - a-faerre-fald: the example in git, valid, phase 4 (market dialogue), seven need owners;
    - b-madservice: a new process (copi init, phase 1), Horsens Kommune its one need owner;
    - c-ugyldig: the example outside git with Aarhus Kommune spelt "Århus Kommune" (R007, an
      error: the name disagrees with its code) and its files last touched at PORTFOLIO_TOUCHED;
    - d-flettes: the example in git in the middle of a merge that conflicts on copi.yaml;
    - e-brudt: a copi.yaml that is not YAML;
    and, never to be found: a process under node_modules/, one in a hidden folder, and a link
    to a process outside the portfolio."""
    monkeypatch.setenv("GIT_COMMITTER_DATE", PORTFOLIO_COMMITTED)
    monkeypatch.setenv("GIT_AUTHOR_DATE", PORTFOLIO_COMMITTED)
    top = tmp_path / "portfolio"
    top.mkdir()
    _committed_copy(_example_copy(top / "a-faerre-fald"))
    run = copi("init", "b-madservice", "--title", "Fremtidens madservice", "--owner", "Horsens",
               "--date", "2026-03-02", cwd=top)
    assert run.code == 0, run.err

    invalid = _example_copy(top / "c-ugyldig")
    aarhus = invalid / "organisationer" / "aarhus-kommune.yaml"
    aarhus.write_text(aarhus.read_text(encoding="utf-8").replace(
        "name: Aarhus Kommune", "name: Århus Kommune"), encoding="utf-8")
    for path in invalid.rglob("*"):
        os.utime(path, (PORTFOLIO_TOUCHED, PORTFOLIO_TOUCHED), follow_symlinks=False)

    merging = _example_copy(top / "d-flettes")
    _committed_copy(merging)
    process = merging / "copi.yaml"
    text = process.read_text(encoding="utf-8")
    git(merging, "checkout", "-q", "-b", "other")
    process.write_text(text.replace("Sammen om færre fald i eget hjem", "Færre fald"),
                       encoding="utf-8")
    git(merging, "commit", "-q", "-am", "kort titel")
    git(merging, "checkout", "-q", "main")
    process.write_text(text.replace("Sammen om færre fald i eget hjem", "Fald i hjemmet"),
                       encoding="utf-8")
    git(merging, "commit", "-q", "-am", "anden titel")
    merge = subprocess.run(["git", "merge", "other"], cwd=merging, capture_output=True)
    assert merge.returncode == 1 and b"CONFLICT" in merge.stdout

    broken = top / "e-brudt"
    broken.mkdir()
    (broken / "copi.yaml").write_text("id: brudt\ntitle: [ikke lukket\n", encoding="utf-8")

    _example_copy(top / "node_modules" / "pakke")
    _example_copy(top / ".skjult" / "proces")
    _example_copy(tmp_path / "udenfor")
    (top / "link").symlink_to(tmp_path / "udenfor")
    return top
