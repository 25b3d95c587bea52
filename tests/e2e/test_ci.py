"""copi in a process repo's CI: output formats read by their real consumers, the gate as a
check, workflows for GitHub and GitLab, and copi as a pre-commit hook."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import DATA, EXAMPLE, REPO, copi_executable, git

SARIF_SCHEMA = DATA / "sarif-schema-2.1.0.json"


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    """The example inside a larger repository (processes/faerre-fald), with two mistakes."""
    root = tmp_path / "repo" / "processes" / "faerre-fald"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("build"))
    owner = root / "organisationer" / "horsens-kommune.yaml"
    owner.write_text(owner.read_text(encoding="utf-8").replace("joined:", "jioned:", 1),
                     encoding="utf-8")
    (root / "noter, 50%: udkast.yaml").write_text("x: 1\n", encoding="utf-8")
    git(tmp_path / "repo", "init", "-q", "-b", "main")
    return root


def test_sarif_is_valid_sarif_2_1_0(copi, broken: Path) -> None:
    import jsonschema

    result = copi("validate", "--format", "sarif", cwd=broken)
    assert result.code == 1
    log = json.loads(result.out)
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(log)
    results = log["runs"][0]["results"]
    assert {r["ruleId"] for r in results} == {"S001", "S002", "W001"}
    located = next(r for r in results if r["ruleId"] == "S001")["locations"][0]
    assert located["physicalLocation"]["artifactLocation"]["uri"] == \
        "processes/faerre-fald/organisationer/horsens-kommune.yaml"
    assert located["physicalLocation"]["region"] == {"startLine": 8, "startColumn": 1}
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == ["S001", "S002", "W001"]
    clean = json.loads(copi("validate", "--format", "sarif", cwd=EXAMPLE).out)
    jsonschema.Draft4Validator(schema).validate(clean)
    assert clean["runs"][0]["results"] == []


def test_junit_is_read_by_a_junit_parser(copi, broken: Path) -> None:
    from junitparser import Failure, JUnitXml, Skipped

    result = copi("validate", "--format", "junit", cwd=broken)
    assert result.code == 1
    report = broken / "report.xml"
    report.write_text(result.out, encoding="utf-8")
    suites = list(JUnitXml.fromfile(str(report)))
    assert len(suites) == 1 and suites[0].name == "copi validate"
    cases = list(suites[0])
    failures = [c for c in cases if any(isinstance(r, Failure) for r in c.result)]
    skipped = [c for c in cases if any(isinstance(r, Skipped) for r in c.result)]
    assert len(failures) == 2 and len(skipped) == 1  # two errors, one warning (W001)
    assert failures[0].classname == "processes/faerre-fald/organisationer/horsens-kommune.yaml"
    clean = copi("validate", "--format", "junit", cwd=EXAMPLE)
    report.write_text(clean.out, encoding="utf-8")
    (suite,) = JUnitXml.fromfile(str(report))
    assert suite.tests == 1 and suite.failures == 0


def test_github_annotations_are_escaped_workflow_commands(copi, broken: Path) -> None:
    result = copi("validate", "--format", "github", cwd=broken)
    lines = result.out.splitlines()
    assert "::error file=processes/faerre-fald/organisationer/horsens-kommune.yaml,line=8,col=1,"\
           "title=S001::unknown key 'jioned'%0Ahint: did you mean 'joined'?" in lines
    odd = next(line for line in lines if "W001" in line)
    # ':' and ',' and '%' in a property are escaped, or GitHub would cut the file name there
    assert odd.startswith("::warning file=processes/faerre-fald/noter%2C 50%25%3A udkast.yaml,")
    assert all(re.fullmatch(r"::(error|warning) file=[^,]+,line=\d+,col=\d+,title=\w+::.*", line)
               for line in lines)


def test_the_gate_as_a_ci_check(copi, tmp_path: Path) -> None:
    root = tmp_path / "faerre-fald"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("build"))
    result = copi("gate", "--format", "github", cwd=root)
    assert result.code == 1
    # the market dialogue report is not published yet, the criteria not confirmed
    assert result.out.startswith("::warning file=publikationer.yaml,line=1,col=1,title=G001::")
    assert "::warning file=bekraeftelser.yaml,line=1,col=1,title=G001::" in result.out
    confirmations = root / "bekraeftelser.yaml"
    confirmations.write_text(confirmations.read_text(encoding="utf-8") +
                             "  - {result: criteria-discussed, by: Mette, date: \"2026-11-20\"}\n",
                             encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "eksempel")
    assert copi("publish", "market-dialogue-report", "-f", "md", cwd=root).code == 0
    assert copi("gate", cwd=root).code == 0
    assert json.loads(copi("gate", "--format", "json", cwd=root).out)["diagnostics"] == []


def test_audit_speaks_the_same_formats(copi, tmp_path: Path) -> None:
    assert copi("init", "proces", "--owner", "Aarhus Kommune", cwd=tmp_path).code == 0
    result = copi("audit", "--format", "sarif", cwd=tmp_path / "proces")
    assert result.code == 0 and json.loads(result.out)["runs"][0]["results"] == []


def test_an_unknown_format_is_a_usage_error(copi) -> None:
    result = copi("validate", "--format", "xml", cwd=EXAMPLE)
    assert result.code == 2 and "github, junit, sarif" in result.err


# --- workflows -------------------------------------------------------------------------------

def _check_jsonschema(schema: str, path: Path) -> subprocess.CompletedProcess[str]:
    """The check-jsonschema CLI with its vendored (offline) schema of the CI system."""
    tool = Path(sys.executable).with_name("check-jsonschema")
    return subprocess.run([str(tool), "--builtin-schema", f"vendor.{schema}", str(path)],
                          capture_output=True, text=True)


def test_copi_ci_writes_workflows_the_ci_systems_accept(copi, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "processer").mkdir()
    assert copi("init", "faerre-fald", "--owner", "Aarhus Kommune", "--dir",
                str(repo / "processer"), cwd=tmp_path).code == 0
    process = repo / "processer" / "faerre-fald"
    unsaid = copi("ci", "github", cwd=process)  # copi is not on PyPI: the source must be said
    assert unsaid.code == 2 and "installs copi from" in unsaid.err
    github = copi("ci", "github", "--install", "git+https://example.org/copi.git@v0.1.0",
                  cwd=process)
    assert github.code == 0, github.err
    flow = repo / ".github" / "workflows" / "copi-faerre-fald.yml"
    checked = _check_jsonschema("github-workflows", flow)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    jobs = yaml.safe_load(flow.read_text(encoding="utf-8"))["jobs"]["copi"]["steps"]
    runs = [step.get("run", "") for step in jobs]
    assert "copi validate --dir processer/faerre-fald --format github" in runs
    assert "copi audit --dir processer/faerre-fald --format github" in runs
    assert jobs[0]["with"]["fetch-depth"] == 0
    assert jobs[-1]["with"]["path"] == "processer/faerre-fald/build/"
    assert "Copi-Action: ci" in git(repo, "log", "-1", "--format=%B")
    gitlab = copi("ci", "gitlab", "--install", "git+https://example.org/copi.git@v1",
                  cwd=process)
    assert gitlab.code == 0, gitlab.err
    checked = _check_jsonschema("gitlab-ci", repo / ".gitlab-ci.yml")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    job = yaml.safe_load((repo / ".gitlab-ci.yml").read_text(encoding="utf-8"))[
        "copi-faerre-fald"]
    assert job["script"][0] == "pip install git+https://example.org/copi.git@v1"
    assert job["artifacts"]["reports"]["junit"] == "copi-faerre-fald.xml"
    again = copi("ci", "gitlab", "--install", "x", cwd=process)
    assert again.code == 1 and "exists" in again.err
    assert "# Checks" in copi("ci", "gitlab", "--install", "x", "--print", cwd=process).out
    assert copi("ci", "jenkins", cwd=process).code == 2
    assert copi("validate", cwd=process).code == 0


def test_init_can_write_the_workflow_in_its_first_commit(copi, tmp_path: Path) -> None:
    assert copi("init", "proces", "--owner", "Aarhus Kommune", "--ci", "github",
                cwd=tmp_path).code == 2  # from where does CI install copi?
    assert copi("init", "proces", "--owner", "Aarhus Kommune", "--ci", "github", "--ci-install",
                "git+https://example.org/copi.git@v0.1.0", cwd=tmp_path).code == 0
    process = tmp_path / "proces"
    files = git(process, "show", "--name-only", "--format=", "HEAD").split()
    assert ".github/workflows/copi-proces.yml" in files
    assert git(process, "rev-list", "--count", "HEAD").strip() == "1"


# --- publishing the site through the forge's pages (copi ci --site) -------------------------

INSTALL = "git+https://example.org/copi.git@v0.1.0"
PIN = re.compile(r"actions/[a-z-]+@v\d+")  # how copi's workflows pin an action: its major tag


@pytest.fixture
def nested(copi, tmp_path: Path) -> Path:
    """A new process in processer/faerre-fald of a larger repository."""
    repo = tmp_path / "repo"
    (repo / "processer").mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    assert copi("init", "faerre-fald", "--owner", "Aarhus Kommune", "--dir",
                str(repo / "processer"), cwd=tmp_path).code == 0
    return repo / "processer" / "faerre-fald"


def _uses(workflow: dict) -> list[str]:
    return [step["uses"] for job in workflow["jobs"].values() for step in job["steps"]
            if "uses" in step]


def test_copi_ci_github_site_writes_a_pages_workflow_github_accepts(copi, nested: Path) -> None:
    import shlex

    repo = nested.parent.parent
    result = copi("ci", "github", "--site", "--install", INSTALL, cwd=nested)
    assert result.code == 0, result.err
    checks = repo / ".github" / "workflows" / "copi-faerre-fald.yml"
    pages = repo / ".github" / "workflows" / "copi-pages.yml"
    for flow in (checks, pages):
        checked = _check_jsonschema("github-workflows", flow)
        assert checked.returncode == 0, checked.stdout + checked.stderr
    assert git(repo, "show", "--name-only", "--format=", "HEAD").split() == [
        ".github/workflows/copi-faerre-fald.yml", ".github/workflows/copi-pages.yml"]

    workflow = yaml.safe_load(pages.read_text(encoding="utf-8"))
    assert workflow[True] == {"push": {"branches": ["main"]}, "workflow_dispatch": None}
    # least privileges: the workflow and its build job may only read; the deploy job alone
    # may write Pages and mint the OIDC token the deployment is proven with
    assert workflow["permissions"] == {"contents": "read"}
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert build["permissions"] == {"contents": "read", "pages": "read"}
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["needs"] == "build"
    assert deploy["if"] == \
        "github.ref == format('refs/heads/{0}', github.event.repository.default_branch)"
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    # the same actions, pinned the same way, as the checks' workflow
    uses = _uses(workflow)
    assert [u.split("@")[0] for u in uses] == [
        "actions/checkout", "actions/setup-python", "actions/configure-pages",
        "actions/upload-pages-artifact", "actions/deploy-pages"]
    assert all(PIN.fullmatch(u) for u in uses + _uses(yaml.safe_load(checks.read_text())))
    shared = set(uses) & set(_uses(yaml.safe_load(checks.read_text(encoding="utf-8"))))
    assert {u.split("@")[0] for u in shared} == {"actions/checkout", "actions/setup-python"}
    steps = build["steps"]
    assert steps[0]["with"]["fetch-depth"] == 0
    assert {"name": "Install copi", "run": f"pip install {INSTALL}"} in steps
    site = next(step for step in steps if "copi site" in step.get("run", ""))
    assert shlex.split(site["run"]) == ["copi", "site", "--dir", "processer/faerre-fald",
                                        "--out", "_site", "--base-url", "$BASE_URL"]
    assert site["env"] == {"BASE_URL": "${{ steps.pages.outputs.base_url }}"}
    configure = next(step for step in steps if "configure-pages" in step.get("uses", ""))
    assert configure["id"] == "pages"
    upload = next(step for step in steps if "upload-pages-artifact" in step.get("uses", ""))
    assert upload["with"]["path"] == "_site/"

    # idempotent: the same command again changes nothing and commits nothing
    head = git(repo, "rev-parse", "HEAD")
    again = copi("ci", "github", "--site", "--install", INSTALL, cwd=nested)
    assert again.code == 0 and again.out.count("(left as it is)") == 2, again.out
    assert git(repo, "rev-parse", "HEAD") == head
    shown = copi("ci", "github", "--site", "--install", INSTALL, "--print", cwd=nested).out
    assert shown == ("# .github/workflows/copi-faerre-fald.yml\n" + checks.read_text() +
                     "# .github/workflows/copi-pages.yml\n" + pages.read_text())


def test_copi_ci_github_site_never_clobbers_a_hand_edited_workflow(copi, nested: Path) -> None:
    repo = nested.parent.parent
    checks = repo / ".github" / "workflows" / "copi-faerre-fald.yml"
    pages = repo / ".github" / "workflows" / "copi-pages.yml"
    assert copi("ci", "github", "--install", INSTALL, cwd=nested).code == 0
    # the checks' workflow, edited by hand, is left as it is when the Pages workflow joins it
    checks.write_text(checks.read_text(encoding="utf-8") + "# ours\n", encoding="utf-8")
    git(repo, "commit", "-qam", "our edit")
    added = copi("ci", "github", "--site", "--install", INSTALL, cwd=nested)
    assert added.code == 0, added.err
    assert checks.read_text(encoding="utf-8").endswith("# ours\n") and pages.is_file()
    assert git(repo, "show", "--name-only", "--format=", "HEAD").split() == [
        ".github/workflows/copi-pages.yml"]
    # an edited Pages workflow is refused, and nothing is written or committed
    pages.write_text(pages.read_text(encoding="utf-8").replace("ubuntu-latest", "self-hosted"),
                     encoding="utf-8")
    git(repo, "commit", "-qam", "our runner")
    head, edited = git(repo, "rev-parse", "HEAD"), pages.read_text(encoding="utf-8")
    refused = copi("ci", "github", "--site", "--install", INSTALL, cwd=nested)
    assert refused.code == 1 and "a repository has one Pages site" in refused.err
    assert "--force" in refused.err and "Traceback" not in refused.err
    assert pages.read_text(encoding="utf-8") == edited and git(repo, "rev-parse", "HEAD") == head
    # so is the Pages workflow of another process: a repository has one Pages site
    assert copi("init", "andet", "--owner", "Aarhus Kommune", "--dir", str(nested.parent),
                cwd=repo).code == 0
    other = copi("--lang", "en", "ci", "github", "--site", "--install", INSTALL,
                 cwd=nested.parent / "andet")
    assert other.code == 1 and "a repository has one Pages site" in other.err, other.err
    assert pages.read_text(encoding="utf-8") == edited
    assert not (repo / ".github" / "workflows" / "copi-andet.yml").exists()
    # --force replaces both of this process's workflows
    forced = copi("ci", "github", "--site", "--install", INSTALL, "--force", cwd=nested)
    assert forced.code == 0
    assert "self-hosted" not in pages.read_text() and "# ours" not in checks.read_text()


def test_copi_ci_gitlab_site_adds_a_pages_job_gitlab_accepts(copi, nested: Path) -> None:
    repo = nested.parent.parent
    config = repo / ".gitlab-ci.yml"
    assert copi("ci", "gitlab", "--install", INSTALL, cwd=nested).code == 0
    plain = config.read_text(encoding="utf-8")
    assert "pages" not in yaml.safe_load(plain)
    # copi's own earlier file, unedited, gains the pages job without --force
    result = copi("ci", "gitlab", "--site", "--install", INSTALL, cwd=nested)
    assert result.code == 0, result.err
    checked = _check_jsonschema("gitlab-ci", config)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    jobs = yaml.safe_load(config.read_text(encoding="utf-8"))
    assert set(jobs) == {"copi-faerre-fald", "pages"}
    assert jobs["copi-faerre-fald"] == yaml.safe_load(plain)["copi-faerre-fald"]
    pages = jobs["pages"]
    assert pages["artifacts"] == {"paths": ["public"]}
    assert pages["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
    assert pages["stage"] == "deploy"  # after the checks of the test stage
    assert pages["script"] == [
        f"pip install {INSTALL}",
        'copi site --dir processer/faerre-fald --out public '
        '${CI_PAGES_URL:+--base-url "$CI_PAGES_URL"}']
    assert pages["variables"] == {"GIT_DEPTH": "0"}
    assert "Copi-Action: ci" in git(repo, "log", "-1", "--format=%B")
    # again: nothing to do; without --site: the pages job is not silently dropped
    head = git(repo, "rev-parse", "HEAD")
    assert copi("ci", "gitlab", "--site", "--install", INSTALL, cwd=nested).code == 0
    assert git(repo, "rev-parse", "HEAD") == head
    dropped = copi("ci", "gitlab", "--install", INSTALL, cwd=nested)
    assert dropped.code == 1 and "--force" in dropped.err
    assert "pages" in yaml.safe_load(config.read_text(encoding="utf-8"))
    # a hand-edited file is refused too
    config.write_text(plain + "extra:\n  script: [echo]\n", encoding="utf-8")
    assert copi("ci", "gitlab", "--site", "--install", INSTALL, cwd=nested).code == 1
    assert config.read_text(encoding="utf-8").endswith("extra:\n  script: [echo]\n")


@pytest.mark.parametrize("system", ["gitlab", "github"])
def test_run_again_without_install_copi_ci_reads_it_from_its_own_workflow(
        copi, nested: Path, system: str) -> None:
    """`copi ci … --site` run again without --install gave exit 2: copi is not on PyPI and
    the spec was not said. It is in copi's own workflow, which is read back — but only from a
    file that is exactly what copi writes with it."""
    repo = nested.parent.parent
    assert copi("ci", system, "--install", INSTALL, cwd=nested).code == 0
    added = copi("ci", system, "--site", cwd=nested)
    assert added.code == 0, added.err
    written = (repo / ".gitlab-ci.yml" if system == "gitlab"
               else repo / ".github" / "workflows" / "copi-pages.yml")
    assert f"pip install {INSTALL}" in written.read_text(encoding="utf-8")
    head = git(repo, "rev-parse", "HEAD")
    again = copi("ci", system, "--site", cwd=nested)
    assert again.code == 0, again.err
    assert git(repo, "rev-parse", "HEAD") == head  # nothing changed
    # an edited workflow teaches nothing: the spec must be said again
    checks = (repo / ".gitlab-ci.yml" if system == "gitlab"
              else repo / ".github" / "workflows" / "copi-faerre-fald.yml")
    checks.write_text(checks.read_text(encoding="utf-8") + "# mine\n", encoding="utf-8")
    unsaid = copi("ci", system, "--site", cwd=nested)
    assert unsaid.code == 2 and "installs copi from" in unsaid.err


def test_init_can_write_the_pages_workflow_in_its_first_commit(copi, tmp_path: Path) -> None:
    alone = copi("init", "proces", "--owner", "Aarhus Kommune", "--site", cwd=tmp_path)
    assert alone.code == 2 and "--ci" in alone.err
    assert copi("init", "proces", "--owner", "Aarhus Kommune", "--ci", "github", "--site",
                "--ci-install", INSTALL, cwd=tmp_path).code == 0
    process = tmp_path / "proces"
    files = git(process, "show", "--name-only", "--format=", "HEAD").split()
    assert {".github/workflows/copi-proces.yml", ".github/workflows/copi-pages.yml"} <= set(files)
    assert git(process, "rev-list", "--count", "HEAD").strip() == "1"
    flow = process / ".github" / "workflows" / "copi-pages.yml"
    assert _check_jsonschema("github-workflows", flow).returncode == 0
    assert "--dir . --out _site" in flow.read_text(encoding="utf-8")
    assert copi("ci", "github", "--site", "--install", INSTALL, cwd=process).code == 0
    assert git(process, "rev-list", "--count", "HEAD").strip() == "1"  # already so


def test_the_pages_jobs_commands_build_the_site(copi, tmp_path: Path) -> None:
    """What the two forges run, run here by the shells they run it with: the site is built
    into the folder the job publishes, with the pages address as its base URL."""
    pytest.importorskip("copi_cli.site.building", reason="copi site is not in this copi yet")
    import os

    repo = tmp_path / "repo"
    process = repo / "processer" / "faerre-fald"
    shutil.copytree(EXAMPLE, process, ignore=shutil.ignore_patterns("build"))
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "eksempel")
    for system in ("github", "gitlab"):
        assert copi("ci", system, "--site", "--install", INSTALL, cwd=process).code == 0
    path = f"{Path(copi_executable()[0]).parent}{os.pathsep}{os.environ['PATH']}"
    github = yaml.safe_load((repo / ".github" / "workflows" / "copi-pages.yml").read_text())
    step = next(s for s in github["jobs"]["build"]["steps"] if "copi site" in s.get("run", ""))
    url = "https://eksempel.github.io/faerre-fald"
    built = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=repo, capture_output=True,
                           text=True, timeout=300,
                           env={**os.environ, "PATH": path, "BASE_URL": url})
    assert built.returncode == 0, built.stdout + built.stderr
    site = repo / "_site"
    assert (site / "index.html").is_file()
    assert any(url in f.read_text(encoding="utf-8", errors="replace")
               for f in site.rglob("*") if f.suffix in (".ics", ".xml", ".html"))
    gitlab = yaml.safe_load((repo / ".gitlab-ci.yml").read_text(encoding="utf-8"))["pages"]
    for pages_url in ("https://eksempel.gitlab.io/faerre-fald", ""):
        for line in gitlab["script"][1:]:
            done = subprocess.run(["sh", "-e", "-c", line], cwd=repo, capture_output=True,
                                  text=True, timeout=300,
                                  env={**os.environ, "PATH": path, "CI_PAGES_URL": pages_url})
            assert done.returncode == 0, done.stdout + done.stderr
        assert (repo / "public" / "index.html").is_file()
        if pages_url:
            assert any(pages_url in f.read_text(encoding="utf-8", errors="replace")
                       for f in (repo / "public").rglob("*") if f.is_file())


# --- pre-commit ------------------------------------------------------------------------------

def test_copi_as_a_pre_commit_hook(tmp_path: Path) -> None:
    """The real pre-commit framework runs copi's hook from this repository on a process repo."""
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert {hook["id"] for hook in hooks} == {"copi-validate", "copi-validate-system"}
    process = tmp_path / "faerre-fald"
    shutil.copytree(EXAMPLE, process, ignore=shutil.ignore_patterns("build"))
    git(process, "init", "-q", "-b", "main")
    git(process, "add", "-A")
    import os

    env = {**os.environ, "PATH": f"{Path(copi_executable()[0]).parent}{os.pathsep}"
                                 f"{os.environ['PATH']}", "PRE_COMMIT_HOME": str(tmp_path / "pc")}
    pre_commit = [str(Path(sys.executable).with_name("pre-commit"))]

    def run() -> subprocess.CompletedProcess[str]:
        return subprocess.run([*pre_commit, "try-repo", str(REPO), "copi-validate-system",
                               "--all-files"], cwd=process, capture_output=True, text=True,
                              env=env, timeout=300)

    clean = run()
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "copi validate (installed copi)" in clean.stdout and "Passed" in clean.stdout
    owner = process / "organisationer" / "horsens-kommune.yaml"
    owner.write_text(owner.read_text(encoding="utf-8").replace("joined:", "jioned:", 1),
                     encoding="utf-8")
    git(process, "add", "-A")
    failing = run()
    assert failing.returncode == 1
    assert "Failed" in failing.stdout
    assert "organisationer/horsens-kommune.yaml:8:1: S001 unknown key 'jioned'" in failing.stdout


