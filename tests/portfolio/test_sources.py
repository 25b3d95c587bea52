"""A portfolio file read with its mistakes at file:line, and git remotes made local for real:
a bare repository in a temporary folder is the remote (no network), cloned into the cache."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from copi_cli.messages import Said, text_in
from copi_cli.portfolio.sources import (
    Located,
    PortfolioRefused,
    Source,
    locate,
    read_portfolio,
    shown_url,
)

from conftest import REPO, git, write


@pytest.fixture
def remote(tmp_path: Path) -> Path:
    """A bare repository holding a process in `proces/`, tagged v1, with a branch `udkast`."""
    work = tmp_path / "work"
    work.mkdir()
    git(work, "init", "-q", "-b", "main")
    write(work, "proces/copi.yaml", "title: Første\n")
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "first")
    git(work, "tag", "v1")
    git(work, "switch", "-q", "-c", "udkast")
    write(work, "proces/copi.yaml", "title: Udkast\n")
    git(work, "commit", "-q", "-am", "draft")
    git(work, "switch", "-q", "main")
    bare = tmp_path / "remote.git"
    git(tmp_path, "clone", "-q", "--bare", str(work), str(bare))
    return bare


def _push(remote: Path, tmp_path: Path, title: str) -> None:
    """A new commit on the remote's main, as a colleague would push it."""
    other = tmp_path / f"colleague-{title}"
    git(tmp_path, "clone", "-q", str(remote), str(other))
    write(other, "proces/copi.yaml", f"title: {title}\n")
    git(other, "commit", "-q", "-am", title)
    git(other, "push", "-q", "origin", "main")


def _title(located: Located) -> str:
    assert located.problem is None, located.problem
    assert located.path is not None
    return (located.path / "proces" / "copi.yaml").read_text(encoding="utf-8")


def _one(source: Source, cache: Path, fetch: bool = True) -> Located:
    [located] = locate([source], cache=cache, fetch=fetch)
    assert located.source == source
    return located


# --- the portfolio file ---------------------------------------------------------------------

def test_a_portfolio_file_lists_paths_and_urls_with_their_lines(tmp_path: Path,
                                                                remote: Path) -> None:
    file = tmp_path / "portefolje" / "portfolio.yaml"
    write(tmp_path, "portefolje/portfolio.yaml", textwrap.dedent("""\
        # Faciliteret af CO-PI
        - path: ../faerre-fald
        - url: ../remote.git
          dir: proces
          name: Færre fald
        - url: https://git.example.dk/x/y.git
          ref: v2
        - url: git@git.example.dk:x/y.git
        - url: ssh://git@git.example.dk/x/y.git
    """))
    sources = read_portfolio(file)
    folder = file.parent.absolute()
    assert sources == [
        Source(label="../faerre-fald", path=folder / "../faerre-fald", line=2),
        Source(label="Færre fald", url=str(folder / "../remote.git"), subdir="proces", line=3),
        Source(label="https://git.example.dk/x/y.git", url="https://git.example.dk/x/y.git",
               ref="v2", line=6),
        Source(label="git.example.dk:x/y.git", url="git@git.example.dk:x/y.git", line=8),
        Source(label="ssh://git.example.dk/x/y.git", url="ssh://git@git.example.dk/x/y.git",
               line=9),
    ]


@pytest.mark.parametrize(("text", "code", "line", "words"), [
    ("- path: a\n- url: b\n  brnach: main\n", "S001", 3, "brnach"),
    ("- path: a\n- url: [b]\n", "S003", 2, "url"),
    ("- url: b\n  ref: main\n  ref: v1\n", "Y002", 3, "ref"),
    ("path: a\n", "Y004", 1, "list"),
    ("- name: Ingen\n", "S002", 1, "neither path nor url"),
    ("- path: a\n  url: b\n", "S004", 2, "both path and url"),
    ("- path: a\n  ref: main\n", "S004", 2, "ref goes with url only"),
    ("- path: a\n- url: b\n  ref: !!binary aGVq\n", "Y008", 3, "!!binary"),
    ("- path: a\n  - url: b\n", "Y001", 2, ""),
])
def test_a_mistake_in_the_portfolio_file_is_refused_at_its_line(
        tmp_path: Path, text: str, code: str, line: int, words: str) -> None:
    file = tmp_path / "portfolio.yaml"
    file.write_text(text, encoding="utf-8")
    with pytest.raises(PortfolioRefused) as refused:
        read_portfolio(file)
    first = refused.value.findings[0]
    assert (first.path, first.code, first.line) == (str(file), code, line)
    assert str(refused.value.message).startswith(f"{file}:{line}:")
    assert words in refused.value.message
    assert refused.value.hint and refused.value.exit_code == 1


