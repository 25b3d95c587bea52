"""What copi reads of git's configuration itself, checked against git's own answers: asked of
`git config` (the first time, and where copi cannot read the files as git does) and read from
the files (copi_cli.gitconfig)."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from copi_cli import gitrepo
from copi_cli.errors import EnvironmentProblem

from conftest import answered, git, git_wrapped, loose_objects_in_17


def _gits_name(root: Path) -> str | None:
    """The name in `git var GIT_COMMITTER_IDENT`, as git records it; None if git refuses."""
    done = subprocess.run(["git", "var", "GIT_COMMITTER_IDENT"], cwd=root, capture_output=True)
    ident = done.stdout.decode("utf-8", "surrogateescape")
    return ident.split("<", 1)[0].strip() if done.returncode == 0 else None


def _asked(repo: gitrepo.Repo, trace: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, bool]:
    """copi's answer, and whether it had to ask `git var`."""
    monkeypatch.setenv("GIT_TRACE2", str(trace))
    questions = gitrepo.Questions(repo, [repo.root])
    try:
        name = questions.actor()
    finally:
        questions.close()
        monkeypatch.delenv("GIT_TRACE2")
    return name, " var GIT_COMMITTER_IDENT" in trace.read_text()


def _learn(repo: gitrepo.Repo) -> None:
    """Let copi learn what git tells once (its version, its system file): from then on it
    reads the configuration files itself."""
    answered(repo)
    assert gitrepo._kept_answers(gitrepo._answers_file()) is not None


def _both_ways(repo: gitrepo.Repo, question: Callable[[gitrepo.Questions], bool],
               readable: bool = True) -> bool:
    """question's answer with the settings asked of git config (nothing kept yet) and read
    from the files (git's answers kept; where copi can read them): the two must agree."""
    answers = []
    for from_files in (False, True):
        if not from_files:
            gitrepo._answers_file().unlink(missing_ok=True)
        questions = gitrepo.Questions(repo, [repo.root], housekeeping=True)
        try:
            assert (questions._both is None) == (from_files and readable)
            answers.append(question(questions))
        finally:
            questions.close()
    assert answers[0] == answers[1]
    return answers[0]


IDENTITIES: dict[str, tuple[dict[str, str], str | bytes]] = {
    # name: (environment, repository configuration)
    "user.name": ({}, ""),
    "committer.name before user.name": ({}, "[committer]\n\tname = Kim Kontor\n"),
    "an empty committer.name is passed over": ({}, "[committer]\n\tname =\n"),
    "the last of several values": ({}, "[user]\n\tname = Først\n\tname = Sidst\n"),
    "the environment first": ({"GIT_COMMITTER_NAME": "Eva Env"},
                              "[committer]\n\tname = Kim Kontor\n"),
    "crud at the ends": ({"GIT_COMMITTER_NAME": " ..'Anne B. Ørsted.', "}, ""),
    "delimiters inside": ({"GIT_COMMITTER_NAME": "Anne <a>\nBirk"}, ""),
    "non-breaking spaces": ({"GIT_COMMITTER_NAME": "\u00a0Anne\u00a0"}, ""),
    "included configuration": ({}, "[include]\n\tpath = ../../included.gitconfig\n"),
    "committer.email only": ({}, "[committer]\n\temail = kim@example.dk\n"),
    "author.name does not count": ({}, "[author]\n\tname = Ada Author\n"),
    "line breaks in values": ({}, '[user]\n\temail = "a@x\\nuser.name Fake"\n'
                                  '[committer]\n\tname = "K\\nuser.name Fake"\n'),
    "bytes that are not UTF-8": ({}, b"[user]\n\tname = X\xc3<\xa9Y \xff\n"),
    "-c in the environment": ({"GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": "committer.name",
                               "GIT_CONFIG_VALUE_0": "Cecilie Kommando"}, ""),
    "GIT_CONFIG is for git config alone": ({"GIT_CONFIG": "../../included.gitconfig"}, ""),
}


