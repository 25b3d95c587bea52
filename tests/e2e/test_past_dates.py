"""--date on init, advance, revisit, close and reopen: a process brought in with the dates its
work really happened, the commit keeping its own date beside them."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from conftest import git, load, state

TODAY = dt.date.today().isoformat()
TOMORROW = (dt.date.today() + dt.timedelta(days=1)).isoformat()

# An ongoing process begun in 2022, brought into copi with the dates of its phases.
DATES = ["2022-09-12", "2023-01-16", "2023-05-01", "2023-10-02", "2024-02-05"]


@pytest.mark.usefixtures("danish_cli")
def test_an_ongoing_process_started_in_2022_is_brought_in_with_its_real_dates(
        copi, tmp_path: Path) -> None:
    run = copi("init", "madservice", "--owner", "Aarhus Kommune", "--date", "2022-03-01",
               cwd=tmp_path)
    assert run.code == 0, run.err
    root = tmp_path / "madservice"
    assert load(root, "organisationer/aarhus-kommune.yaml")["joined"] == "2022-03-01"
    for day in DATES:
        run = copi("advance", "--force", "--reason", "Indført fra sagsmappen", "--date", day,
                   cwd=root)
        assert run.code == 0, run.err
    run = copi("close", "--force", "--reason", "Erklæringen blev lanceret", "--date",
               "2024-04-18", cwd=root)
    assert run.code == 0, run.err
    assert [e["date"] for e in load(root, "copi.yaml")["history"]] == [
        "2022-03-01", *DATES, "2024-04-18"]

    # status: the stated dates, not the day they were typed in
    text = copi("status", cwd=root).out
    # a finished phase spans from the day it began to the day it was left, as a closed one does
    assert "✓ 1. Innovationsbehov hos offentlig indkøber — færdig (2022-03-01 – 2022-09-12)" \
        in text
    assert "✓ 2. Matchmaking offentlige indkøbere — færdig (2022-09-12 – 2023-01-16)" in text
    assert "■ 6. Den fælles hensigtserklæring — afsluttet (2024-02-05 – 2024-04-18)" in text
    assert "afsluttet 2024-04-18" in text and TODAY not in text
    status = json.loads(copi("status", "--json", cwd=root).out)
    assert [p["entered"] for p in status["phases"]] == ["2022-03-01", *DATES]
    assert [p["left"] for p in status["phases"]] == [*DATES, None]

    # the status report: the same dates, written as a municipality writes them
    assert copi("render", "status-report", "--format", "md", cwd=root).code == 0
    report = (root / "build" / "statusrapport.md").read_text(encoding="utf-8")
    assert "Processen blev afsluttet den 18. april 2024 i fase 6" in report
    rows = [" ".join(line.split()) for line in report.splitlines()]
    assert "| 1 | Innovationsbehov hos offentlig indkøber | gennemført | 1. marts 2022 – " \
        "12. september 2022 |" in rows
    assert "| 2 | Matchmaking offentlige indkøbere | gennemført | 12. september 2022 – " \
        "16. januar 2023 |" in rows
    assert "| 6 | Den fælles hensigtserklæring | afsluttet | 5. februar 2024 – 18. april 2024 |" \
        in rows
    assert any(row.startswith("| 1. marts 2022 | Oprettet |") for row in rows)

    # the trail keeps both: the stated date in a trailer, the commit's own date beside it
    message = git(root, "log", "-1", "--format=%B")
    assert "Copi-Date: 2024-04-18" in message
    assert git(root, "log", "-1", "--format=%as").strip() == TODAY
    trail = json.loads(copi("log", "--json", cwd=root).out)
    assert [(e["stated"], e["date"]) for e in trail if e["action"] != "edit"
            and e["action"] != "publish"] == [
        (day, TODAY) for day in ("2022-03-01", *DATES, "2024-04-18")]
    assert "    dateret: 2022-03-01" in copi("log", cwd=root).out
    audited = copi("audit", "--json", cwd=root)
    assert audited.code == 0, audited.out  # recorded afterwards is fine, and shown
    shown = [d for d in json.loads(audited.out)["diagnostics"] if d["code"] == "A016"]
    assert len(shown) == 7 and "dated 2022-03-01" in shown[0]["message"]


def test_a_phase_left_by_revisit_is_left_not_completed(
        copi, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """revisit goes back before the gate held: the phase it leaves was not completed, so status
    and the status report say so, with the span it ran, in both languages."""
    monkeypatch.delenv("COPI_LANG")  # the process's language decides
    assert copi("init", "madservice", "--owner", "Aarhus Kommune", "--date", "2022-03-01",
                cwd=tmp_path).code == 0
    root = tmp_path / "madservice"
    for day in DATES[:3]:
        assert copi("advance", "--force", "--reason", "x", "--date", day, cwd=root).code == 0
    run = copi("revisit", "matchmaking", "--reason", "Skanderborg vil med", "--date",
               "2023-06-01", cwd=root)
    assert run.code == 0, run.err
    text = copi("status", cwd=root).out
    assert "↩ 4. Markedsdialog — forladt (2023-05-01 – 2023-06-01), ikke gennemført" in text
    # phase 3 was passed by advance before phase 4 was left: it stays done, with its span
    assert "✓ 3. Behovsudforskning — færdig (2023-01-16 – 2023-05-01)" in text
    assert "↺ 2. Matchmaking offentlige indkøbere — genåbnet (siden 2023-06-01)" in text
    assert "færdig (2023-05-01)" not in text and "4. Markedsdialog — færdig" not in text
    status = json.loads(copi("status", "--json", cwd=root).out)
    assert [p["state"] for p in status["phases"]][2:4] == ["done", "left"]
    assert copi("render", "status-report", "--format", "md", cwd=root).code == 0
    report = (root / "build" / "statusrapport.md").read_text(encoding="utf-8")
    rows = [" ".join(line.split()) for line in report.splitlines()]
    assert "| 4 | Markedsdialog | forladt, ikke gennemført | 1. maj 2023 – 1. juni 2023 |" \
        in rows

    # in a process run in English, the same words in English
    copi_yaml = root / "copi.yaml"
    copi_yaml.write_text(copi_yaml.read_text(encoding="utf-8").replace(
        "language: da", "language: en"), encoding="utf-8")
    text = copi("status", cwd=root).out
    assert "↩ 4. Market dialogue — left (2023-05-01 – 2023-06-01), not completed" in text
    assert "— reopened (since 2023-06-01)" in text


def test_a_date_in_the_future_or_before_the_last_transition_is_refused(
        copi, process: Path, tmp_path: Path) -> None:
    assert copi("advance", "--force", "--reason", "x", "--date", TODAY, cwd=process).code == 0
    before = state(process)
    run = copi("advance", "--force", "--reason", "x", "--date", TOMORROW, cwd=process)
    assert run.code == 2 and f"--date {TOMORROW} is in the future" in run.err
    run = copi("revisit", "1", "--reason", "x", "--date", "2020-01-01", cwd=process)
    assert run.code == 2 and "before the last transition" in run.err and "history entry 2" \
        in run.err
    run = copi("advance", "--force", "--reason", "x", "--date", "2026-02-30", cwd=process)
    assert run.code == 2 and "not a real date" in run.err
    run = copi("advance", "--force", "--reason", "x", "--date", "7/12", cwd=process)
    assert run.code == 2 and "YYYY-MM-DD" in run.err
    assert state(process) == before
    run = copi("init", "senere", "--owner", "Aarhus Kommune", "--date", TOMORROW, cwd=tmp_path)
    assert run.code == 2 and "in the future" in run.err
    assert not (tmp_path / "senere").exists()

    # the same day as the last transition is allowed: two moves may happen on one day
    run = copi("revisit", "1", "--reason", "Vejle vil med", "--date", TODAY, cwd=process)
    assert run.code == 0, run.err
    assert load(process, "copi.yaml")["history"][-1]["date"] == TODAY


@pytest.mark.usefixtures("danish_cli")
def test_a_transition_dated_back_is_judged_as_of_its_date(copi, example_repo: Path) -> None:
    """The example in phase 4: the market-dialogue report published today and criteria
    confirmed on 2026-10-01 make the gate hold today, but an advance dated 2026-08-20 — before
    the conference (09-10), the confirmation and the publication — is refused; --force with a
    reason still records it."""
    root = example_repo
    assert copi("publish", "market-dialogue-report", cwd=root).code == 0
    with (root / "bekraeftelser.yaml").open("a", encoding="utf-8") as confirmations:
        confirmations.write("  - result: criteria-discussed\n    by: Mette Kjær, CO-PI\n"
                            "    date: \"2026-10-01\"\n")
    git(root, "commit", "-qam", "Kriterier drøftet")
    assert copi("advance", "--dry-run", cwd=root).code == 0  # as of today, it holds
    before = state(root)
    run = copi("advance", "--date", "2026-08-20", cwd=root)
    assert run.code == 1
    assert "er ikke opfyldt pr. --date 2026-08-20" in run.err
    assert "criteria-discussed" in run.out  # not confirmed by that day
    assert "[ ] Mindst én åben, annonceret markedsdialog er afholdt" in run.out  # 09-10
    assert state(root) == before
    run = copi("advance", "--date", "2026-09-20", cwd=root)  # after the conference: still
    assert run.code == 1 and "criteria-discussed" in run.out  # the confirmation is to come
    run = copi("advance", "--date", "2026-08-20", "--force", "--reason", "Indført fra "
               "sagsmappen", cwd=root)
    assert run.code == 0, run.err
    assert load(root, "copi.yaml")["history"][-1]["date"] == "2026-08-20"
