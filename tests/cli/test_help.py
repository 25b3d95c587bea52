"""Help and usage errors in Danish and English from the catalogue (data/messages/help.json):
every command, group and parameter has its help in both, every help id is used, typer's and
click's own words are said in Danish too, and codes and option names are the same in both."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer

from copi_cli.cli import helptext, language
from copi_cli.cli.app import ON_FIRST_USE, app
from copi_cli.messages import catalogue

# Said the same in both languages, and rightly so.
SAME_IN_BOTH = {"help.supplier.add.website"}  # "https://…"
# typer's and click's own options, said by their English text (click.*), not by a help id.
LIBRARY_OPTIONS = {"--help", "--install-completion", "--show-completion"}


def _tree(lang: str, monkeypatch: pytest.MonkeyPatch) -> list[tuple[tuple[str, ...], object]]:
    """(path, command) for every command and group of copi, each loaded, help applied."""
    from typer._click import Context

    monkeypatch.setenv("COPI_LANG", lang)
    language.choose([])
    root = typer.main.get_command(app)
    helptext.apply(root)
    context = Context(root, info_name="copi", help_option_names=helptext.HELP_OPTION_NAMES)
    found: list[tuple[tuple[str, ...], object]] = []

    def walk(command: object, path: tuple[str, ...]) -> None:
        found.append((path, command))
        if isinstance(command, typer.core.TyperGroup):
            for name in command.list_commands(context):
                walk(command.get_command(context, name), (*path, name))

    walk(root, ())
    return found


def _params(command: object) -> list:
    return [*command.params, command._help_option]  # type: ignore[attr-defined]


def test_the_walk_sees_every_command(monkeypatch: pytest.MonkeyPatch) -> None:
    paths = {path for path, _ in _tree("en", monkeypatch)}
    assert {(name,) for name in ON_FIRST_USE} <= paths
    assert ("owner", "backing") in paths and ("tool", "import") in paths and () in paths
    assert len(paths) > 60


@pytest.mark.parametrize("lang", ["da", "en"])
def test_every_command_and_parameter_has_its_help(lang: str,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    missing = []
    for path, command in _tree(lang, monkeypatch):
        key = helptext.command_id(path)
        if key not in catalogue() or command.help != catalogue()[key][lang]:
            missing.append(key)
        for param in _params(command):
            if LIBRARY_OPTIONS & set(param.opts):
                continue
            key = helptext.parameter_id(param, path)
            if key is None or param.help != catalogue()[key][lang]:
                missing.append(f"{helptext.command_id(path)}: {param.opts}")
    assert not missing, "no help in data/messages/help.json for: " + ", ".join(missing)


def test_every_help_id_is_used_and_danish_is_not_a_copy(monkeypatch: pytest.MonkeyPatch) -> None:
    used = set()
    for path, command in _tree("da", monkeypatch):
        used.add(helptext.command_id(path))
        used |= {helptext.parameter_id(param, path) for param in _params(command)}
    known = {key for key in catalogue() if key.startswith("help.")}
    assert not known - used, f"help no command uses: {sorted(known - used)}"
    copies = {key for key in known if catalogue()[key]["da"] == catalogue()[key]["en"]}
    assert copies == SAME_IN_BOTH, f"not translated: {sorted(copies - SAME_IN_BOTH)}"


def test_typers_own_options_are_said_in_danish(monkeypatch: pytest.MonkeyPatch) -> None:
    for path, command in _tree("da", monkeypatch):
        for param in _params(command):
            if LIBRARY_OPTIONS & set(param.opts):
                english = helptext.library_words(param.help, "en")
                assert param.help in {entry["da"] for key, entry in catalogue().items()
                                      if key.startswith("click.")}, (path, english)


# --- the placeholders of values --------------------------------------------------------------

# The placeholder's word as typer writes it: the name inside its brackets, without its dots.
_WORD = re.compile(r"[\[{<]?(.*?)(?:\.\.\.)?[\]}>]?(?:\.\.\.)?")


def _placeholders(lang: str, monkeypatch: pytest.MonkeyPatch) -> dict[tuple, str]:
    """(command path, parameter) -> the placeholder its help shows for the value, as typer
    writes it in the usage line and the list of parameters."""
    from typer._click import Context

    shown = {}
    for path, command in _tree(lang, monkeypatch):
        context = Context(command)
        for param in _params(command):
            if getattr(param, "is_flag", False) or getattr(param, "count", False):
                continue
            if isinstance(param, typer.core.TyperArgument):
                usage = param.make_metavar(context, usage=True)
                shown[(path, param.name, "usage")] = usage
                shown[(path, param.name, "list")] = param.make_metavar(context)
            else:
                shown[(path, param.name, "list")] = param.make_metavar(context)
    return shown


def test_every_placeholder_is_said_in_danish(monkeypatch: pytest.MonkeyPatch) -> None:
    """A value's placeholder (<str>, <directory>, YYYY-MM-DD, an argument's name) is said from
    the catalogue's metavar.* in Danish; a list of the values to type (da|en) stays as it is,
    since it is what the user types."""
    words = {entry["en"]: entry["da"] for key, entry in catalogue().items()
             if key.startswith("metavar.")}
    english, danish = _placeholders("en", monkeypatch), _placeholders("da", monkeypatch)
    assert english.keys() == danish.keys()
    unsaid, wrong = [], []
    for where, shown in english.items():
        word = _WORD.fullmatch(shown).group(1)
        if "|" in word:  # the values themselves
            assert danish[where] == shown, where
        elif word not in words:
            unsaid.append(f"{where}: {shown}")
        elif danish[where] != shown.replace(word, words[word], 1):
            wrong.append(f"{where}: {danish[where]}")
    assert not unsaid, "no metavar.* in data/messages/help.json for: " + ", ".join(unsaid)
    assert not wrong, "not said in Danish: " + ", ".join(wrong)
    used = {_WORD.fullmatch(shown).group(1) for shown in english.values()}
    assert not set(words) - used, f"metavar.* no help shows: {sorted(set(words) - used)}"
    copies = {word for word, said in words.items() if said == word}
    assert copies == {"person"}, f"not translated: {sorted(copies - {'person'})}"


# What typer and click write in English in a help page, and copi's own English placeholders:
# none of it may reach a Danish help page.
ENGLISH_IN_HELP = re.compile(
    r"<str>|<directory>|<file>|<path>|<int range>|<int>|<float>|\bTEXT\b|\bINTEGER\b|\bPATH\b"
    r"|\[default:|\[required\]|\bUsage:|\bOptions:|\bArguments:|\bCommands:|YYYY-MM-DD"
    r"|\bFILES\b|\bFORMATS\b|\bPHASE\b|\bNAME\b|\bDOC\b|\bSPEC\b|\{name\}|\{owner\}"
    r"|Show this message|Install completion|Show completion")


def test_no_danish_help_page_shows_english_words_of_typer_or_click(
        copi, monkeypatch: pytest.MonkeyPatch) -> None:
    pages = [path for path, _ in _tree("en", monkeypatch)]
    monkeypatch.setenv("COPI_LANG", "da")
    found = {}
    for path in pages:
        run = copi(*path, "--help")
        assert run.code == 0, path
        hits = ENGLISH_IN_HELP.findall(run.out)
        if hits:
            found[" ".join(("copi", *path))] = sorted(set(hits))
    assert not found, found
    monkeypatch.setenv("COPI_LANG", "en")
    english = copi("owner", "add", "--help").out
    assert "{name}" in english and "<str>" in english and "YYYY-MM-DD" in english
    assert ENGLISH_IN_HELP.search(english)  # the pattern finds what it looks for

# --- the help as printed ---------------------------------------------------------------------

def _options(help_text: str) -> list[str]:
    """The option names of a help page, in order: the left column."""
    return re.findall(r"^  ((?:-\w, )?--[\w-]+)", help_text, re.MULTILINE)


@pytest.mark.parametrize("argv", [[], ["advance"], ["owner", "add"], ["render"]],
                         ids=lambda argv: " ".join(["copi", *argv]))
def test_a_danish_locale_gets_danish_help_and_the_same_options(
        copi, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, argv: list[str]) -> None:
    monkeypatch.delenv("COPI_LANG")
    monkeypatch.setenv("LANG", "da_DK.UTF-8")
    danish = copi(*argv, "--help", cwd=tmp_path)  # no process here: the locale decides
    monkeypatch.setenv("COPI_LANG", "en")
    english = copi(*argv, "--help", cwd=tmp_path)
    assert danish.code == english.code == 0
    assert danish.out.startswith("Brug: copi") and english.out.startswith("Usage: copi")
    assert "Tilvalg:" in danish.out and "Options:" not in danish.out
    assert "Vis denne hjælp, og afslut." in danish.out
    assert _options(danish.out) == _options(english.out)
    assert "-h, --help" in _options(danish.out)
    path = tuple(argv)
    assert " ".join(catalogue()[helptext.command_id(path)]["da"].split()[:4]) in \
        " ".join(danish.out.split())


def test_the_words_of_a_help_page_are_danish(copi, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COPI_LANG", "da")
    top = copi("--help").out
    for words in ("Brug: copi [TILVALG] KOMMANDO [ARGUMENTER]...", "Tilvalg:", "Kommandoer:",
                  "Installér tab-fuldførelse", "Kør skaleringsprocesser",
                  "owner      Behovsejere og partnere"):
        assert words in top, words
    owner_add = " ".join(copi("owner", "add", "--help").out.split())
    for words in ("Brug: copi owner add [TILVALG] {navn}", "Argumenter:", "[påkrævet]",
                  "[standard: need-owner]",
                  "Organisationens navn; for en kommune"):
        assert words in owner_add, words
    monkeypatch.setenv("COPI_LANG", "en")
    assert "Show this message and exit." in copi("advance", "--help").out


def test_a_group_without_its_subcommand_shows_its_danish_help(copi, monkeypatch) -> None:
    monkeypatch.setenv("COPI_LANG", "da")
    run = copi("owner")
    assert run.code == 2 and "Behovsejere og partnere" in run.out + run.err


# --- usage errors ----------------------------------------------------------------------------

# (arguments, the catalogue entry of what typer or click says): one case for each of its words.
USAGE_ERRORS = [
    (["advanse"], "click.did-you-mean"),
    (["advanse"], "click.no-such-command"),
    (["status", "--bogus"], "click.no-such-option"),
    (["advance", "--forc"], "click.possible-options"),
    (["owner", "add"], "click.missing-argument"),
    (["owner", "backing", "aarhus", "--by", "Byrådet"], "click.missing-option"),
    (["owner", "add", "X", "--citizens", "-1"], "click.invalid-value"),
    (["owner", "add", "X", "--citizens", "-1"], "click.out-of-range"),
    (["owner", "add", "X", "--citizens", "mange"], "click.not-an-integer"),
    (["status", "en", "to"], "click.extra-arguments"),
    (["advance", "--reason"], "click.option-needs-value"),
    (["advance", "--force=ja"], "click.option-takes-no-value"),
    (["status", "--dir", "{file}"], "click.directory-is-file"),
    (["meeting", "add", "x", "--notes", "{missing}"], "click.file-missing"),
    (["tool", "import", "{folder}"], "click.file-is-directory"),
    (["owner", "add", "X", "--joined", "2026-02-30"], "usage.date-unreal"),
    (["owner", "add", "X", "--joined", "2.2.2026"], "usage.date-form"),
    (["owner", "add", "X", "--joined", "2999-01-01"], "usage.date-ahead"),
    (["contact", "add", "aarhus", "--name", "Anna", "--retention-until", "2001-01-01"],
     "usage.date-passed"),
    (["--debug"], "click.missing-command"),
    (["potential", "purchase", "aarhus", "--year", "2028", "--spend", "mange"],
     "usage.not-an-amount"),
]
# The words of a help page, seen in the tests above.
HELP_WORDS = {"click.usage", "click.options-metavar", "click.command-metavar",
              "click.options", "click.arguments", "click.commands",
              "click.default", "click.required", "click.help-option",
              "click.install-completion", "click.show-completion"}


def _pattern(key: str, lang: str) -> re.Pattern[str]:
    parts = re.split(r"\{\w+(?:![rs])?\}", catalogue()[key][lang])
    return re.compile(".+?".join(re.escape(part) for part in parts), re.DOTALL)


def test_every_word_of_typer_and_click_has_its_case() -> None:
    known = {key for key in catalogue() if key.startswith("click.")}
    assert known == {key for _, key in USAGE_ERRORS if key.startswith("click.")} | HELP_WORDS


@pytest.mark.parametrize("argv, key", USAGE_ERRORS, ids=[k for _, k in USAGE_ERRORS])
def test_a_usage_error_is_said_in_both_languages_with_the_same_code(
        copi, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, argv: list[str],
        key: str) -> None:
    (tmp_path / "file").write_text("x\n", encoding="utf-8")
    places = {"{file}": str(tmp_path / "file"), "{missing}": str(tmp_path / "nothing.txt"),
              "{folder}": str(tmp_path)}
    argv = [places.get(word, word) for word in argv]
    runs = {}
    for lang in ("da", "en"):
        monkeypatch.setenv("COPI_LANG", lang)
        runs[lang] = copi(*argv, cwd=tmp_path)
    assert runs["da"].code == runs["en"].code == 2
    assert runs["da"].err.startswith("copi: fejl: ") and "  råd: se copi" in runs["da"].err
    assert runs["en"].err.startswith("copi: error: ") and "  hint: see copi" in runs["en"].err
    for lang in ("da", "en"):
        assert _pattern(key, lang).search(runs[lang].err), (lang, runs[lang].err)
    english_words = re.findall(r"[a-z]{4,}", runs["da"].err.split("\n")[0].lower())
    assert not {"invalid", "missing", "such", "option", "value", "does", "exist"} & \
        set(english_words), runs["da"].err


def test_library_words_fill_in_what_the_library_said() -> None:
    said = helptext.library_words("Invalid value for '--year': 1999 is not in the range "
                                  "2000<=x<=2200.", "da")
    assert said == "Ugyldig værdi for '--year': 1999 ligger ikke i intervallet 2000<=x<=2200."
    assert helptext.library_words("Something typer never said.", "da") == \
        "Something typer never said."
    assert helptext.library_words("Options", "en") == "Options"


def test_lang_before_the_command_chooses_the_language_of_the_help(
        copi, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COPI_LANG")
    monkeypatch.setenv("LANG", "da_DK.UTF-8")
    assert copi("--lang", "en", "advance", "--help", cwd=tmp_path).out.startswith(
        "Usage: copi advance [OPTIONS]")
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert copi("--lang", "da", "advance", "--help", cwd=tmp_path).out.startswith(
        "Brug: copi advance [TILVALG]")
