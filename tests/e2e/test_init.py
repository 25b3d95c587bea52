"""copi init, end to end against real git repositories in temporary directories."""

from __future__ import annotations

import subprocess
from pathlib import Path

import yaml

from conftest import git


def test_init_creates_a_committed_valid_process(copi, tmp_path: Path) -> None:
    run = copi("init", "fremtidens-madservice", "--title", "Fremtidens madservice",
               "--owner", "Aarhus Kommune", cwd=tmp_path)
    assert run.code == 0, run.err
    process = tmp_path / "fremtidens-madservice"
    config = yaml.safe_load((process / "copi.yaml").read_text(encoding="utf-8"))
    assert config["title"] == "Fremtidens madservice"
    assert config["language"] == "da"
    assert config["phase"] == "innovation-need"
    assert config["first_need_owner"] == "aarhus-kommune"
    assert config["history"][0]["actor"] == "Test Facilitator"
    owner = yaml.safe_load((process / "organisationer/aarhus-kommune.yaml").read_text())
    assert owner["municipality_code"] == "751" and owner["region_code"] == "1082"
    assert owner["type"] == "municipality" and owner["role"] == "need-owner"
    text = (process / "tekster/problembeskrivelse.md").read_text(encoding="utf-8")
    assert "status: starter" in text and "Problemet" in text
    # a git repository with exactly one commit holding every file, and copi's trailers
    assert git(process, "rev-list", "--count", "HEAD").strip() == "1"
    assert git(process, "status", "--porcelain") == ""
    message = git(process, "log", "-1", "--format=%B")
    assert message.startswith("Opret skaleringsproces: Fremtidens madservice")
    trailers = git(process, "log", "-1", "--format=%(trailers:only,unfold)")
    assert "Copi-Action: init" in trailers and "Copi-Actor: Test Facilitator" in trailers
    assert "Copi-Process: fremtidens-madservice" in trailers
    assert git(process, "tag").split() == ["copi/fremtidens-madservice/01-innovation-need"]
    tracked = git(process, "ls-files").split()
    assert "moeder/.gitkeep" in tracked and ".gitignore" in tracked
    # and it validates
    assert copi("validate", cwd=process).code == 0


def test_init_in_english(copi, tmp_path: Path) -> None:
    run = copi("init", "future-meals", "--owner", "Region Midtjylland", "--lang", "en",
               cwd=tmp_path)
    assert run.code == 0, run.err
    process = tmp_path / "future-meals"
    config = yaml.safe_load((process / "copi.yaml").read_text(encoding="utf-8"))
    assert config["language"] == "en" and config["title"] == "Future meals"
    assert "The problem" in (process / "tekster/problembeskrivelse.md").read_text()
    assert git(process, "log", "-1", "--format=%s").startswith("Create scaling process")
    owner = yaml.safe_load((process / "organisationer/region-midtjylland.yaml").read_text())
    assert owner["type"] == "region"
    status = copi("status", cwd=process)
    assert status.code == 0 and "Innovation need at a public buyer" in status.out


def test_owner_outside_the_reference_list(copi, tmp_path: Path) -> None:
    run = copi("init", "havne", "--owner", "Aarhus Havn", "--owner-type", "port", cwd=tmp_path)
    assert run.code == 0, run.err
    owner = yaml.safe_load((tmp_path / "havne/organisationer/aarhus-havn.yaml").read_text())
    assert owner["type"] == "port" and "municipality_code" not in owner


def test_title_with_yaml_special_characters(copi, tmp_path: Path) -> None:
    title = 'Fase 1: "mad" & #omsorg: ja/nej'
    run = copi("init", "svaer-titel", "--title", title, "--owner", "Aarhus", cwd=tmp_path)
    assert run.code == 0, run.err
    config = yaml.safe_load((tmp_path / "svaer-titel/copi.yaml").read_text(encoding="utf-8"))
    assert config["title"] == title


def test_bad_name_is_a_usage_error_and_creates_nothing(copi, tmp_path: Path) -> None:
    run = copi("init", "Fremtidens Madservice", "--owner", "Aarhus Kommune", cwd=tmp_path)
    assert run.code == 2
    assert "fremtidens-madservice" in run.err and "Traceback" not in run.err
    assert list(tmp_path.iterdir()) == []


