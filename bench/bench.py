"""Batch speed against a naive docxtpl loop, side by side in one run (issue 5).

    python bench/bench.py --records 10000 [--jobs N] [--sample 300] [--strict]
    python bench/bench.py --records 100000 --batch-only     (the memory run)
    python bench/bench.py --dir /dev/shm                     (letters written to memory)

Generates N synthetic valid reviews (a JSON Lines file; names, ids, addresses vary),
then measures, each phase in a fresh process so its peak memory is its own:

  naive      docxtpl as usually written: DocxTemplate(path), render, save, per letter,
             in one process and (with --jobs above 1) in --jobs processes side by side,
             each on its share of the letters; each run first and again last, the
             ratios taken against the faster run
  renderer   reviewdocs' compiled template alone: CompiledTemplate.render, one core
  batch      run_batch on all N records (read, validate, decide, render, write,
             register) with 1 worker and with one worker per core

and prints letters/s, the ratios and peak RSS, with PASS/FAIL against the issue's
targets. Two ratios for the batch: against the naive loop in one process (the issue's
target, the batch using every core and the loop one) and, per core, against the naive
loop in as many processes as the batch has workers. It is a benchmark, not a test: it
exits 0 either way unless --strict.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

DOCUMENT = "outcome_letter"
ON = date(2026, 11, 23)
TARGET_RENDERER = 1_000.0
TARGET_RATIO = 20.0
TARGET_RSS_MB = 200.0

_FIRST = ["Amira", "Ben", "Chloe", "Dev", "Eleanor", "Farid", "Grace", "Hamza", "Isla", "Jon"]
_LAST = ["Okafor", "Smith", "Nowak", "Patel", "Hughes", "Khan", "Evans", "Murphy", "Ali", "Reid"]
_STREETS = ["Mill Lane", "Church Street", "Station Road", "Orchard Close", "The Green"]


def _records(count: int) -> Any:
    """Synthetic valid reviews: the spec example with a different person each time."""
    base = json.loads((ROOT / "tests" / "data" / "example-carer-light-touch.json").read_text())
    base["subject"]["preferred_format"] = "standard"
    for n in range(count):
        raw = copy.deepcopy(base)
        first, last = _FIRST[n % 10], _LAST[(n // 10) % 10]
        raw["review"]["id"] = f"BENCH-{n:07d}"
        raw["subject"]["name"] = f"{first} {last}"
        raw["subject"]["preferred_name"] = first
        raw["subject"]["reference"] = f"CAR-{n:07d}"
        raw["subject"]["address"] = [f"{n % 200 + 1} {_STREETS[n % 5]}", "Exampleton"]
        yield raw


def _peak_mb() -> tuple[float, float]:
    """(this process, its largest finished child) peak RSS in MB (Linux reports KB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def _contexts(source: Path, count: int) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    from reviewdocs.decision.rules import decide
    from reviewdocs.documents.context import build_context
    from reviewdocs.intake.schemas import validate_review

    out = []
    with source.open(encoding="utf-8") as fh:
        for _, line in zip(range(count), fh, strict=False):
            review = validate_review(json.loads(line))
            decision = decide(review)
            context = build_context(review, decision, document=DOCUMENT, produced=ON)
            out.append((review, context))
    return out


def phase_naive(source: Path, sample: int, work: Path, _processes: int = 1) -> dict[str, float]:
    from docxtpl import DocxTemplate

    from reviewdocs.documents import template_path
    from reviewdocs.documents.engine import make_environment

    path = template_path(DOCUMENT)
    contexts = [context for _, context in _contexts(source, sample)]
    env = make_environment()
    # A folder per run: the second run creates its files, as the first did.
    folder = Path(tempfile.mkdtemp(prefix="naive-", dir=work))
    start = time.perf_counter()
    for n, context in enumerate(contexts):
        template = DocxTemplate(path)
        template.render(context, jinja_env=env)
        template.save(folder / f"naive-{n}.docx")
    seconds = time.perf_counter() - start
    return {"letters": len(contexts), "seconds": seconds}


def _naive_share(path: Path, contexts: list[dict[str, Any]], folder: Path, first: int) -> None:
    """One process's share of the naive loop (forked: docxtpl and Jinja already loaded)."""
    from docxtpl import DocxTemplate

    from reviewdocs.documents.engine import make_environment

    env = make_environment()
    for n, context in enumerate(contexts, first):
        template = DocxTemplate(path)
        template.render(context, jinja_env=env)
        template.save(folder / f"naive-{n}.docx")


def phase_naive_processes(
    source: Path, sample: int, work: Path, processes: int = 1
) -> dict[str, float]:
    """The naive loop in as many processes as the batch has workers, each on its share
    of the ``sample`` letters: the same cores as the batch, so the ratio compares the
    two per core. Timed from the first fork to the last process's end, as the batch is
    timed from its start (its workers' start included) to its end."""
    import multiprocessing

    import docxtpl  # noqa: F401  (loaded before forking, as the batch's parent does)

    from reviewdocs.documents import template_path

    path = template_path(DOCUMENT)
    contexts = [context for _, context in _contexts(source, sample)]
    folder = Path(tempfile.mkdtemp(prefix="naive-processes-", dir=work))
    shares = [contexts[n::processes] for n in range(processes)]
    firsts = [sum(len(s) for s in shares[:n]) for n in range(processes)]
    context = multiprocessing.get_context("fork")
    start = time.perf_counter()
    workers = [
        context.Process(target=_naive_share, args=(path, share, folder, first))
        for share, first in zip(shares, firsts, strict=True)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    seconds = time.perf_counter() - start
    if any(worker.exitcode != 0 for worker in workers):
        raise SystemExit("bench: a naive loop process failed")
    return {"letters": len(contexts), "seconds": seconds}


def phase_renderer(
    source: Path, renders: int, _work: Path, _processes: int = 1
) -> dict[str, float]:
    from reviewdocs.documents import compiled

    template = compiled(DOCUMENT)
    contexts = [context for _, context in _contexts(source, min(renders, 500))]
    template.render(contexts[0])  # the first render warms Jinja's caches
    start = time.perf_counter()
    for n in range(renders):
        template.render(contexts[n % len(contexts)])
    seconds = time.perf_counter() - start
    return {"letters": renders, "seconds": seconds}


def phase_batch(source: Path, jobs: int, work: Path, _processes: int = 1) -> dict[str, float]:
    from reviewdocs.batch import run_batch

    start = time.perf_counter()
    result = run_batch(source, work / f"out-{jobs}", jobs=jobs, documents=[DOCUMENT], produced=ON)
    seconds = time.perf_counter() - start
    if result.failed:
        raise SystemExit(f"bench: {result.failed} record(s) failed; see {result.report}")
    return {"letters": result.produced, "seconds": seconds}


PHASES = {
    "naive": phase_naive,
    "naive_processes": phase_naive_processes,
    "renderer": phase_renderer,
    "batch": phase_batch,
}


def _run_phase(
    name: str, source: Path, amount: int, work: Path, processes: int = 1
) -> dict[str, float]:
    """One phase in a fresh interpreter, so peak RSS is that phase's alone."""
    command = [sys.executable, __file__, "--phase", name, str(source), str(amount), str(work)]
    command.append(str(processes))
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _child(name: str, source: Path, amount: int, work: Path, processes: int) -> None:
    figures = PHASES[name](source, amount, work, processes)
    own, children = _peak_mb()
    figures.update(peak_mb=own, worker_peak_mb=children)
    print(json.dumps(figures))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=10_000, help="records in the batch")
    parser.add_argument("--sample", type=int, help="letters for the naive loop (<= 300)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="workers")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument(
        "--batch-only",
        action="store_true",
        help="only the batch with --jobs workers: peak RSS for a long source",
    )
    parser.add_argument(
        "--dir",
        type=Path,
        help="where the temporary folder of records and letters is made (default: the "
        "system's temporary folder); both loops write there, so compare file systems",
    )
    parser.add_argument("--phase", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.phase:
        name, source, amount, work, processes = args.phase
        _child(name, Path(source), int(amount), Path(work), int(processes))
        return 0

    from reviewdocs.documents import compiled

    records = args.records
    sample = args.sample or min(records, 300)
    fields = len(compiled(DOCUMENT).field_paths())
    with tempfile.TemporaryDirectory(prefix="reviewdocs-bench-", dir=args.dir) as tmp:
        work = Path(tmp)
        naive_processes = ("naive_processes", sample, args.jobs)
        source = work / "records.jsonl"
        with source.open("w", encoding="utf-8") as fh:
            for raw in _records(records):
                fh.write(json.dumps(raw) + "\n")
        print(
            f"{records} records, {DOCUMENT} ({fields} fields), {args.jobs} worker(s), "
            f"written under {Path(tmp).parent}\n"
        )
        # (label, phase, amount, processes): the naive loop runs in one process, as
        # usually written, and (when the batch has more than one worker) in as many
        # processes as the batch has workers, so that the two also compare per core.
        many = args.jobs > 1 and not args.batch_only
        runs: list[tuple[str, str, int, int]] = []
        if not args.batch_only:
            runs.append(("naive docxtpl (load, render, save)", "naive", sample, 1))
            if many:
                runs.append((f"naive docxtpl, {args.jobs} processes", *naive_processes))
            runs.append(("renderer alone, 1 core", "renderer", max(records, 1000), 1))
            runs.append(("batch, 1 worker", "batch", 1, 1))
        if args.jobs > 1 or args.batch_only:
            runs.append((f"batch, {args.jobs} workers", "batch", args.jobs, 1))
        if not args.batch_only:
            # The naive loops again after the batches: on a machine whose speed drifts
            # (a shared virtual machine), each ratio is taken against the faster of the
            # two runs of its naive loop, which is the stricter comparison.
            if many:
                runs.append((f"naive docxtpl, {args.jobs} processes, again", *naive_processes))
            runs.append(("naive docxtpl, again", "naive", sample, 1))
        results: dict[str, dict[str, float]] = {}
        for label, phase, amount, processes in runs:
            figures = _run_phase(phase, source, amount, work, processes)
            rate = figures["letters"] / figures["seconds"]
            figures["rate"] = rate
            # Workers run side by side: the batch holds the parent and every worker at
            # once, so its peak is counted as their sum (each worker at the largest's).
            workers = amount if phase == "batch" and amount > 1 else 0
            figures["total_mb"] = figures["peak_mb"] + workers * figures["worker_peak_mb"]
            results[label] = figures
            split = (
                f" (parent {figures['peak_mb']:.1f} + {workers} x {figures['worker_peak_mb']:.1f})"
                if workers
                else ""
            )
            print(
                f"  {label:<38} {int(figures['letters']):>7} letters {rate:>9.1f} letters/s"
                f"   peak RSS {figures['total_mb']:6.1f} MB{split}"
            )

    batch_label = [label for label, phase, _, _ in runs if phase == "batch"][-1]
    batch = results[batch_label]["rate"]
    batch_rss = max(f["total_mb"] for label, f in results.items() if label.startswith("batch"))
    rss_check = (
        f"batch peak RSS < {TARGET_RSS_MB:.0f} MB (parent and workers together)",
        batch_rss < TARGET_RSS_MB,
        f"{batch_rss:.1f} MB for {records:,} records (the target is for 100,000)",
    )
    if args.batch_only:
        checks = [rss_check]
    else:
        naive = max(results[label]["rate"] for label, phase, *_ in runs if phase == "naive")
        renderer = results["renderer alone, 1 core"]["rate"]
        workers_label = batch_label.split(", ")[1]
        print(f"\n  renderer / naive: {renderer / naive:6.1f}x")
        print(
            f"  batch ({workers_label}) / naive, 1 process: {batch / naive:6.1f}x"
            "   (against the faster naive run; the batch uses every core, the loop one)"
        )
        if many:
            naive_many = max(
                results[label]["rate"] for label, phase, *_ in runs if phase == "naive_processes"
            )
            print(
                f"  batch ({workers_label}) / naive, {args.jobs} processes: "
                f"{batch / naive_many:6.1f}x   (per core: both on the same {args.jobs} cores,"
                " against the faster run)"
            )
        checks = [
            (
                f"renderer >= {TARGET_RENDERER:,.0f} letters/s per core",
                renderer >= TARGET_RENDERER,
                f"{renderer:,.0f}/s",
            ),
            (
                f"batch >= {TARGET_RATIO:.0f}x the naive loop",
                batch / naive >= TARGET_RATIO,
                f"{batch / naive:.1f}x",
            ),
            rss_check,
        ]
    print()
    for what, passed, figure in checks:
        print(f"  {'PASS' if passed else 'FAIL'}  {what}: {figure}")
    return 1 if args.strict and not all(passed for _, passed, _ in checks) else 0


if __name__ == "__main__":
    sys.exit(main())