def test_every_mistake_of_the_file_is_found_at_once(tmp_path: Path) -> None:
    file = tmp_path / "portfolio.yaml"
    file.write_text("- pth: a\n- url: b\n  dri: x\n", encoding="utf-8")
    with pytest.raises(PortfolioRefused) as refused:
        read_portfolio(file)
    assert [(f.code, f.line) for f in refused.value.findings] == [("S001", 1), ("S001", 3)]
    assert "(and 1 more)" in refused.value.message
    assert "did you mean 'path'" in refused.value.hint


def test_a_portfolio_file_that_cannot_be_read_says_so(tmp_path: Path) -> None:
    from copi_cli.errors import UserError

    with pytest.raises(UserError, match="cannot be read"):
        read_portfolio(tmp_path / "missing.yaml")
    (tmp_path / "latin1.yaml").write_bytes("- path: Færre\n".encode("latin-1"))
    with pytest.raises(UserError, match="not UTF-8"):
        read_portfolio(tmp_path / "latin1.yaml")


def test_the_schema_is_kept_in_the_example_for_editors() -> None:
    assert ((REPO / "examples/faerre-fald/.copi/schemas/portfolio.schema.json").read_bytes()
            == (REPO / "schemas/portfolio.schema.json").read_bytes())


# --- local folders --------------------------------------------------------------------------

def test_a_local_path_is_used_as_it_is(tmp_path: Path) -> None:
    (tmp_path / "a" / "proces").mkdir(parents=True)
    found = locate([Source(label="a", path=tmp_path / "a"),
                    Source(label="a/proces", path=tmp_path / "a", subdir="proces"),
                    Source(label="b", path=tmp_path / "b"),
                    Source(label="up", path=tmp_path / "a", subdir="../..")],
                   cache=tmp_path / "cache")
    assert [located.path for located in found] == [tmp_path / "a", tmp_path / "a" / "proces",
                                                   None, None]
    assert [located.problem.key if located.problem else None for located in found] == [
        None, None, "sources.no-folder", "sources.dir-outside"]
    assert not (tmp_path / "cache").exists()


# --- remotes --------------------------------------------------------------------------------

@pytest.mark.parametrize("form", ["file-url", "plain-path"])
def test_a_remote_is_cloned_into_the_cache(tmp_path: Path, remote: Path, form: str) -> None:
    url = remote.as_uri() if form == "file-url" else str(remote)
    located = _one(Source(label=url, url=url), tmp_path / "cache")
    assert _title(located) == "title: Første\n"
    assert located.path is not None and located.path.is_relative_to(tmp_path / "cache")
    # a git work tree of its own: git answers there (last activity, the trail)
    assert git(located.path, "log", "-1", "--format=%s").strip() == "first"
    assert git(located.path, "status", "--porcelain") == ""
    # the clone's config: no hooks, no fsmonitor, the URL as given and nothing else to sign in
    config = (located.path.parent.parent / "repository.git" / "config").read_text()
    assert "hookspath = /dev/null" in config and "fsmonitor = false" in config
    assert f"url = {url}\n" in config and "credential" not in config


def test_a_new_commit_on_the_remote_is_fetched(tmp_path: Path, remote: Path) -> None:
    source = Source(label="r", url=remote.as_uri())
    cache = tmp_path / "cache"
    before = _one(source, cache)
    _push(remote, tmp_path, "Anden")
    assert _title(_one(source, cache, fetch=False)) == "title: Første\n"
    after = _one(source, cache)
    assert _title(after) == "title: Anden\n"
    # the commit read before stays whole for a copi still reading it
    assert _title(before) == "title: Første\n" and before.path != after.path


def test_a_renamed_default_branch_is_followed(tmp_path: Path, remote: Path) -> None:
    """The remote renames main to trunk: a fetch prunes main, and a clone whose HEAD stayed
    on it had no default branch ever after."""
    source = Source(label="r", url=remote.as_uri())
    cache = tmp_path / "cache"
    assert _title(_one(source, cache)) == "title: Første\n"
    _push(remote, tmp_path, "Anden")
    git(remote, "branch", "-m", "main", "trunk")
    assert git(remote, "symbolic-ref", "HEAD").strip() == "refs/heads/trunk"
    assert _title(_one(source, cache)) == "title: Anden\n"