@pytest.mark.parametrize("from_files", [False, True], ids=["git config", "files"])
@pytest.mark.parametrize("case", IDENTITIES)
def test_the_acting_name_is_the_one_git_records(
        repo: gitrepo.Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str,
        from_files: bool) -> None:
    """copi reads the name from the configuration (one git process fewer than `git var`), in
    git's order: the answer must be git's own. Read from the files, git config is asked only
    where copi cannot follow git (an include, `git -c`)."""
    if from_files:
        _learn(repo)
    environment, config = IDENTITIES[case]
    (tmp_path / "included.gitconfig").write_text("[user]\n\tname = Inge Inkluderet\n")
    with open(repo.git_dir / "config", "ab") as handle:
        handle.write(config if isinstance(config, bytes) else config.encode("utf-8"))
    for key, value in environment.items():
        monkeypatch.setenv(key, value)
    trace = tmp_path / "trace2.txt"
    name, asked_git = _asked(repo, trace, monkeypatch)
    assert name == _gits_name(repo.root)
    assert not asked_git
    asked_config = " config -z --get-regexp " in trace.read_text()
    assert asked_config == (not from_files or case in ("included configuration",
                                                       "-c in the environment"))


UNSETTLED = {
    # name: (environment, global configuration); git refuses or has to guess
    "an empty name": ({}, "[user]\n\temail = e@example.dk\n\tname =\n"),
    "a name without a value": ({}, "[user]\n\temail = e@example.dk\n\tname\n"),
    "a name of crud only": ({}, "[user]\n\temail = e@example.dk\n\tname = ...\n"),
    "an empty name in the environment": ({"GIT_COMMITTER_NAME": ""}, ""),
    "no e-mail: git takes EMAIL": ({"EMAIL": "uden@example.dk"}, "[user]\n\tname = Uden Mail\n"),
    "no name: git takes the login's": ({}, "[user]\n\temail = e@example.dk\n"),
}


@pytest.mark.parametrize("from_files", [False, True], ids=["git config", "files"])
@pytest.mark.parametrize("case", UNSETTLED)
def test_where_git_would_refuse_or_guess_git_is_asked(
        repo: gitrepo.Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str,
        from_files: bool) -> None:
    """Only git knows what it makes of these: copi asks `git var`, as it always did."""
    if from_files:
        _learn(repo)
    environment, config = UNSETTLED[case]
    global_config = tmp_path / "global.gitconfig"
    global_config.write_text(config)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(global_config))
    for key, value in environment.items():
        monkeypatch.setenv(key, value)
    trace = tmp_path / "trace2.txt"
    try:
        name, _ = _asked(repo, trace, monkeypatch)
    except gitrepo.GitError as refused:
        assert "git config --global user.name" in (refused.hint or "")
        name = None
    assert " var GIT_COMMITTER_IDENT" in trace.read_text()
    if _gits_name(repo.root) is not None:
        assert name == _gits_name(repo.root)


def _housekeeping_by_git(root: Path, trace: Path) -> bool:
    """Whether `git commit` starts its housekeeping here (a real commit, traced)."""
    (root / "file.txt").write_text(str(time.time_ns()))
    done = subprocess.run(["git", "add", "file.txt"], cwd=root)
    assert done.returncode == 0
    done = subprocess.run(["git", "commit", "-q", "-m", "x"], cwd=root, capture_output=True,
                          env={**os.environ, "GIT_TRACE2": str(trace)})
    started = trace.read_text() if trace.exists() else ""
    trace.unlink(missing_ok=True)
    return done.returncode == 0 and "maintenance run --auto" in started


def _takes_housekeeping_over(repo: gitrepo.Repo) -> bool:
    return _both_ways(repo, gitrepo.Questions.housekeeping)


def _git_copi_knows() -> bool:
    """Whether this git's housekeeping is the one copi can run in its place."""
    answer = subprocess.run(["git", "version"], capture_output=True, text=True).stdout
    oldest, too_new = gitrepo._HOUSEKEEPING_GIT
    return oldest <= gitrepo._version(answer) < too_new


@pytest.mark.parametrize("value", ["true", "TRUE", "yes", "On", "1", None, "false", "no",
                                   "off", "0", "", "2", "1k", "maybe"])
def test_copi_runs_gits_housekeeping_only_where_git_would(
        repo: gitrepo.Repo, tmp_path: Path, value: str | None) -> None:
    """copi takes the housekeeping over only where `git commit` would run it: for the plain
    spellings of true, and when maintenance.auto is not set. For any other value the commit
    reads it itself (and refuses it as git does)."""
    line = "\tauto\n" if value is None else f"\tauto = {value}\n"
    with open(repo.git_dir / "config", "a", encoding="utf-8") as handle:
        handle.write(f"[maintenance]\n{line}")
    ours = _takes_housekeeping_over(repo)
    plain_true = value is None or value.lower() in ("true", "yes", "on", "1")
    assert ours == (plain_true and _git_copi_knows())
    assert not ours or _housekeeping_by_git(repo.root, tmp_path / "trace2.txt")


