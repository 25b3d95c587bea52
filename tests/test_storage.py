"""Files copi writes itself (whole or not at all) and its cache, which holds only JSON."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


def test_a_relative_xdg_cache_home_is_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    """A relative XDG_CACHE_HOME would put the cache inside whatever directory copi runs in,
    such as a process repository; the XDG spec says to ignore it."""
    from copi_cli.storage import cache_dir

    monkeypatch.delenv("COPI_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", ".cache")
    assert cache_dir() == Path.home() / ".cache" / "copi"
    monkeypatch.setenv("XDG_CACHE_HOME", "/var/cache/x")
    assert cache_dir() == Path("/var/cache/x/copi")


def test_a_file_written_whole_never_follows_a_link_put_in_its_way(tmp_path: Path) -> None:
    """The temporary file is made new: a link put where it will be (in a directory others may
    write) is replaced, and what it points at is left as it was."""
    from copi_cli.storage import write_atomically

    target, precious = tmp_path / "kept.json", tmp_path / "precious.txt"
    precious.write_text("mine")
    (tmp_path / f".kept.json.copi-{os.getpid()}.tmp").symlink_to(precious)
    write_atomically(target, b"{}", alone=True)
    assert target.read_bytes() == b"{}" and precious.read_text() == "mine"
    assert target.stat().st_mode & 0o777 == 0o600
    assert not any(tmp_path.glob(".kept.json.copi-*"))


def test_cached_results_are_kept_for_the_user_alone_whatever_the_umask(
        tmp_path: Path) -> None:
    """With a umask of 002 new files are writable by the group: the cache directory copi makes
    is 0700 and each file in it 0600 all the same."""
    from copi_cli.storage import load_cached, store_cached

    cache = tmp_path / "fresh" / "copi"
    before = os.umask(0o002)
    try:
        store_cached(cache / "summary.json", {"key": "k", "files": 3})
    finally:
        os.umask(before)
    assert load_cached(cache / "summary.json") == {"key": "k", "files": 3}
    assert cache.stat().st_mode & 0o777 == 0o700
    assert (cache / "summary.json").stat().st_mode & 0o777 == 0o600


def test_a_cached_result_that_is_not_a_json_object_is_not_read(tmp_path: Path) -> None:
    """Missing, torn or not what copi wrote: None, and the work is done again."""
    from copi_cli.storage import load_cached

    assert load_cached(tmp_path / "missing.json") is None
    for content in (b"{not json", b"[1, 2]", b"\xff\xfe", b""):
        (tmp_path / "kept.json").write_bytes(content)
        assert load_cached(tmp_path / "kept.json") is None


def test_a_cached_result_others_could_write_or_own_is_not_read(tmp_path: Path) -> None:
    """A result decides whether a process passes: one planted by someone else, or in a file
    others may write, or behind a link, is ignored (work done again, never believed)."""
    import os

    from copi_cli.storage import load_cached, store_cached

    kept = tmp_path / "cache" / "result.json"
    store_cached(kept, {"key": "k"})
    assert load_cached(kept) == {"key": "k"}
    kept.chmod(0o620)
    assert load_cached(kept) is None
    kept.chmod(0o600)
    link = tmp_path / "cache" / "linked.json"
    link.symlink_to(kept)
    assert load_cached(link) is None
    if os.getuid() == 0:  # as CI runs: give the file to someone else
        os.chown(kept, 12345, -1)
        assert load_cached(kept) is None


def test_a_cache_that_cannot_be_written_is_not_kept(tmp_path: Path) -> None:
    from copi_cli.storage import load_cached, store_cached

    (tmp_path / "file").write_text("")
    store_cached(tmp_path / "file" / "cache" / "summary.json", {"key": "k"})
    assert load_cached(tmp_path / "file" / "cache" / "summary.json") is None