def test_a_branch_or_a_tag_is_checked_out(tmp_path: Path, remote: Path) -> None:
    cache = tmp_path / "cache"
    _push(remote, tmp_path, "Anden")
    tag, branch, default = locate([Source(label="t", url=str(remote), ref="v1"),
                                   Source(label="b", url=str(remote), ref="udkast"),
                                   Source(label="d", url=str(remote))], cache=cache)
    assert _title(tag) == "title: Første\n"
    assert _title(branch) == "title: Udkast\n"
    assert _title(default) == "title: Anden\n"


def test_a_missing_ref_or_folder_is_a_problem_on_its_line(tmp_path: Path,
                                                          remote: Path) -> None:
    missing_ref, missing_dir, found = locate(
        [Source(label="r", url=str(remote), ref="findes-ikke", line=4),
         Source(label="d", url=str(remote), subdir="andet", line=5),
         Source(label="ok", url=str(remote), subdir="proces", line=6)],
        cache=tmp_path / "cache")
    assert missing_ref.path is None and missing_ref.problem is not None
    assert missing_ref.problem.key == "sources.ref-missing"
    assert "findes-ikke" in missing_ref.problem
    assert "ingen gren eller tag findes-ikke" in missing_ref.problem.in_language("da")
    assert missing_dir.path is None and missing_dir.problem is not None
    assert missing_dir.problem.key == "sources.dir-missing"
    assert found.problem is None and found.path is not None
    assert (found.path / "copi.yaml").is_file() and found.source.line == 6


def test_an_unreachable_remote_is_a_problem_not_an_error(tmp_path: Path) -> None:
    gone = tmp_path / "gone.git"
    unreachable, ssh = locate(
        [Source(label="gone", url=gone.as_uri()),
         Source(label="ssh", url="ssh://git@127.0.0.1:1/x.git")], cache=tmp_path / "cache")
    assert unreachable.path is None and unreachable.problem is not None
    assert unreachable.problem.key == "sources.clone-failed"
    assert "gone.git" in unreachable.problem  # git's own words
    assert ssh.path is None and ssh.problem is not None
    assert ssh.problem.key == "sources.clone-failed"  # a user name over ssh is no secret
    # nothing half made is left to be taken for a clone
    assert not list((tmp_path / "cache").rglob("HEAD"))


def test_the_last_copy_is_used_when_a_fetch_fails(tmp_path: Path, remote: Path) -> None:
    source = Source(label="r", url=str(remote))
    cache = tmp_path / "cache"
    _one(source, cache)
    remote.rename(tmp_path / "moved.git")
    stale = _one(source, cache)
    assert stale.path is not None and (stale.path / "proces" / "copi.yaml").is_file()
    assert stale.problem is not None and stale.problem.key == "sources.stale"
    assert "UTC" in stale.problem and "git could not fetch" in stale.problem
    assert "git failed" not in stale.problem and "moved.git" not in stale.problem
    assert "remote.git" in stale.problem  # git's own words: where it could not reach


@pytest.mark.parametrize(("url", "key"), [
    ("https://facilitator:hemmelig-kode@git.example.dk/x/y.git", "sources.url-password"),
    ("https://ghp_hemmelig-kode@github.com/x/y.git", "sources.url-password"),
    ("ssh://git:hemmelig-kode@git.example.dk/x/y.git", "sources.url-password"),
])
def test_a_url_with_credentials_is_refused_and_never_shown(tmp_path: Path, url: str,
                                                           key: str) -> None:
    file = tmp_path / "portfolio.yaml"
    file.write_text(f"- url: {url}\n", encoding="utf-8")
    [source] = read_portfolio(file)
    [located] = locate([source], cache=tmp_path / "cache")
    assert located.path is None and located.problem is not None
    assert located.problem.key == key
    everything = " ".join([repr(source), repr(located), located.problem,
                           located.problem.in_language("da")])
    assert "hemmelig-kode" not in everything
    assert not (tmp_path / "cache").exists()  # git was never asked