def test_a_line_break_in_a_value_is_not_taken_for_a_setting(repo: gitrepo.Repo) -> None:
    with open(repo.git_dir / "config", "a", encoding="utf-8") as handle:
        handle.write('[maintenance]\n\tauto = false\n'
                     '[user]\n\tname = "N\\nmaintenance.auto true"\n')
    assert not _takes_housekeeping_over(repo)


def test_unset_maintenance_auto_is_true_as_in_git(repo: gitrepo.Repo, tmp_path: Path) -> None:
    assert _housekeeping_by_git(repo.root, tmp_path / "trace2.txt")
    assert _takes_housekeeping_over(repo) == _git_copi_knows()


def test_when_git_config_fails_copi_asks_git_var_and_leaves_the_housekeeping_to_git(
        repo: gitrepo.Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where copi cannot read the files itself (an include) and git config fails too."""
    (tmp_path / "included.gitconfig").write_text("")
    with open(repo.git_dir / "config", "a", encoding="utf-8") as handle:
        handle.write("[include]\n\tpath = ../../included.gitconfig\n")
    git_wrapped(tmp_path, monkeypatch, 'if [ "$1" = config ]; then exit 128; fi\n')
    questions = gitrepo.Questions(repo, [repo.root], housekeeping=True)
    assert not questions.housekeeping()
    questions.close()
    name, asked_git = _asked(repo, tmp_path / "trace2.txt", monkeypatch)
    assert asked_git and name == _gits_name(repo.root) == "Test Facilitator"


# --- whether the housekeeping may find work -------------------------------------------------

def _packs(objects: Path, count: int, kept: int = 0) -> None:
    """count packs in objects/pack (copies of one real pack under other names), kept of them
    marked .keep."""
    root = objects.parent.parent
    blob = subprocess.run(["git", "hash-object", "-w", "--stdin"], cwd=root, input="pakke\n",
                          capture_output=True, text=True, check=True).stdout.strip()
    made = subprocess.run(["git", "pack-objects", "-q", str(objects / "pack" / "pack")],
                          cwd=root, input=blob + "\n", capture_output=True, text=True,
                          check=True).stdout.strip()
    first = objects / "pack" / f"pack-{made}"
    for number in range(1, count):
        name = objects / "pack" / f"pack-{number:040x}"
        for suffix in (".idx", ".pack"):
            shutil.copyfile(first.with_suffix(suffix), name.with_suffix(suffix))
    for number in range(kept):
        (objects / "pack" / f"pack-{number + 1:040x}.keep").touch()


def _gc_by_git(root: Path, trace: Path) -> bool:
    """Whether git's housekeeping, as a commit starts it, finds work here (it starts gc or
    another command), traced; run in the foreground, so that nothing outlives the test."""
    done = subprocess.run(["git", "-c", "gc.autoDetach=false", *gitrepo._HOUSEKEEPING],
                          cwd=root, capture_output=True,
                          env={**os.environ, "GIT_TRACE2": str(trace)})
    started = trace.read_text() if trace.exists() else ""
    trace.unlink(missing_ok=True)
    return done.returncode != 0 or "child_start" in started


def _due_by_copi(repo: gitrepo.Repo, readable: bool = True) -> bool:
    def due(questions: gitrepo.Questions) -> bool:
        questions.changes()
        return questions.housekeeping_due(repo)

    return _both_ways(repo, due, readable)


@pytest.fixture
def git_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """git's own housekeeping settings (the tests' global configuration sets gc.auto = 0)."""
    config = tmp_path / "defaults.gitconfig"
    config.write_text("[user]\n\tname = Test Facilitator\n\temail = test@example.dk\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))


HOUSEKEEPING_STATES: dict[str, tuple[int, int, int, str, bool | None]] = {
    # name: (loose objects in 17, packs, of them kept, repository configuration,
    #        what copi says where git finds no work: None when copi must agree with git)
    "a new repository": (0, 0, 0, "", None),
    "27 loose objects, as many as git allows": (27, 0, 0, "", None),
    "28 loose objects": (28, 0, 0, "", None),
    "50 packs": (0, 50, 0, "", None),
    "51 packs": (0, 51, 0, "", None),
    "51 packs, one kept": (0, 51, 1, "", True),  # counted generously
    "gc.auto = 0 with 28 loose objects": (28, 0, 0, "[gc]\n\tauto = 0\n", True),
    "a lower gc.auto": (3, 0, 0, "[gc]\n\tauto = 256\n", True),
    "a lower gc.autoPackLimit": (0, 3, 0, "[gc]\n\tautoPackLimit = 2\n", True),
    "a maintenance task of its own": (0, 0, 0, "[maintenance \"commit-graph\"]\n"
                                               "\tenabled = true\n", True),
    "a maintenance strategy": (0, 0, 0, "[maintenance]\n\tstrategy = incremental\n", True),
    # git maintenance register lists repositories for scheduled maintenance: not a setting
    "registered repositories": (0, 0, 0, "[maintenance]\n\trepo = /a\n\trepo = /b\n", None),
    "registered repositories, 28 loose objects": (28, 0, 0, "[maintenance]\n\trepo = /a\n",
                                                  None),
}


@pytest.mark.skipif(not _git_copi_knows(), reason="this git does its own housekeeping")
@pytest.mark.parametrize("state", HOUSEKEEPING_STATES)
def test_copi_skips_the_housekeeping_only_where_git_would_find_no_work(
        repo: gitrepo.Repo, tmp_path: Path, git_defaults: None, state: str) -> None:
    """With git's own settings copi counts what gc counts and starts no process where it would
    find nothing; with settings of the housekeeping's own git decides (copi starts it)."""
    loose, packs, kept, config, where_git_idles = HOUSEKEEPING_STATES[state]
    objects = repo.git_dir / "objects"
    loose_objects_in_17(objects, loose)
    if packs:
        _packs(objects, packs, kept)
    with open(repo.git_dir / "config", "a", encoding="utf-8") as handle:
        handle.write(config)
    ours = _due_by_copi(repo)
    gits = _gc_by_git(repo.root, tmp_path / "trace2.txt")
    assert ours or not gits  # where git would find work, copi always starts it
    assert ours == (gits if where_git_idles is None or gits else where_git_idles)


