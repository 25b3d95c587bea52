"""The audience's view and the records' leak check, made once per state of the process (issue
22, point 2): kept in memory and in copi's cache, and never trusted beyond the state it was
made for — a change to any record makes it anew, and a file planted in the cache cannot make
a confidential text reach a public document."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import commit_all

INSIGHTS = "udforskning/indsigter.yaml"
# the summary of the insight `nattefald`, which the public exploration summary prints
SUMMARY = "ligger ofte længe, før de bliver fundet"


def _forget() -> None:
    """The views kept in this process forgotten: the next render reads copi's cache."""
    from copi_cli.rendering import context

    context._MEMO.clear()


def _render(copi, root: Path, out: Path, *documents: str, fmt: str = "md"):  # noqa: ANN001
    return copi("render", *documents, "-f", fmt, "-o", str(out), "--dir", str(root))


def _kept_files() -> list[Path]:
    return sorted(Path(os.environ["COPI_CACHE_DIR"]).glob("*.view-*.json"))


def _mark_summary_confidential(root: Path) -> None:
    path = root / INSIGHTS
    text = path.read_text(encoding="utf-8")
    marked = text.replace("    owners: [aarhus-kommune, horsens-kommune]\n",
                          "    owners: [aarhus-kommune, horsens-kommune]\n"
                          "    confidential: [summary]\n", 1)
    assert marked != text
    path.write_text(marked, encoding="utf-8")
    commit_all(root, "Opsummeringen er fortrolig")


def test_a_kept_view_renders_every_document_as_a_view_made_anew(
        copi, example_repo: Path, tmp_path: Path) -> None:
    _forget()
    for audience in ("public", "internal"):
        extra = ["--audience", audience] if audience == "public" else []
        cold = tmp_path / f"cold-{audience}"
        assert _render(copi, example_repo, cold, "all", *extra).code == 0
        assert _kept_files(), "nothing was kept in the cache"
        for kept_in in ("memory", "cache"):
            if kept_in == "cache":
                _forget()
            warm = tmp_path / f"warm-{audience}-{kept_in}"
            assert _render(copi, example_repo, warm, "all", *extra).code == 0
            made = sorted(p.name for p in cold.iterdir())
            assert made and made == sorted(p.name for p in warm.iterdir())
            for name in made:
                assert (warm / name).read_bytes() == (cold / name).read_bytes(), name


@pytest.mark.parametrize("kept_in", ["memory", "cache"])
def test_a_field_marked_confidential_is_gone_from_the_next_public_render(
        copi, example_repo: Path, tmp_path: Path, kept_in: str) -> None:
    _forget()
    before = tmp_path / "before"
    assert _render(copi, example_repo, before, "exploration-summary").code == 0
    assert SUMMARY in (before / "behovsudforskning.md").read_text(encoding="utf-8")
    _mark_summary_confidential(example_repo)
    if kept_in == "cache":
        _forget()
    after = tmp_path / "after"
    assert _render(copi, example_repo, after, "exploration-summary", fmt="md,html").code == 0
    for name in ("behovsudforskning.md", "behovsudforskning.html"):
        assert SUMMARY not in (after / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("kept_in", ["memory", "cache"])
def test_a_kept_leak_check_refuses_a_text_that_quotes_a_field_marked_confidential(
        copi, example_repo: Path, tmp_path: Path, kept_in: str) -> None:
    _mark_summary_confidential(example_repo)
    _forget()
    assert _render(copi, example_repo, tmp_path / "first", "problem-description").code == 0
    if kept_in == "cache":
        _forget()
    text = example_repo / "tekster" / "problembeskrivelse.md"  # a text: the records unchanged
    text.write_text(text.read_text(encoding="utf-8") + "\nBorgere der falder om natten "
                    f"{SUMMARY}, fordi de ikke kan nå nødkaldet.\n", encoding="utf-8")
    run = _render(copi, example_repo, tmp_path / "second", "problem-description")
    assert run.code == 1
    assert "would contain confidential material" in run.err
    assert "udforskning/indsigter.yaml" in run.err
    assert not (tmp_path / "second" / "problembeskrivelse.md").exists()


def _plant(path: Path, data: dict, mode: int) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.chmod(path, mode)


def _public_view(root: Path) -> tuple[Path, dict]:
    """The public view kept for the process at root: its file and what it holds."""
    from copi_cli.validation.pipeline import cache_path

    path = cache_path(root, "view-public-da")
    return path, json.loads(path.read_text(encoding="utf-8"))


def _the_key_now(root: Path) -> str:
    """The key a render of the process at root looks for now, made as copi makes it."""
    import datetime as dt

    from copi_cli.validation.pipeline import cache_key, state_digest, validate

    report = validate(root, want_workspace=True)
    assert report.workspace is not None
    return "|".join([cache_key(dt.date.today()), "public", "da", "False",
                     state_digest(report.workspace), "-"])


def test_a_view_planted_in_the_cache_cannot_publish_a_confidential_field(
        copi, example_repo: Path, tmp_path: Path) -> None:
    """A view kept while the summary was public, planted under the key of the state that marks
    it confidential: written by someone else, or writable by others, it is not read; a torn
    file is made anew; one of another state is not used."""
    _forget()
    assert _render(copi, example_repo, tmp_path / "public", "exploration-summary").code == 0
    path, old = _public_view(example_repo)
    assert SUMMARY in old["kept"]["context"]
    _mark_summary_confidential(example_repo)
    key = _the_key_now(example_repo)
    plantings = [({**old}, 0o600),  # of another state: its own key
                 ({**old, "key": key}, 0o666),  # writable by anyone
                 ({**old, "key": key}, 0o620),  # writable by the group
                 ({"key": key, "kept": {"context": "{"}}, 0o600),  # torn
                 ({"key": key, "kept": {**old["kept"], "guard": None}}, 0o600)]  # half a view
    for number, (planted, mode) in enumerate(plantings):
        _forget()
        _plant(path, planted, mode)
        out = tmp_path / f"planted-{number}"
        assert _render(copi, example_repo, out, "exploration-summary").code == 0, number
        assert SUMMARY not in (out / "behovsudforskning.md").read_text(encoding="utf-8"), number
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # someone else's file, read-only
        _forget()
        _plant(path, {**old, "key": key}, 0o644)
        os.chown(path, 65534, 65534)
        out = tmp_path / "planted-by-another"
        assert _render(copi, example_repo, out, "exploration-summary").code == 0
        assert SUMMARY not in (out / "behovsudforskning.md").read_text(encoding="utf-8")
