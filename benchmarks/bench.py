"""Benchmark copi's speed targets; prints medians and ratios to the targets.

Run from the repository root with copi installed in the running Python's environment:

    python benchmarks/bench.py [--runs N] [--keep DIR] [--only start-up|advance|validate|render]

What it measures (medians of N runs, each a fresh process as a user starts it):
- `copi --version` (target 80 ms), `copi --help` (150 ms), `copi status` on the example
  (150 ms; piped, and in a pseudo-terminal where rich draws tables);
- on a generated workspace of 200 organisations, 2,000 suppliers and 5,000 meetings (one file each):
  `copi validate` cold (2.0 s), with nothing changed (150 ms) and with one file changed (250 ms);
- for comparison on the same files: plain PyYAML loading, and the `check-jsonschema` CLI when it is
  installed (`pip install check-jsonschema`; it is not a dependency of copi);
- `copi advance` on a git copy of the example whose gate holds, side by side with `copi status` on
  it and the bare git commands an advance performs (a commit and an annotated tag): target
  status + 1.5 × git. The three are timed in turn, 6 × N rounds of them, each of the three going
  first in a third of the rounds: the verdict compares medians ~100 ms long that differ by a few
  per cent, and with 3 × N rounds one run's ratio spread over 0.95–1.01 on a quiet machine, as
  wide as the margin; the line after shows how much of its allowance, 1.5 × git, advance spends
  beyond status;
- `copi render declaration` to PDF against the bare pipeline on the same Markdown (pandoc to
  typst, then typst.compile, in a fresh Python): target bare + 150 ms; `copi render all` in four
  formats against the bare conversions of the same Markdown files with the same number of
  threads: target 1.3 × bare.

Timings on shared machines are noisy: compare figures taken side by side, not across days.
"""

from __future__ import annotations

import argparse
import os
import pty
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "faerre-fald"


def copi_command() -> list[str]:
    script = Path(sys.executable).with_name("copi")
    return [str(script)] if script.exists() else [sys.executable, "-m", "copi_cli"]


def timed(argv: list[str], env: dict[str, str], cwd: Path | None = None,
          tty: bool = False) -> float:
    start = time.perf_counter()
    if tty:
        main, secondary = pty.openpty()
        process = subprocess.Popen(argv, stdout=secondary, stderr=subprocess.DEVNULL, cwd=cwd,
                                   env=env)
        os.close(secondary)
        while True:
            try:
                if not os.read(main, 65536):
                    break
            except OSError:
                break
        process.wait()
        os.close(main)
        code = process.returncode
    else:
        code = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              cwd=cwd, env=env).returncode
    elapsed = time.perf_counter() - start
    if code not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} exited {code}")
    return elapsed


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def report(name: str, seconds: float, target: float | None) -> None:
    ratio = f"{seconds / target:5.2f} × target {target * 1000:6.0f} ms" if target else ""
    verdict = "" if target is None else ("ok" if seconds <= target else "OVER")
    print(f"{name:<46} {seconds * 1000:8.1f} ms   {ratio}  {verdict}")