def test_missing_owner_is_a_usage_error(copi, tmp_path: Path) -> None:
    run = copi("init", "x", cwd=tmp_path)
    assert run.code == 2 and "--owner" in run.err


def test_existing_directory_is_left_alone(copi, tmp_path: Path) -> None:
    (tmp_path / "proces").mkdir()
    (tmp_path / "proces" / "noter.txt").write_text("mine noter")
    run = copi("init", "proces", "--owner", "Aarhus Kommune", cwd=tmp_path)
    assert run.code == 1 and "already exists" in run.err
    assert [p.name for p in (tmp_path / "proces").iterdir()] == ["noter.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["proces"]


def test_wrong_owner_type_for_a_municipality(copi, tmp_path: Path) -> None:
    run = copi("init", "p", "--owner", "Aarhus Kommune", "--owner-type", "port", cwd=tmp_path)
    assert run.code == 1 and "municipality" in run.err
    assert list(tmp_path.iterdir()) == []


def test_init_records_the_committer_git_names(copi, tmp_path: Path, monkeypatch) -> None:
    """Like every other command, init asks git who commits: the environment counts."""
    monkeypatch.setenv("GIT_COMMITTER_NAME", "Eva Miljø")
    assert copi("init", "proces", "--owner", "Aarhus Kommune", cwd=tmp_path).code == 0
    process = tmp_path / "proces"
    assert "Copi-Actor: Eva Miljø" in git(process, "log", "-1", "--format=%B")
    config = yaml.safe_load((process / "copi.yaml").read_text(encoding="utf-8"))
    assert config["history"][0]["actor"] == "Eva Miljø"


def test_without_git_identity_nothing_is_left(copi, tmp_path: Path, monkeypatch) -> None:
    empty = tmp_path / "gitconfig"
    empty.write_text("")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(empty))
    run = copi("init", "proces", "--owner", "Aarhus Kommune", cwd=tmp_path)
    assert run.code == 3
    assert "git config --global user.name" in run.err
    assert [p.name for p in tmp_path.iterdir()] == ["gitconfig"]


def test_refusing_hook_leaves_nothing(copi, tmp_path: Path) -> None:
    outer = tmp_path / "outer"
    outer.mkdir()
    git(outer, "init", "-q")
    hook = outer / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'nej tak' >&2\nexit 1\n")
    hook.chmod(0o755)
    run = copi("init", "proces", "--owner", "Aarhus Kommune", cwd=outer)
    assert run.code == 3 and "git commit failed" in run.err and "nej tak" in run.err
    assert sorted(p.name for p in outer.iterdir()) == [".git"]
    assert git(outer, "status", "--porcelain") == ""
    assert git(outer, "tag") == ""


def test_busy_repository_is_refused(copi, tmp_path: Path) -> None:
    outer = tmp_path / "outer"
    outer.mkdir()
    git(outer, "init", "-q")
    (outer / ".git" / "index.lock").write_text("")  # another git is running
    run = copi("init", "proces", "--owner", "Aarhus Kommune", cwd=outer)
    assert run.code == 3 and "index.lock" in run.err
    assert sorted(p.name for p in outer.iterdir()) == [".git"]


def test_inside_an_existing_repository_commits_there(copi, tmp_path: Path) -> None:
    outer = tmp_path / "processer"
    outer.mkdir()
    git(outer, "init", "-q")
    (outer / "andet.txt").write_text("ikke copi's")
    run = copi("init", "proces", "--owner", "Aarhus Kommune", cwd=outer)
    assert run.code == 0, run.err
    assert not (outer / "proces" / ".git").exists()
    files = git(outer, "show", "--name-only", "--format=", "HEAD").split()
    assert files and all(f.startswith("proces/") for f in files)
    assert git(outer, "status", "--porcelain").strip() == "?? andet.txt"


def test_mid_merge_repository_is_refused(copi, tmp_path: Path) -> None:
    outer = tmp_path / "processer"
    outer.mkdir()
    git(outer, "init", "-q")
    (outer / ".git" / "MERGE_HEAD").write_text("0" * 40 + "\n")
    run = copi("init", "proces", "--owner", "Aarhus Kommune", cwd=outer)
    assert run.code == 3 and "merge" in run.err
    assert not (outer / "proces").exists()