@pytest.mark.parametrize(("url", "ref", "key"), [
    ("ext::sh -c touch% {marker}", None, "sources.url-transport"),
    ("fd::17", None, "sources.url-transport"),
    ("--upload-pack=touch {marker}", None, "sources.url-option"),
    ("-oProxyCommand=touch {marker}", None, "sources.url-option"),
    ("http://git.example.dk/x.git", None, "sources.url-protocol"),
    ("ftp://git.example.dk/x.git", None, "sources.url-protocol"),
    ("{remote}", "--output={marker}", "sources.ref-form"),
    ("{remote}", "main extra", "sources.ref-form"),
])
def test_what_git_would_read_as_a_command_or_option_is_refused(
        tmp_path: Path, remote: Path, url: str, ref: str | None, key: str) -> None:
    marker = tmp_path / "ran"
    source = Source(label="x", url=url.format(marker=marker, remote=remote),
                    ref=ref.format(marker=marker) if ref else None)
    located = _one(source, tmp_path / "cache")
    assert located.path is None and located.problem is not None
    assert located.problem.key == key
    assert not marker.exists()


def test_git_refuses_other_protocols_even_when_insteadof_leads_there(
        tmp_path: Path, remote: Path) -> None:
    """The user's url.<base>.insteadOf stays in force (mirrors, credentials), but cannot lead
    git to a protocol copi does not allow: not ext::, not plain http (which git allows)."""
    marker = tmp_path / "ran"
    with open(os.environ["GIT_CONFIG_GLOBAL"], "a", encoding="utf-8") as config:
        config.write(f'[url "ext::sh -c touch% {marker}% #"]\n\tinsteadOf = https://evil/\n'
                     '[url "http://127.0.0.1:9/"]\n\tinsteadOf = https://plain/\n'
                     f'[url "{remote.as_uri()}"]\n\tinsteadOf = https://mirror.example.dk/x\n')
    evil, plain, mirrored = locate([Source(label="e", url="https://evil/x.git"),
                                    Source(label="p", url="https://plain/x.git"),
                                    Source(label="m", url="https://mirror.example.dk/x")],
                                   cache=tmp_path / "cache")
    assert evil.problem is not None and evil.problem.key == "sources.clone-failed"
    assert not marker.exists()
    assert plain.problem is not None and "transport 'http' not allowed" in plain.problem
    assert _title(mirrored) == "title: Første\n"


def test_a_folder_leading_out_of_the_clone_is_refused(tmp_path: Path, remote: Path) -> None:
    other = tmp_path / "with-link"
    git(tmp_path, "clone", "-q", str(remote), str(other))
    (other / "ud").symlink_to(tmp_path)
    git(other, "add", "ud")
    git(other, "commit", "-q", "-m", "a link out")
    git(other, "push", "-q", "origin", "main")
    found = locate([Source(label="a", url=str(remote), subdir="../.."),
                    Source(label="b", url=str(remote), subdir="/etc"),
                    Source(label="c", url=str(remote), subdir="ud")], cache=tmp_path / "cache")
    assert [(f.path, f.problem.key if f.problem else None) for f in found] == [
        (None, "sources.dir-outside")] * 3


def test_no_hook_runs_from_the_cache(tmp_path: Path, remote: Path) -> None:
    """A global core.hooksPath (a team's pre-commit set-up) runs no hook on an untrusted
    checkout, and git commands run later in the checkout start none either."""
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    marker = tmp_path / "hooked"
    for name in ("post-checkout", "reference-transaction", "post-index-change"):
        hook = hooks / name
        hook.write_text(f"#!/bin/sh\ntouch {marker}\n", encoding="utf-8")
        hook.chmod(0o755)
    with open(os.environ["GIT_CONFIG_GLOBAL"], "a", encoding="utf-8") as config:
        config.write(f"[core]\n\thooksPath = {hooks}\n")
    located = _one(Source(label="r", url=str(remote)), tmp_path / "cache")
    assert located.path is not None and not marker.exists()
    git(located.path, "status")
    assert not marker.exists()


def test_what_a_stopped_copi_left_half_made_is_cleared(tmp_path: Path, remote: Path) -> None:
    source = Source(label="r", url=str(remote))
    cache = tmp_path / "cache"
    located = _one(source, cache)
    assert located.path is not None
    entry = located.path.parent.parent
    (entry / ".clone-1-2").mkdir()
    (entry / "trees" / ".checkout-1-2").mkdir()
    assert _one(source, cache).path == located.path
    assert not (entry / ".clone-1-2").exists()
    assert not (entry / "trees" / ".checkout-1-2").exists()


