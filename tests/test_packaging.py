"""A non-editable install must carry templates/, schemas/ and the generated validators inside
the package."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from conftest import EXAMPLE, REPO


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("hatchling", reason="building the wheel offline needs hatchling")
    out = tmp_path_factory.mktemp("wheel")
    source = tmp_path_factory.mktemp("src") / "copi"
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "venv", "build", "dist", "__pycache__", "*.egg-info"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "--no-index", "-q", "-w", str(out), str(source)], check=True)
    (built,) = out.glob("copi-*.whl")
    return built


def test_wheel_contains_templates_schemas_and_data(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for schema in (REPO / "schemas").glob("*.json"):
        assert f"copi_cli/schemas/{schema.name}" in names
    for template in (REPO / "templates").rglob("*.j2"):
        assert f"copi_cli/templates/{template.relative_to(REPO / 'templates')}" in names
    for validator in (REPO / "copi_cli" / "validation" / "validators").glob("*.py"):
        assert f"copi_cli/validation/validators/{validator.name}" in names
    assert "copi_cli/rendering/compiled_templates.py" in names
    assert "copi_cli/data/phases.yaml" in names
    assert "copi_cli/data/dk_public_bodies.csv" in names


def test_installed_wheel_works_outside_the_source_tree(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; "
                           "print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    # copi's dependencies come from the running environment (no network in tests); copi itself
    # only from the wheel, which sits first on the path.
    Path(site, "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([str(python), "-m", "pip", "install", "--no-deps", "--no-index", "-q",
                    "--ignore-installed",
                    str(wheel)], check=True)
    process = tmp_path / "work" / "faerre-fald"
    shutil.copytree(EXAMPLE, process, ignore=shutil.ignore_patterns("build"))
    env = {**os.environ, "PYTHONPATH": ""}
    copi = str(venv / "bin" / "copi")
    where = subprocess.run([str(python), "-c", "import copi_cli; print(copi_cli.__file__)"],
                           capture_output=True, text=True, check=True, cwd=tmp_path, env=env)
    assert where.stdout.startswith(str(venv))
    done = subprocess.run([copi, "validate"], cwd=process, capture_output=True, text=True,
                          env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    done = subprocess.run([copi, "init", "ny", "--owner", "Vejle Kommune"], cwd=tmp_path / "work",
                          capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "work" / "ny" / "tekster" / "hensigtserklaering.md").is_file()
    done = subprocess.run([copi, "advance", "--help"], capture_output=True, text=True,
                          env={**env, "COPI_LANG": "da"})  # the help comes from the catalogue
    assert done.returncode == 0 and "Brug: copi advance" in done.stdout
    assert "Tjek, om kriterierne for at gå videre" in done.stdout, done.stdout
