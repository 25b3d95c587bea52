"""copi's reading of git's configuration files, checked against git's own reading of them."""

from __future__ import annotations

import os
import random
import subprocess
from pathlib import Path

import pytest

from copi_cli import gitconfig, gitrepo

from conftest import answered, git_wrapped


def _all(key: str) -> bool:
    return True


def _named(key: str) -> bool:
    """The keys _layered writes (the repository's configuration has core.* of its own)."""
    return key.startswith(("user.", "maintenance."))


def _gits(args: list[str], cwd: Path) -> dict[str, str | None] | None:
    """git config's answer as copi keeps it (the last value of each key); None if git refuses."""
    done = subprocess.run(["git", "config", "-z", *args], cwd=cwd, capture_output=True)
    if done.returncode not in (0, 1):
        return None
    found: dict[str, str | None] = {}
    for record in done.stdout.decode("utf-8", "surrogateescape").split("\0")[:-1]:
        key, newline, value = record.partition("\n")
        found[key] = value if newline else None
    return found


def _copis(data: bytes) -> dict[str, str | None] | None:
    found: dict[str, str | None] = {}
    try:
        gitconfig._parse(data, _all, found)
    except (gitconfig.Unsure, IndexError):
        return None
    return found


TEXTS: dict[str, bytes] = {
    "plain": b"[user]\n\tname = Anne Birk\n\temail = a@example.dk\n",
    "case of section and key": b"[User]\n\tNAME = x\n[GC]\n\tautoPackLimit = 3\n",
    "a subsection keeps its case": b'[maintenance "Commit-Graph"]\n\tEnabled = true\n',
    "the old subsection form is lowercased": b"[Maintenance.GC]\n\tenabled = false\n",
    "a key without a value": b"[maintenance]\n\tauto\n",
    "an empty value": b"[user]\n\tname =\n",
    "quotes and spaces": b'[user]\n\tname =   "  Anne "  Birk  \t ;x\n',
    "escapes": b'[user]\n\tname = "A\\tB\\\\C\\"D\\nE\\b"\n',
    "an escaped quote in a subsection": b'[x "a\\"b\\\\c\\d"]\n\tname = v\n',
    "comments": b"# top\n; top\n[user] ; after the header\n\tname = a # b\n\temail = \"c#d\"\n",
    "a continued line": b"[user]\n\tname = Anne \\\n  Birk\n",
    "continued at the very end": b"[user]\n\tname = Anne\\",
    "crlf line ends": b"[user]\r\n\tname = Anne\r\n\temail = \"x\r\"\r\n",
    "a lone carriage return": b"[user]\n\tname = A\rB\n",
    "a key on the header's line": b"[user] name = Anne\n",
    "several values, the last counts": b"[user]\n\tname = one\n[user]\n\tname = two\n",
    "a byte order mark": b"\xef\xbb\xbf[user]\n\tname = Anne\n",
    "bytes that are not UTF-8": b"[user]\n\tname = X\xc3<\xa9Y \xff\n",
    "no line end at the end": b"[user]\n\tname = Anne",
    "dashes and digits in keys": b"[a-b]\n\tx-1 = y\n",
    # git refuses these: copi must not read them either
    "an unknown escape": b"[user]\n\tname = a\\xb\n",
    "an open quote": b'[user]\n\tname = "Anne\n',
    "a broken header": b"[user\n\tname = Anne\n",
    "an empty header": b"[]\n\tname = Anne\n",
    "a key that starts with a digit": b"[user]\n\t1name = Anne\n",
    "an underscore in a key": b"[user]\n\tna_me = Anne\n",
    "a comment after a bare key": b"[user]\n\tname # x\n",
    "a partial byte order mark": b"\xef\xbb[user]\n\tname = Anne\n",
    "a subsection without quotes": b"[x y]\n\tname = v\n",
    "a subsection broken by a line end": b'[x "a\nb"]\n\tname = v\n',
}


@pytest.mark.parametrize("case", TEXTS)
def test_a_file_reads_as_git_reads_it(tmp_path: Path, case: str) -> None:
    path = tmp_path / "config"
    path.write_bytes(TEXTS[case])
    assert _copis(TEXTS[case]) == _gits(["-f", str(path), "--list"], tmp_path)