def test_a_process_path_with_spaces_and_colons_stays_one_word(copi, tmp_path: Path) -> None:
    import shlex

    repo = tmp_path / "repo"
    parent = repo / "mine processer, 50%: æøå"
    parent.mkdir(parents=True)
    git(repo, "init", "-q", "-b", "master")
    assert copi("init", "fald", "--owner", "Aarhus Kommune", "--dir", str(parent),
                cwd=tmp_path).code == 0
    process = parent / "fald"
    for system in ("github", "gitlab"):
        assert copi("ci", system, "--install", "git+https://example.org/c.git@v1",
                    cwd=process).code == 0
    flow = repo / ".github" / "workflows" / "copi-fald.yml"
    assert _check_jsonschema("github-workflows", flow).returncode == 0
    assert _check_jsonschema("gitlab-ci", repo / ".gitlab-ci.yml").returncode == 0
    workflow = yaml.safe_load(flow.read_text(encoding="utf-8"))
    assert workflow[True]["push"]["branches"] == ["master"]  # the branch it was written on
    validate = next(s["run"] for s in workflow["jobs"]["copi"]["steps"]
                    if "copi validate" in s.get("run", ""))
    assert shlex.split(validate)[3] == "mine processer, 50%: æøå/fald"
    job = yaml.safe_load((repo / ".gitlab-ci.yml").read_text(encoding="utf-8"))["copi-fald"]
    assert job["artifacts"]["paths"] == ["mine processer, 50%: æøå/fald/build/"]