def generate(root: Path) -> None:
    """A large, valid process: 200 organisations, 2,000 suppliers, 5,000 meetings."""
    from copi_cli.model.identifiers import public_bodies

    root.mkdir(parents=True)
    for name in ("organisationer", "leverandoerer", "moeder", "arrangementer"):
        (root / name).mkdir()
    bodies = sorted({b for b in public_bodies().values() if b.type == "municipality"},
                    key=lambda b: b.code)
    organisations = []
    for index in range(200):
        if index < len(bodies):
            body = bodies[index]
            name, oid = body.official_name, f"kommune-{body.code}"
            extra = f'type: municipality\nmunicipality_code: "{body.code}"\n'
        else:
            oid, name = f"forsyning-{index}", f"Forsyning {index} A/S"
            extra = "type: utility\n"
        organisations.append(oid)
        (root / "organisationer" / f"{oid}.yaml").write_text(
            f"id: {oid}\nname: \"{name}\"\n{extra}role: need-owner\njoined: \"2025-01-15\"\n"
            "backing:\n  political:\n    by: Udvalget\n    date: \"2025-02-01\"\n"
            "    evidence: https://example.dk/dagsorden\n  administrative:\n"
            "    by: Direktionen\n    date: \"2025-01-20\"\n    evidence: https://example.dk/notat\n"
            "citizens: 50000\ncontacts:\n  - name: Kontakt Person\n    title: Projektleder\n"
            "    email: kontakt@example.dk\n    retention_until: \"2028-12-31\"\n",
            encoding="utf-8")
    (root / "arrangementer" / "konference.yaml").write_text(
        "id: konference\nkind: supplier-conference\ntitle: Leverandørkonference\n"
        "date: \"2026-03-01\"\nannounced:\n  date: \"2026-02-01\"\n  channel: udbud.dk\n"
        "  open: true\n", encoding="utf-8")
    weights = (2, 7, 6, 5, 4, 3, 2, 1)
    suppliers, number = [], 10000000
    while len(suppliers) < 2000:
        number += 1
        digits = str(number)
        if sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11:
            continue
        sid = f"firma-{len(suppliers)}"
        suppliers.append(sid)
        (root / "leverandoerer" / f"{sid}.yaml").write_text(
            f"id: {sid}\nname: Firma {len(suppliers)} ApS\ncvr: \"{digits}\"\n"
            f"website: https://{sid}.example\ncontacts:\n  - name: Sælger {len(suppliers)}\n"
            f"    title: Salgschef\n    email: salg@{sid}.example\n"
            "    retention_until: \"2027-12-31\"\nprior_involvement:\n  - date: \"2025-11-03\"\n"
            "    description: Deltog i en pilot og delte erfaringer med alle leverandører.\n"
            "    shared: true\nnote: >-\n  Virksomheden udvikler sensorer og software til "
            "hjemmeplejen og har\n  deltaget i flere offentlige innovationsprojekter.\n",
            encoding="utf-8")
    for index in range(5000):
        mid = f"moede-{index}"
        owners = ", ".join(organisations[(index + k) % 200] for k in range(2))
        (root / "moeder" / f"{mid}.yaml").write_text(
            f"id: {mid}\nkind: one-to-one\nsupplier: {suppliers[index % 2000]}\n"
            f"owners: [{owners}]\ndate: \"2026-03-{1 + index % 28:02d}\"\nevent: konference\n"
            "topics: [Behov, Volumen, Tidsplan, Dataudveksling, Kriterier]\n"
            "notes: >-\n  Referat af mødet. Leverandøren præsenterede sin løsning og stillede "
            "spørgsmål\n  til volumen og tidsplan. Behovsejerne fortalte om praksis i hjemmeplejen "
            "og om\n  de fælles behov. Spørgsmål og svar offentliggøres for alle uden "
            "spørgerens\n  navn. Forretningshemmeligheder er ikke referatført.\n"
            "confidential: true\n",
            encoding="utf-8")
    history = ('  - {date: "2025-01-01", from: null, to: innovation-need, action: init, actor: B}\n'
               '  - {date: "2025-02-01", from: innovation-need, to: matchmaking, actor: B}\n'
               '  - {date: "2025-06-01", from: matchmaking, to: needs-exploration, actor: B}\n'
               '  - {date: "2026-01-01", from: needs-exploration, to: market-dialogue, actor: B}\n')
    (root / "copi.yaml").write_text(
        "schema_version: 1\nid: stor-proces\ntitle: Stor proces\nlanguage: da\n"
        f"facilitator:\n  organisation: CO-PI\nfirst_need_owner: {organisations[0]}\n"
        f"phase: market-dialogue\nhistory:\n{history}", encoding="utf-8")