PIECES = ["[user]", "[User]", '[user "Sub"]', "[user.Sub]", "[gc]", '[maintenance "gc"]',
          "[ user]", "[]", "[a-b.c]", '[x "a\\"b"]', '[x "a\\nb"]', '[x "a', '[x"a"]',
          '[x  "a" ]', "name", "Name", "na-me", "n1", "1n", "na_me", "name =", "name=",
          "name = value", 'name = "quoted value"', 'name = a "b c" d', "name = a  \t b",
          "name = a # c", "name = a ; c", 'name = "a # c"', "name = a\\", "name = a\\nb",
          "name = a\\tb", "name = a\\xb", 'name = "unterminated', 'name = \\"', "email = x@y",
          "auto = 0", "autoPackLimit = 3", 'name = "" x', "  name = v  ", "name \t= v",
          "name = v\\\\", "name # c", "# comment", "; comment", "\tname = tabbed",
          "name = ä ø", 'name = "a\\"b"', "name = a\\\n b", "name = a\r", "\ufeff"]
SEPARATORS = ["\n", "\n", "\n", "\r\n", " ", "\r", ""]


def test_random_files_read_as_git_reads_them_or_are_left_to_git(tmp_path: Path) -> None:
    """Files put together from the pieces git's grammar is made of: where copi reads a file,
    it reads what git reads, and where git refuses one, copi does not read it."""
    chance = random.Random(20261127)
    path = tmp_path / "config"
    read = readable = 0
    for _ in range(300):
        text = chance.choice(["[user]", "[s]", '[s "T"]', ""]) + chance.choice(SEPARATORS)
        text += "".join(chance.choice(PIECES) + chance.choice(SEPARATORS)
                        for _ in range(chance.randint(1, 8)))
        data = text.encode("utf-8")
        path.write_bytes(data)
        ours, gits = _copis(data), _gits(["-f", str(path), "--list"], tmp_path)
        assert ours is None or ours == gits, text
        read += ours is not None
        readable += gits is not None
    assert read > 0.8 * readable  # most files git reads, copi reads too (not: a key before
    # the first section)


@pytest.mark.parametrize("text", [b"[include]\n\tpath = other\n",
                                  b'[includeIf "gitdir:/x/"]\n\tpath = other\n',
                                  b"[extensions]\n\tworktreeConfig = true\n",
                                  b"[extensions]\n\tobjectFormat = sha256\n",
                                  b"[core]\n\trepositoryFormatVersion = 2\n",
                                  b"[core]\n\trepositoryFormatVersion = 01\n",
                                  b"[user]\n\tname = a\0b\n",
                                  b"name = a key before any section\n"])
def test_what_brings_in_other_files_or_may_be_refused_is_left_to_git(text: bytes) -> None:
    """Includes and per-worktree configuration bring in other files; a repository format or
    extension git may not know makes it refuse the repository or pass over its file; git cuts
    a value at a NUL byte."""
    assert _copis(text) is None


# --- the files git reads, in its order --------------------------------------------------------

def _layered(tmp_path: Path, repo: gitrepo.Repo) -> dict[str, Path]:
    """A setting in each of git's files (system, XDG, ~/.gitconfig, repository) to tell which
    are read, and keys set in several to tell their order."""
    files = {"system": tmp_path / "system.gitconfig",
             "xdg": tmp_path / "xdg" / "git" / "config",
             "home": tmp_path / "home" / ".gitconfig",
             "repository": repo.git_dir / "config"}
    keys = {"system": ("name", "email"), "xdg": ("name", "email"), "home": ("name",),
            "repository": ()}
    for where, path in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as handle:
            handle.write("[user]\n" + "".join(f"\t{key} = {where}\n" for key in keys[where])
                         + f'[maintenance "{where}"]\n\tenabled\n')
    return files