def test_files_from_two_processes_make_one_report(copi, tmp_path: Path) -> None:
    for name in ("a", "b"):
        assert copi("init", name, "--owner", "Aarhus Kommune", cwd=tmp_path).code == 0
    result = copi("validate", "--format", "sarif", str(tmp_path / "a" / "copi.yaml"),
                  str(tmp_path / "b" / "copi.yaml"), cwd=tmp_path)
    assert result.code == 0 and json.loads(result.out)["version"] == "2.1.0"
    assert copi("validate", "missing.yaml", cwd=tmp_path).code == 2
    both = copi("validate", "--dir", str(tmp_path / "a"), str(tmp_path / "a" / "copi.yaml"))
    assert both.code == 2 and "either --dir or files" in both.err


def test_hostile_characters_never_reach_a_terminal_or_break_xml(copi, tmp_path: Path) -> None:
    import os

    from junitparser import JUnitXml

    assert copi("init", "p", "--owner", "Aarhus Kommune", cwd=tmp_path).code == 0
    root = tmp_path / "p"
    # a key with a control character and an ESC sequence, and a file name that is not UTF-8
    (root / "bekraeftelser.yaml").write_text(
        'confirmations: []\n"k\\x02\\e[31mey": 1\n', encoding="utf-8")
    bad = os.path.join(os.fsencode(root / "organisationer"), b"bad\xff.yaml")
    with open(bad, "wb") as handle:
        handle.write(b"id: x\n")
    text = copi("validate", cwd=root)
    # the key is refused by what it holds (Y009), and nothing of it reaches the terminal raw
    assert text.code == 1 and "Y009" in text.out
    assert "\x1b" not in text.out and "\x02" not in text.out
    junit = copi("validate", "--format", "junit", cwd=root)
    report = tmp_path / "r.xml"
    report.write_text(junit.out, encoding="utf-8")
    assert list(JUnitXml.fromfile(str(report)))
    for output in ("json", "sarif", "github"):
        assert copi("validate", "--format", output, cwd=root).code == 1