@pytest.mark.parametrize("variable", ["GIT_OBJECT_DIRECTORY", "GIT_COMMON_DIR", "GIT_DIR"])
def test_git_directories_named_in_the_environment_are_left_to_git(
        repo: gitrepo.Repo, tmp_path: Path, git_defaults: None,
        monkeypatch: pytest.MonkeyPatch, variable: str) -> None:
    """git finds its objects elsewhere then: copi does not count for it."""
    assert not _due_by_copi(repo)
    name = repo.git_dir / "objects" if variable == "GIT_OBJECT_DIRECTORY" else repo.git_dir
    monkeypatch.setenv(variable, str(name))
    # git's directory named in the environment: copi asks git config too
    assert _due_by_copi(repo, readable=variable == "GIT_OBJECT_DIRECTORY")


def test_a_worktree_counts_the_objects_of_its_repository(
        repo: gitrepo.Repo, tmp_path: Path, git_defaults: None) -> None:
    git(repo.root, "commit", "-q", "--allow-empty", "-m", "start")
    git(repo.root, "worktree", "add", "-q", str(tmp_path / "other"))
    worktree = gitrepo.find_repo(tmp_path / "other")
    assert worktree is not None and worktree.git_dir != repo.git_dir
    assert not _due_by_copi(worktree)
    loose_objects_in_17(repo.git_dir / "objects", 28)
    assert _due_by_copi(worktree) and _gc_by_git(worktree.root, tmp_path / "trace2.txt")


NOT_GIT_DIRECTORIES = {
    # name: what a nested .git directory holds (files, and directories ending in /)
    "config only": {"config": "[user]\n\tname = Barnet\n"},
    "no objects": {"HEAD": "ref: refs/heads/main\n", "refs/": ""},
    "no refs": {"HEAD": "ref: refs/heads/main\n", "objects/": ""},
    "a HEAD that is not one": {"HEAD": "nonsense\n", "objects/": "", "refs/": ""},
    "a HEAD linked elsewhere": {"HEAD -> config": "", "config": "", "objects/": "",
                                "refs/": ""},
    "an unreadable common directory": {"HEAD": "ref: refs/heads/main\n", "objects/": "",
                                       "refs/": "", "commondir": b"../x\xff"},
}


