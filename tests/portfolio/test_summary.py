"""One summary per process and the totals: the figures copi status and copi potential give,
public bodies by what identifies them, and whatever is wrong with one process on its line."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

from copi_cli.portfolio.filters import find_phase, gather
from copi_cli.portfolio.summary import Place, Signal, public_identity, survey

from conftest import EXAMPLE, PORTFOLIO_COMMITTED

TODAY = dt.date(2026, 12, 1)


def test_public_bodies_are_identified_by_code_or_cvr_never_by_spelling() -> None:
    assert public_identity({"type": "municipality", "name": "Århus Kommune",
                            "municipality_code": "751"}) == "municipality:751"
    # no code recorded: the reference list knows the name
    assert public_identity({"type": "municipality", "name": "Aarhus Kommune"}) \
        == "municipality:751"
    assert public_identity({"type": "region", "name": "Region Midtjylland",
                            "region_code": "1082"}) == "region:1082"
    assert public_identity({"type": "utility", "name": "Aarhus  Vand",
                            "cvr": "29 19 09 25"}) == "cvr:29190925"
    assert public_identity({"type": "utility", "name": "Aarhus  VAND"}) == "name:aarhus vand"


def test_every_process_is_summarised_and_none_stops_the_rest(copi, portfolio: Path) -> None:
    found = {Path(s.path).name: s for s in survey([Place("p", portfolio)], TODAY)}
    assert list(found) == ["a-faerre-fald", "b-madservice", "c-ugyldig", "d-flettes", "e-brudt"]
    a, b, c, d, e = found.values()
    assert (a.state, a.problem, a.title, a.phase, a.phase_number, a.since) == (
        "ok", None, "Sammen om færre fald i eget hjem", "market-dialogue", 4, "2026-08-17")
    assert [o.id for o in a.need_owners] == [
        "aarhus-kommune", "horsens-kommune", "silkeborg-kommune", "randers-kommune",
        "region-midtjylland", "viborg-kommune", "skanderborg-kommune"]
    assert (a.backed, a.backing_complete, a.signed, a.errors, a.warnings) == (7, True, 0, 0, 0)
    assert a.demand == (Signal(2028, Decimal(3050000), Decimal(3800000), Decimal(4950000)),
                        Signal(2029, Decimal(1980000), Decimal(2510000), Decimal(3290000)))
    assert a.activity == (PORTFOLIO_COMMITTED, "git")

    assert (b.state, b.title, b.phase, b.since, b.backed, b.backing_complete) == (
        "ok", "Fremtidens madservice", "innovation-need", "2026-03-02", 0, False)
    assert [(o.identity, o.name) for o in b.need_owners] == [
        ("municipality:615", "Horsens Kommune")]
    assert (b.demand, b.errors, b.activity) == ((), 0, (PORTFOLIO_COMMITTED, "git"))

    assert c.state == "invalid" and c.errors == 1 and c.phase == "market-dialogue"
    assert c.problem == ("organisationer/aarhus-kommune.yaml:7: R007 code 751 is Aarhus "
                         "Kommune, but the name is 'Århus Kommune' (1 error in all)")
    assert c.need_owners[0] == ("municipality:751", "aarhus-kommune", "Århus Kommune")
    assert c.activity == ("2026-05-28T20:26:40+00:00", "files")

    assert d.state == "mid-merge" and d.phase is None
    assert d.problem == (f"a git merge is in progress in {portfolio / 'd-flettes'}; "
                         "files in conflict: copi.yaml")
    assert e.state == "broken" and e.phase is None
    assert e.problem == ("copi.yaml:3: Y001 did not find expected ',' or ']' (while parsing "
                         "a flow sequence)")


def test_the_figures_are_those_of_status_and_potential(copi, example: Path) -> None:
    """Summed over the same records by the same code: the demand signal is copi potential's,
    the phase, backing, signatures and findings copi status's."""
    [summary] = survey([Place("x", example)])
    status = json.loads(copi("status", "--json", cwd=example).out)
    potential = json.loads(copi("potential", "--json", cwd=example).out)
    assert [[s.year, str(s.low), str(s.expected), str(s.high)] for s in summary.demand] == [
        [y["year"], *y["spend_dkk"].values()] for y in potential["demand"]["years"]]
    assert (summary.phase, summary.since) == (status["phase"]["id"], status["phase"]["entered"])
    assert (len(summary.need_owners), summary.backed, summary.signed) == (
        status["scale"]["need_owners"], status["scale"]["fully_backed"],
        status["scale"]["signed"])
    assert (summary.errors, summary.warnings) == (status["validation"]["errors"],
                                                  status["validation"]["warnings"])