def test_the_gate_reports_an_invalid_process_in_the_format_asked(copi, tmp_path: Path) -> None:
    root = tmp_path / "faerre-fald"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("build"))
    owner = root / "organisationer" / "horsens-kommune.yaml"
    owner.write_text(owner.read_text(encoding="utf-8").replace("joined:", "jioned:", 1),
                     encoding="utf-8")
    result = copi("gate", "--format", "sarif", cwd=root)
    assert result.code == 1
    assert {r["ruleId"] for r in json.loads(result.out)["runs"][0]["results"]} == {"S001", "S002"}


def test_copi_ci_is_one_change_a_refusing_hook_undoes(copi, tmp_path: Path) -> None:
    """The workflow goes the way every change goes: a hook that refuses the commit leaves
    neither the file nor a commit behind; --no-commit writes it and commits nothing."""
    assert copi("init", "proces", "--owner", "Aarhus Kommune", cwd=tmp_path).code == 0
    process = tmp_path / "proces"
    flow = process / ".github" / "workflows" / "copi-proces.yml"
    head = git(process, "rev-parse", "HEAD")
    hook = process / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\nexit 1\n")
    hook.chmod(0o755)
    run = copi("ci", "github", "--install", "x", cwd=process)
    assert run.code == 3 and "git commit failed" in run.err
    assert not flow.exists() and git(process, "rev-parse", "HEAD") == head
    hook.unlink()
    assert copi("ci", "github", "--install", "x", "--no-commit", cwd=process).code == 0
    assert flow.exists() and git(process, "rev-parse", "HEAD") == head
    run = copi("ci", "github", "--install", "x", "--force", cwd=process)
    assert run.code == 0 and f"commit {git(process, 'rev-parse', 'HEAD')[:10]}" in run.out
    assert git(process, "show", "--name-only", "--format=%(trailers:key=Copi-Action)",
               "HEAD").split() == ["Copi-Action:", "ci", ".github/workflows/copi-proces.yml"]