def test_two_copis_locating_one_remote_at_once_share_one_whole_clone(
        tmp_path: Path, remote: Path) -> None:
    cache = tmp_path / "cache"
    script = ("import sys; from pathlib import Path;"
              "from copi_cli.portfolio.sources import Source, locate;"
              "[l] = locate([Source(label='r', url=sys.argv[1])], cache=Path(sys.argv[2]));"
              "print(l.path if l.problem is None else 'PROBLEM ' + l.problem)")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    runs = [subprocess.Popen([sys.executable, "-c", script, remote.as_uri(), str(cache)],
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True) for _ in range(4)]
    outputs = [run.communicate(timeout=120) for run in runs]
    paths = {out.strip() for out, _ in outputs}
    assert len(paths) == 1, outputs
    [path] = paths
    assert not path.startswith("PROBLEM")
    assert (Path(path) / "proces" / "copi.yaml").read_text(encoding="utf-8") == "title: Første\n"
    assert len(list(cache.iterdir())) == 1
    entry = next(cache.iterdir())
    assert sorted(p.name for p in entry.iterdir()) == ["fetched", "repository.git", "trees"]
    # and the same remote twice in one portfolio: both lines located, one clone
    twice = locate([Source(label="a", url=remote.as_uri()),
                    Source(label="b", url=remote.as_uri())], cache=cache)
    assert [located.path for located in twice] == [Path(path), Path(path)]


def test_shown_urls_have_no_user_part() -> None:
    assert shown_url("fatal: could not read from https://token@git.example.dk/x.git/") == (
        "fatal: could not read from https://git.example.dk/x.git/")
    assert shown_url("ssh://git@host/x.git") == "ssh://host/x.git"


def test_problems_are_said_in_danish_too(tmp_path: Path) -> None:
    located = _one(Source(label="x", url="http://git.example.dk/x.git"), tmp_path / "cache")
    assert isinstance(located.problem, Said)
    assert located.problem.in_language("da") == (
        "copi henter kun med https, ssh, git, file, ikke http")


def test_a_remote_that_never_answers_is_stopped_in_time(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A server that takes the connection and says nothing: git waits, copi does not."""
    import socket
    import time

    from copi_cli.portfolio import sources

    monkeypatch.setattr(sources, "TIMEOUT", 2.0)
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        started = time.monotonic()
        located = _one(Source(label="slow", url=f"git://127.0.0.1:{port}/x.git"),
                       tmp_path / "cache")
        took = time.monotonic() - started
    assert located.path is None and located.problem is not None
    assert located.problem.key == "sources.timeout" and "2 s" in located.problem
    assert took < 15


def test_checkouts_of_older_commits_are_removed_once_nobody_reads_them(
        tmp_path: Path, remote: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from copi_cli.portfolio import sources

    source = Source(label="r", url=str(remote))
    cache = tmp_path / "cache"
    first = _one(source, cache)
    assert first.path is not None
    _push(remote, tmp_path, "Anden")
    monkeypatch.setattr(sources, "KEEP_OLD_TREES", 0.0)
    os.utime(first.path, (0, 0))  # last read long ago
    second = _one(source, cache)
    assert second.path is not None and second.path.exists() and not first.path.exists()
    assert [p.name for p in second.path.parent.iterdir()] == [second.path.name]
    repository = second.path.parent.parent / "repository.git"
    assert git(repository, "worktree", "list").count("\n") == 2  # the bare one and this


def test_a_source_with_neither_path_nor_url_is_a_problem(tmp_path: Path) -> None:
    [located] = locate([Source(label="?")], cache=tmp_path / "cache")
    assert located.path is None and located.problem is not None
    assert located.problem.key == "sources.path-or-url"


def test_a_cache_entry_others_can_write_is_not_used(tmp_path: Path, remote: Path) -> None:
    source = Source(label="r", url=str(remote))
    cache = tmp_path / "cache"
    located = _one(source, cache)
    assert located.path is not None
    entry = located.path.parent.parent
    entry.chmod(0o777)
    refused = _one(source, cache)
    assert refused.path is None and refused.problem is not None
    assert refused.problem.key == "sources.cache-not-own"
    entry.chmod(0o700)
    assert _one(source, cache).path == located.path


def test_a_yaml_mistake_in_the_portfolio_file_is_said_in_danish_too(tmp_path: Path) -> None:
    """As copi validate says it: the YAML reader's words from the catalogue."""
    file = tmp_path / "portfolio.yaml"
    file.write_text("- url: [\n", encoding="utf-8")
    with pytest.raises(PortfolioRefused) as refused:
        read_portfolio(file)
    assert refused.value.findings[0].code == "Y001"
    danish = text_in(refused.value.message, "da")
    assert "YAML kan ikke læses" in danish and "did not find" not in danish
