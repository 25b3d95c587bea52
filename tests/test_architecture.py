"""The house's plan holds: layers that import only downward, no cycles, a core without terminal
code, lazy imports at start-up."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

PACKAGE = REPO / "copi_cli"


def _module_name(path: Path) -> str:
    name = ".".join(path.relative_to(REPO).with_suffix("").parts)
    return name.removesuffix(".__init__")


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))
           if "validators" not in p.parts}  # generated, importing nothing of copi's
CORE = sorted(m for m in MODULES if not m.startswith(("copi_cli.cli", "copi_cli.__main__")))


def _layers() -> list[str]:
    """The packages of docs/architecture.md's table, lowest first."""
    text = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    table = text.split("<!-- layers: read by tests/test_architecture.py -->", 1)[1]
    table = table.split("<!-- end of layers -->", 1)[0]
    return [re.search(r"`([\w.]+)`", row.split("|")[2]).group(1)
            for row in table.splitlines() if re.match(r"^\| \d+ \|", row)]


def _layer(module: str, layers: list[str]) -> int:
    """The layer of a module: the deepest package of the table that holds it. The entry point
    __main__ stands with the command line."""
    if module == "copi_cli.__main__":
        return len(layers) - 1
    return max(i for i, package in enumerate(layers)
               if module == package or module.startswith(package + "."))


def _imports(module: str) -> set[str]:
    """copi's modules this one imports, at the top or inside a function."""
    found = _imported(MODULES[module].read_text(encoding="utf-8"), module)
    return {m for m in found if m in MODULES and m != module}


def _imported(source: str, module: str) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module and \
                node.module.startswith("copi_cli"):
            for alias in node.names:
                whole = f"{node.module}.{alias.name}"
                found.add(whole if whole in MODULES else node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("copi_cli"))
        elif isinstance(node, ast.ImportFrom) and node.level:
            raise AssertionError(f"{module}: relative import; name modules in full")
    return found


GRAPH = {module: _imports(module) for module in MODULES}


def _documented_modules() -> set[Path]:
    """The files docs/architecture.md's module table names; a folder ending in / stands for
    every module in it."""
    text = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    table = text.split("<!-- modules: read by tests/test_architecture.py -->", 1)[1]
    table = table.split("<!-- end of modules -->", 1)[0]
    named, package = set(), None
    for row in table.splitlines():
        cells = [cell.strip().strip("`") for cell in row.strip("|").split("|")]
        if len(cells) != 3 or not cells[1] or set(cells[1]) <= {"-"} or cells[1] == "module":
            continue
        package = REPO.joinpath(*cells[0].split(".")) if cells[0] else package
        assert package is not None, f"a module before its package: {row}"
        place = package / cells[1]
        named |= set(place.rglob("*.py")) if cells[1].endswith("/") else {place}
    return named


def test_the_module_table_names_every_module() -> None:
    documented = _documented_modules()
    assert not {p for p in documented if not p.is_file()}, "named in the table, but not there"
    missing = set(PACKAGE.rglob("*.py")) - documented - set(PACKAGE.glob("*/__init__.py"))
    assert not missing, "add to docs/architecture.md's module table: " + ", ".join(
        sorted(str(p.relative_to(REPO)) for p in missing))


def test_docs_name_only_files_that_are_there() -> None:
    for doc in ("README.md", "docs/architecture.md", "copi_cli/data/README.md"):
        text = (REPO / doc).read_text(encoding="utf-8")
        # the repository's own folders (templates/ and the like may be a process's)
        for path in re.findall(r"`((?:copi_cli|tests|benchmarks|docs)/[\w./-]+)`", text):
            assert (REPO / path.rstrip("/")).exists(), f"{doc} names {path}, which is not there"


def test_the_table_names_every_package() -> None:
    layers = _layers()
    assert layers[0] == "copi_cli"
    packages = {_module_name(p.parent / "__init__.py") for p in PACKAGE.glob("*/__init__.py")}
    assert packages - {"copi_cli.validation.validators"} <= set(layers), "add it to the table"