def _make(root: Path, entries: dict[str, str | bytes]) -> None:
    for name, content in entries.items():
        if name.endswith("/"):
            (root / name).mkdir(parents=True)
        elif " -> " in name:
            link, target = name.split(" -> ")
            (root / link).symlink_to(target)
        else:
            (root / name).write_bytes(content if isinstance(content, bytes)
                                      else content.encode())


@pytest.mark.parametrize("inside", NOT_GIT_DIRECTORIES)
def test_a_dot_git_that_git_passes_over_is_passed_over(
        repo: gitrepo.Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        inside: str) -> None:
    """git takes a `.git` directory for a repository only with a HEAD, objects and refs, and
    otherwise looks further up: copi finds the same repository (and reads its settings)."""
    nested = repo.root / "child" / ".git"
    nested.mkdir(parents=True)
    _make(nested, NOT_GIT_DIRECTORIES[inside])
    found = gitrepo.find_repo(repo.root / "child")
    assert found is not None and found.root == repo.root
    shown = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=repo.root / "child",
                           capture_output=True, text=True, check=True).stdout.strip()
    assert Path(shown) == repo.root
    _learn(found)
    assert _asked(found, tmp_path / "trace2.txt", monkeypatch)[0] == "Test Facilitator"


@pytest.mark.parametrize("head", ["ref: refs/heads/main\n", "HEAD -> refs/heads/main"])
def test_a_dot_git_git_takes_is_taken(repo: gitrepo.Repo, head: str) -> None:
    """A repository git made, and one whose HEAD is a link to its branch
    (core.preferSymlinkRefs): copi finds it, and sees HEAD on its branch."""
    git(repo.root, "init", "-q", "child")
    dot_git = repo.root / "child" / ".git"
    if " -> " in head:
        (dot_git / "HEAD").unlink()
        _make(dot_git, {head: ""})
    found = gitrepo.find_repo(repo.root / "child")
    assert found is not None and found.root == repo.root / "child"
    gitrepo.ensure_ready(found)
    assert gitrepo.current_branch(found) == "main"


@pytest.mark.parametrize("link", ["", "junk\n", "GITDIR: ../x\n", "gitdir:../x\n",
                                  "gitdir: nowhere\n", "gitdir: \n"])
def test_a_dot_git_file_git_refuses_is_refused(repo: gitrepo.Repo, link: str) -> None:
    """git stops at a `.git` file that does not link to a git directory: copi refuses too,
    rather than commit to the repository further up; what only reads goes on without one."""
    (repo.root / "child").mkdir()
    (repo.root / "child" / ".git").write_text(link)
    assert subprocess.run(["git", "status"], cwd=repo.root / "child",
                          capture_output=True).returncode == 128
    with pytest.raises(EnvironmentProblem):
        gitrepo.require_repo(repo.root / "child")
    assert gitrepo.find_repo(repo.root / "child") is None


def test_a_dot_git_file_that_links_nowhere_is_reported_not_fatal_where_copi_only_reads(
        copi, example: Path) -> None:
    """A submodule copied without its superproject: validate (CI formats) and doctor report,
    advance refuses with git's reason."""
    (example / ".git").write_text("gitdir: ../.git/modules/faerre-fald\n")
    assert copi("validate", "--format", "github", cwd=example).code == 0
    run = copi("doctor", cwd=example)
    assert run.code == 1 and "links to ../.git/modules/faerre-fald" in run.out
    run = copi("advance", cwd=example)
    assert run.code == 3 and "not a git directory" in run.err


def test_a_bare_repository_has_no_work_tree_to_commit_from(repo: gitrepo.Repo) -> None:
    """Not even the work tree of a repository around it, which git does not look for."""
    git(repo.root, "init", "-q", "--bare", "bare.git")
    (repo.root / "bare.git" / "proces").mkdir()
    assert gitrepo.find_repo(repo.root / "bare.git" / "proces") is None


def test_where_the_search_is_limited_git_is_asked(
        repo: gitrepo.Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    (repo.root / "a" / "b").mkdir(parents=True)
    assert gitrepo.find_repo(repo.root / "a" / "b") is not None
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(repo.root / "a"))
    assert gitrepo.find_repo(repo.root / "a" / "b") is None
