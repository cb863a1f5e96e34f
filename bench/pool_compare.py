"""Our worker pool against the standard library's, on ``make bench``'s batch (issue 10).

    python bench/pool_compare.py --records 2000 --rounds 5 [--jobs 2] [--dir /dev/shm]

Generates the same synthetic records as ``bench/bench.py`` and runs ``run_batch`` on
all of them (one ``outcome_letter`` each, read, validated, decided, rendered, written
and registered), each run in a fresh process, alternating between:

  ours       ``reviewdocs.batch.pool.run_pool``: forked workers fed through pipes
  executor   ``concurrent.futures.ProcessPoolExecutor`` with the same fork context and
             an initializer that builds each worker's ``Worker``, one record a task
  executor/8 the same with eight records a task (fewer futures and queue trips)

Everything else is the same code (the journal, the report, the register, the final
sync): only ``reviewdocs.batch.run.run_pool`` is replaced. The executor versions are
an upper bound on the standard pool's speed, not a product: they answer every id
claim when the record is sent (every record here opens with its id, so no claim has
to be asked later) and do not recover from a crashed worker (``BrokenProcessPool``
fails every record in flight); both would only add cost.

The order of the three is rotated each round, so a machine whose speed drifts (other
work, the file system's moods) favours none of them; the median of the rounds is
printed for each, with every round's figure, and the median CPU time per letter
(user and system; the parent's, the workers' and the two together): on a busy
machine the wall-clock rate moves with other people's work, the CPU a letter costs
much less.
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import json
import multiprocessing
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import deque
from collections.abc import Generator, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from bench import DOCUMENT, ON, _records  # noqa: E402

from reviewdocs.batch.claims import Answer, OrderedClaims  # noqa: E402
from reviewdocs.batch.records import id_hint  # noqa: E402
from reviewdocs.batch.report import ReportRow  # noqa: E402
from reviewdocs.batch.worker import Job, Worker  # noqa: E402
from reviewdocs.intake.sources import Record  # noqa: E402

IN_FLIGHT_PER_WORKER = 4  # as ours: records (or tasks) sent ahead per worker

# -- the standard pool's worker side ---------------------------------------------------------

_worker: Worker | None = None
_told: tuple[str, str | None] | None = None
_claimed = False


def _claim(key: str, source: str) -> Answer:
    global _claimed
    _claimed = True
    told = _told
    if told is not None and told[0] == key:
        return Answer(lambda: told[1])
    raise RuntimeError(f"{source}: the prototype answers only claims made when sent")


def _init(job: Job) -> None:
    global _worker
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker = Worker(job, _claim)


def _process(
    items: list[tuple[int, Record, tuple[str, str | None] | None]],
) -> list[tuple[int, ReportRow, bool]]:
    global _told, _claimed
    assert _worker is not None
    out = []
    for seq, record, told in items:
        _told, _claimed = told, False
        row = _worker.process(record)
        out.append((seq, row, _claimed))
    return out


def executor_pool(chunk: int) -> Any:
    """A ``run_pool`` built on ``ProcessPoolExecutor``: tasks of ``chunk`` records."""

    def run(records: Iterator[Record], job: Job, size: int) -> Generator[ReportRow, None, None]:
        from reviewdocs.batch.pool import _prepare_for_workers, start_method

        method = start_method()
        if method == "fork":
            _prepare_for_workers(job)
        claims = OrderedClaims()
        numbered = enumerate(records)
        pending: deque[Future[list[tuple[int, ReportRow, bool]]]] = deque()
        with ProcessPoolExecutor(
            size,
            mp_context=multiprocessing.get_context(method),
            initializer=_init,
            initargs=(job,),
        ) as executor:
            exhausted = False
            while True:
                while not exhausted and len(pending) < size * IN_FLIGHT_PER_WORKER:
                    items = [
                        (seq, record, claims.sent(seq, id_hint(record), record.source))
                        for seq, record in itertools.islice(numbered, chunk)
                    ]
                    if not items:
                        exhausted = True
                        break
                    pending.append(executor.submit(_process, items))
                if not pending:
                    return
                # Tasks finish roughly in order; the oldest is the next rows in source order.
                for seq, row, claimed in pending.popleft().result():
                    claims.finished(seq, claimed=claimed)
                    yield row

    return run


POOLS: dict[str, int | None] = {"ours": None, "executor": 1, "executor/8": 8}
BEFORE = "before"
"""Another version of our pool, loaded from the file given with --before (e.g. one
written with ``git show REV:src/reviewdocs/batch/pool.py``), to compare two of ours."""


def _phase(name: str, source: Path, jobs: int, out: Path) -> None:
    import reviewdocs.batch.run as batch_run
    from reviewdocs.batch import run_batch

    if name.startswith(BEFORE + "="):
        spec = importlib.util.spec_from_file_location("pool_before", name.split("=", 1)[1])
        assert spec is not None and spec.loader is not None
        before = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = before
        spec.loader.exec_module(before)
        batch_run.run_pool = before.run_pool
    if name.startswith("ours/"):  # ours with this many records sent ahead per worker
        import reviewdocs.batch.pool as pool

        pool._IN_FLIGHT_PER_WORKER = int(name.split("/")[1])  # type: ignore[misc]
    chunk = POOLS.get(name)
    if chunk is not None:
        batch_run.run_pool = executor_pool(chunk)  # type: ignore[assignment]
    start, parent, workers = time.perf_counter(), _cpu(SELF), _cpu(CHILDREN)
    result = run_batch(source, out, jobs=jobs, documents=[DOCUMENT], produced=ON)
    seconds = time.perf_counter() - start
    parent, workers = _cpu(SELF) - parent, _cpu(CHILDREN) - workers
    if result.failed or result.produced == 0:
        raise SystemExit(f"{name}: {result.failed} failed; see {result.report}")
    figures = {"letters": result.produced, "seconds": seconds}
    print(json.dumps({**figures, "parent": parent, "workers": workers}))


SELF, CHILDREN = resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN


def _cpu(who: int) -> float:
    """CPU seconds (user and system) of this process, or of its finished children: the
    workers, which have all been joined when ``run_batch`` returns."""
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _label(name: str) -> str:
    return BEFORE if name.startswith(BEFORE + "=") else name


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--dir", type=Path, help="where the temporary folder is made")
    parser.add_argument("--pools", default=",".join(POOLS), help="which to compare")
    parser.add_argument("--before", type=Path, help="also run the pool in this file")
    parser.add_argument("--phase", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.phase:
        name, source, jobs, out = args.phase
        _phase(name, Path(source), int(jobs), Path(out))
        return 0

    names = args.pools.split(",")
    if args.before:
        names.insert(1, f"{BEFORE}={args.before.resolve()}")
    rates: dict[str, list[float]] = {name: [] for name in names}
    cpu: dict[str, list[tuple[float, float]]] = {name: [] for name in names}
    with tempfile.TemporaryDirectory(prefix="reviewdocs-pools-", dir=args.dir) as tmp:
        work = Path(tmp)
        source = work / "records.jsonl"
        with source.open("w", encoding="utf-8") as fh:
            for raw in _records(args.records):
                fh.write(json.dumps(raw) + "\n")
        print(f"{args.records} records, {args.jobs} workers, under {work.parent}")
        for round_ in range(args.rounds):
            order = names[round_ % len(names) :] + names[: round_ % len(names)]
            for name in order:
                out = work / f"out-{round_}-{_label(name).replace('/', '-')}"
                command = [sys.executable, __file__, "--phase", name, str(source)]
                done = subprocess.run(
                    [*command, str(args.jobs), str(out)],
                    check=True,
                    capture_output=True,
                    text=True,
                )
                figures = json.loads(done.stdout.strip().splitlines()[-1])
                rates[name].append(figures["letters"] / figures["seconds"])
                per_letter = 1000 / figures["letters"]
                cpu[name].append((figures["parent"] * per_letter, figures["workers"] * per_letter))
            print(
                f"  round {round_ + 1}: "
                + ", ".join(f"{_label(name)} {rates[name][-1]:.0f}/s" for name in names),
                flush=True,
            )
    print()
    base = statistics.median(rates[names[0]])
    for name in names:
        median = statistics.median(rates[name])
        every = " ".join(f"{rate:.0f}" for rate in rates[name])
        parent = statistics.median(p for p, _ in cpu[name])
        workers = statistics.median(w for _, w in cpu[name])
        total = statistics.median(p + w for p, w in cpu[name])
        print(
            f"  {_label(name):<11} median {median:7.1f} letters/s ({median / base:6.1%} of ours);"
            f" CPU ms/letter {total:.2f} (parent {parent:.2f}, workers {workers:.2f})"
            f"\n  {'':<11} rounds: {every}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