ENVIRONMENTS: dict[str, dict[str, str | None]] = {
    # name: environment (None: unset), with HOME, XDG_CONFIG_HOME and the system file set
    "every file": {"GIT_CONFIG_GLOBAL": None, "GIT_CONFIG_NOSYSTEM": None},
    "no system file": {"GIT_CONFIG_GLOBAL": None, "GIT_CONFIG_NOSYSTEM": "1"},
    "GIT_CONFIG_NOSYSTEM false": {"GIT_CONFIG_GLOBAL": None, "GIT_CONFIG_NOSYSTEM": "no"},
    "GIT_CONFIG_NOSYSTEM empty": {"GIT_CONFIG_GLOBAL": None, "GIT_CONFIG_NOSYSTEM": ""},
    "GIT_CONFIG_NOSYSTEM 0": {"GIT_CONFIG_GLOBAL": None, "GIT_CONFIG_NOSYSTEM": "0"},
    "no XDG_CONFIG_HOME": {"GIT_CONFIG_GLOBAL": None, "XDG_CONFIG_HOME": None},
    "an empty XDG_CONFIG_HOME": {"GIT_CONFIG_GLOBAL": None, "XDG_CONFIG_HOME": ""},
    "GIT_CONFIG_GLOBAL": {"GIT_CONFIG_GLOBAL": "{tmp}/xdg/git/config"},
    "an empty GIT_CONFIG_GLOBAL": {"GIT_CONFIG_GLOBAL": ""},
    "no HOME": {"GIT_CONFIG_GLOBAL": None, "HOME": None, "XDG_CONFIG_HOME": None},
    "GIT_CONFIG is for git config alone": {"GIT_CONFIG_GLOBAL": None,
                                           "GIT_CONFIG": "{tmp}/system.gitconfig"},
}


@pytest.mark.parametrize("case", ENVIRONMENTS)
def test_the_files_are_read_in_gits_order(repo: gitrepo.Repo, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch, case: str) -> None:
    files = _layered(tmp_path, repo)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("GIT_CONFIG_SYSTEM", str(files["system"]))
    for name, value in ENVIRONMENTS[case].items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value.format(tmp=tmp_path))
    ours = gitconfig.settings(repo.git_dir, None, _named)
    monkeypatch.delenv("GIT_CONFIG", raising=False)  # it would be the only file git config read
    assert ours == _gits(["--get-regexp", "^user[.]|^maintenance[.]"], repo.root)


def test_the_system_file_is_the_one_git_named(repo: gitrepo.Repo, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    system = tmp_path / "system.gitconfig"
    system.write_text("[user]\n\tname = System\n")
    monkeypatch.delenv("GIT_CONFIG_NOSYSTEM")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "")
    assert gitconfig.settings(repo.git_dir, str(system), _named) == {"user.name": "System"}
    assert gitconfig.settings(repo.git_dir, None, _named) is None  # git has not told: ask it
    monkeypatch.setenv("GIT_CONFIG_SYSTEM", "")
    assert gitconfig.settings(repo.git_dir, None, _named) == {}


@pytest.mark.parametrize("name, value", [
    ("GIT_CONFIG_PARAMETERS", "'user.name'='Cecilie'"), ("GIT_CONFIG_COUNT", "1"),
    ("GIT_DIR", "{tmp}/repo/.git"), ("GIT_COMMON_DIR", "{tmp}/repo/.git"),
    ("GIT_CONFIG_NOSYSTEM", "1k"), ("GIT_CONFIG_NOSYSTEM", "maybe"),
    ("GIT_CONFIG_NOSYSTEM", "-2"), ("GIT_CONFIG_NOSYSTEM", "08"),
    ("GIT_CONFIG_NOSYSTEM", "2147483648"), ("GIT_CONFIG_SYSTEM", "{tmp}/link/../system"),
    ("GIT_CONFIG_GLOBAL", "relative/config"), ("XDG_CONFIG_HOME", "relative"),
])
def test_what_only_git_can_follow_is_left_to_it(repo: gitrepo.Repo, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch, name: str,
                                                value: str) -> None:
    monkeypatch.delenv("GIT_CONFIG_GLOBAL")
    monkeypatch.delenv("GIT_CONFIG_NOSYSTEM")
    monkeypatch.setenv(name, value.format(tmp=tmp_path))
    assert gitconfig.settings(repo.git_dir, "/nonexistent/gitconfig", _all) is None