def test_no_commit(copi, tmp_path: Path) -> None:
    run = copi("init", "proces", "--owner", "Aarhus Kommune", "--no-commit", cwd=tmp_path)
    assert run.code == 0, run.err
    assert (tmp_path / "proces" / "copi.yaml").is_file()
    assert not (tmp_path / "proces" / ".git").exists()


def test_installed_console_script(copi_process, tmp_path: Path) -> None:
    """The real `copi` executable, as a user runs it."""
    run = copi_process("init", "madservice", "--owner", "Odense Kommune", cwd=tmp_path)
    assert run.code == 0, run.err
    run = copi_process("status", cwd=tmp_path / "madservice")
    assert run.code == 0 and "Odense Kommune" in run.out
    done = subprocess.run(["git", "log", "--oneline"], cwd=tmp_path / "madservice",
                          capture_output=True, text=True, check=True)
    assert len(done.stdout.splitlines()) == 1


def test_misspelt_municipality_gets_a_suggestion(copi, tmp_path: Path) -> None:
    run = copi("init", "p", "--owner", "Århus Kommune", cwd=tmp_path)
    assert run.code == 2 and "did you mean 'Aarhus Kommune'" in run.err
    assert list(tmp_path.iterdir()) == []


def test_unknown_owner_type_is_a_usage_error(copi, tmp_path: Path) -> None:
    run = copi("init", "p", "--owner", "Statens It", "--owner-type", "agency", cwd=tmp_path)
    assert run.code == 2 and "state-agency" in run.err
    assert list(tmp_path.iterdir()) == []


def test_no_process_inside_a_process(copi, tmp_path: Path) -> None:
    assert copi("init", "ydre", "--owner", "Aarhus Kommune", cwd=tmp_path).code == 0
    run = copi("init", "indre", "--owner", "Odense Kommune", cwd=tmp_path / "ydre")
    assert run.code == 1 and "inside the scaling process" in run.err
    assert not (tmp_path / "ydre" / "indre").exists()


def test_an_organisation_outside_the_reference_list_gets_a_note(copi, tmp_path) -> None:
    result = copi("init", "vej", "--owner", "Vejdirektoratet", cwd=tmp_path)
    assert result.code == 0 and "its type is 'other'" in result.out
    known = copi("init", "aarhus", "--owner", "Aarhus Kommune", cwd=tmp_path)
    assert known.code == 0 and "type is 'other'" not in known.out


def test_init_leaves_room_for_the_facilitator_and_validate_asks_for_a_contact(
        copi, tmp_path: Path) -> None:
    """Public documents end with the facilitator's public_contact so their readers can reply:
    init writes where it goes, and validate warns at copi.yaml's facilitator (R039), naming
    the documents of the phases reached, until it is there."""
    assert copi("init", "proces", "--owner", "Aarhus Kommune", cwd=tmp_path).code == 0
    root = tmp_path / "proces"
    config = root / "copi.yaml"
    text = config.read_text(encoding="utf-8")
    assert "  # name: Fornavn Efternavn\n" in text
    assert "  # public_contact: kontakt@eksempel.dk, tlf. 12 34 56 78\n" in text
    line = text.splitlines().index("facilitator:") + 1
    found = copi("validate", cwd=root)
    assert found.code == 0  # a warning: the process may go on, its documents need a reply path
    assert (f"copi.yaml:{line}:1: R039 warning: the facilitator has no public_contact, so the "
            "press release would go out with no way to reply") in found.out
    assert "add public_contact under facilitator in copi.yaml" in found.out

    assert copi("advance", "--force", "--reason", "x", cwd=root).code == 0  # phase 2
    assert ("the press release and invitation to join would go out with no way to reply"
            in copi("validate", cwd=root).out)

    config.write_text(config.read_text(encoding="utf-8").replace(
        "  # name: Fornavn Efternavn\n  # public_contact: kontakt@eksempel.dk, tlf. 12 34 56 78",
        "  name: Mette Kjær\n  public_contact: kontakt@co-pi.example"), encoding="utf-8")
    assert "R039" not in copi("validate", cwd=root).out


def test_init_in_english_leaves_room_for_the_facilitator(copi, tmp_path: Path) -> None:
    assert copi("init", "process", "--owner", "Aarhus Kommune", "--lang", "en",
                cwd=tmp_path).code == 0
    text = (tmp_path / "process" / "copi.yaml").read_text(encoding="utf-8")
    assert "  # public_contact: contact@example.org, tel. +45 12 34 56 78\n" in text