def test_every_import_goes_down_the_layers() -> None:
    layers = _layers()
    upward = sorted(f"{module} imports {target} ({layers[_layer(target, layers)]})"
                    for module, targets in GRAPH.items() for target in targets
                    if _layer(target, layers) > _layer(module, layers))
    assert not upward, "\n".join(upward)


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """Depth-first search for a back edge; the cycle found, whole."""
    state: dict[str, int] = {}  # 1 on the path, 2 done
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = 1
        path.append(module)
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                return path[path.index(target):] + [target]
            if target not in state and (cycle := visit(target)):
                return cycle
        path.pop()
        state[module] = 2
        return None

    for module in sorted(graph):
        if module not in state and (cycle := visit(module)):
            return cycle
    return None


def test_no_import_cycle() -> None:
    cycle = _cycle(GRAPH)
    assert cycle is None, " -> ".join(cycle or [])


def test_the_check_sees_a_cycle_and_an_upward_import(tmp_path: Path) -> None:
    """The checks above are only as good as their import reading: it must see imports inside
    functions, which are how cycles hid before."""
    source = ("def late():\n    from copi_cli.cli.app import main\n"
              "    if True:\n        import copi_cli.trail.lifecycle\n"
              "from copi_cli.model import workspace\n")
    assert _imported(source, "x") == {"copi_cli.cli.app", "copi_cli.trail.lifecycle",
                                      "copi_cli.model.workspace"}
    layers = _layers()
    assert _layer("copi_cli.cli.app", layers) > _layer("copi_cli.model.workspace", layers)
    assert _layer("copi_cli.validation.rules.base", layers) == layers.index("copi_cli.validation")
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def _modules_after(code: str) -> set[str]:
    done = subprocess.run([sys.executable, "-c", code + "\nimport sys, json\n"
                           "print(json.dumps(sorted(sys.modules)))"],
                          capture_output=True, text=True, check=True, cwd=REPO)
    return set(json.loads(done.stdout.splitlines()[-1]))


@pytest.mark.parametrize("module", CORE)
def test_core_never_imports_the_terminal(module: str) -> None:
    loaded = _modules_after(f"import {module}")
    assert not {m for m in loaded if m.split(".")[0] in ("typer", "rich", "click")}


@pytest.mark.parametrize("argv", [["--version"], ["--help"], ["validate", "--help"],
                                  ["owner", "add", "--help"], ["potential", "--help"],
                                  ["preview", "--help"]])
def test_start_up_does_not_load_heavy_libraries(argv: list[str]) -> None:
    loaded = _modules_after(
        "import sys\nfrom copi_cli.cli.app import main\n"
        f"sys.argv = ['copi', *{argv!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass")
    heavy = {"git", "jinja2", "jsonschema", "fastjsonschema", "pypandoc", "rich", "yaml",
             "typst", "starlette", "uvicorn", "watchfiles", "anyio"}
    assert not {m.split(".")[0] for m in loaded} & heavy


def test_validate_with_nothing_changed_loads_no_yaml(example: Path) -> None:
    """The cache answers: reading files (YAML, schemas, the file rules) is not loaded."""
    code = ("import sys\nfrom copi_cli.cli.app import main\n"
            f"sys.argv = ['copi', 'validate', '--dir', {str(example)!r}]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass")
    assert "yaml" in {m.split(".")[0] for m in _modules_after(code)}  # the first run reads
    loaded = _modules_after(code)
    assert not {m.split(".")[0] for m in loaded} & {"yaml", "fastjsonschema", "jsonschema"}
    assert "copi_cli.validation.reading" not in loaded


def test_recording_commands_load_only_when_used() -> None:
    """typer builds every option of every command it knows on each start: the many recording
    commands are loaded when one of them runs, not for `copi --version` or `copi status`."""
    loaded = _modules_after(
        "import sys\nfrom copi_cli.cli.app import main\n"
        "sys.argv = ['copi', '--version']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass")
    assert not {m for m in loaded if m.startswith("copi_cli.cli.commands.")} & {
        f"copi_cli.cli.commands.{name}" for name in ("owner", "contact", "event", "supplier",
                                                 "meeting", "question", "exploration",
                                                 "potential", "declaration")}
