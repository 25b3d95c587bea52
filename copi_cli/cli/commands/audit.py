"""copi audit: check that copi.yaml's history agrees with the commits, tags and signatures."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from copi_cli.cli.commands.options import (
    DIR,
    FINDINGS_FORMAT,
    FINDINGS_JSON,
    findings_format,
    process_root,
)

if TYPE_CHECKING:
    from copi_cli.diagnostics import Diagnostic
    from copi_cli.trail.gitrepo import Repo


def audit(
    directory: Annotated[Path | None, DIR] = None,
    output: Annotated[str, FINDINGS_FORMAT] = "text",
    as_json: Annotated[bool, FINDINGS_JSON] = False,
) -> None:
    """The trail checked against git, and the publications against their hashes: what a
    reviewer trusts without reading every commit."""
    from copi_cli.cli.reporters import reporter_for
    from copi_cli.errors import EnvironmentProblem, UserError
    from copi_cli.messages import Said
    from copi_cli.trail import gitrepo
    from copi_cli.trail.audit import audit as run_audit
    from copi_cli.trail.audit import read_process, read_trail
    from copi_cli.validation.pipeline import Report

    output = findings_format(output, as_json)
    root = process_root(directory)
    repo = gitrepo.require_repo(root)
    shallow = gitrepo.run(repo.root, "rev-parse", "--is-shallow-repository", check=False)
    if shallow.stdout.strip() == "true":
        raise EnvironmentProblem(Said("cli.audit.shallow"), hint=Said("cli.audit.shallow-hint"))
    process = read_process(root)
    if process is None:
        raise UserError(Said("cli.audit.invalid"), hint=Said("cli.audit.invalid-hint"))
    findings = run_audit(repo, root, process, read_trail(repo, root))
    findings += _publications(root, repo)
    report = Report(root, findings, 1, None)
    reporter_for(output).diagnostics(report, scope=Said("cli.scope.audit"), suite="audit")
    raise typer.Exit(1 if report.errors else 0)


def _publications(root: Path, repo: "Repo") -> "list[Diagnostic]":
    """The publications rendered again (only when the process records any: rendering loads
    what the rest of the audit does not need)."""
    if not (root / "publikationer.yaml").is_file():
        return []
    from copi_cli.rendering.publishing import audit as audit_publications
    from copi_cli.validation.pipeline import validate

    return audit_publications(root, validate(root, want_workspace=True), repo)