def test_the_environment_names_the_system_file_before_copi_s_cache(
        repo: gitrepo.Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    kept, named = tmp_path / "kept.gitconfig", tmp_path / "named.gitconfig"
    kept.write_text("[user]\n\tname = Kept\n")
    named.write_text("[user]\n\tname = Named\n")
    monkeypatch.delenv("GIT_CONFIG_NOSYSTEM")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "")
    monkeypatch.setenv("GIT_CONFIG_SYSTEM", str(named))
    assert gitconfig.settings(repo.git_dir, str(kept), _named) == {"user.name": "Named"}


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                    reason="giving a directory to another user needs root")
def test_a_repository_of_another_user_is_left_to_git(repo: gitrepo.Repo) -> None:
    """git refuses it (safe.directory decides): copi does not read its configuration."""
    answered(repo)  # git's answers kept: the files would be read
    owned = (repo.root, repo.git_dir)
    assert gitconfig.settings(repo.git_dir, None, _named, owned=owned) is not None
    for path in owned:
        os.chown(path, 4321, -1)
        assert gitconfig.settings(repo.git_dir, None, _named, owned=owned) is None
        assert subprocess.run(["git", "status"], cwd=repo.root, capture_output=True).returncode
        questions = gitrepo.Questions(repo, [repo.root])  # git config is asked, and refuses
        questions.close()
        assert questions._both is not None
        os.chown(path, os.geteuid(), -1)


def test_an_unreadable_file_is_left_to_git(repo: gitrepo.Repo, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path))  # a directory
    assert gitconfig.settings(repo.git_dir, None, _all) is None


def test_git_names_its_system_file_once(repo: gitrepo.Repo, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The first change asks git where its system configuration is (and its version), through
    the shell; copi keeps both, and from then on reads the files itself."""
    monkeypatch.setenv("GIT_CONFIG_SYSTEM", str(tmp_path / "elsewhere"))  # not the built-in

    def ask() -> gitrepo.Questions:
        questions = gitrepo.Questions(repo, [repo.root])
        questions.actor()
        questions.close()
        return questions

    assert ask()._both is not None
    kept = gitrepo._kept_answers(gitrepo._answers_file())
    assert kept is not None and gitrepo._version(kept[0])
    system = os.path.realpath(kept[1])
    assert os.path.isabs(kept[1]) and system != str(tmp_path / "elsewhere")
    origins = subprocess.run(["git", "config", "--system", "--show-origin", "--list"],
                             capture_output=True, text=True,
                             env={k: v for k, v in os.environ.items()
                                  if not k.startswith("GIT_CONFIG")}).stdout
    assert all(os.path.realpath(line.split("\t")[0].removeprefix("file:")) == system
               for line in origins.splitlines())
    assert ask()._both is None


@pytest.mark.parametrize("answer, name", [
    ("/etc/gitconfig\n", "/etc/gitconfig"),  # git var, or the editor
    ("file:/usr/local/etc/gitconfig\tuser.name\n", "/usr/local/etc/gitconfig"),  # the origin
    ('file:"/a\\tb/gitconfig"\tuser.name\n', ""),  # a name git had to quote
    ("etc/gitconfig\n", ""), ("", ""), ("/a\n/b\n", ""), ("/a\0b", ""),
    # the editor's name, links resolved: only where git's build puts it, and nothing there
    ("edit: /nonexistent/etc/gitconfig\n", "/nonexistent/etc/gitconfig"),
    ("edit: /nonexistent/store/empty.cfg\n", ""), ("edit: /etc/gitconfig.d/x\n", ""),
])
def test_the_system_file_is_taken_from_gits_answer_only_when_it_is_plain(
        answer: str, name: str) -> None:
    assert gitrepo._system_file(answer) == name


def test_a_system_file_git_could_not_name_leaves_copi_asking_git(
        repo: gitrepo.Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GIT_CONFIG_NOSYSTEM")
    answered(repo)  # learns
    answers = gitrepo._answers_file()
    version = gitrepo._kept_answers(answers)[0]
    for kept in ("", "/a\0b", "relative/gitconfig"):
        answers.write_bytes(f"{version}\0{kept}".encode())
        assert gitrepo._kept_answers(answers) == (version, "")
        assert answered(repo)._both is not None  # git config is asked


def test_answers_of_a_configuration_git_cannot_read_are_not_kept(
        repo: gitrepo.Repo) -> None:
    """The user is about to mend it: git is asked again next time (git version still answers
    in a repository whose configuration git refuses)."""
    with open(repo.git_dir / "config", "a", encoding="utf-8") as handle:
        handle.write("[user\n")
    with pytest.raises(gitrepo.GitError):
        answered(repo)
    assert gitrepo._kept_answers(gitrepo._answers_file()) is None


def _system_file_as_git_names_it(tmp_path: Path, built_in: Path) -> str:
    """copi's question for the system file, put to a git built to read built_in (stood in for
    by GIT_CONFIG_SYSTEM, which the question otherwise unsets), and copi's reading of it."""
    script = gitrepo._SYSTEM_FILE.replace("unset GIT_CONFIG_SYSTEM ", "unset ")
    done = subprocess.run(["/bin/sh", "-c", script], cwd=tmp_path, capture_output=True,
                          text=True, env={**os.environ, "GIT_CONFIG_SYSTEM": str(built_in)})
    return gitrepo._system_file(done.stdout)


