"""copi audit's findings in both languages: English text for JSON and scripts, Danish for a
person who reads Danish, with the same codes and places."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from copi_cli.messages import text_in

from conftest import fulfil_phase_1, git

TODAY = dt.date.today().isoformat()


def _audit(process: Path) -> list:
    from copi_cli.trail import gitrepo
    from copi_cli.trail.audit import audit, read_process, read_trail

    repo = gitrepo.require_repo(process)
    return audit(repo, process, read_process(process), read_trail(repo, process))


def test_audit_findings_speak_danish_and_english(copi, process: Path) -> None:
    fulfil_phase_1(process)
    assert copi("advance", cwd=process).code == 0
    config = process / "copi.yaml"
    entry = "\n    from: innovation-need"
    config.write_text(config.read_text(encoding="utf-8").replace(
        f'date: "{TODAY}"{entry}', f'date: "2025-01-01"{entry}'), encoding="utf-8")
    git(process, "tag", "-d", "copi/proces/01-innovation-need")
    findings = sorted(_audit(process), key=lambda d: d.code)
    assert [d.code for d in findings] == ["A003", "A004"]
    differs, missing = findings
    commit = git(process, "rev-parse", "HEAD")[:10]
    assert differs.message == (f"history entry 2 disagrees with its commit {commit}: "
                               f"date 2025-01-01 ≠ {TODAY}")
    assert text_in(differs.message, "da") == (
        f"punkt 2 i historikken stemmer ikke med dets commit {commit}: "
        f"date 2025-01-01 ≠ {TODAY}")
    assert text_in(differs.hint or "", "da") == (
        f"historikken i copi.yaml er rettet i hånden; gendan den fra git (git show {commit}:"
        "copi.yaml)")
    assert missing.message == "tag copi/proces/01-innovation-need is missing"
    assert text_in(missing.message, "da") == "tagget copi/proces/01-innovation-need mangler"
    assert text_in(missing.hint or "", "da").startswith(
        "hvis det findes der, hvor processen gik videre, så push det (git push origin "
        "copi/proces/01-innovation-need)")