def test_totals_and_filters(copi, portfolio: Path) -> None:
    summaries = list(survey([Place("p", portfolio)], TODAY))
    totals = gather(summaries).totals
    assert totals.processes == 5
    assert {k: n for k, n in totals.states.items() if n} == {
        "ok": 2, "invalid": 1, "mid-merge": 1, "broken": 1}
    assert {k: n for k, n in totals.phases.items() if n} == {
        "innovation-need": 1, "market-dialogue": 2}
    # Aarhus Kommune is one body, however c-ugyldig spells it; Horsens is in three processes
    assert [(b.identity, b.name, b.processes) for b in totals.bodies] == [
        ("municipality:751", "Aarhus Kommune", 2), ("municipality:615", "Horsens Kommune", 3),
        ("municipality:730", "Randers Kommune", 2), ("region:1082", "Region Midtjylland", 2),
        ("municipality:740", "Silkeborg Kommune", 2),
        ("municipality:746", "Skanderborg Kommune", 2),
        ("municipality:791", "Viborg Kommune", 2)]
    assert totals.demand == (
        Signal(2028, Decimal(6100000), Decimal(7600000), Decimal(9900000)),
        Signal(2029, Decimal(3960000), Decimal(5020000), Decimal(6580000)))
    assert (totals.errors, totals.warnings) == (3, 6)

    def names(phase: str | None, owner: str | None) -> list[str]:
        kept = gather(summaries, find_phase(phase) if phase else None, owner)
        return [Path(s.path).name for s in kept.processes]

    unread = ["d-flettes", "e-brudt"]  # nothing to filter on: always shown
    assert names("Markedsdialog", None) == ["a-faerre-fald", "c-ugyldig", *unread]
    assert names("1", None) == ["b-madservice", *unread]
    assert names("innovation need", None) == ["b-madservice", *unread]
    assert names(None, "horsens") == ["a-faerre-fald", "b-madservice", "c-ugyldig", *unread]
    assert names(None, "arhus") == ["a-faerre-fald", "c-ugyldig", *unread]  # Århus, as typed
    assert names("market-dialogue", "viborg-kommune") == ["a-faerre-fald", "c-ugyldig", *unread]
    assert names("declaration", None) == unread
    assert gather(summaries, None, "horsens").totals.demand == totals.demand


def test_a_place_that_holds_nothing_is_a_line_of_its_own(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    lines = list(survey([Place("empty", tmp_path / "empty"), Place("gone", tmp_path / "gone"),
                         Place("https://forge.example/p.git", None, "clone failed"),
                         Place("twice", EXAMPLE), Place("again", EXAMPLE)]))
    assert [(s.label, s.state, s.problem) for s in lines[:3]] == [
        ("empty", "unavailable", f"no process (a folder with copi.yaml) under "
                                 f"{tmp_path / 'empty'}"),
        ("gone", "unavailable", f"{tmp_path / 'gone'} does not exist"),
        ("https://forge.example/p.git", "unavailable", "clone failed")]
    assert [s.label for s in lines[3:]] == ["twice"]  # the same process once


def test_a_process_file_that_cannot_be_read_is_unreadable(tmp_path: Path) -> None:
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "copi.yaml").write_bytes(b"id: \xff\xfe\n")  # not UTF-8
    [summary] = survey([Place("p", tmp_path / "p")])
    assert summary.state == "unreadable" and summary.phase is None
    assert summary.problem.startswith("copi.yaml:1: Y005 ")


def test_the_json_written_a_process_at_a_time_is_the_whole_document(
        copi, portfolio: Path, monkeypatch, capsys) -> None:
    from copi_cli.cli.formats import json_document
    from copi_cli.cli.reporters.json_reporter import JsonReporter
    from copi_cli.portfolio.summary import Tally, as_json

    monkeypatch.chdir(portfolio)
    whole = json_document(as_json(gather(survey([Place(".", Path("."))]))))
    assert copi("portfolio", "--json").out == whole
    nothing = gather([], find_phase("6"))
    JsonReporter().portfolio(nothing)
    assert capsys.readouterr().out == json_document(as_json(nothing))
    assert nothing.totals == Tally().totals()


def test_a_remote_read_from_an_older_copy_says_so_on_each_line(example: Path) -> None:
    """A Located with both a folder and a problem (the fetch failed, the last copy is read):
    its processes are shown by the remote's label, each stale with the problem."""
    checkout = example.parent
    [summary] = survey([Place("https://forge.example/p.git", checkout,
                              "fetch failed; the copy of 2026-11-30 is read", remote=True)])
    assert (summary.path, summary.state, summary.problem, summary.title) == (
        "https://forge.example/p.git/faerre-fald", "stale",
        "fetch failed; the copy of 2026-11-30 is read", "Sammen om færre fald i eget hjem")
    assert not gather([summary]).fine