SYSTEM_FILES = {
    # name: (what the built-in name is, its settings)
    "a link to settings": ("link", "[user]\n\tname = Første\n"),
    "a link to a file without settings": ("link", ""),
    "a file without settings": ("file", ""),
    "nothing yet": (None, ""),
}


@pytest.mark.parametrize("case", SYSTEM_FILES)
def test_a_system_file_that_is_a_link_is_kept_by_the_links_name(
        tmp_path: Path, case: str) -> None:
    """On some systems the system file is a link that is moved when the system's settings
    change. copi keeps the name git opens (git var, or the origin of the first setting), not
    where the link pointed when git was asked. git names a file without settings only with
    links resolved: copi keeps that name only where git's build puts the file
    (…/etc/gitconfig), which a link's target elsewhere is not, and goes on asking git
    config otherwise."""
    kind, settings = SYSTEM_FILES[case]
    built_in = tmp_path / "etc" / "gitconfig"
    built_in.parent.mkdir()
    if kind == "link":
        target = tmp_path / "store" / "settings.cfg"
        target.parent.mkdir()
        target.write_text(settings)
        built_in.symlink_to(target)
    elif kind == "file":
        built_in.write_text(settings)
    named = _system_file_as_git_names_it(tmp_path, built_in)
    git_var = gitrepo._version(subprocess.run(["git", "version"], capture_output=True,
                                              text=True).stdout) >= (2, 42)
    if kind == "link" and not settings and not git_var:
        assert named == ""  # only the resolved name, elsewhere: not kept
    else:
        assert named == str(built_in)


def test_a_git_that_is_a_script_is_asked_each_time(
        repo: gitrepo.Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A shim (as version managers install) may start another git each time: nothing it said
    is kept."""
    git_wrapped(tmp_path, monkeypatch)
    assert answered(repo)._both is not None
    assert gitrepo._answers_file() is None
    assert answered(repo)._both is not None


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                    reason="giving a file to another user needs root")
def test_answers_someone_else_could_have_written_are_not_trusted(
        repo: gitrepo.Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    """In a shared cache another user could name a system file that says who is acting."""
    answered(repo)
    answers = gitrepo._answers_file()
    assert gitrepo._kept_answers(answers) is not None
    os.chown(answers, 4321, -1)
    assert gitrepo._kept_answers(answers) is None
    os.chown(answers, os.geteuid(), -1)
    answers.chmod(0o666)
    assert gitrepo._kept_answers(answers) is None


def test_answers_are_kept_for_the_user_alone_whatever_the_umask(
        repo: gitrepo.Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With a umask of 002 (usual where each user has a group of their own) files and
    directories are made writable by the group, which private() does not trust: copi makes
    its cache and the answers for the user alone, and so uses them the next time."""
    cache = tmp_path / "fresh" / "copi"  # in an existing ~/.cache-like directory
    cache.parent.mkdir(mode=0o755)
    monkeypatch.setenv("COPI_CACHE_DIR", str(cache))
    before = os.umask(0o002)
    try:
        answered(repo)
        assert answered(repo)._both is None  # the kept answers are used
    finally:
        os.umask(before)
    assert cache.stat().st_mode & 0o777 == 0o700
    assert gitrepo._answers_file().stat().st_mode & 0o777 == 0o600


def test_answers_in_a_cache_others_may_write_are_not_trusted(
        repo: gitrepo.Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "shared"
    monkeypatch.setenv("COPI_CACHE_DIR", str(cache))
    answered(repo)
    assert answered(repo)._both is None
    cache.chmod(0o777)
    assert answered(repo)._both is not None