def bench_advance(copi: list[str], env: dict[str, str], work: Path, runs: int) -> None:
    """advance (4 → 5) on a committed copy of the example, undone after each run."""
    repo = work / "advance" / "faerre-fald"
    shutil.copytree(EXAMPLE, repo)
    confirmations = repo / "bekraeftelser.yaml"
    confirmations.write_text(confirmations.read_text(encoding="utf-8") +
                             "  - {result: criteria-discussed, by: Mette, date: \"2026-11-20\"}\n",
                             encoding="utf-8")
    git_env = {**env, "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.dk",
               "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example.dk"}

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=repo, env=git_env, check=True, capture_output=True)

    git("init", "-q", "-b", "main")
    git("config", "user.name", "Bench")
    git("config", "user.email", "bench@example.dk")
    git("add", "-A")
    git("commit", "-q", "-m", "eksempel")
    base = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True,
                          text=True, check=True).stdout.strip()
    process_file = repo / "copi.yaml"

    def back_to_base() -> None:
        """Undo an advance; copi.yaml is rewritten, so every measured command starts with the
        same stale cache entry (as after a user's edit)."""
        subprocess.run(["git", "tag", "-d", "copi/faerre-fald/05-needs-communication"],
                       cwd=repo, capture_output=True)
        git("reset", "-q", "--hard", base)
        os.utime(process_file)

    status = [*copi, "status", "--dir", str(repo)]
    advance = [*copi, "advance", "--dir", str(repo)]
    timed(status, git_env)
    status_samples, advance_samples, bare = [], [], []

    def by_hand() -> None:
        """The same commit by hand: copi.yaml changed, committed by path, then tagged."""
        with open(process_file, "a", encoding="utf-8") as handle:
            handle.write("# bench\n")
        start = time.perf_counter()
        git("commit", "-q", "-m", "bench", "--", ".")
        git("tag", "-a", "bench", "-m", "bench")
        bare.append(time.perf_counter() - start)
        git("tag", "-d", "bench")

    turns = [lambda: status_samples.append(timed(status, git_env)),
             lambda: advance_samples.append(timed(advance, git_env)), by_hand]
    for round_number in range(6 * runs):
        for turn in turns[round_number % 3:] + turns[:round_number % 3]:  # each goes first too
            back_to_base()
            turn()
    back_to_base()
    status_time, git_time = median(status_samples), median(bare)
    advance_time = median(advance_samples)
    print()
    report("copi status (git copy of the example)", status_time, None)
    report("git commit -- . + git tag -a (bare, same change)", git_time, None)
    report("copi advance (4 → 5)", advance_time, status_time + 1.5 * git_time)
    beyond, allowance = advance_time - status_time, 1.5 * git_time
    print(f"{'  of which beyond status':<46} {beyond * 1000:8.1f} ms   {beyond / allowance:5.2f} × "
          f"1.5 × git {allowance * 1000:5.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--keep", type=Path, help="generate the large workspace here and keep it")
    parser.add_argument("--only", choices=("start-up", "advance", "validate", "render"),
                        help="measure one group of targets only")
    args = parser.parse_args()
    copi = copi_command()
    work = Path(tempfile.mkdtemp(prefix="copi-bench-"))
    # Time copi as a user's install runs it: with its modules compiled to bytecode (pip does
    # that on install; an editable install does it on first run, unless
    # PYTHONDONTWRITEBYTECODE forbids it, in which case every run compiles copi anew).
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env.update({"COPI_CACHE_DIR": str(work / "cache"), "NO_COLOR": "1", "COLUMNS": "100"})
    import copi_cli

    subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(copi_cli.__file__).parent)],
                   env=env, check=False, capture_output=True)
    print(f"copi: {' '.join(copi)}   python {sys.version.split()[0]}   {os.cpu_count()} cores")
    print(f"{'':<46} {'median':>8}")

    runs = args.runs
    if args.only in (None, "start-up"):
        bench_start_up(copi, env, runs)
    if args.only in (None, "advance"):
        bench_advance(copi, env, work, runs)
    if args.only in (None, "validate"):
        bench_validate(copi, env, work, runs, args.keep)
    if args.only in (None, "render"):
        bench_render(copi, env, work, max(3, runs // 2))
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


# The bare pipeline, in a fresh Python as copi is: pandoc (-t typst, -t html5, -t docx) on
# Markdown files and typst.compile for PDF, with as many threads as copi uses.
BARE = """
import os, subprocess, sys, tempfile, typst
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
import pypandoc

pandoc = pypandoc.get_pandoc_path()
files, formats, out = [Path(p) for p in sys.argv[3:]], sys.argv[1].split(","), Path(sys.argv[2])

def one(job):
    source, fmt = job
    target = out / f"{source.stem}.{fmt}"
    if fmt == "md":
        target.write_bytes(source.read_bytes())
    elif fmt == "pdf":
        with tempfile.TemporaryDirectory() as root:
            typ = subprocess.run([pandoc, "--sandbox", "-t", "typst", "-s", "-V", "papersize=a4",
                                  str(source)], capture_output=True, check=True).stdout
            target.write_bytes(typst.compile(typ, root=root, ignore_system_fonts=True))
    else:
        subprocess.run([pandoc, "--sandbox", "-s", "-t", "html5" if fmt == "html" else fmt,
                        str(source), "-o", str(target)], check=True, capture_output=True)

jobs = [(f, fmt) for f in files for fmt in formats]
with ThreadPoolExecutor(max_workers=min(os.cpu_count() or 1, len(jobs))) as pool:
    list(pool.map(one, jobs))
"""


def bench_render(copi: list[str], env: dict[str, str], work: Path, runs: int) -> None:
    """copi render against the bare pandoc/typst conversions of the same Markdown."""
    root = work / "render" / "faerre-fald"
    shutil.copytree(EXAMPLE, root)
    markdown = work / "render" / "md"
    subprocess.run([*copi, "render", "all", "-f", "md", "-o", str(markdown), "--dir", str(root)],
                   env=env, check=True, capture_output=True)
    out = work / "render" / "out"
    out.mkdir()
    bare = [sys.executable, "-c", BARE]
    every = sorted(str(p) for p in markdown.iterdir())
    one_md = str(markdown / "hensigtserklaering.md")

    def copi_render(*args: str) -> float:
        return timed([*copi, "render", *args, "-o", str(out), "--dir", str(root)], env)

    copi_render("declaration")  # the validation cache, as any later run has it
    print()
    bare_one = median([timed([*bare, "pdf", str(out), one_md], env) for _ in range(runs)])
    report("bare: pandoc → typst + typst.compile (1 PDF)", bare_one, None)
    report("copi render declaration (PDF)",
           median([copi_render("declaration") for _ in range(runs)]), bare_one + 0.150)
    formats = "pdf,docx,html,md"
    bare_all = median([timed([*bare, formats, str(out), *every], env) for _ in range(runs)])
    report(f"bare: {len(every)} documents × 4 formats, threaded", bare_all, None)
    report("copi render all (4 formats)",
           median([copi_render("all", "-f", formats) for _ in range(runs)]), 1.3 * bare_all)


def bench_start_up(copi: list[str], env: dict[str, str], runs: int) -> None:
    report("copi --version", median([timed([*copi, "--version"], env) for _ in range(runs)]),
           0.080)
    report("copi --help", median([timed([*copi, "--help"], env) for _ in range(runs)]), 0.150)
    status = [*copi, "status", "--dir", str(EXAMPLE)]
    timed(status, env)  # fill the cache, as any second run has it
    report("copi status (example, piped)", median([timed(status, env) for _ in range(runs)]),
           0.150)
    report("copi status (example, terminal)",
           median([timed(status, env, tty=True) for _ in range(runs)]), 0.150)


def bench_validate(copi: list[str], env: dict[str, str], work: Path, runs: int,
                   keep: Path | None) -> None:
    large = keep or work / "large"
    if large.exists():
        shutil.rmtree(large)
    generate(large)
    files = sorted(large.rglob("*.yaml"))
    print(f"\nlarge workspace: {len(files):,} files, "
          f"{sum(f.stat().st_size for f in files) / 1e6:.1f} MB")
    validate = [*copi, "validate", "--dir", str(large)]
    cold = []
    for run in range(max(3, runs // 2)):
        cold_env = {**env, "COPI_CACHE_DIR": str(work / f"cold-{run}")}
        cold.append(timed(validate, cold_env))
    report("copi validate, cold", median(cold), 2.0)
    timed(validate, env)
    report("copi validate, nothing changed", median([timed(validate, env) for _ in range(runs)]),
           0.150)
    changing = large / "moeder" / "moede-17.yaml"
    original = changing.read_text(encoding="utf-8")
    one_changed = []
    for run in range(runs):
        changing.write_text(original.replace("Referat af mødet.", f"Referat {run}."),
                            encoding="utf-8")
        one_changed.append(timed(validate, env))
    changing.write_text(original, encoding="utf-8")
    report("copi validate, one file changed", median(one_changed), 0.250)

    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    start = time.perf_counter()
    for file in files:
        with open(file, encoding="utf-8") as handle:
            yaml.load(handle, Loader=loader)
    load = time.perf_counter() - start
    report(f"PyYAML {loader.__name__}, load only (in-process)", load, None)

    checker = shutil.which("check-jsonschema") or str(Path(sys.executable).with_name(
        "check-jsonschema"))
    if Path(checker).exists():
        start = time.perf_counter()
        for schema, folder in (("organisation", "organisationer"), ("supplier", "leverandoerer"),
                               ("meeting", "moeder")):
            subprocess.run([checker, "--schemafile", str(REPO / "schemas" /
                                                         f"{schema}.schema.json"),
                            *map(str, sorted((large / folder).glob("*.yaml")))],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        elapsed = time.perf_counter() - start
        report("check-jsonschema, the three file kinds (1 run)", elapsed, None)
        print(f"{'':<46} copi cold is {elapsed / median(cold):.1f}× faster")
    else:
        print("check-jsonschema: not installed (pip install check-jsonschema to compare)")


if __name__ == "__main__":
    main()