@pytest.mark.parametrize("linked", [".github", ".github/workflows"])
def test_copi_ci_writes_no_workflow_through_a_link(copi, tmp_path: Path, linked: str) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    assert copi("init", "faerre-fald", "--owner", "Aarhus Kommune", "--dir", str(repo),
                cwd=tmp_path).code == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (repo / linked).parent.mkdir(parents=True, exist_ok=True)
    (repo / linked).symlink_to(elsewhere)
    result = copi("ci", "github", "--no-commit", "--install", "git+https://example.org/c@v1",
                  cwd=repo / "faerre-fald")
    assert result.code == 1 and f"{linked} is a symbolic link" in result.err, result.err
    assert list(elsewhere.iterdir()) == []


@pytest.mark.parametrize("system", ["github", "gitlab"])
def test_a_folder_name_never_becomes_an_expression_in_ci(copi, tmp_path: Path,
                                                         system: str) -> None:
    """GitHub substitutes `${{ … }}` in a run line before the shell sees it (quoting does not
    help), so a process folder named after an expression would run a pusher's commit message;
    GitLab expands `$NAME` in artifact paths. copi writes no such workflow."""
    repo = tmp_path / "repo"
    parent = repo / "x${{ github.event.head_commit.message }}"
    parent.mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    assert copi("init", "fald", "--owner", "Aarhus Kommune", "--dir", str(parent),
                cwd=tmp_path).code == 0
    result = copi("ci", system, "--site", "--no-commit", "--install",
                  "git+https://example.org/c.git@v1", cwd=parent / "fald")
    assert result.code == 1 and "contains '$'" in result.err, result.err
    assert not (repo / ".github").exists() and not (repo / ".gitlab-ci.yml").exists()
